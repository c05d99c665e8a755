"""The hot path: posts to decisions, reports and escalations, as one confluent-kafka batch loop.

Why not faust agents: at firehose rates faust's per-event machinery cost more than the
moderation itself (issue 8's profiles). This loop takes up to `BATCH` records, reads the
Redis state for all of them in a few round trips, files the batch's reports, tags and
routes its posts (pure logic in agents/), queues its escalations, hands every output to
the producer, waits for the broker's acks, and only then commits the batch's offsets. A
crash anywhere redelivers the batch; decisions and their ids come out the same, and
consumers drop repeats by action_id / notice_id.

Posts come from posts.v1 and are tagged here, the whole batch at once: rules, hash banks
and, unless MODSTREAM_CLASSIFIER=false, the learned classifier in-process (one numpy pass
per batch), then routed. No faust hop and no violations.v1 round trip: the audit record
carries every post's violations, and its inputs name the post read.

Runs in a process of its own (`serve`), with its own consumer group (`group_id`); faust
agents handle the low-rate topics (accounts, appeals, reviews, legal) beside it.

Policy: the file `Settings.policy_file`, recorded on policy-versions.v1 at start. SIGHUP
re-reads it between batches, so every batch is decided under one version; the switch (or
the refusal of a broken file, which keeps the old version) is logged.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import threading
import time
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable, TypeVar

import structlog
from confluent_kafka import (TIMESTAMP_NOT_AVAILABLE, Consumer, KafkaError, KafkaException, Message, Producer,
                             TopicPartition)

from agents.caps import charges
from agents.records import Post, RecordError, Report
from agents.report_signals import distinct_in_window, rereview
from agents.review import decision_summary, escalation_from_dict, late_report_notices
from streams.infra import liveness, metrics, topics
from streams.engine.runtime import Runtime
from streams.engine.apply import decision_records, input_ref
from streams.engine.budget import budget, resident
from streams.engine.engine import Engine, Input, Rejected
from streams.engine.redis_context import RedisPort
from streams.infra.codec import CodecError
from streams.infra.config import Settings
from streams.engine.deadletter import dead_letter, error_type_of
from streams.infra.retry import with_retry
from streams.infra.topics import MAX_MESSAGE_BYTES, TOPIC_MAX_BYTES, TopicSpec

log = structlog.get_logger("modstream.hotpath")
T = TypeVar("T")
R = TypeVar("R")

BATCH = 1000  #: records per batch: a few Redis round trips, one flush and one commit each
WAIT = 0.05  #: seconds to wait for a batch to fill when none is waiting: bounds the latency added at low rates
FLUSH_WAIT = 5.0  #: seconds per wait for the broker's acks: a longer wait is logged, never silent
RESENDS = 3  #: times outputs whose delivery failed are produced again before the batch fails
#: the cyclic GC's first threshold: a batch allocates some 10^5 objects, nearly none in cycles. At the
#: default 700 the collector ran ~40 times a 1,000-post batch and took ~10% of the tagging and routing
#: CPU; at 20,000 (with the freeze of start-up's objects in `run`) ~1.7 times a batch, ~10-20 us a post.
#: A 1,000-post batch holds at most ~22,000-30,000 young containers and leaves ~0 behind when dropped,
#: so at this threshold the collector runs only when garbage in cycles really accumulates
GC_THRESHOLD = 100_000


def group_id(settings: Settings) -> str:
    """Named before `--role decide` became `--role hotpath`; renaming it would drop committed offsets."""
    return f"{settings.app_id}-decide"


def input_topics(settings: Settings) -> tuple[TopicSpec, ...]:
    """Everything the hot path consumes: the posts, and the other firehose-rate inputs."""
    return topics.POSTS, topics.REPORTS, topics.ESCALATIONS


class ProduceError(Exception):
    """An output the producer refused (too big, or any librdkafka error at produce time): the input
    it came from becomes a dead letter instead of stopping the loop."""

    error_type = "produce_failed"


class StateError(Exception):
    """Stored state for this record could not be read (e.g. a corrupt value in Redis)."""

    error_type = "unreadable_state"


def _broker_time(msg: Message) -> float | None:
    """The record's broker timestamp in epoch seconds: times in it may not be a day ahead of this."""
    kind, ms = msg.timestamp()
    return ms / 1000 if kind != TIMESTAMP_NOT_AVAILABLE else None


def _where(msg: Message, key: str) -> dict[str, Any]:
    return {"topic": msg.topic(), "partition": msg.partition(), "offset": msg.offset(), "key": key}


def run(settings: Settings, stop: threading.Event, restart: Callable[[str], None] | None = None,
        reload: threading.Event | None = None) -> None:
    """The decide loop, until `stop` is set. Its watchdog calls `restart` when the loop is stuck.
    `reload` set (SIGHUP): read the policy file again before the next batch, so every batch is
    decided under one policy version."""
    s = settings
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    rt = Runtime.build(s)  # its own Redis client, bound to this loop
    rt.publish_policy()  # recorded before any decision carries its version
    log.info("policy_loaded", version=rt.policy.version, source=s.policy_file.name)
    batch = _Batch(s, rt, loop.run_until_complete)
    batch.wait(rt.load_registry_seed())  # officials are known before the first decision
    gc.freeze()  # start-up's objects (modules, schemas, rules) are never garbage: full collections skip them
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    if threading.current_thread() is threading.main_thread():
        resident()  # this process owns SIGALRM: budgets only set and clear the timer
    port = s.metrics_port + 1 if s.metrics_port > 0 else s.metrics_port  # beside its worker's
    watch = liveness.watch(s, "hotpath", group_id(s), port, restart or liveness.reexec)
    consumer = Consumer({**s.kafka_config(), "group.id": group_id(s), "client.id": watch.client_id, "enable.auto.commit": False,
                         "auto.offset.reset": "earliest",
                         "session.timeout.ms": int(s.hotpath_session_seconds * 1000),
                         "heartbeat.interval.ms": 3000, "fetch.wait.max.ms": 20,
                         "max.partition.fetch.bytes": TOPIC_MAX_BYTES, "on_commit": _committed})
    names = [s.topic(spec) for spec in input_topics(s)]
    consumer.subscribe(names)
    log.info("hot_path_started", topics=names, group=group_id(s), batch=BATCH)
    try:
        while not stop.is_set():
            if reload is not None and reload.is_set():
                reload.clear()
                rt.reload_logged()
            msgs = _next_batch(consumer)
            if msgs:
                _commit(consumer, batch.process(msgs))
    finally:
        watch.close()
        consumer.close()
        batch.producer.flush(30)
        loop.run_until_complete(rt.registry.client.aclose())
        loop.close()


def serve(settings: Settings, restart: Callable[[str], None] | None = None) -> None:
    """Run the hot path in this process until SIGTERM/SIGINT: `modstream worker --role hotpath`,
    or the child process a worker starts for it (a process of its own: sharing the faust
    worker's interpreter, it lost a third of its speed to the GIL)."""
    stop, reload = threading.Event(), threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    signal.signal(signal.SIGHUP, lambda *_: reload.set())
    run(settings, stop, restart, reload)


def _next_batch(consumer: Consumer) -> list[Message]:
    """What arrived while the last batch was decided, at once; only when nothing did, wait up to WAIT.
    `consume` returns early only when BATCH records are there: waiting WAIT each time, at half load
    a batch cycle was 2 x (WAIT + its fixed cost) and p50 ~190 ms / p99 ~590 ms end to end. Taken at
    once, a batch is what came during the last one: small at low rates, up to BATCH under load."""
    return consumer.consume(BATCH, 0) or consumer.consume(BATCH, WAIT)


def _commit(consumer: Consumer, offsets: list[TopicPartition]) -> None:
    """Commit a delivered batch, without waiting for the broker's answer (`_committed` hears it while
    the next batch is consumed): only offsets whose outputs are all acked are ever committed, so a
    commit lost or refused (mid-rebalance) is not an error either: the batch comes again to the
    partition's next owner, which decides it the same (idempotent ids). Waiting cost every batch a
    round trip to the group coordinator."""
    if not offsets:
        return
    try:
        consumer.commit(offsets=offsets, asynchronous=True)
    except KafkaException as exc:  # refused at once (e.g. no coordinator known)
        _commit_failed(str(exc.args[0]), len(offsets))


def _committed(err: KafkaError | None, partitions: list[TopicPartition]) -> None:
    """The broker's answer to an asynchronous commit (served by `consume`)."""
    failed = [tp for tp in partitions if tp.error is not None]
    if err is not None or failed:
        _commit_failed(str(err if err is not None else failed[0].error), len(failed) or len(partitions))


def _commit_failed(error: str, partitions: int) -> None:
    metrics.KAFKA_ERRORS.labels("commit").inc()
    log.warning("commit_failed", error=error, partitions=partitions)


class _Batch:
    """Decides one consumed batch and delivers its outputs."""

    def __init__(self, settings: Settings, rt: Runtime, wait: Callable[[Awaitable[T]], T]):
        self.s, self.rt, self.wait = settings, rt, wait
        self.failed: list[tuple[KafkaError, Message]] = []  #: deliveries that failed, with what to re-send
        self.versions: dict[str, str] = {}  #: the audit's versions, fixed per batch
        self.raising: list[str] = []  #: report-raised escalations emitted this batch, flagged once delivered
        self.producer = Producer({
            **settings.kafka_config(), "linger.ms": 5, "compression.type": "lz4", "acks": "all",
            "enable.idempotence": True, "partitioner": "murmur2_random",  # same partitions as faust and ingest
            "message.max.bytes": MAX_MESSAGE_BYTES,
            "delivery.report.only.error": True, "on_delivery": self._delivered})

    def _delivered(self, err: KafkaError | None, msg: Message) -> None:
        if err is not None:
            metrics.KAFKA_ERRORS.labels("produce").inc()
            self.failed.append((err, msg))

    def emit(self, spec: TopicSpec, key: str, record: dict[str, Any]) -> None:
        self.send(spec, key, self.rt.codec.encode(spec.schema, record))

    def send(self, spec: TopicSpec, key: str, value: bytes) -> None:
        """Queue one record; ProduceError when the producer refuses it (the caller dead-letters the input)."""
        if len(value) > MAX_MESSAGE_BYTES:
            raise ProduceError(f"a {spec.name} output of {len(value):,} bytes is over the {MAX_MESSAGE_BYTES:,}-byte "
                               "record limit")
        try:
            self._produce(self.s.topic(spec), value, key.encode())
        except KafkaException as exc:
            raise ProduceError(f"the producer refused a {spec.name} output: {exc.args[0]}") from exc

    def _produce(self, topic: str, value: bytes, key: bytes | None) -> None:
        while True:
            try:
                self.producer.produce(topic, value, key)
                return
            except BufferError:  # local queue full: let deliveries drain
                self.producer.poll(0.05)

    def process(self, msgs: list[Message]) -> list[TopicPartition]:
        """Handle every record, deliver every output, return the offsets to commit.
        Reports go first, so a post decided in the same batch sees them."""
        rt, started = self.rt, time.monotonic()
        self.wait(with_retry("banks.refresh", rt.refresh_banks))
        self.versions = rt.versions  # fixed for the batch: banks change only at the refresh above
        by_topic: dict[str, list[Message]] = {}
        offsets: dict[tuple[str, int], int] = {}
        for msg in msgs:
            err = msg.error()
            if err is not None:
                if err.fatal():
                    raise KafkaException(err)
                metrics.KAFKA_ERRORS.labels("consume").inc()
                log.warning("consume_error", error=str(err))
                continue
            offsets[(msg.topic(), msg.partition())] = msg.offset() + 1
            by_topic.setdefault(msg.topic(), []).append(msg)

        def of(spec: TopicSpec) -> list[Message]:
            return by_topic.get(self.s.topic(spec), [])

        reports = self._each(of(topics.REPORTS), lambda m: (m, Report.from_dict(self._value(m, topics.REPORTS), now=_broker_time(m))),
                             "report")
        if reports:
            self._reports(reports)
        posts = self._each(of(topics.POSTS), lambda m: (m, Post.from_dict(self._value(m, topics.POSTS),
                                                                          now=_broker_time(m))), "decode")
        if posts:
            self._route(posts)
        escalations = self._each(of(topics.ESCALATIONS), self._escalation, "queue")
        if escalations:
            self._state("queue.add", lambda es: with_retry("queue.add", rt.queue.add_escalations, [v for _, v in es]),
                        escalations, lambda e: e[0])
        self.deliver()
        if self.raising:
            self.wait(with_retry("reports.raise_once", rt.reports.raise_once, self.raising))
            self.raising = []
        metrics.BATCH_SIZE.observe(len(msgs))
        metrics.BATCH_SECONDS.observe(time.monotonic() - started)
        return [TopicPartition(t, p, o) for (t, p), o in offsets.items()]

    def _value(self, msg: Message, spec: TopicSpec) -> dict[str, Any]:
        return self.rt.codec.decode_input(msg.value(), spec.schema)

    def _escalation(self, msg: Message) -> tuple[Message, dict[str, Any]]:
        value = self._value(msg, topics.ESCALATIONS)
        escalation_from_dict(value)  # the queue files it as it is: check it reads first
        return msg, value

    def _each(self, items: list[Any], read: Callable[[Any], T], stage: str,
              msg_of: Callable[[Any], Message] = lambda m: m) -> list[T]:
        """`read` of each item (a message, or what holds one), within the per-record time budget; a
        record that fails becomes a dead letter (a bug in `stage`, e.g. a detector's, must not stop
        the stream)."""
        out = []
        for item in items:
            try:
                with budget(self.s.record_budget_seconds, stage):
                    out.append(read(item))
            except (CodecError, RecordError) as exc:
                self.dead(msg_of(item), "decode", exc)
            except Exception as exc:
                log.exception(f"{stage}_failed", **_where(msg_of(item), ""))
                self.dead(msg_of(item), stage, exc)
        return out

    def _state(self, what: str, call: Callable[[list[T]], Awaitable[R]], items: list[T],
               msg_of: Callable[[T], Message]) -> tuple[list[T], R | None]:
        """`call(items)`: the batch's Redis round trip. When it fails on bad stored state (a value
        that does not parse; outages are held and retried by with_retry), only the records it
        belongs to fail: the items are tried one by one, those that fail become dead letters,
        and the rest go on. Returns (the items kept, call's result for them)."""
        try:
            return items, self.wait(call(items))
        except Exception as exc:
            log.warning("state_unreadable", op=what, items=len(items), error_type=type(exc).__name__)
        kept = []
        for item in items:
            try:
                self.wait(call([item]))
            except Exception as exc:
                self.dead(msg_of(item), "state", StateError(f"{what}: the stored state for this record cannot be "
                                                            f"read ({type(exc).__name__}: {str(exc)[:200]})"))
                continue
            kept.append(item)
        return kept, (self.wait(call(kept)) if kept else None)

    def deliver(self) -> None:
        """Return once the broker has acked every output; only then may the batch be committed.

        Waits in steps of FLUSH_WAIT, logging what is still unacked (a broker that is away shows
        in the log, and the watchdog sees no progress). Outputs whose delivery failed after
        librdkafka's own retries (e.g. message.timeout.ms ran out while the broker was down) are
        produced again, up to RESENDS times; then, or on a fatal error, KafkaException fails the
        batch: nothing is committed and it comes again (idempotent ids)."""
        for attempt in range(RESENDS + 1):
            waited = 0.0
            while (left := self.producer.flush(FLUSH_WAIT)) > 0:
                waited += FLUSH_WAIT
                log.warning("delivery_waiting", unacked=left, waited_s=waited, attempt=attempt)
            if not self.failed:
                return
            failed, self.failed = self.failed, []
            err = failed[0][0]
            if err.fatal() or attempt == RESENDS:
                raise KafkaException(err)
            log.warning("delivery_failed_resending", outputs=len(failed), error=str(err), attempt=attempt + 1)
            for _, msg in failed:
                self._produce(msg.topic(), msg.value(), msg.key())

    def _route(self, posts: list[tuple[Message, Post]]) -> None:
        """Decide the batch's posts with the engine (state from Redis, caps reserved there), send
        every decision's outputs, then record the decisions and raise re-reviews reports call for."""
        rt = self.rt
        started = time.monotonic()
        port = RedisPort(rt, self.wait)
        posts, context = self._state("route.state", lambda some: port.fetch([p for _, p in some]), posts, lambda i: i[0])
        if not posts:
            return
        day = datetime.now(timezone.utc).date().isoformat()
        inputs = [Input(post, input_ref(m.topic(), m.partition(), m.offset(), m.value()), day) for m, post in posts]
        outcomes = Engine(rt.policy, rt.tagger, self.s.record_budget_seconds).decide_batch(inputs, context)
        decisions = []
        for (msg, post), item, outcome in zip(posts, inputs, outcomes):
            if isinstance(outcome, Rejected):
                self.dead(msg, outcome.stage, outcome.error)
            else:
                decisions.append((msg, post, item.ref, outcome))
        charged: dict[str, int] = {}
        routes: dict[str, int] = {}
        summaries = {}
        debug = logging.getLogger("modstream.hotpath").isEnabledFor(logging.DEBUG)
        for msg, post, ref, decision in decisions:
            try:
                records = decision_records(decision, [ref], self.versions)
                encoded = [(r.topic, r.key, rt.codec.encode(r.topic.schema, r.value)) for r in records]
                too_big = [f"{spec.name} ({len(value):,} bytes)" for spec, _, value in encoded if len(value) > MAX_MESSAGE_BYTES]
                if too_big:  # checked before any is sent: a decision goes out whole or not at all
                    raise ProduceError(f"outputs over the {MAX_MESSAGE_BYTES:,}-byte record limit: {', '.join(too_big)}")
                for spec, key, value in encoded:
                    self.send(spec, key, value)
            except Exception as exc:
                log.exception("route_failed", **_where(msg, post.post_id))
                self.dead(msg, "route", exc)
                continue
            metrics.latency(msg.timestamp())
            for action_type, n in charges(decision, rt.policy).items():
                charged[action_type] = charged.get(action_type, 0) + n
            # with the text and time, so a post that reports raise later can be re-reviewed
            summaries[post.post_id] = {**decision_summary(decision), "post_text": post.text,
                                       "created_at": post.created_at}
            routes[decision.route] = routes.get(decision.route, 0) + 1
            if debug and decision.route != "no_action":  # per post only at DEBUG: audit.v1 is the record
                log.debug("decision", **_where(msg, post.post_id), decision_id=decision.decision_id,
                          route=decision.route, recommendation=decision.recommendation,
                          actions=[a.type for a in decision.actions], notices=len(decision.notices))
        self.deliver()  # outputs on the broker before the state that says they were decided
        written = self.wait(with_retry("decisions.mark_decided", rt.decisions.mark_decided, summaries))
        # reports that came before the decision count too: raise the post if they are enough
        reports = context.reports
        self._raise([(summaries[p], reports[p], distinct_in_window(reports[p], self.rt.policy.report_window_seconds))
                     for p, ok in written.items() if ok and reports.get(p)])
        first, last = posts[0][0], posts[-1][0]
        log.info("batch_decided", topic=first.topic(), partition=first.partition(), offset=first.offset(),
                 last=(last.partition(), last.offset()), posts=len(posts), routes=routes, charged=charged,
                 took_ms=round((time.monotonic() - started) * 1000, 1))

    def _raise(self, candidates: list[tuple[dict[str, Any], tuple[Report, ...], int]]) -> None:
        """Emit the report-raised re-reviews due (count at or above the threshold), once per decision:
        flagged in Redis only after delivery (`process`), so a crash re-emits the same id instead of none."""
        policy = self.rt.policy
        due = {}
        for summary, stored, count in candidates:
            escalation = rereview(summary, stored, count, threshold=policy.report_review_threshold,
                                  window_seconds=policy.report_window_seconds, policy_version=policy.version)
            if escalation is not None:
                due.setdefault(escalation.escalation_id, (escalation, count))
        if not due:
            return
        raised = self.wait(with_retry("reports.raised", self.rt.reports.raised, sorted(due)))
        for escalation_id, (escalation, count) in due.items():
            if escalation_id not in raised and escalation_id not in self.raising:
                log.info("raised_by_reports", post_id=escalation.post_id, reporters=count)
                self.emit(topics.ESCALATIONS, escalation.post_id, escalation.to_dict())
                self.raising.append(escalation_id)

    def _reports(self, reports: list[tuple[Message, Report]]) -> None:
        """Reports into Redis; late reporters hear the decision; enough reporters raise a re-review."""
        rt = self.rt
        added = self.wait(with_retry("reports.add", rt.reports.add, [r for _, r in reports],
                                     rt.policy.report_window_seconds))
        fresh = [(m, r, recent) for (m, r), (new, recent) in zip(reports, added) if new]  # a reporter again counts once

        async def state(some: list[tuple[Message, Report, int]]):
            summaries = await with_retry("decisions.decided", rt.decisions.decided, sorted({r.post_id for _, r, _ in some}))
            late = sorted({r.post_id for _, r, _ in some if r.post_id in summaries})  # undecided: _route will see them
            return summaries, await with_retry("reports.for_posts", rt.reports.for_posts, late)

        fresh, got = self._state("reports.state", state, fresh, lambda f: f[0])
        if not fresh:
            return
        summaries, stored = got
        late = [(m, r, recent) for m, r, recent in fresh if r.post_id in summaries]
        for msg, report, _ in late:
            summary = summaries[report.post_id]
            try:
                for notice in late_report_notices(summary, report, rt.policy):
                    self.emit(topics.NOTICES, report.post_id, notice.to_dict())
            except Exception as exc:
                log.exception("report_failed", **_where(msg, report.post_id))
                self.dead(msg, "report", exc)
        self._raise([(summaries[r.post_id], stored[r.post_id], recent) for _, r, recent in late])

    def dead(self, msg: Message, stage: str, exc: Exception) -> None:
        error_type = error_type_of(exc)
        log.warning("dead_letter", **_where(msg, ""), stage=stage, error_type=error_type, reason=str(exc)[:300])
        self.emit(topics.DEAD_LETTERS, msg.topic(), dead_letter(
            msg.value() or b"", key=msg.key(), source=msg.topic(), partition=msg.partition(), offset=msg.offset(),
            stage=stage, reason=str(exc), error_type=error_type))
