"""Is this process's consumer alive? One tracker that /readyz reports and the watchdog acts on.

Why a probe of its own: a stuck consumer cannot be asked whether it is stuck (issue 14: after
a broker restart faust's consumer went silent for good, logging nothing). So a thread with its
own admin client asks the broker what the group says about this process: is its member in the
group, which partitions it owns, the group's committed offsets and the partitions' end
offsets. Progress is a committed offset moving (or nothing left to read). The member is found
by its client id, unique per process (`client_id`).

The watchdog restarts a consumer that is out of its group, or makes no progress while lag > 0,
for `watchdog_seconds`; not while the broker or Redis is down (a restart cannot help then: the
hot path holds its partitions until Redis answers, on purpose). A probe that fails is not "don't
know" for ever: the watchdog then reads the group's committed and end offsets through a
consumer of its own (the admin client's group requests went unanswered for a minute after a
broker restart), and when that fails too while the broker answers a metadata request, the
clocks run on from the last sample: lag then and no progress since, for the watchdog time, is
a restart (a process whose Kafka clients are wedged), not "don't know". A member with no partitions assigned is judged by its
group's committed offsets and their lag: a group stuck in a rebalance has no assignment to lag
on, and looked idle before.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable

import structlog

log = structlog.get_logger("modstream.liveness")

TP = tuple[str, int]


def client_id(role: str) -> str:
    """A Kafka client id that names this process alone, so the probe finds its group member."""
    return f"modstream-{role}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class GroupSample:
    """What the broker says about one member of a group, at one time."""

    in_group: bool
    assigned: frozenset[TP]
    committed: dict[TP, int]  #: next offset to read, as committed by the group; -1 when none yet
    ends: dict[TP, int]  #: the partitions' end offsets

    @property
    def lag(self) -> dict[TP, int]:
        return {tp: max(0, end - max(self.committed.get(tp, -1), 0)) for tp, end in self.ends.items()}


@dataclass
class Liveness:
    """The last known state of one consumer, updated by `observe` (the probe thread)."""

    group: str
    client_id: str
    ready_seconds: float  #: /readyz: last progress within this while lag > 0
    watchdog_seconds: float  #: the watchdog: restart after this long stuck
    clock: Callable[[], float] = time.monotonic
    sample: GroupSample | None = None
    reachable: bool = False  #: the broker answered the last probe, or (probe failed) a fresh client's metadata request
    last_progress: float = field(default=0.0)
    out_since: float | None = None
    failing_since: float | None = None  #: the probe fails while the broker answers, since then
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.last_progress = self.clock()
        self.out_since = self.clock()  # not in the group until the broker says so

    def observe(self, sample: GroupSample | None, broker_answers: bool = False) -> None:
        """Record a probe: None when it failed; then `broker_answers` says whether the broker
        answered a metadata request. If it did, the probe is failing, not the broker: the clocks
        run on from the last sample (lag seen then and no progress since is a stall; a probe
        that never answered knows nothing, and is treated like an outage)."""
        now = self.clock()
        with self._lock:
            self.reachable = sample is not None or broker_answers
            if sample is None and broker_answers and self.sample is not None:  # known before: the clocks run on
                self.failing_since = self.failing_since if self.failing_since is not None else now
                return
            self.failing_since = None
            if sample is None:  # an outage is nobody's lack of progress: the clocks start again once it ends
                self.last_progress = now
                self.out_since = now if self.out_since is not None else None
                return
            before = self.sample
            moved = before is None or sample.assigned != before.assigned or any(
                off != before.committed.get(tp) for tp, off in sample.committed.items())
            if moved or not sum(sample.lag.values()):
                self.last_progress = now
            if sample.in_group:
                self.out_since = None
            elif self.out_since is None:
                self.out_since = now
            self.sample = sample

    def total_lag(self) -> int:
        return sum(self.sample.lag.values()) if self.sample else 0

    def idle_seconds(self) -> float:
        """Seconds since the last progress (0 when nothing is waiting to be read)."""
        return 0.0 if not self.total_lag() else self.clock() - self.last_progress

    def _stuck(self, limit: float) -> str | None:
        if self.out_since is not None and self.clock() - self.out_since > limit:
            return f"out of consumer group {self.group} for {self.clock() - self.out_since:.0f}s"
        if self.idle_seconds() > limit:
            return f"no progress for {self.idle_seconds():.0f}s while lag is {self.total_lag()}"
        return None

    def unready(self, redis_ok: bool) -> list[str]:
        """Why /readyz says no: empty when ready."""
        with self._lock:
            why = []
            if not self.reachable:
                why.append("kafka does not answer the group probe")
            elif self.failing_since is not None:
                why.append(f"the group probe has failed for {self.clock() - self.failing_since:.0f}s")
            if self.sample is None or not self.sample.in_group:
                why.append(f"not a member of consumer group {self.group}")
            elif not self.sample.assigned:
                why.append("no partitions assigned")
            if not redis_ok:
                why.append("redis does not answer")
            if self.sample is not None and self.idle_seconds() > self.ready_seconds:
                why.append(f"no progress for {self.idle_seconds():.0f}s while lag is {self.total_lag()}")
            return why

    def stuck(self) -> str | None:
        """Why the watchdog should restart the consumer, or None. Never while the broker is down."""
        with self._lock:
            return self._stuck(self.watchdog_seconds) if self.reachable else None


#: librdkafka 2.16 aborts the whole process (assertion `eonce->refcnt > 0` in
#: rd_kafka_enq_once_del_source_return) when a group admin request times out while its coordinator is
#: being looked up: a coordinator broker killed -9 did that (tests/integration/test_cluster_chaos.py).
#: So the requests' own timeout is long, and the probe waits only its `timeout` for the answers.
ADMIN_REQUEST_TIMEOUT = 300.0


def end_offsets(ends, tps, timeout: float, known: dict[TP, int]) -> dict[TP, int]:
    """The end offsets of `tps`, asked through `ends` one partition at a time. When one does not
    answer (its leader is moving: a broker stopped or just restarted), it and the rest keep their
    `known` end (else their committed offset, `tps`' value): the sample still carries the committed
    offsets, so a consumer that commits is seen progressing. Throwing the whole sample away made a
    healthy hot path look stuck during a rolling broker restart (its probes failed 30 s on end
    offsets alone while it committed batch after batch) and the watchdog restarted it (cluster chaos).
    After the first failure the rest are not asked: one timeout per probe, not one per partition."""
    from confluent_kafka import KafkaException, TopicPartition

    out: dict[TP, int] = {}
    failed = None
    for tp, committed in tps.items():
        if failed is None:
            try:
                out[tp] = ends.get_watermark_offsets(TopicPartition(*tp), timeout=timeout, cached=False)[1]
                continue
            except KafkaException as exc:
                failed = exc
        out[tp] = max(known.get(tp, 0), committed)
    if failed is not None:
        log.warning("end_offsets_unreadable", error=str(failed.args[0])[:200], partitions=len(tps),
                    last_known=sum(tp in known for tp in tps))
    return out


def probe_group(admin, ends, group: str, client: str, timeout: float = 10.0,
                pending: list | None = None, known: dict[TP, int] | None = None) -> GroupSample | None:
    """Ask the broker about `client`'s membership of `group` and its committed offsets (`admin`),
    and the partitions' end offsets (`ends`, a Consumer that never joins the group: the admin
    client's ListOffsets answered FENCED_LEADER_EPOCH for over a minute after a broker restart,
    on stale leader epochs, while a consumer's watermark query had them right at once).

    End offsets that cannot be read keep their `known` values (`end_offsets`).

    `pending` keeps the requests not answered within `timeout`: while one of them still is, no
    new one is sent, so requests for a dead coordinator do not pile up (one set every interval,
    each waiting ADMIN_REQUEST_TIMEOUT). It did not stop librdkafka reconnecting to a stopped
    broker thousands of times a second (the cluster chaos' rolling restart, with one probe
    pending): that is still open (README, Operations)."""
    from concurrent.futures import TimeoutError as Pending

    from confluent_kafka import ConsumerGroupTopicPartitions, KafkaException, TopicPartition

    waiting = pending if pending is not None else []
    waiting[:] = [f for f in waiting if not f.done()]
    if waiting:
        log.warning("group_probe_failed", group=group, error="the previous probe is still unanswered")
        return None
    wait = ADMIN_REQUEST_TIMEOUT

    def answer(*futures):
        waiting[:] = futures
        results = [f.result(timeout) for f in futures]
        waiting.clear()
        return results

    try:
        described, = answer(admin.describe_consumer_groups([group], request_timeout=wait)[group])
        member = next((m for m in described.members if m.client_id == client), None)
        assigned = frozenset((tp.topic, tp.partition) for tp in (member.assignment.topic_partitions if member else ()))
        tps = [TopicPartition(t, p) for t, p in sorted(assigned)] or None  # none: every partition the group committed
        got, = answer(admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions(group, tps)],
                                                        request_timeout=wait)[group])
        committed = {(tp.topic, tp.partition): tp.offset for tp in got.topic_partitions}
        if not committed:
            return GroupSample(member is not None, assigned, {}, {})
        return GroupSample(member is not None, assigned, committed, end_offsets(ends, committed, timeout, known or {}))
    except KafkaException as exc:
        waiting.clear()  # answered, with an error
        log.warning("group_probe_failed", group=group, error=str(exc.args[0])[:200])
        return None
    except Pending:
        log.warning("group_probe_failed", group=group, error=f"no answer within {timeout:.0f}s")
        return None


def probe_progress(ends, last: GroupSample, timeout: float) -> GroupSample | None:
    """The group's committed and end offsets of `last`'s partitions, asked through `ends` (a Consumer
    of the group that never joins it), membership as `last` saw it: when the admin client's group
    requests go unanswered (for a minute and more after a broker restart, while the consumer
    itself had long recovered), progress can still be seen."""
    from confluent_kafka import KafkaException, TopicPartition

    if not last.committed:
        return None
    tps = [TopicPartition(t, p) for t, p in sorted(last.committed)]
    try:
        committed = {(tp.topic, tp.partition): tp.offset for tp in ends.committed(tps, timeout=timeout)}
    except KafkaException as exc:
        log.warning("group_progress_probe_failed", error=str(exc.args[0])[:200])
        return None
    return GroupSample(last.in_group, last.assigned, committed, end_offsets(ends, committed, timeout, last.ends))


class Watchdog(threading.Thread):
    """Probes the group every `interval` seconds; calls `restart(reason)` once when stuck."""

    def __init__(self, liveness: Liveness, kafka_config: dict[str, str], restart: Callable[[str], None],
                 redis_ok: Callable[[], bool], interval: float = 5.0,
                 on_sample: Callable[[Liveness], None] = lambda _: None):
        super().__init__(name=f"watchdog-{liveness.group}", daemon=True)
        self.liveness, self.restart, self.redis_ok, self.interval = liveness, restart, redis_ok, interval
        self.on_sample = on_sample
        self.kafka_config = kafka_config
        self.stopping = threading.Event()

    def run(self) -> None:
        from confluent_kafka import Consumer
        from confluent_kafka.admin import AdminClient

        lv = self.liveness
        timeout = max(self.interval, 5.0)
        admin = AdminClient({**self.kafka_config, "client.id": f"{lv.client_id}-probe", "log_level": 3})
        pending: list = []  #: the group probe's unanswered requests: no new one while one is
        ends = Consumer({**self.kafka_config, "client.id": f"{lv.client_id}-ends", "group.id": lv.group,
                         "enable.auto.commit": False, "log_level": 3})  # never subscribes: it asks, never joins
        try:
            while not self.stopping.wait(self.interval):
                sample = probe_group(admin, ends, lv.group, lv.client_id, timeout=timeout, pending=pending,
                                     known=lv.sample.ends if lv.sample else {})
                if sample is None and lv.sample is not None:
                    sample = probe_progress(ends, lv.sample, timeout)
                lv.observe(sample, broker_answers=sample is None and broker_answers(ends, timeout))
                self.on_sample(lv)
                if self._restarted():
                    return
        finally:
            ends.close()

    def _restarted(self) -> bool:
        """Restart the consumer when it is stuck (not while it waits for Redis, on purpose)."""
        lv = self.liveness
        reason = lv.stuck()
        if reason is None:
            return False
        if not self.redis_ok():  # the consumer waits for Redis on purpose
            log.warning("watchdog_waiting_for_redis", group=lv.group, reason=reason)
            return False
        log.error("watchdog_restart", group=lv.group, client_id=lv.client_id, reason=reason, lag=lv.total_lag())
        self.restart(reason)
        return True


def broker_answers(client, timeout: float) -> bool:
    """Does the broker answer a metadata request (the probe failed: is it the broker, or the probe)?"""
    from confluent_kafka import KafkaException

    try:
        return bool(client.list_topics(timeout=timeout).brokers)
    except KafkaException:
        return False


#: exit code of a hot path child its watchdog stopped: the worker starts a new one
RESTART_EXIT = 75


@dataclass
class Watch:
    """A process's endpoint and watchdog over one consumer group; `close` at shutdown."""

    client_id: str
    liveness: Liveness
    watchdog: Watchdog
    endpoint: object | None  #: streams.infra.metrics.Endpoint, None when metrics are off or the port is taken

    def close(self) -> None:
        self.watchdog.stopping.set()
        if self.endpoint is not None:
            self.endpoint.close()


def watch(settings, role: str, group: str, port: int, restart: Callable[[str], None]) -> Watch:
    """Start /metrics, /healthz, /readyz (on `port`) and the watchdog for `group`; the consumer
    must use `Watch.client_id` as its Kafka client id."""
    from streams.infra import metrics
    cid = client_id(role)
    lv = Liveness(group, cid, settings.ready_progress_seconds, settings.watchdog_seconds)
    state = metrics.state_collector(settings.redis_url, settings.policy().daily_caps)
    endpoint = None
    if port >= 0:
        try:
            endpoint = metrics.serve(settings.metrics_host, port, role, state, lv, settings.metrics_targets_dir)
        except OSError as exc:  # a taken port must not stop the worker; the scrape's `up` shows it
            log.error("metrics_port_unavailable", role=role, port=port, error=str(exc))
    dog = Watchdog(lv, settings.kafka_config(), restart, state.redis_ok, on_sample=metrics.lag)
    dog.start()
    return Watch(cid, lv, dog, endpoint)


def reexec(reason: str) -> None:
    """Restart this process in place: same pid, environment and arguments (`modstream worker ...`);
    what it had not committed comes again (at-least-once, idempotent ids)."""
    import sys

    log.error("process_restarting", reason=reason, pid=os.getpid())
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "streams.commands.cli", *sys.argv[1:]])
