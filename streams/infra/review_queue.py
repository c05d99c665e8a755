"""The human review queue: escalations, daily-cap holds and appeals, in Redis.

An item moves pending -> claimed -> decided. `decide` validates a reviewer's decision and
RETURNS the ReviewDecision for the caller to produce to the review-decisions topic; it never
marks the item decided. The review agent applies the decision (agents/review.py) and then
calls `mark_decided`, so the topic stays the source of truth and a crash in between only
replays the same ids. A non-senior `notice` is a recommendation: `mark_decided` records it
and puts the item back to pending, where only a senior may decide.

An appeal never goes to a reviewer of the appealed decision: those are stored as
`excluded_reviewers` and refused by `claim` and `decide`. `decide` takes an authenticated
`Reviewer` (streams/infra/reviewers.py): the senior flag comes from the roster's roles, and who may
decide what is `agents.review.authority_problems`.

Keys (`streams.infra.stores.key()`; all in the one Redis Cluster slot of the tag {review}, since an
update moves an item between state indexes under WATCH/MULTI):
- `ms:{review}:review:<item_id>`  JSON ReviewItem (item id: the escalation id, or "appeal:<appeal_id>")
- `ms:{review}:reviewq:<state>`   sorted set of item ids by created_at (oldest first), one per state

Every transition is a pure function of the item (`claimed`, `review_for`, `decided`), shared
by `RedisReviewQueue` (optimistic WATCH/MULTI, so concurrent claims cannot both win) and
`MemoryReviewQueue` (unit tests). Writes are idempotent: adding an item twice keeps the
first, re-claiming or re-marking with the same review is a no-op.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from typing import Any, Callable, Mapping, Sequence

import redis.asyncio as aioredis
from redis.exceptions import WatchError

from agents.effects import ESCALATION_KINDS, decision_id
from agents.records import Appeal, ReviewDecision
from agents.review import (PENDING_ROUTES, Appealed, Reviewer, authority_problems, awaits_senior,
                           escalation_kind, escalation_outcomes, reviewer_id_problem)
from streams.infra.stores import key

KINDS = (*ESCALATION_KINDS, "appeal")
STATES = ("pending", "claimed", "decided")
OPEN = ("pending", "claimed")


class ReviewQueueError(ValueError):
    """A queue operation that is not allowed; the message says why, for the reviewer."""


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _stamp(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One thing a human must decide, with what the reviewer needs to see and its state."""

    item_id: str
    kind: str  #: one of KINDS
    post_id: str
    author_id: str
    created_at: str  #: the post's time (escalations) or the appeal's: queue age runs from it
    queued_at: str
    allowed: tuple[str, ...]  #: review outcomes allowed for this item
    state: str = "pending"
    claimed_by: str | None = None
    claimed_at: str | None = None
    excluded_reviewers: tuple[str, ...] = ()  #: reviewers of the appealed decision
    post_text: str | None = None  #: the post as the reviewer must read it, when the caller has it
    escalation: dict[str, Any] | None = None  #: the escalations.v1 value (public_interest, cap_hold)
    appeal: dict[str, Any] | None = None  #: the appeals.v1 value
    original: dict[str, Any] | None = None  #: summary of the appealed decision (agents.review.decision_summary)
    recommendations: tuple[dict[str, Any], ...] = ()  #: non-senior notice recommendations, awaiting a senior
    review: dict[str, Any] | None = None  #: the final ReviewDecision, once applied

    @property
    def needs_senior(self) -> bool:
        return bool(self.recommendations) and self.state != "decided"

    @property
    def recommendation(self) -> str:
        """One word or two for the list: automation's recommendation, or what the appeal is against."""
        if self.kind == "appeal":
            return f"appeal of {Appealed.from_summary(self.original or {}).state}"
        rec = (self.escalation or {}).get("recommendation", "?")
        return f"{rec} (awaiting senior)" if self.needs_senior else rec

    def age_seconds(self, now: datetime) -> float:
        return max(0.0, now.timestamp() - _epoch(self.created_at))

    @property
    def recommenders(self) -> tuple[str, ...]:
        return tuple(r["reviewer_id"] for r in self.recommendations) if self.needs_senior else ()

    def problems(self, reviewer_id: str, outcome: str, senior: bool, review_id: str | None = None) -> list[str]:
        """Why this reviewer may not decide this item with this outcome (empty: they may)."""
        out = []
        if self.state == "decided" and (self.review or {}).get("review_id") != review_id:
            out.append(f"{self.item_id} is already decided by {(self.review or {}).get('reviewer_id')}")
        if outcome not in self.allowed:
            out.append(f"{outcome} is not allowed for a {self.kind} item: {', '.join(self.allowed)}")
        return out + authority_problems(reviewer_id, senior, self.recommenders, self.excluded_reviewers)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> "ReviewItem":
        d = json.loads(raw)
        for name in ("allowed", "excluded_reviewers", "recommendations"):
            d[name] = tuple(d[name])
        return cls(**d)


# --- pure transitions (shared by both stores) --------------------------------------------


def escalation_item(escalation: Mapping[str, Any], now: datetime, post_text: str | None = None) -> ReviewItem:
    kind = escalation_kind(escalation)
    return ReviewItem(escalation["escalation_id"], kind, escalation["post_id"], escalation["author_id"],
                      escalation["created_at"], _stamp(now), escalation_outcomes(kind),
                      post_text=post_text, escalation=dict(escalation))


def appeal_item(appeal: Appeal, original: Mapping[str, Any], now: datetime, post_text: str | None = None) -> ReviewItem:
    appealed = Appealed.from_summary(original)
    if appealed.route in PENDING_ROUTES:
        raise ReviewQueueError(f"decision {appealed.decision_id} is still awaiting review: nothing to appeal yet")
    if appeal.decision_id != appealed.decision_id:
        raise ReviewQueueError(f"appeal {appeal.appeal_id} is against {appeal.decision_id}, "
                               f"the summary is of {appealed.decision_id}")
    reviewers = [r for r in (appealed.decided_by, *original.get("reviewers", ())) if r and r != "automation"]
    return ReviewItem(f"appeal:{appeal.appeal_id}", "appeal", appeal.post_id, appealed.author_id, appeal.created_at,
                      _stamp(now), appealed.allowed_outcomes(), excluded_reviewers=tuple(sorted(set(reviewers))),
                      post_text=post_text, appeal=appeal.to_dict(), original=dict(original))


def claimed(item: ReviewItem | None, reviewer_id: str, now: datetime, item_id: str = "") -> ReviewItem:
    """The item claimed by `reviewer_id` (unchanged when they hold it already)."""
    if item is None:
        raise ReviewQueueError(f"no review item {item_id}")
    if item.state == "decided":
        raise ReviewQueueError(f"{item.item_id} is already decided")
    if problem := reviewer_id_problem(reviewer_id):
        raise ReviewQueueError(problem)
    if reviewer_id in item.excluded_reviewers:
        raise ReviewQueueError(f"{reviewer_id} made the appealed decision: another reviewer must take the appeal")
    if item.claimed_by == reviewer_id:
        return item
    if item.claimed_by is not None:
        raise ReviewQueueError(f"{item.item_id} is claimed by {item.claimed_by} since {item.claimed_at}")
    return replace(item, state="claimed", claimed_by=reviewer_id, claimed_at=_stamp(now))


def released(item: ReviewItem | None, reviewer_id: str, item_id: str = "") -> ReviewItem:
    """The item back to pending, when `reviewer_id` holds it (unchanged when nobody does)."""
    if item is None:
        raise ReviewQueueError(f"no review item {item_id}")
    if item.state != "claimed":
        return item
    if item.claimed_by != reviewer_id:
        raise ReviewQueueError(f"{item.item_id} is claimed by {item.claimed_by}: only they release it")
    return replace(item, state="pending", claimed_by=None, claimed_at=None)


def review_for(item: ReviewItem, reviewer: Reviewer, outcome: str, rationale: str, now: datetime,
               policy: str | None = None) -> ReviewDecision:
    """The ReviewDecision to produce. Same item, reviewer, outcome and stage: same review id (a retry dedupes)."""
    reviewer_id, senior = reviewer.reviewer_id, reviewer.senior
    if not rationale.strip():
        raise ReviewQueueError("a rationale is required for every decision")
    problems = item.problems(reviewer_id, outcome, senior)
    if problems:
        raise ReviewQueueError("; ".join(problems))
    if item.claimed_by not in (None, reviewer_id):
        raise ReviewQueueError(f"{item.item_id} is claimed by {item.claimed_by}")
    stage = str(len(item.recommendations))
    review_id = decision_id("review-item", item.item_id, reviewer_id, outcome, str(senior), stage)
    return ReviewDecision(review_id, item.item_id, item.post_id, outcome, reviewer_id, rationale.strip(), _stamp(now),
                          senior, policy)


def decided(item: ReviewItem | None, review: ReviewDecision, item_id: str = "") -> ReviewItem:
    """The item once `review` is applied: decided, or back to pending for a senior (a recommendation)."""
    if item is None:
        raise ReviewQueueError(f"no review item {item_id}")
    if item.state == "decided":
        if (item.review or {}).get("review_id") == review.review_id:
            return item
        raise ReviewQueueError(f"{item.item_id} is already decided by review {(item.review or {}).get('review_id')}")
    if awaits_senior(review):
        if any(r["review_id"] == review.review_id for r in item.recommendations):
            return item
        return replace(item, state="pending", claimed_by=None, claimed_at=None,
                       recommendations=(*item.recommendations, review.to_dict()))
    return replace(item, state="decided", review=review.to_dict())


# --- the queue -------------------------------------------------------------------------------


class ReviewQueue:
    """The operations, over three storage primitives the Redis and memory stores implement."""

    clock: Callable[[], datetime]

    async def _load(self, item_id: str) -> ReviewItem | None:
        raise NotImplementedError

    async def _update(self, item_id: str, change: Callable[[ReviewItem | None], ReviewItem]) -> ReviewItem:
        """Atomically replace the item with `change(item)`, keeping the state index in step."""
        raise NotImplementedError

    async def _open_ids(self, states: tuple[str, ...], limit: int) -> list[str]:
        """Up to `limit` item ids in these states, oldest created_at first."""
        raise NotImplementedError

    async def _insert_new(self, items: Sequence[ReviewItem]) -> None:
        """Store the items that are not there yet (with their state index); leave the others."""
        raise NotImplementedError

    async def _file(self, new: ReviewItem) -> ReviewItem:
        """Insert `new` unless its item is there already; the stored item (idempotent)."""
        await self._insert_new([new])
        return await self._load(new.item_id) or new

    async def add_escalation(self, escalation: Mapping[str, Any], post_text: str | None = None) -> ReviewItem:
        """File an escalations.v1 value (public-interest review or daily-cap hold). Idempotent."""
        return await self._file(escalation_item(escalation, self.clock(), post_text))

    async def add_escalations(self, escalations: Sequence[Mapping[str, Any]]) -> None:
        """`add_escalation` for a batch (the hot path's), in one round trip; post text from each value."""
        now = self.clock()
        await self._insert_new([escalation_item(e, now, e.get("post_text")) for e in escalations])

    async def add_appeal(self, appeal: Appeal, original_summary: Mapping[str, Any],
                         post_text: str | None = None) -> ReviewItem:
        """File an appeal with the summary of the decision it is against (agents.review.decision_summary)."""
        return await self._file(appeal_item(appeal, original_summary, self.clock(), post_text))

    async def get(self, item_id: str) -> ReviewItem | None:
        return await self._load(item_id)

    async def list(self, state: str | None = None, limit: int = 50) -> list[ReviewItem]:
        """Items in `state`, oldest first; None: the open ones (pending and claimed)."""
        if state is not None and state not in STATES:
            raise ReviewQueueError(f"unknown state {state!r}: one of {', '.join(STATES)}")
        items = [await self._load(i) for i in await self._open_ids((state,) if state else OPEN, limit)]
        return [i for i in items if i is not None]

    async def claim(self, item_id: str, reviewer_id: str) -> ReviewItem:
        now = self.clock()
        return await self._update(item_id, lambda old: claimed(old, reviewer_id, now, item_id))

    async def release(self, item_id: str, reviewer_id: str) -> ReviewItem:
        return await self._update(item_id, lambda old: released(old, reviewer_id, item_id))

    async def decide(self, item_id: str, reviewer: Reviewer, outcome: str, rationale: str,
                     policy: str | None = None) -> ReviewDecision:
        """Validate and build the ReviewDecision to produce; claims an unclaimed item, never marks it decided.

        `reviewer` comes from authentication (streams/infra/reviewers.py); its roles say whether it is senior.
        """
        now = self.clock()
        item = await self._load(item_id)
        if item is None:
            raise ReviewQueueError(f"no review item {item_id}")
        review_for(item, reviewer, outcome, rationale, now, policy)  # validate before claiming
        item = await self.claim(item_id, reviewer.reviewer_id)
        return review_for(item, reviewer, outcome, rationale, now, policy)

    async def mark_decided(self, item_id: str, review: ReviewDecision) -> ReviewItem:
        """Called by the review agent once the decision is applied."""
        return await self._update(item_id, lambda old: decided(old, review, item_id))


class MemoryReviewQueue(ReviewQueue):
    """In-process queue for unit tests and `decide`-style tools: same logic, a dict for storage."""

    def __init__(self, clock: Callable[[], datetime] = _utcnow):
        self.clock = clock
        self._items: dict[str, ReviewItem] = {}

    async def _load(self, item_id: str) -> ReviewItem | None:
        return self._items.get(item_id)

    async def _update(self, item_id: str, change: Callable[[ReviewItem | None], ReviewItem]) -> ReviewItem:
        new = change(self._items.get(item_id))
        self._items[item_id] = new
        return new

    async def _open_ids(self, states: tuple[str, ...], limit: int) -> list[str]:
        chosen = sorted((i for i in self._items.values() if i.state in states), key=lambda i: (_epoch(i.created_at),
                                                                                               i.item_id))
        return [i.item_id for i in chosen[:limit]]

    async def _insert_new(self, items: Sequence[ReviewItem]) -> None:
        for item in items:
            self._items.setdefault(item.item_id, item)


#: Insert-if-absent of one item and its index entry, atomically, without a WATCH round trip.
_INSERT_NEW = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
  return 1
end
return 0
"""


class RedisReviewQueue(ReviewQueue):
    def __init__(self, client: aioredis.Redis, clock: Callable[[], datetime] = _utcnow):
        self.client = client
        self.clock = clock

    async def _insert_new(self, items: Sequence[ReviewItem]) -> None:
        if not items:
            return
        pipe = self.client.pipeline(transaction=False)
        for item in items:  # EVAL, queued: a cluster pipeline cannot load a missing script (one slot: {review})
            pipe.eval(_INSERT_NEW, 2, key("review", item.item_id), key("reviewq", item.state),
                      item.to_json(), _epoch(item.created_at), item.item_id)
        await pipe.execute()

    async def _load(self, item_id: str) -> ReviewItem | None:
        raw = await self.client.get(key("review", item_id))
        return ReviewItem.from_json(raw) if raw else None

    async def _update(self, item_id: str, change: Callable[[ReviewItem | None], ReviewItem]) -> ReviewItem:
        k = key("review", item_id)
        async with self.client.pipeline(transaction=True) as pipe:
            while True:
                try:
                    await pipe.watch(k)
                    raw = await pipe.get(k)
                    old = ReviewItem.from_json(raw) if raw else None
                    new = change(old)
                    if new == old:
                        await pipe.reset()
                        return new
                    pipe.multi()
                    pipe.set(k, new.to_json())
                    if old is None or old.state != new.state:
                        if old is not None:
                            pipe.zrem(key("reviewq", old.state), item_id)
                        pipe.zadd(key("reviewq", new.state), {item_id: _epoch(new.created_at)})
                    await pipe.execute()
                    return new
                except WatchError:
                    continue  # someone changed the item meanwhile: re-read and re-decide

    async def _open_ids(self, states: tuple[str, ...], limit: int) -> list[str]:
        pipe = self.client.pipeline(transaction=False)
        for s in states:
            pipe.zrange(key("reviewq", s), 0, limit - 1, withscores=True)
        ranked = sorted((score, item_id) for rows in await pipe.execute() for item_id, score in rows)
        return [item_id for _, item_id in ranked[:limit]]
