"""faust agents: decode -> evaluate (pure logic in agents/) -> apply -> send. Nothing else.

| agent    | reads                | writes                                                   |
|----------|----------------------|----------------------------------------------------------|
| tag      | posts.v1             | classify.v1 (only with the classifier on)                |
| classify | classify.v1          | violations.v1 (every post, with its violations)          |
| accounts | account-updates.v1   | Redis account registry                                   |
| patches  | account-patches.v1   | Redis registry (merged), account-updates.v1 (full)       |
| deletions| post-deletions.v1    | Redis: undecided deleted posts need no action            |
| appeals  | appeals.v1           | Redis review queue (appeals, to a different reviewer)    |
| review   | review-decisions.v1  | actions, notices, audit (human decisions)                |
| legal    | legal-requests.v1    | withhold_in_country actions, notices, audit              |

The `route`, `reports` and `queue` roles are not faust agents: they are the hot path
(streams/hotpath.py), a confluent-kafka batch loop that tags (classifier off) and routes
posts in one hop, files reports and queues escalations.

Any record that cannot be decoded or processed goes to dead-letters.v1 with its original
bytes and the reason, and the agent goes on. Redis outages hold the partition and retry.
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

import faust
import structlog

from agents.legal import DECIDED_BY as LEGAL_BY
from agents.legal import KIND_LEGAL, withhold
from agents.records import Account, Appeal, LegalRequest, Post, RecordError, ReviewDecision, Violation
from agents.review import (AWAITING_SENIOR, KIND_APPEAL, KIND_REVIEW, Appealed, decision_summary,
                           escalation_from_dict, review_appeal, review_escalation)
from streams import topics
from streams.app import Runtime
from streams.apply import decision_records, tagged_record
from streams.codec import CodecError
from streams.deadletter import dead_letter, error_type_of
from streams.formats.common import ACCOUNT_FIELDS, AccountUpdate
from streams.retry import with_retry
from streams.review_queue import ReviewQueueError
from streams.topics import TopicSpec

log = structlog.get_logger("modstream.agents")

BATCH = 256  #: events per take_events batch: one Redis round trip and one log line per batch
WITHIN = 0.05  #: seconds to wait for a batch to fill


def input_ref(message: Any) -> dict[str, Any]:
    return {"topic": message.topic, "partition": message.partition, "offset": message.offset,
            "digest": hashlib.sha256(message.value or b"").hexdigest()}


#: what the hot path (streams/hotpath.py) does in one confluent-kafka loop: posts, reports, escalations
HOT = ("route", "reports", "queue")
_AGENTS = ("accounts", "patches", "deletions", "appeals", "review", "legal")
#: what a worker runs with `--role`: the hot path (as a child process beside faust) and/or faust agents
ROLES = {"all": ("tag", "classify", *HOT, *_AGENTS), "fast": ("tag", *HOT, *_AGENTS), "classify": ("classify",),
         "decide": HOT, "agents": ("tag", "classify", *_AGENTS)}


def bind(app: faust.App, rt: Runtime, roles: tuple[str, ...] = ROLES["all"]) -> None:
    s = rt.settings
    channels: dict[str, faust.TopicT] = {
        spec.name: app.topic(s.topic(spec), key_type=bytes, value_type=bytes, key_serializer="raw",
                             value_serializer="raw", partitions=spec.partitions or s.partitions)
        for spec in topics.CATALOG
    }

    async def send(out: list, spec: TopicSpec, key: str, value: dict[str, Any]) -> None:
        """Hand a record to the producer; its delivery future joins the batch's `out`."""
        out.append(await app.producer.send(s.topic(spec), key.encode(), rt.codec.encode(spec.schema, value),
                                           None, None, None))

    async def delivered(out: list) -> None:
        """Wait until the broker has this batch's outputs. A failed delivery fails the batch,
        so its inputs are not committed and come again, instead of being lost."""
        if out:
            await asyncio.gather(*out)
            out.clear()

    async def dead(out: list, message: Any, stage: str, exc: Exception) -> None:
        error_type = error_type_of(exc)
        log.warning("dead_letter", topic=message.topic, partition=message.partition, offset=message.offset,
                    stage=stage, error_type=error_type, reason=str(exc)[:300])
        await send(out, topics.DEAD_LETTERS, message.topic, dead_letter(
            message.value or b"", key=message.key, source=message.topic, partition=message.partition,
            offset=message.offset, stage=stage, reason=str(exc), error_type=error_type))

    def decode(message: Any, spec: TopicSpec) -> dict[str, Any]:
        if message.value is None:
            raise RecordError("value", "empty record (tombstone) on a topic that needs a value")
        return rt.codec.decode(message.value, expect=spec.schema)[1]

    def tagged(post: Post, violations: list[Violation], source_ref: dict[str, Any], version: str) -> dict[str, Any]:
        return tagged_record(post, violations, source_ref, version, rt.policy.version)

    fast_version = rt.versions["tagger"]
    full_version = f"{fast_version}+clf.{rt.classifier_version}"

    async def tag(stream: faust.StreamT) -> None:
        """Fast path (rules, PII and hash banks) before the classifier; without it, the hot path tags."""
        out: list = []
        async for batch in stream.take_events(BATCH, within=WITHIN):
            await with_retry("banks.refresh", rt.refresh_banks)
            for event in batch:
                msg = event.message
                try:
                    post = Post.from_dict(decode(msg, topics.POSTS))
                    record = tagged(post, rt.tagger.tag(post), input_ref(msg), fast_version)
                except (CodecError, RecordError) as exc:
                    await dead(out, msg, "decode", exc)
                    continue
                except Exception as exc:  # a detector bug must not stop the stream
                    log.exception("tag_failed", topic=msg.topic, partition=msg.partition, offset=msg.offset)
                    await dead(out, msg, "tag", exc)
                    continue
                await send(out, topics.CLASSIFY, post.post_id, record)
            await delivered(out)

    async def classify(stream: faust.StreamT) -> None:
        """The learned classifier, one batch per take: its cost scales apart from the fast path."""
        out: list = []
        async for batch in stream.take_events(BATCH, within=WITHIN):
            await with_retry("banks.refresh", rt.refresh_banks)
            items = []
            for event in batch:
                try:
                    d = decode(event.message, topics.CLASSIFY)
                    items.append((Post.from_dict(d["post"]), d["input"]))
                except (CodecError, RecordError) as exc:
                    await dead(out, event.message, "decode", exc)
            for (post, source_ref), violations in zip(items, rt.full_tagger.tag_batch([p for p, _ in items])):
                await send(out, topics.TAGGED, post.post_id, tagged(post, violations, source_ref, full_version))
            await delivered(out)

    async def accounts(stream: faust.StreamT) -> None:
        out: list = []
        async for batch in stream.take_events(BATCH, within=WITHIN):
            for event in batch:
                msg = event.message
                if msg.value is None:  # compaction tombstone: account deleted upstream
                    continue
                try:
                    account = Account.from_dict(decode(msg, topics.ACCOUNTS))
                except (CodecError, RecordError) as exc:
                    await dead(out, msg, "decode", exc)
                    continue
                await with_retry("registry.put_account", rt.registry.put_account, account)
            await delivered(out)

    async def patches(stream: faust.StreamT) -> None:
        """Partial profile updates: merged into the stored snapshot, which goes back out in full,
        so the compacted account-updates.v1 only ever holds full snapshots."""
        out: list = []
        async for batch in stream.take_events(BATCH, within=WITHIN):
            for event in batch:
                msg = event.message
                try:
                    value = decode(msg, topics.PATCHES)
                    update = AccountUpdate(Account.from_dict(value), frozenset(value.get("known_fields") or ACCOUNT_FIELDS))
                except (CodecError, RecordError) as exc:
                    await dead(out, msg, "decode", exc)
                    continue
                # atomic in Redis: a full snapshot written meanwhile is merged into, never overwritten
                merged = await with_retry("registry.update_account", rt.registry.update_account,
                                          update.account.account_id, update.merge_into)
                await send(out, topics.ACCOUNTS, merged.account_id, merged.to_dict())
            await delivered(out)

    async def deletions(stream: faust.StreamT) -> None:
        """Posts deleted at the source: remembered, so one not yet decided needs no action."""
        out: list = []
        async for batch in stream.take_events(BATCH, within=WITHIN):
            ids = []
            for event in batch:
                try:
                    ids.append(decode(event.message, topics.DELETIONS)["post_id"])
                except (CodecError, RecordError) as exc:
                    await dead(out, event.message, "decode", exc)
            await with_retry("reports.mark_deleted", rt.reports.mark_deleted, ids)
            await delivered(out)

    async def decided_summary(post_id: str, path: str) -> dict[str, Any]:
        """The post's latest decision summary; until there is one, a dead letter to re-feed later."""
        summary = (await with_retry("reports.decided", rt.reports.decided, [post_id])).get(post_id)
        if summary is None:
            raise RecordError(path, f"no decision is recorded for post {post_id} yet; "
                                    "re-feed with `modstream dlq replay` once it is decided")
        return summary

    async def appeals(stream: faust.StreamT) -> None:
        """Appeals re-open a decision: into the queue, for a reviewer other than the one who decided."""
        out: list = []
        async for batch in stream.take_events(BATCH, within=WITHIN):
            for event in batch:
                msg = event.message
                try:
                    appeal = Appeal.from_dict(decode(msg, topics.APPEALS))
                    summary = await decided_summary(appeal.post_id, "appeal.post_id")
                    await with_retry("queue.add_appeal", rt.queue.add_appeal, appeal, summary)
                except (CodecError, RecordError, ReviewQueueError) as exc:
                    await dead(out, msg, "appeal", exc)
            await delivered(out)

    async def review(stream: faust.StreamT) -> None:
        """Apply human review decisions: the only way the public-interest notice is ever granted."""
        out: list = []
        async for batch in stream.take_events(BATCH, within=WITHIN):
            for event in batch:
                msg = event.message
                try:
                    decision, item, decision_by = await _reviewed(decode(msg, topics.REVIEWS))
                except (CodecError, RecordError, ReviewQueueError) as exc:
                    await dead(out, msg, "review", exc)
                    continue
                kind = KIND_APPEAL if item.kind == "appeal" else KIND_REVIEW
                for rec in decision_records(decision, [input_ref(msg)], rt.versions, kind, decision_by.reviewer_id):
                    await send(out, rec.topic, rec.key, rec.value)
                await delivered(out)
                await with_retry("queue.mark_decided", rt.queue.mark_decided, item.item_id, decision_by)
                if decision.route != AWAITING_SENIOR:
                    reviewers = tuple(r["reviewer_id"] for r in item.recommendations) + (decision_by.reviewer_id,)
                    summary = decision_summary(decision, decision_by.reviewer_id, reviewers)
                    await with_retry("reports.mark_decided", rt.reports.mark_decided, {decision.post_id: summary})
                log.info("review_applied", decision_id=decision.decision_id, route=decision.route,
                         actions=[a.type for a in decision.actions], reviewer=decision_by.reviewer_id)

    async def _reviewed(value: dict[str, Any]):
        review_decision = ReviewDecision.from_dict(value)
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

    async def legal(stream: faust.StreamT) -> None:
        """Country withholding for legal requests: applies whatever the route, exception included."""
        out: list = []
        async for batch in stream.take_events(BATCH, within=WITHIN):
            for event in batch:
                msg = event.message
                try:
                    request = LegalRequest.from_dict(decode(msg, topics.LEGAL))
                    summary = await decided_summary(request.post_id, "legal_request.post_id")
                    decision = withhold(request, request.post_id, summary["author_id"], rt.policy)
                except (CodecError, RecordError) as exc:
                    await dead(out, msg, "legal", exc)
                    continue
                for rec in decision_records(decision, [input_ref(msg)], rt.versions, KIND_LEGAL, LEGAL_BY):
                    await send(out, rec.topic, rec.key, rec.value)
            await delivered(out)

    agents = {"tag": (topics.POSTS, tag), "classify": (topics.CLASSIFY, classify),
              "accounts": (topics.ACCOUNTS, accounts),
              "patches": (topics.PATCHES, patches), "deletions": (topics.DELETIONS, deletions),
              "appeals": (topics.APPEALS, appeals),
              "review": (topics.REVIEWS, review), "legal": (topics.LEGAL, legal)}
    if rt.full_tagger is None:  # the hot path tags and routes in one hop
        agents.pop("tag")
        agents.pop("classify")
    for name in sorted(agents.keys() & set(roles)):
        spec, fn = agents[name]
        app.agent(channels[spec.name], name=name, concurrency=1)(fn)
