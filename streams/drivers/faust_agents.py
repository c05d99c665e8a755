"""faust agents: decode -> evaluate (pure logic in agents/) -> apply -> send. Nothing else.

| agent    | reads                | writes                                                   |
|----------|----------------------|----------------------------------------------------------|
| accounts | account-updates.v1   | Redis account registry                                   |
| patches  | account-patches.v1   | Redis registry (merged), account-updates.v1 (full)       |
| deletions| post-deletions.v1    | Redis: undecided deleted posts need no action            |
| appeals  | appeals.v1           | Redis review queue (appeals, to a different reviewer)    |
| review   | review-decisions.v1  | actions, notices, audit (human decisions)                |
| legal    | legal-requests.v1    | withhold_in_country actions, notices, audit              |

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
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

import faust
import structlog
from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError

from agents.legal import DECIDED_BY as LEGAL_BY
from agents.legal import KIND_LEGAL, withhold
from agents.records import Account, Appeal, LegalRequest, RecordError, ReviewDecision
from agents.review import (AWAITING_SENIOR, KIND_APPEAL, KIND_REVIEW, Appealed, decision_summary,
                           escalation_from_dict, review_appeal, review_escalation, roster_problems)
from streams.infra import topics
from streams.engine.runtime import Runtime
from streams.engine.apply import decision_records, input_ref
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
ROLES = {"all": (*HOT, *_AGENTS), "hotpath": HOT, "agents": _AGENTS}


def bind(app: faust.App, rt: Runtime, roles: tuple[str, ...] = ROLES["all"]) -> None:
    s = rt.settings
    roster = Roster(s.review_roster)  #: who may decide reviews: re-read when the operator changes it
    channels: dict[str, faust.TopicT] = {
        spec.name: app.topic(s.topic(spec), key_type=bytes, value_type=bytes, key_serializer="raw",
                             value_serializer="raw", partitions=spec.partitions or s.partitions)
        for spec in topics.CATALOG
    }

    async def send(out: Outbox, spec: TopicSpec, key: str, value: dict[str, Any]) -> None:
        """Hand a record to the producer; its delivery future joins the batch's `out`."""
        await send_bytes(out, s.topic(spec), key.encode(), rt.codec.encode(spec.schema, value), out.source)

    async def send_bytes(out: Outbox, topic: str, key: bytes, value: bytes, source: Any) -> None:
        if len(value) > MAX_MESSAGE_BYTES:
            raise ProduceError(f"an output to {topic} of {len(value):,} bytes is over the {MAX_MESSAGE_BYTES:,}-byte "
                               "record limit")
        try:
            future = await app.producer.send(topic, key, value, None, None, None)
        except Exception as exc:  # refused at once, e.g. aiokafka's MessageSizeTooLargeError
            raise ProduceError(f"the producer refused an output to {topic}: {type(exc).__name__}: {exc}") from exc
        out.pending.append(_Pending(future, topic, key, value, source))

    async def delivered(out: Outbox) -> None:
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
                    await send_bytes(out, p.topic, p.key, p.value, p.source)
                else:
                    await dead(out, p.source, "deliver", ProduceError(
                        f"an output to {p.topic} could not be delivered: {type(result).__name__}: {result}"))

    async def dead(out: Outbox, message: Any, stage: str, exc: Exception) -> None:
        error_type = error_type_of(exc)
        log.warning("dead_letter", topic=message.topic, partition=message.partition, offset=message.offset,
                    stage=stage, error_type=error_type, reason=str(exc)[:300])
        letter = dead_letter(message.value or b"", key=message.key, source=message.topic, partition=message.partition,
                             offset=message.offset, stage=stage, reason=str(exc), error_type=error_type)
        await send_bytes(out, s.topic(topics.DEAD_LETTERS), message.topic.encode(),
                         rt.codec.encode(topics.DEAD_LETTERS.schema, letter), None)

    def isolated(stage: str, handle: Callable[[Outbox, Any], Awaitable[None]],
                 known: tuple[type[Exception], ...] = (CodecError, RecordError),
                 known_stage: str = "decode") -> Callable[[Outbox, Any], Awaitable[None]]:
        """`handle(out, message)` for one record: a `known` error (bad input) becomes a dead letter
        at `known_stage`, any other (a bug, a refused output, the time budget) one at `stage`."""
        async def each(out: Outbox, message: Any) -> None:
            out.source = message
            try:
                await handle(out, message)
            except known as exc:
                await dead(out, message, known_stage, exc)
            except Exception as exc:
                log.exception(f"{stage}_failed", topic=message.topic, partition=message.partition,
                              offset=message.offset)
                await dead(out, message, stage, exc)
            finally:
                out.source = None
        return each

    def decode(message: Any, spec: TopicSpec) -> dict[str, Any]:
        return rt.codec.decode_input(message.value, spec.schema)

    async def run(stream: faust.StreamT, each: Callable[[Outbox, Any], Awaitable[None]], refresh: bool = False) -> None:
        """One agent: every record of a batch isolated, then the batch's outputs delivered."""
        out = Outbox()
        async for batch in stream.take_events(BATCH, within=WITHIN):
            if refresh:
                await with_retry("banks.refresh", rt.refresh_banks)
            for event in batch:
                await each(out, event.message)
            await delivered(out)

    async def account_one(out: Outbox, msg: Any) -> None:
        if msg.value is None:  # compaction tombstone: account deleted upstream
            return
        account = Account.from_dict(decode(msg, topics.ACCOUNTS), now=msg.timestamp or None)
        await with_retry("registry.put_account", rt.registry.put_account, account)

    async def accounts(stream: faust.StreamT) -> None:
        await run(stream, isolated("accounts", account_one))

    async def patch_one(out: Outbox, msg: Any) -> None:
        value = decode(msg, topics.PATCHES)
        update = AccountUpdate(Account.from_dict(value), frozenset(value.get("known_fields") or ACCOUNT_FIELDS))
        # atomic in Redis: a full snapshot written meanwhile is merged into, never overwritten
        merged = await with_retry("registry.update_account", rt.registry.update_account,
                                  update.account.account_id, update.merge_into)
        await send(out, topics.ACCOUNTS, merged.account_id, merged.to_dict())

    async def patches(stream: faust.StreamT) -> None:
        """Partial profile updates: merged into the stored snapshot, which goes back out in full,
        so the compacted account-updates.v1 only ever holds full snapshots."""
        await run(stream, isolated("patches", patch_one))

    async def deletions(stream: faust.StreamT) -> None:
        """Posts deleted at the source: remembered, so one not yet decided needs no action."""
        out = Outbox()
        async for batch in stream.take_events(BATCH, within=WITHIN):
            ids = []

            async def read(_o: Outbox, msg: Any) -> None:
                ids.append(decode(msg, topics.DELETIONS)["post_id"])

            for event in batch:
                await isolated("deletions", read)(out, event.message)
            await with_retry("reports.mark_deleted", rt.reports.mark_deleted, ids)
            await delivered(out)

    async def decided_summary(post_id: str, path: str) -> dict[str, Any]:
        """The post's latest decision summary; until there is one, a dead letter to re-feed later."""
        summary = (await with_retry("reports.decided", rt.reports.decided, [post_id])).get(post_id)
        if summary is None:
            raise RecordError(path, f"no decision is recorded for post {post_id} yet; "
                                    "re-feed with `modstream dlq replay` once it is decided")
        return summary

    async def appeal_one(out: Outbox, msg: Any) -> None:
        appeal = Appeal.from_dict(decode(msg, topics.APPEALS))
        summary = await decided_summary(appeal.post_id, "appeal.post_id")
        await with_retry("queue.add_appeal", rt.queue.add_appeal, appeal, summary)

    async def appeals(stream: faust.StreamT) -> None:
        """Appeals re-open a decision: into the queue, for a reviewer other than the one who decided."""
        await run(stream, isolated("appeal", appeal_one, (CodecError, RecordError, ReviewQueueError), "appeal"))

    async def review_one(out: Outbox, msg: Any) -> None:
        decision, item, decision_by = await _reviewed(decode(msg, topics.REVIEWS))
        kind = KIND_APPEAL if item.kind == "appeal" else KIND_REVIEW
        for rec in decision_records(decision, [_ref(msg)], rt.versions, kind, decision_by.reviewer_id):
            await send(out, rec.topic, rec.key, rec.value)
        await delivered(out)
        await with_retry("queue.mark_decided", rt.queue.mark_decided, item.item_id, decision_by)
        if decision.route != AWAITING_SENIOR:
            reviewers = tuple(r["reviewer_id"] for r in item.recommendations) + (decision_by.reviewer_id,)
            summary = decision_summary(decision, decision_by.reviewer_id, reviewers)
            await with_retry("reports.mark_decided", rt.reports.mark_decided, {decision.post_id: summary})
        log.info("review_applied", decision_id=decision.decision_id, route=decision.route,
                 actions=[a.type for a in decision.actions], reviewer=decision_by.reviewer_id)

    async def review(stream: faust.StreamT) -> None:
        """Apply human review decisions: the only way the public-interest notice is ever granted."""
        await run(stream, isolated("review", review_one, (CodecError, RecordError, ReviewQueueError), "review"))

    async def _reviewed(value: dict[str, Any]):
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

    async def legal_one(out: Outbox, msg: Any) -> None:
        request = LegalRequest.from_dict(decode(msg, topics.LEGAL))
        summary = await decided_summary(request.post_id, "legal_request.post_id")
        decision = withhold(request, request.post_id, summary["author_id"], rt.policy)
        for rec in decision_records(decision, [_ref(msg)], rt.versions, KIND_LEGAL, LEGAL_BY):
            await send(out, rec.topic, rec.key, rec.value)

    async def legal(stream: faust.StreamT) -> None:
        """Country withholding for legal requests: applies whatever the route, exception included."""
        await run(stream, isolated("legal", legal_one, (CodecError, RecordError), "legal"))

    agents = {"accounts": (topics.ACCOUNTS, accounts),
              "patches": (topics.PATCHES, patches), "deletions": (topics.DELETIONS, deletions),
              "appeals": (topics.APPEALS, appeals),
              "review": (topics.REVIEWS, review), "legal": (topics.LEGAL, legal)}
    for name in sorted(agents.keys() & set(roles)):
        spec, fn = agents[name]
        app.agent(channels[spec.name], name=name, concurrency=1)(fn)
