"""faust agents: decode -> evaluate (pure logic in agents/) -> apply -> send. Nothing else.

| agent    | reads                | writes                                                   |
|----------|----------------------|----------------------------------------------------------|
| tag      | posts.v1             | classify.v1, or violations.v1 when the classifier is off |
| classify | classify.v1          | violations.v1 (every post, with its violations)          |
| route    | violations.v1        | escalations, actions, notices, ncmec-reports, audit      |
| accounts | account-updates.v1   | Redis account registry                                   |
| patches  | account-patches.v1   | Redis registry (merged), account-updates.v1 (full)       |
| deletions| post-deletions.v1    | Redis: undecided deleted posts need no action            |
| reports  | reports.v1           | Redis report sets; notices to late reporters             |
| queue    | escalations.v1       | Redis review queue (public-interest reviews, cap holds)  |
| appeals  | appeals.v1           | Redis review queue (appeals, to a different reviewer)    |
| review   | review-decisions.v1  | actions, notices, audit (human decisions)                |
| legal    | legal-requests.v1    | withhold_in_country actions, notices, audit              |

Any record that cannot be decoded or processed goes to dead-letters.v1 with its original
bytes and the reason, and the agent goes on. Redis outages hold the partition and retry:
the route agent never decides without the registry (an official must not be routed as
ordinary for lack of data).
"""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable, TypeVar

import faust
import redis.exceptions
import structlog

from agents.caps import charges
from agents.enforcement import reporter_notices
from agents.legal import DECIDED_BY as LEGAL_BY
from agents.legal import KIND_LEGAL, withhold
from agents.records import Account, Appeal, Case, LegalRequest, Post, RecordError, Report, ReviewDecision, Violation
from agents.review import (AWAITING_SENIOR, KIND_APPEAL, KIND_REVIEW, PENDING_ROUTES, Appealed, decision_summary,
                           escalation_from_dict, review_appeal, review_escalation)
from agents.report_signals import rereview
from agents.router import route as route_decision
from streams import topics
from streams.app import Runtime
from streams.apply import decision_records, tagged_record
from streams.codec import CodecError
from streams.deadletter import dead_letter
from streams.formats.common import ACCOUNT_FIELDS, AccountUpdate
from streams.review_queue import ReviewQueueError
from streams.topics import TopicSpec

log = structlog.get_logger("modstream.agents")
T = TypeVar("T")

BATCH = 256  #: events per take_events batch: one Redis round trip and one log line per batch
WITHIN = 0.05  #: seconds to wait for a batch to fill


def input_ref(message: Any) -> dict[str, Any]:
    return {"topic": message.topic, "partition": message.partition, "offset": message.offset,
            "digest": hashlib.sha256(message.value or b"").hexdigest()}


async def with_retry(what: str, fn: Callable[..., Awaitable[T]], *args: Any) -> T:
    """Retry Redis calls with backoff until they succeed: hold the partition, never guess."""
    delay = 0.1
    while True:
        try:
            return await fn(*args)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            log.warning("redis_unavailable", op=what, retry_in_s=delay, error=type(exc).__name__)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)


#: agents a worker runs with `--role`; "all" runs every agent in one consumer group
_DECIDE = ("route", "accounts", "patches", "deletions", "reports", "queue", "appeals", "review", "legal")
ROLES = {"all": ("tag", "classify", *_DECIDE), "fast": ("tag", *_DECIDE), "classify": ("classify",)}


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
        error_type = getattr(exc, "error_type", None) or (
            "invalid_record" if isinstance(exc, RecordError) else type(exc).__name__)  # same name as ingest uses
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
    tag_output = topics.CLASSIFY if rt.full_tagger is not None else topics.TAGGED

    async def tag(stream: faust.StreamT) -> None:
        """Fast path: rules, PII and hash banks, per post."""
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
                await send(out, tag_output, post.post_id, record)
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

    async def route(stream: faust.StreamT) -> None:
        out: list = []
        async for batch in stream.take_events(BATCH, within=WITHIN):
            items = []
            for event in batch:
                try:
                    d = decode(event.message, topics.TAGGED)
                    post = Post.from_dict(d["post"])
                    violations = tuple(Violation.from_dict(v) for v in d["violations"])
                    items.append((event.message, d["input"], post, violations))
                except (CodecError, RecordError) as exc:
                    await dead(out, event.message, "decode", exc)
            if not items:
                await delivered(out)
                continue
            ids = [i for _, _, p, _ in items for i in (p.author_id, *p.mentions)]
            views = await with_retry("registry.lookup", rt.registry.lookup, ids)
            post_ids = [p.post_id for _, _, p, _ in items]
            reports = await with_retry("reports.for_posts", rt.reports.for_posts, post_ids)
            deleted = await with_retry("reports.deleted", rt.reports.deleted, post_ids)
            registry = {i: v.designations for i, v in views.items()}
            day = datetime.now(timezone.utc).date().isoformat()
            counts = await with_retry("caps.today", rt.counters.today, sorted(rt.policy.daily_caps), day)
            charged: dict[str, int] = {}
            summaries = {}
            for msg, source_ref, post, violations in items:
                with structlog.contextvars.bound_contextvars(topic=msg.topic, partition=msg.partition,
                                                             offset=msg.offset, key=post.post_id):
                    try:
                        case = Case(post, views[post.author_id].account,
                                    tuple(views[m].account for m in post.mentions if views[m].account),
                                    reports[post.post_id], deleted=post.post_id in deleted)
                        decision = route_decision(case, violations, registry, rt.policy, counts)
                        records = decision_records(decision, [source_ref, input_ref(msg)], rt.versions)
                    except Exception as exc:
                        log.exception("route_failed")
                        await dead(out, msg, "route", exc)
                        continue
                    for rec in records:
                        await send(out, rec.topic, rec.key, rec.value)
                    for action_type, n in charges(decision, rt.policy).items():
                        counts[action_type] = counts.get(action_type, 0) + n
                        charged[action_type] = charged.get(action_type, 0) + n
                    # with the text and time, so a post that reports raise later can be re-reviewed
                    summaries[post.post_id] = {**decision_summary(decision), "post_text": post.text,
                                               "created_at": post.created_at}
                    if decision.route != "no_action":
                        log.info("decision", decision_id=decision.decision_id, route=decision.route,
                                 recommendation=decision.recommendation,
                                 actions=[a.type for a in decision.actions], notices=len(decision.notices))
            await delivered(out)
            await with_retry("reports.mark_decided", rt.reports.mark_decided, summaries)
            await with_retry("caps.add", rt.counters.add, charged, day)

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
                rt.registry.forget(update.account.account_id)
                views = await with_retry("registry.lookup", rt.registry.lookup, [update.account.account_id])
                merged = update.merge_into(views[update.account.account_id].account)
                await with_retry("registry.put_account", rt.registry.put_account, merged)
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

    async def reports_agent(stream: faust.StreamT) -> None:
        out: list = []
        async for batch in stream.take_events(BATCH, within=WITHIN):
            for event in batch:
                msg = event.message
                try:
                    report = Report.from_dict(decode(msg, topics.REPORTS))
                except (CodecError, RecordError) as exc:
                    await dead(out, msg, "decode", exc)
                    continue
                new, recent = await with_retry("reports.add", rt.reports.add, report, s.report_window_seconds)
                if not new:
                    continue  # the same reporter again: counted once
                summary = await with_retry("reports.decided", rt.reports.decided, report.post_id)
                if summary is None:
                    continue  # not decided yet: the route agent will see this report
                if summary["route"] not in PENDING_ROUTES:  # pending: they hear when a human decides
                    for notice in reporter_notices(summary["decision_id"], (report,), tuple(summary["actions"]),
                                                   frozenset(summary["found"]), rt.policy):
                        await send(out, topics.NOTICES, report.post_id, notice.to_dict())
                reports = (await with_retry("reports.for_posts", rt.reports.for_posts, [report.post_id]))[report.post_id]
                escalation = rereview(summary, reports, recent, threshold=s.report_review_threshold,
                                      window_seconds=s.report_window_seconds, policy_version=rt.policy.version)
                if escalation is not None:
                    log.info("raised_by_reports", post_id=report.post_id, reporters=recent)
                    await send(out, topics.ESCALATIONS, report.post_id, escalation.to_dict())
            await delivered(out)

    async def queue(stream: faust.StreamT) -> None:
        """Escalations (public-interest reviews, daily-cap holds) into the review queue."""
        out: list = []
        async for batch in stream.take_events(BATCH, within=WITHIN):
            for event in batch:
                try:
                    escalation = decode(event.message, topics.ESCALATIONS)
                except (CodecError, RecordError) as exc:
                    await dead(out, event.message, "decode", exc)
                    continue
                await with_retry("queue.add", rt.queue.add_escalation, escalation, escalation.get("post_text"))
            await delivered(out)

    async def decided_summary(post_id: str, path: str) -> dict[str, Any]:
        """The post's latest decision summary; until there is one, a dead letter to re-feed later."""
        summary = await with_retry("reports.decided", rt.reports.decided, post_id)
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

    agents = {"tag": (topics.POSTS, tag), "classify": (topics.CLASSIFY, classify), "route": (topics.TAGGED, route),
              "accounts": (topics.ACCOUNTS, accounts), "reports": (topics.REPORTS, reports_agent),
              "patches": (topics.PATCHES, patches), "deletions": (topics.DELETIONS, deletions),
              "queue": (topics.ESCALATIONS, queue), "appeals": (topics.APPEALS, appeals),
              "review": (topics.REVIEWS, review), "legal": (topics.LEGAL, legal)}
    if rt.full_tagger is None:
        agents.pop("classify")
    for name in sorted(agents.keys() & set(roles)):
        spec, fn = agents[name]
        app.agent(channels[spec.name], name=name, concurrency=1)(fn)
    if "accounts" not in roles:
        return

    @app.task
    async def load_registry_seed() -> None:
        """Load the shipped registry seed into Redis (idempotent), so officials are known from the start."""
        from streams.registry_import import load_seed

        if s.registry_seed.exists():
            count = await with_retry("registry.seed", rt.registry.put_designations, load_seed(s.registry_seed))
            log.info("registry_seed_loaded", accounts=count, seed=str(s.registry_seed.name))
