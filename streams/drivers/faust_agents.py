"""faust agents: decode -> evaluate (pure logic in agents/) -> apply -> send. Nothing else.

| agent    | reads                | writes                                                   |
|----------|----------------------|----------------------------------------------------------|
| accounts | account-updates.v1   | Redis account registry                                   |
| patches  | account-patches.v1   | Redis registry (merged), account-updates.v1 (full)       |
| deletions| post-deletions.v1    | Redis: undecided deleted posts need no action            |
| appeals  | appeals.v1           | Redis review queue (appeals, to a different reviewer)    |
| review   | review-decisions.v1  | actions, notices, audit (human decisions)                |
| legal    | legal-requests.v1    | withhold_in_country actions, notices, audit              |
| posts    | posts.v1             | audit, actions, notices, escalations (role faust-posts)  |

Each agent is one small function over `AgentIO`, the decode / dead-letter / send / deliver
helper they share; `AGENTS` names them with the topic each reads.

The `route`, `reports` and `queue` roles are not faust agents: they are the hot path
(streams/drivers/hotpath.py), a confluent-kafka batch loop that tags (rules, banks and the learned
classifier, batched in-process) and routes posts in one hop, files reports and queues
escalations.

Any record that cannot be decoded or processed goes to dead-letters.v1 with its original
bytes and the reason, and the agent goes on. Redis outages hold the partition and retry.

Every record is isolated (`isolated`): faust-streaming's take_events acks a whole batch in
`finally`, so an exception out of an agent would commit the records after the failing one
without deciding them. Nothing but cancellation leaves an agent: a record either produces
its outputs (a failed delivery is re-sent, or dead-letters its input when it cannot be) or
becomes a dead letter.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

import faust
import structlog
from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError

from agents.legal import DECIDED_BY as LEGAL_BY
from agents.legal import KIND_LEGAL, withhold
from agents.records import Account, Appeal, LegalRequest, Post, RecordError, ReviewDecision
from agents.review import (AWAITING_SENIOR, KIND_APPEAL, KIND_REVIEW, Appealed, decision_summary,
                           escalation_from_dict, review_appeal, review_escalation, roster_problems)
from streams.infra import topics
from streams.engine.runtime import Runtime
from streams.engine.apply import decision_records, input_ref
from streams.engine.engine import Engine, Input, Rejected
from streams.engine.redis_context import RedisPort
from streams.infra.codec import CodecError
from streams.engine.deadletter import dead_letter, error_type_of
from streams.infra.formats.common import ACCOUNT_FIELDS, AccountUpdate
from streams.infra.retry import with_retry
from streams.infra.review_queue import ReviewQueueError
from streams.infra.reviewers import AuthError, Roster
from streams.infra.topics import MAX_MESSAGE_BYTES, TopicSpec

log = structlog.get_logger("modstream.agents")

BATCH = 256  #: events per take_events batch: one Redis round trip and one log line per batch
WITHIN = 0.05  #: seconds to wait for a batch to fill


class ProduceError(Exception):
    """An output the producer refused or could not deliver for good: its input becomes a dead letter."""

    error_type = "produce_failed"


@dataclass(slots=True)
class _Pending:
    future: Any  #: the delivery future
    topic: str
    key: bytes
    value: bytes
    source: Any  #: the input message it is an output of (None for a dead letter)


@dataclass
class Outbox:
    """A batch's outputs on their way to the broker, each with the input it came from."""

    pending: list[_Pending] = field(default_factory=list)
    source: Any = None  #: the input message being handled (set by `isolated`)


def _retriable(exc: BaseException) -> bool:
    return bool(getattr(exc, "retriable", False)) or isinstance(exc, (KafkaTimeoutError, KafkaConnectionError))


def _ref(message: Any) -> dict[str, Any]:
    return input_ref(message.topic, message.partition, message.offset, message.value)


#: what the hot path (streams/drivers/hotpath.py) does in one confluent-kafka loop: posts, reports, escalations
HOT = ("route", "reports", "queue")
_AGENTS = ("accounts", "patches", "deletions", "appeals", "review", "legal")
#: what a worker runs with `--role`: the hot path (as a child process beside faust) and/or faust agents
#: `faust-posts`: posts decided by a faust agent instead of the hot path (reports and escalations stay
#: with the hot path: run it beside, or none there are)
ROLES = {"all": (*HOT, *_AGENTS), "hotpath": HOT, "agents": _AGENTS, "faust-posts": ("posts", *_AGENTS)}


@dataclass
class AgentIO:
    """What every agent shares: decode, dead-letter, send and deliver, each record isolated."""

    app: faust.App
    rt: Runtime
    roster: Roster  #: who may decide reviews: re-read when the operator changes it

    def decode(self, message: Any, spec: TopicSpec) -> dict[str, Any]:
        return self.rt.codec.decode_input(message.value, spec.schema)

    async def send(self, out: Outbox, spec: TopicSpec, key: str, value: dict[str, Any]) -> None:
        """Hand a record to the producer; its delivery future joins the batch's `out`."""
        await self.send_bytes(out, self.rt.settings.topic(spec), key.encode(),
                              self.rt.codec.encode(spec.schema, value), out.source)

    async def send_bytes(self, out: Outbox, topic: str, key: bytes, value: bytes, source: Any) -> None:
        if len(value) > MAX_MESSAGE_BYTES:
            raise ProduceError(f"an output to {topic} of {len(value):,} bytes is over the {MAX_MESSAGE_BYTES:,}-byte "
                               "record limit")
        try:
            future = await self.app.producer.send(topic, key, value, None, None, None)
        except Exception as exc:  # refused at once, e.g. aiokafka's MessageSizeTooLargeError
            raise ProduceError(f"the producer refused an output to {topic}: {type(exc).__name__}: {exc}") from exc
        out.pending.append(_Pending(future, topic, key, value, source))

    async def delivered(self, out: Outbox) -> None:
        """Wait until the broker has this batch's outputs. A delivery that failed for a passing
        reason (broker away, timeout) is sent again, holding the partition as Redis outages do;
        one that cannot succeed dead-letters the input it came from."""
        delay = 0.5
        while out.pending:
            pending, out.pending = out.pending, []
            results = await asyncio.gather(*(p.future for p in pending), return_exceptions=True)
            for p, result in zip(pending, results):
                if not isinstance(result, BaseException):
                    continue
                if isinstance(result, asyncio.CancelledError):
                    raise result
                if _retriable(result) or p.source is None:
                    log.warning("delivery_retry", topic=p.topic, retry_in_s=delay, error_type=type(result).__name__)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 5.0)
                    await self.send_bytes(out, p.topic, p.key, p.value, p.source)
                else:
                    await self.dead(out, p.source, "deliver", ProduceError(
                        f"an output to {p.topic} could not be delivered: {type(result).__name__}: {result}"))

    async def dead(self, out: Outbox, message: Any, stage: str, exc: Exception) -> None:
        error_type = error_type_of(exc)
        log.warning("dead_letter", topic=message.topic, partition=message.partition, offset=message.offset,
                    stage=stage, error_type=error_type, reason=str(exc)[:300])
        letter = dead_letter(message.value or b"", key=message.key, source=message.topic, partition=message.partition,
                             offset=message.offset, stage=stage, reason=str(exc), error_type=error_type)
        await self.send_bytes(out, self.rt.settings.topic(topics.DEAD_LETTERS), message.topic.encode(),
                              self.rt.codec.encode(topics.DEAD_LETTERS.schema, letter), None)

    async def isolated(self, out: Outbox, message: Any, stage: str, handle: Handler,
                       known: tuple[type[Exception], ...] = (CodecError, RecordError), known_stage: str = "decode") -> None:
        """`handle(io, out, message)` for one record: a `known` error (bad input) becomes a dead letter
        at `known_stage`, any other (a bug, a refused output, the time budget) one at `stage`."""
        out.source = message
        try:
            await handle(self, out, message)
        except known as exc:
            await self.dead(out, message, known_stage, exc)
        except Exception as exc:
            log.exception(f"{stage}_failed", topic=message.topic, partition=message.partition, offset=message.offset)
            await self.dead(out, message, stage, exc)
        finally:
            out.source = None

    async def run(self, stream: faust.StreamT, stage: str, handle: Handler,
                  known: tuple[type[Exception], ...] = (CodecError, RecordError), known_stage: str = "decode") -> None:
        """One agent: every record of a batch isolated, then the batch's outputs delivered."""
        out = Outbox()
        async for batch in stream.take_events(BATCH, within=WITHIN):
            for event in batch:
                await self.isolated(out, event.message, stage, handle, known, known_stage)
            await self.delivered(out)

    async def decided_summary(self, post_id: str, path: str) -> dict[str, Any]:
        """The post's latest decision summary; until there is one, a dead letter to re-feed later."""
        summary = (await with_retry("decisions.decided", self.rt.decisions.decided, [post_id])).get(post_id)
        if summary is None:
            raise RecordError(path, f"no decision is recorded for post {post_id} yet; "
                                    "re-feed with `modstream dlq replay` once it is decided")
        return summary


Handler = Callable[[AgentIO, Outbox, Any], Awaitable[None]]
REVIEW_ERRORS = (CodecError, RecordError, ReviewQueueError)


# --- one function per agent ---------------------------------------------------------------


async def posts(io: AgentIO, stream: faust.StreamT) -> None:
    """posts.v1 decided inside the faust worker (role `faust-posts`, instead of the hot path): the same
    engine and Redis context, a batch at a time. The engine is synchronous, so it runs in a thread
    while its cap reservations run on this event loop."""
    rt, loop, out = io.rt, asyncio.get_running_loop(), Outbox()
    port = RedisPort(rt, lambda coro: asyncio.run_coroutine_threadsafe(coro, loop).result())
    await rt.load_registry_seed()  # officials are known before the first decision, as in the hot path
    async for batch in stream.take_events(BATCH, within=WITHIN):
        await with_retry("banks.refresh", rt.refresh_banks)
        read: list[tuple[Any, Post]] = []

        async def decode(_io: AgentIO, _o: Outbox, msg: Any) -> None:
            read.append((msg, Post.from_dict(_io.decode(msg, topics.POSTS), now=msg.timestamp or None)))

        for event in batch:
            await io.isolated(out, event.message, "decode", decode)
        if not read:
            await io.delivered(out)
            continue
        read, context = await _context(io, out, port, read)
        if not read:
            await io.delivered(out)
            continue
        day = datetime.now(timezone.utc).date().isoformat()
        inputs = [Input(post, _ref(msg), day) for msg, post in read]
        engine = Engine(rt.policy, rt.tagger, rt.settings.record_budget_seconds)
        outcomes = await loop.run_in_executor(None, engine.decide_batch, inputs, context)
        versions, summaries = rt.versions, {}
        for (msg, post), item, outcome in zip(read, inputs, outcomes):
            out.source = msg
            try:
                if isinstance(outcome, Rejected):
                    await io.dead(out, msg, outcome.stage, outcome.error)
                    continue
                for rec in decision_records(outcome, [item.ref], versions):
                    await io.send(out, rec.topic, rec.key, rec.value)
                summaries[post.post_id] = {**decision_summary(outcome), "post_text": post.text,
                                           "created_at": post.created_at}
            except Exception as exc:
                log.exception("route_failed", topic=msg.topic, partition=msg.partition, offset=msg.offset)
                await io.dead(out, msg, "route", exc)
            finally:
                out.source = None
        await io.delivered(out)  # outputs on the broker before the state that says they were decided
        await with_retry("decisions.mark_decided", rt.decisions.mark_decided, summaries)


async def _context(io: AgentIO, out: Outbox, port: RedisPort, read: list[tuple[Any, Post]]):
    """The batch's context; when stored state does not parse, post by post, dead-lettering those it fails for."""
    try:
        return read, await port.fetch([p for _, p in read])
    except Exception as exc:
        log.warning("state_unreadable", op="posts.state", items=len(read), error_type=type(exc).__name__)
    kept = []
    for msg, post in read:
        try:
            await port.fetch([post])
            kept.append((msg, post))
        except Exception as exc:
            await io.dead(out, msg, "state", RuntimeError(f"the stored state for this post cannot be read "
                                                          f"({type(exc).__name__}: {str(exc)[:200]})"))
    return kept, (await port.fetch([p for _, p in kept]) if kept else None)


async def account_one(io: AgentIO, out: Outbox, msg: Any) -> None:
    if msg.value is None:  # compaction tombstone: account deleted upstream
        return
    account = Account.from_dict(io.decode(msg, topics.ACCOUNTS), now=msg.timestamp or None)
    await with_retry("registry.put_account", io.rt.registry.put_account, account)


async def patch_one(io: AgentIO, out: Outbox, msg: Any) -> None:
    """A partial profile update: merged into the stored snapshot, which goes back out in full,
    so the compacted account-updates.v1 only ever holds full snapshots."""
    value = io.decode(msg, topics.PATCHES)
    update = AccountUpdate(Account.from_dict(value), frozenset(value.get("known_fields") or ACCOUNT_FIELDS))
    # atomic in Redis: a full snapshot written meanwhile is merged into, never overwritten
    merged = await with_retry("registry.update_account", io.rt.registry.update_account,
                              update.account.account_id, update.merge_into)
    await io.send(out, topics.ACCOUNTS, merged.account_id, merged.to_dict())


async def deletions(io: AgentIO, stream: faust.StreamT) -> None:
    """Posts deleted at the source: remembered, so one not yet decided needs no action."""
    out = Outbox()
    async for batch in stream.take_events(BATCH, within=WITHIN):
        ids: list[str] = []

        async def read(_io: AgentIO, _o: Outbox, msg: Any) -> None:
            ids.append(_io.decode(msg, topics.DELETIONS)["post_id"])

        for event in batch:
            await io.isolated(out, event.message, "deletions", read)
        await with_retry("deletions.mark_deleted", io.rt.deletions.mark_deleted, ids)
        await io.delivered(out)


async def appeal_one(io: AgentIO, out: Outbox, msg: Any) -> None:
    """An appeal re-opens a decision: into the queue, for a reviewer other than the one who decided."""
    appeal = Appeal.from_dict(io.decode(msg, topics.APPEALS))
    summary = await io.decided_summary(appeal.post_id, "appeal.post_id")
    await with_retry("queue.add_appeal", io.rt.queue.add_appeal, appeal, summary)


async def review_one(io: AgentIO, out: Outbox, msg: Any) -> None:
    """A human review decision: the only way the public-interest notice is ever granted."""
    rt = io.rt
    decision, item, decision_by = await _reviewed(rt, io.roster, io.decode(msg, topics.REVIEWS))
    kind = KIND_APPEAL if item.kind == "appeal" else KIND_REVIEW
    for rec in decision_records(decision, [_ref(msg)], rt.versions, kind, decision_by.reviewer_id):
        await io.send(out, rec.topic, rec.key, rec.value)
    await io.delivered(out)
    await with_retry("queue.mark_decided", rt.queue.mark_decided, item.item_id, decision_by)
    if decision.route != AWAITING_SENIOR:
        reviewers = tuple(r["reviewer_id"] for r in item.recommendations) + (decision_by.reviewer_id,)
        summary = decision_summary(decision, decision_by.reviewer_id, reviewers)
        await with_retry("decisions.mark_decided", rt.decisions.mark_decided, {decision.post_id: summary})
    log.info("review_applied", decision_id=decision.decision_id, route=decision.route,
             actions=[a.type for a in decision.actions], reviewer=decision_by.reviewer_id)


async def _reviewed(rt: Runtime, roster: Roster, value: dict[str, Any]):
    review_decision = ReviewDecision.from_dict(value)
    try:  # the record names a reviewer and claims a role: the operator's roster says who they are
        problems = roster_problems(review_decision, roster.current(review_decision.reviewer_id))
    except AuthError as exc:  # no roster, or one anyone may write: nobody's authority can be checked
        problems = [f"cannot check the reviewer: {exc}"]
    if problems:
        raise ReviewQueueError("; ".join(problems))
    item = await with_retry("queue.get", rt.queue.get, review_decision.decision_id)
    if item is None:
        raise ReviewQueueError(f"no review item {review_decision.decision_id} in the queue")
    problems = item.problems(review_decision.reviewer_id, review_decision.outcome, review_decision.senior,
                             review_decision.review_id)
    if problems:
        raise ReviewQueueError("; ".join(problems))
    if item.kind == "appeal":
        decision = review_appeal(review_decision, Appeal.from_dict(item.appeal),
                                 Appealed.from_summary(item.original), rt.policy)
    else:
        reports = await with_retry("reports.for_posts", rt.reports.for_posts, [item.post_id])
        decision = review_escalation(review_decision, escalation_from_dict(item.escalation),
                                     reports[item.post_id], rt.policy)
    if decision.errors:
        raise ReviewQueueError("; ".join(decision.errors))
    return decision, item, review_decision


async def legal_one(io: AgentIO, out: Outbox, msg: Any) -> None:
    """Country withholding for a legal request: applies whatever the route, exception included."""
    request = LegalRequest.from_dict(io.decode(msg, topics.LEGAL))
    summary = await io.decided_summary(request.post_id, "legal_request.post_id")
    decision = withhold(request, request.post_id, summary["author_id"], io.rt.policy)
    for rec in decision_records(decision, [_ref(msg)], io.rt.versions, KIND_LEGAL, LEGAL_BY):
        await io.send(out, rec.topic, rec.key, rec.value)


#: agent name -> (topic it reads, its stream function over the shared AgentIO)
AGENTS: dict[str, tuple[TopicSpec, Callable[[AgentIO, faust.StreamT], Awaitable[None]]]] = {
    "posts": (topics.POSTS, posts),
    "accounts": (topics.ACCOUNTS, lambda io, s: io.run(s, "accounts", account_one)),
    "patches": (topics.PATCHES, lambda io, s: io.run(s, "patches", patch_one)),
    "deletions": (topics.DELETIONS, deletions),
    "appeals": (topics.APPEALS, lambda io, s: io.run(s, "appeal", appeal_one, REVIEW_ERRORS, "appeal")),
    "review": (topics.REVIEWS, lambda io, s: io.run(s, "review", review_one, REVIEW_ERRORS, "review")),
    "legal": (topics.LEGAL, lambda io, s: io.run(s, "legal", legal_one, (CodecError, RecordError), "legal")),
}


def bind(app: faust.App, rt: Runtime, roles: tuple[str, ...] = ROLES["all"]) -> None:
    """Register the agents of `roles` on `app`, each with concurrency 1 (see the module doc)."""
    io = AgentIO(app, rt, Roster(rt.settings.review_roster))
    for name in sorted(AGENTS.keys() & set(roles)):
        spec, fn = AGENTS[name]
        channel = app.topic(rt.settings.topic(spec), key_type=bytes, value_type=bytes, key_serializer="raw",
                            value_serializer="raw", partitions=spec.partitions or rt.settings.partitions)
        app.agent(channel, name=name, concurrency=1)(_agent(io, fn))


def _agent(io: AgentIO, fn: Callable[[AgentIO, faust.StreamT], Awaitable[None]]):
    async def agent(stream: faust.StreamT) -> None:
        await fn(io, stream)
    return agent
