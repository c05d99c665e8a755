"""Chaos scenarios on a real broker and Redis: kills, rebalances, restarts, outages, bursts.

`python -m ops.chaos [--posts N] [--scenario NAME ...] [--keep]` starts its OWN Kafka and
Redis (ports 19392/19393 and 16679 by default, `MODSTREAM_CHAOS_KAFKA_PORT` /
`MODSTREAM_CHAOS_REDIS_PORT` to move them, data in a temporary run dir) so restarting them
cannot disturb a demo or another test session, runs the scenarios and prints a table:

    scenario  events in  decisions out  duplicates  missing  conflicts  recovery s  ...

Every scenario feeds sample posts (streams.commands.sample: benign, violating, political accounts
from the shipped registry seed, reports) through `streams.commands.ingest`, runs real
`modstream worker` subprocesses, injects one fault and then reads audit.v1 and actions.v1
back. The processing guarantee is at-least-once with idempotent outputs, so raw
duplicates are allowed; the checks are on what a downstream consumer sees after it drops
repeats by idempotency key:

- missing: posts with no audit record (must be 0);
- conflicts: posts whose audit records disagree (more than one decision_id, route or set
  of action ids) (must be 0): a redelivered post must be decided the same way;
- orphan / lost actions: action ids on actions.v1 that no audit record names, or named
  ones that never arrived (must be 0).

Recovery time: seconds from the end of the fault (worker restarted, broker or Redis back)
until decisions flow again (audit.v1 grows).

Workers run with `BROKER_SESSION_TIMEOUT=10` (faust reads it from the environment; its
default is 60 s): after a kill -9 the group coordinator waits for the dead member's session
to expire before it hands its partitions to anyone, so with the default a kill -9 costs
about a minute of recovery. The watchdog (streams/infra/liveness.py) gets `WATCHDOG_SECONDS` (30)
instead of its 180 s default, so a consumer stuck after a broker restart (issue 14: faust's
aiokafka consumer marks its coordinator dead and never fetches again) is restarted within a
scenario's drain budget; the notes count such restarts (`watchdog_restart` in the worker log).
The scenarios are plain functions (`SCENARIOS`), used by tests/integration/test_chaos.py with a
bounded number of posts.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaException, TopicPartition
from confluent_kafka.admin import AdminClient

from ops import local
from streams.commands import ingest, sample
from streams.infra import admin, slots, topics
from streams.drivers import hotpath
from streams.commands.bench import _proc_mb, _tree
from streams.infra.codec import Codec
from streams.infra.config import Settings
from streams.infra.registry_import import load_seed
from streams.infra.slots import key
from streams.drivers.worker import WorkerProcess, settings_env

KAFKA_PORT = int(os.environ.get("MODSTREAM_CHAOS_KAFKA_PORT", "19392"))
REDIS_PORT = int(os.environ.get("MODSTREAM_CHAOS_REDIS_PORT", "16679"))
#: the cluster scenarios' three brokers (first port; six ports from it) and six Redis nodes
CLUSTER_KAFKA_PORT = int(os.environ.get("MODSTREAM_CHAOS_CLUSTER_KAFKA_PORT", "19394"))
CLUSTER_REDIS_PORT = int(os.environ.get("MODSTREAM_CHAOS_CLUSTER_REDIS_PORT", "16680"))
#: seconds a restarted broker gets to catch up and be unfenced: over 240 s on the shared 2-core machine
RESTART_TIMEOUT = 600.0
#: JVM flags of the cluster scenarios' brokers: the client compiler only (C1) and one GC thread each.
#: A broker restarted at load average 15-20 on the shared 2-core machine spent most of its 36-89 s
#: start compiling and collecting beside two other JVMs; three brokers under test load need start
#: time, not peak speed
CLUSTER_JVM_OPTS = ("-XX:TieredStopAtLevel=1", "-XX:ParallelGCThreads=1", "-XX:ConcGCThreads=1")
#: faust settings read from the environment of the worker processes (see the module doc)
WORKER_ENV = {"BROKER_SESSION_TIMEOUT": "10", "BROKER_HEARTBEAT_INTERVAL": "1"}
#: the watchdog restarts a stuck consumer after this long (default 180 s): inside a scenario's drain budget
WATCHDOG_SECONDS = 30.0
#: on the cluster: a partition's failover when the killed broker was also the active controller takes
#: ~25 s (10 s quorum fetch timeout, an election, the 9 s broker session), the hot path waiting for
#: its acks meanwhile, which is not a stuck client; at 30 s the watchdog restarted it as it resumed
CLUSTER_WATCHDOG_SECONDS = 60.0
#: the hot path's group session on the cluster (15 s by default): a broker killed -9 that was both the active
#: controller and the group coordinator left the coordinator unreachable 24 s; librdkafka then gave up its
#: member id after its 15 s session and rejoined as a new member, and the new coordinator waited out the old
#: one's session: 15 s more without decisions (leader_kill9, 42 s recovery). 45 s is Kafka's default
CLUSTER_HOTPATH_SESSION_SECONDS = 45.0


class ChaosFailure(AssertionError):
    pass


class PersistentRedis(local.LocalRedis):
    """LocalRedis with an append-only file: a restart keeps the registry, as a production Redis does."""

    def _prepare(self) -> list[str]:
        cmd = super()._prepare()
        at = cmd.index("--appendonly")
        cmd[at + 1] = "yes"
        return cmd + ["--appendfsync", "everysec"]


@dataclass
class ChaosEnv:
    """The chaos run's own broker and Redis (restartable without touching anyone else's)."""

    run_dir: Path
    kafka: local.LocalKafka | local.LocalKafkaCluster
    redis: PersistentRedis | local.LocalRedisCluster
    codec: Codec
    watchdog_seconds: float = WATCHDOG_SECONDS
    hotpath_session_seconds: float = Settings.hotpath_session_seconds
    _db: int = 0

    def settings(self, name: str, partitions: int = 4, classifier: bool = True) -> Settings:
        """Fresh topics, consumer group and Redis database for one scenario (a Redis Cluster has
        database 0 only: flushed, the scenarios run one at a time)."""
        tag = uuid.uuid4().hex[:6]
        self._db = self._db % 15 + 1
        url = self.redis.url if isinstance(self.redis, local.LocalRedisCluster) else \
            f"redis://127.0.0.1:{self.redis.port}/{self._db}"
        slots.connect_sync(url).flushdb()
        s = Settings(kafka_bootstrap=self.kafka.bootstrap, redis_url=url, topic_prefix=f"chaos-{name}-{tag}.",
                     app_id=f"modstream-chaos-{name}-{tag}", partitions=partitions, classifier=classifier,
                     watchdog_seconds=self.watchdog_seconds,
                     hotpath_session_seconds=self.hotpath_session_seconds, metrics_port=0)  # several workers: free ports each
        admin.apply(s)
        return s

    def worker(self, settings: Settings, label: str) -> WorkerProcess:
        return WorkerProcess.start({**settings_env(settings), **WORKER_ENV},
                                   self.run_dir / "logs" / f"{settings.app_id}-{label}.log")


@contextlib.contextmanager
def chaos_env(run_dir: Path | None = None, kafka_port: int = KAFKA_PORT, redis_port: int = REDIS_PORT,
              keep: bool = False) -> Iterator[ChaosEnv]:
    """Start a broker and a Redis of our own in run_dir (a temp dir by default); stop them after."""
    own_dir = run_dir is None
    run_dir = Path(run_dir or tempfile.mkdtemp(prefix="modstream-chaos-"))
    kafka = local.LocalKafka(run_dir, port=kafka_port, controller_port=kafka_port + 1)
    kafka.start_timeout = RESTART_TIMEOUT  # a loaded 2-core machine took over 90 s to start it (and restart it)
    with _services(run_dir, kafka, PersistentRedis(run_dir, port=redis_port), own_dir and not keep) as env:
        yield env


@contextlib.contextmanager
def cluster_env(run_dir: Path | None = None, kafka_port: int = CLUSTER_KAFKA_PORT,
                redis_port: int = CLUSTER_REDIS_PORT, keep: bool = False) -> Iterator[ChaosEnv]:
    """A three-broker KRaft cluster (RF 3, min.insync.replicas 2) and a Redis Cluster (3 masters with a
    replica each) of our own in run_dir; stopped after."""
    own_dir = run_dir is None
    run_dir = Path(run_dir or tempfile.mkdtemp(prefix="modstream-chaos-cluster-"))
    with _services(run_dir, local.LocalKafkaCluster(run_dir, 3, kafka_port, jvm_opts=CLUSTER_JVM_OPTS),
                   local.LocalRedisCluster(run_dir, base_port=redis_port), own_dir and not keep) as env:
        env.watchdog_seconds = CLUSTER_WATCHDOG_SECONDS
        env.hotpath_session_seconds = CLUSTER_HOTPATH_SESSION_SECONDS
        yield env


@contextlib.contextmanager
def _services(run_dir: Path, kafka, rds, remove: bool) -> Iterator[ChaosEnv]:
    try:
        kafka.start()
        rds.start()
        yield ChaosEnv(run_dir, kafka, rds, Codec.from_dir(Settings().schema_dir))
    finally:
        for svc in (rds, kafka):
            with contextlib.suppress(Exception):
                svc.stop()
        if remove:
            shutil.rmtree(run_dir, ignore_errors=True)


# --- reading the outputs back ------------------------------------------------------------

class TopicReader:
    """Reads one topic from the beginning, incrementally; survives a broker restart."""

    def __init__(self, settings: Settings, codec: Codec, spec: topics.TopicSpec):
        self.codec, self.topic, self.config = codec, settings.topic(spec), settings.kafka_config()
        self.consumer = Consumer({**self.config, "group.id": f"chaos-read-{uuid.uuid4().hex[:8]}",
                                  "enable.auto.commit": False, "log_level": 0})
        self.marks: Consumer | None = None  #: end offsets only (high_watermark)
        self.last_mark = 0
        parts = self.consumer.list_topics(self.topic, timeout=10).topics[self.topic].partitions
        self.partitions = sorted(parts)
        self.consumer.assign([TopicPartition(self.topic, p, OFFSET_BEGINNING) for p in self.partitions])
        self.first_ms: dict[str, int] = {}  #: record key -> timestamp (ms) of its first record
        self.stamps: list[int] = []  #: every record's timestamp (ms), in arrival order

    def poll(self, seconds: float = 1.0) -> list[dict]:
        out, deadline = [], time.monotonic() + seconds
        while time.monotonic() < deadline:
            msgs = self.consumer.consume(5000, max(0.05, min(0.5, deadline - time.monotonic())))
            if not msgs:
                break
            for m in msgs:
                if m.error():
                    continue
                self.stamps.append(m.timestamp()[1])
                if m.key() is not None:
                    self.first_ms.setdefault(m.key().decode(errors="replace"), m.timestamp()[1])
                out.append(self.codec.decode(m.value())[1])
        return out

    def high_watermark(self) -> int:
        """Records on the topic now; while the broker does not answer, the last count it gave.

        Asked by a client of its own, made again after a failure, and every failure printed: the
        count used to be 0 on any error, and a broker_restart run waited 180 s for decisions to
        resume while its worker logged four batches decided after the restart."""
        for attempt in (1, 2):
            try:
                self.last_mark = sum(self._marks().get_watermark_offsets(TopicPartition(self.topic, p), timeout=2,
                                                                         cached=False)[1] for p in self.partitions)
                return self.last_mark
            except KafkaException as exc:
                print(f"chaos: {self.topic} end offsets unreadable (attempt {attempt}): {exc}", file=sys.stderr, flush=True)
                self.marks.close()
                self.marks = None
        return self.last_mark

    def _marks(self) -> Consumer:
        if self.marks is None:
            self.marks = Consumer({**self.config, "group.id": f"chaos-marks-{uuid.uuid4().hex[:8]}", "log_level": 0})
        return self.marks

    def close(self) -> None:
        self.consumer.close()
        if self.marks is not None:
            self.marks.close()


@dataclass
class Ledger:
    """What downstream consumers saw: audit records per post and action ids with their counts."""

    audit: dict[str, list[dict]] = field(default_factory=dict)
    actions: Counter = field(default_factory=Counter)

    def add_audit(self, records: list[dict]) -> None:
        for a in records:
            self.audit.setdefault(a["post_id"], []).append(a)

    @property
    def raw_decisions(self) -> int:
        return sum(len(v) for v in self.audit.values())

    def conflicts(self) -> list[str]:
        """Posts whose repeated audit records do not agree (a redelivery decided differently).

        Reporter notices may differ: a report that arrived between the first decision and its
        redelivery is in the second record's notices, and the hot path already sent that
        notice, with the same notice id, when it came in.
        """
        return [p for p, recs in self.audit.items()
                if len({(r["decision_id"], r["route"], tuple(r["action_ids"]),
                         tuple(n for n in r["notice_ids"] if ":reporter:" not in n)) for r in recs}) > 1]

    def expected_actions(self) -> set[str]:
        return {i for recs in self.audit.values() for r in recs for i in r["action_ids"]}


@dataclass
class Result:
    scenario: str
    events_in: int
    decisions_out: int  #: audit records, raw (before dedupe)
    duplicates: int  #: raw audit records minus distinct decision ids
    action_duplicates: int  #: raw action records minus distinct action ids
    missing: int
    conflicts: int
    lost_actions: int  #: action ids an audit record names that never reached actions.v1
    orphan_actions: int  #: action ids on actions.v1 that no audit record names
    recovery_s: float | None
    wall_s: float
    notes: str = ""
    checks: dict[str, bool] = field(default_factory=dict)  #: scenario-specific checks (must all be True)
    p99_base_ms: float | None = None  #: end-to-end latency (post produced -> audit produced) before the fault
    p99_fault_ms: float | None = None  #: likewise, of the posts produced during the fault

    @property
    def ok(self) -> bool:
        return (self.missing == 0 and self.conflicts == 0 and self.lost_actions == 0 and self.orphan_actions == 0
                and all(self.checks.values()))

    def problems(self) -> str:
        bad = [k for k in ("missing", "conflicts", "lost_actions", "orphan_actions") if getattr(self, k)]
        bad += [f"check {k} failed" for k, v in self.checks.items() if not v]
        return f"{self.scenario}: {', '.join(bad)}; {self.notes}"


COLUMNS = ("scenario", "events in", "decisions out", "dup (raw)", "dup actions", "missing", "conflicts",
           "lost/orphan act", "recovery s", "wall s", "notes")


def table(results: list[Result]) -> str:
    """One row a scenario; a p99 column (before / during the fault) when any scenario measured latency."""
    latency = any(r.p99_fault_ms is not None for r in results)

    def ms(v: float | None) -> str:
        return "-" if v is None else f"{v:,.0f}"

    head = COLUMNS[:-1] + (("p99 ms base/fault",) if latency else ()) + COLUMNS[-1:]
    rows = [head] + [(r.scenario, f"{r.events_in:,}", f"{r.decisions_out:,}", f"{r.duplicates:,}",
                      f"{r.action_duplicates:,}", str(r.missing), str(r.conflicts),
                      f"{r.lost_actions}/{r.orphan_actions}",
                      "-" if r.recovery_s is None else f"{r.recovery_s:.1f}", f"{r.wall_s:.0f}",
                      *((f"{ms(r.p99_base_ms)}/{ms(r.p99_fault_ms)}",) if latency else ()),
                      ("OK " if r.ok else "FAIL ") + r.notes) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head) - 1)]
    return "\n".join("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
                     + "  " + row[-1] for row in rows)


# --- feeding ------------------------------------------------------------------------------

class Feed:
    """The sample firehose for one scenario: account snapshots first, then posts (with reports)."""

    def __init__(self, env: ChaosEnv, settings: Settings, n: int, run: str, seed: int = 7):
        self.env, self.settings = env, settings
        lines = list(sample.generate(n, load_seed(settings.registry_seed), seed=seed, malformed=0, run=run))
        self.accounts = [x.encode() for x in lines if x.startswith('{"account"')]
        self.posts = [x.encode() for x in lines if x.startswith('{"post"')]
        self.post_ids = [json.loads(x)["post"]["post_id"] for x in self.posts]
        self.authors = {json.loads(x)["post"]["post_id"]: json.loads(x)["post"]["author_id"] for x in self.posts}
        self.fed = 0
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def load_accounts(self, timeout: float = 90.0, workers: list[WorkerProcess] = ()) -> None:
        """Produce the account snapshots and wait until the worker has stored them all in Redis."""
        ing = ingest.Ingestor(self.settings, self.env.codec, "chaos-accounts")
        for i, raw in enumerate(self.accounts, 1):
            ing.line(i, raw)
        ing.close()
        ids = [json.loads(x)["account"]["account_id"] for x in self.accounts]
        client = slots.connect_sync(self.settings.redis_url)
        try:
            def stored() -> bool:
                dead = [w for w in workers if not w.alive()]
                if dead:
                    raise ChaosFailure(f"a worker died before the accounts were stored:\n{dead[0].tail(20)}")
                pipe = client.pipeline(transaction=False)  # per key: a cluster pipeline splits them by node
                for i in ids:
                    pipe.exists(key("acct", i))
                return sum(pipe.execute()) == len(ids)

            _wait(stored, timeout, "account snapshots")
        finally:
            client.close()

    def start(self, rate: float | None = None, posts: list[bytes] | None = None) -> "Feed":
        """Produce posts in a background thread, at `rate` posts/s or as fast as possible."""
        def run() -> None:
            try:
                ing = ingest.Ingestor(self.settings, self.env.codec, "chaos")
                t0 = time.monotonic()
                for i, raw in enumerate(posts if posts is not None else self.posts, 1):
                    if self._halt.is_set():
                        break
                    ing.line(i, raw)
                    self.fed += 1
                    if rate:
                        ahead = t0 + i / rate - time.monotonic()
                        if ahead > 0:
                            ing.producer.poll(ahead)
                ing.close(timeout=300)
            except BaseException as exc:  # reported by join()
                self._error = exc

        self._thread = threading.Thread(target=run, name="chaos-feed", daemon=True)
        self._thread.start()
        return self

    def halt(self) -> None:
        """Stop feeding; the posts not fed are dropped from `post_ids` (the checks cover what was fed)."""
        self._halt.set()
        self.join()
        self.post_ids = self.post_ids[:self.fed]

    def join(self, timeout: float = 600.0) -> None:
        if self._thread:
            self._thread.join(timeout)
            if self._thread.is_alive():
                raise ChaosFailure("feeding posts did not finish")
        if self._error:
            raise self._error


def _wait(predicate: Callable[[], object], timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise ChaosFailure(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


# --- one scenario run ----------------------------------------------------------------------

class Run:
    """Bookkeeping shared by the scenarios: workers, readers, feed, timing."""

    def __init__(self, env: ChaosEnv, name: str, n: int, partitions: int = 4, classifier: bool = True):
        self.env, self.name, self.n = env, name, n
        self.started = time.monotonic()
        self.settings = env.settings(name, partitions, classifier)
        self.feed = Feed(env, self.settings, n, run=f"{name}-")
        self.workers: list[WorkerProcess] = []
        self.started_workers = 0
        self.audit = TopicReader(self.settings, env.codec, topics.AUDIT)
        self.actions = TopicReader(self.settings, env.codec, topics.ACTIONS)
        self.ledger = Ledger()
        self.recovery_s: float | None = None
        self.notes: list[str] = [] if classifier else ["rules only: classifier off"]
        self.checks: dict[str, bool] = {}

    def start_worker(self) -> WorkerProcess:
        self.started_workers += 1
        w = self.env.worker(self.settings, f"w{self.started_workers}")
        self.workers.append(w)
        return w

    def decided_raw(self) -> int:
        return self.audit.high_watermark()

    def wait_decided(self, count: int, timeout: float) -> None:
        _wait(lambda: self.decided_raw() >= count, timeout, f"{count} decisions ({self.name})", interval=0.1)

    def measure_recovery(self, since: float, baseline: int, timeout: float = 180.0) -> float:
        """Seconds from `since` until audit.v1 grows past `baseline`."""
        _wait(lambda: self.decided_raw() > baseline, timeout, f"decisions to resume ({self.name})", interval=0.1)
        self.recovery_s = time.monotonic() - since
        return self.recovery_s

    def collect(self, timeout: float) -> None:
        """Read audit.v1 until every post has a decision, then actions.v1 until every named action is there."""
        want = set(self.feed.post_ids)
        deadline = time.monotonic() + timeout
        while want - self.ledger.audit.keys() and time.monotonic() < deadline:
            self.ledger.add_audit(self.audit.poll(1.0))
            if not all(w.alive() for w in self.workers):
                dead = [w for w in self.workers if not w.alive()]
                raise ChaosFailure(f"{self.name}: a worker died unexpectedly:\n{dead[0].tail(40)}")
        time.sleep(1.0)  # late redeliveries still in flight are counted too
        self.ledger.add_audit(self.audit.poll(2.0))
        expected = self.ledger.expected_actions()
        deadline = time.monotonic() + 30
        while True:
            self.ledger.actions.update(a["action_id"] for a in self.actions.poll(1.0))
            if expected <= self.ledger.actions.keys() or time.monotonic() > deadline:
                break

    def result(self) -> Result:
        led = self.ledger
        expected = led.expected_actions()
        distinct = {r["decision_id"] for recs in led.audit.values() for r in recs}
        return Result(
            scenario=self.name, events_in=len(self.feed.post_ids), decisions_out=led.raw_decisions,
            duplicates=led.raw_decisions - len(distinct),
            action_duplicates=sum(led.actions.values()) - len(led.actions),
            missing=len(set(self.feed.post_ids) - led.audit.keys()), conflicts=len(led.conflicts()),
            lost_actions=len(expected - led.actions.keys()), orphan_actions=len(led.actions.keys() - expected),
            recovery_s=self.recovery_s, wall_s=time.monotonic() - self.started, notes="; ".join(self.notes),
            checks=self.checks)

    def close(self) -> None:
        for w in self.workers:
            with contextlib.suppress(Exception):
                w.stop(timeout=20)
        for r in (self.audit, self.actions):
            with contextlib.suppress(Exception):
                r.close()
        with contextlib.suppress(Exception):
            _drop_topics(self.settings)


def _drop_topics(settings: Settings) -> None:
    client = AdminClient({**settings.kafka_config(), "log_level": 0})
    names = [t for t in client.list_topics(timeout=10).topics
             if t.startswith(settings.topic_prefix) or t.startswith(settings.app_id)]
    for f in (client.delete_topics(names).values() if names else ()):
        with contextlib.suppress(Exception):
            f.result(30)


def _watchdog_restarts(workers: list[WorkerProcess]) -> int:
    """Stuck consumers the watchdog restarted, from the workers' logs."""
    return sum(w.log_path.read_text(errors="replace").count('"watchdog_restart"') for w in workers
               if w.log_path.exists())


def _drain_budget(n: int) -> float:
    return 120.0 + n / 300.0  # generous: ~1,000 posts/s per worker here, a third of that as the bound


@contextlib.contextmanager
def _run(env: ChaosEnv, name: str, n: int, partitions: int = 4, classifier: bool = True) -> Iterator[Run]:
    """The hot path tags and routes in one hop, with the learned classifier or (classifier=False)
    rules only. The scenarios cover both."""
    run = Run(env, name, n, partitions, classifier)
    try:
        yield run
    finally:
        run.close()


# --- scenarios -----------------------------------------------------------------------------

def kill9(env: ChaosEnv, n: int = 50_000, at: float = 0.4) -> Result:
    """One worker; kill -9 it when `at` of the posts are decided; start a new one."""
    with _run(env, "kill9", n, classifier=False) as run:
        run.start_worker()
        run.feed.load_accounts(workers=run.workers)
        run.feed.start()
        run.wait_decided(int(n * at), _drain_budget(n))
        run.workers.pop().kill()
        before = run.decided_raw()
        run.notes.append(f"killed -9 at {before:,} decisions")
        t0 = time.monotonic()
        run.start_worker()
        run.measure_recovery(t0, before)
        run.feed.join()
        run.collect(_drain_budget(n))
        return run.result()


def rebalance(env: ChaosEnv, n: int = 20_000) -> Result:
    """One worker; a second joins at 30% (rebalance); at 60% one of the two is killed -9 (rebalance)."""
    with _run(env, "rebalance", n, classifier=False) as run:
        run.start_worker()
        run.feed.load_accounts(workers=run.workers)
        run.feed.start()
        run.wait_decided(int(n * 0.3), _drain_budget(n))
        run.start_worker()
        run.wait_decided(int(n * 0.6), _drain_budget(n))
        victim = run.workers[0]
        victim.kill()
        run.workers.remove(victim)
        before = run.decided_raw()
        run.notes.append(f"2nd worker joined at 30%, 1st killed -9 at {before:,}")
        t0 = time.monotonic()
        run.measure_recovery(t0, before)
        run.feed.join()
        run.collect(_drain_budget(n))
        return run.result()


def broker_restart(env: ChaosEnv, n: int = 20_000, down_s: float = 5.0) -> Result:
    """One worker; the broker is stopped (SIGTERM, controlled shutdown) at 40% and started again.

    The last tenth of the posts is fed once the broker is back, so decisions must flow after it.
    Fed all at once, the hot path could decide the last posts in the second or two between the
    broker taking connections and `start()` returning: no decision came after the recovery
    baseline, and the run failed after 180 s with nothing left to decide (issue 14's "stall": the
    CI rehearsal's worker had decided 5,000 of 5,000 posts 1.6 s after the broker started)."""
    with _run(env, "broker_restart", n) as run:
        run.start_worker()
        run.feed.load_accounts(workers=run.workers)
        held = max(1, n // 10)
        first, rest = run.feed.posts[:-held], run.feed.posts[-held:]
        run.feed.start(posts=first)
        run.wait_decided(int(n * 0.4), _drain_budget(n))
        before = run.decided_raw()
        t_stop = time.monotonic()
        env.kafka.stop()
        time.sleep(down_s)
        env.kafka.start()
        t0 = time.monotonic()
        baseline = run.decided_raw()
        run.feed.join()  # its producer delivers what it held while the broker was down
        run.notes.append(f"broker down {t0 - t_stop:.0f}s at {before:,}; last {held:,} posts fed after it")
        run.feed = _continue(run.feed, rest)
        run.feed.start(posts=rest)
        run.measure_recovery(t0, baseline)
        run.feed.join()
        run.collect(_drain_budget(n))
        restarts = [w for w in run.workers if not w.alive()]
        run.checks["worker_survived"] = not restarts
        run.notes.append(f"{_watchdog_restarts(run.workers)} watchdog restart(s)")
        return run.result()


def redis_outage(env: ChaosEnv, n: int = 15_000, down_s: float = 10.0) -> Result:
    """One worker; Redis is stopped at 40% for `down_s` and started again (append-only file kept).

    Checks: decisions stop while Redis is away (the hot path holds), and every violating
    post by a seeded official is routed to public-interest review, never enforced.
    """
    officials = {d.account_id for d in load_seed(Settings().registry_seed)}
    with _run(env, "redis_outage", n) as run:
        run.start_worker()
        run.feed.load_accounts(workers=run.workers)
        run.feed.start()
        run.wait_decided(int(n * 0.4), _drain_budget(n))
        env.redis.stop()
        time.sleep(2.0)  # in-flight batches finish
        held_from = run.decided_raw()
        time.sleep(down_s)
        during = run.decided_raw() - held_from
        env.redis.start()
        t0 = time.monotonic()
        run.checks["held_while_redis_down"] = during == 0
        run.notes.append(f"redis down {down_s + 2:.0f}s at {held_from:,}, {during} decided meanwhile")
        run.measure_recovery(t0, run.decided_raw())
        run.feed.join()
        run.collect(_drain_budget(n))
        by_official = [r for recs in run.ledger.audit.values() for r in recs if r["author_id"] in officials]
        acting = [r for r in by_official if r["route"] != "no_action"]
        enforced = [r for r in acting if r["route"] == "enforce"]
        run.checks["officials_never_enforced"] = not enforced and bool(acting)
        run.notes.append(f"{len(acting)} violating official posts, {len(enforced)} enforced")
        logs = "".join(w.log_path.read_text(errors="replace") for w in run.workers)
        run.checks["retried"] = "redis_unavailable" in logs
        return run.result()


def _rss_mb(pid: int) -> float:
    """VmRSS in MB of `pid` and its live descendants: the faust worker and its hot path child
    (the child holds the hot path's batches, so sampling the parent alone missed them)."""
    total = 0.0
    for p in _tree(pid):
        try:
            total += _proc_mb(p, "VmRSS:")
        except OSError:  # gone since the tree was read
            pass
    return total


def consumer_lag(settings: Settings) -> int:
    """Lag of the hot path's consumer group (it tags, classifier included, and routes the posts):
    high watermarks minus committed offsets, summed."""
    from confluent_kafka import ConsumerGroupTopicPartitions

    groups = {hotpath.group_id(settings): list(hotpath.input_topics(settings))}
    client = AdminClient({**settings.kafka_config(), "log_level": 0})
    probe = Consumer({**settings.kafka_config(), "group.id": f"chaos-lag-{uuid.uuid4().hex[:6]}", "log_level": 0})
    try:
        lag = 0
        for group, specs in groups.items():
            parts = []
            for spec in specs:
                name = settings.topic(spec)
                meta = probe.list_topics(name, timeout=10).topics[name]
                parts += [TopicPartition(name, p) for p in meta.partitions]
            fut = client.list_consumer_group_offsets([ConsumerGroupTopicPartitions(group, parts)])
            committed = {(tp.topic, tp.partition): tp.offset for tp in fut[group].result(10).topic_partitions}
            for tp in parts:
                high = probe.get_watermark_offsets(tp, timeout=10, cached=False)[1]
                lag += high - max(committed.get((tp.topic, tp.partition), -1), 0)
        return lag
    finally:
        probe.close()


def burst(env: ChaosEnv, n: int = 20_000, rate: float = 200.0, steady_s: float = 10.0) -> Result:
    """Back-pressure: `rate` posts/s for `steady_s`, then the rest at ten times the rate.

    Samples the VmRSS of the worker and its hot path child every 0.25 s; checks that memory
    stays bounded (peak within 250 MB of the steady-state RSS) and measures whether the
    consumer group lag drains to 0 within the budget afterwards.
    """
    with _run(env, "burst", n) as run:
        w = run.start_worker()
        run.feed.load_accounts(workers=run.workers)
        steady = run.feed.posts[:int(rate * steady_s)]
        rest = run.feed.posts[len(steady):]
        samples: list[tuple[float, float]] = []
        stop = threading.Event()

        def sample_rss() -> None:
            while not stop.is_set():
                samples.append((time.monotonic(), _rss_mb(w.proc.pid)))
                time.sleep(0.25)

        sampler = threading.Thread(target=sample_rss, daemon=True)
        sampler.start()
        try:
            run.feed.start(rate=rate, posts=steady)
            run.feed.join()
            t_burst = time.monotonic()
            baseline = max(rss for t, rss in samples if t > t_burst - 3)
            run.feed = _continue(run.feed, rest)
            run.feed.start(rate=rate * 10, posts=rest)
            run.feed.join()
            t_burst_end = time.monotonic()
            lag_at_end = consumer_lag(run.settings)
            deadline = time.monotonic() + _drain_budget(n)
            while (lag_left := consumer_lag(run.settings)) and time.monotonic() < deadline:
                time.sleep(1.0)
            run.recovery_s = time.monotonic() - t_burst_end
        finally:
            stop.set()
            sampler.join(2)
        peak = max(rss for t, rss in samples if t >= t_burst)
        run.checks["memory_bounded"] = peak - baseline < 250
        run.checks["lag_drained"] = lag_left == 0
        run.notes.append(f"{len(steady)} @ {rate:.0f}/s then {len(rest)} @ {rate * 10:.0f}/s; RSS (worker and hot "
                         f"path) {baseline:.0f} -> peak {peak:.0f} MB; lag {lag_at_end:,} at burst end, "
                         + (f"drained in {run.recovery_s:.0f}s" if lag_left == 0 else f"{lag_left:,} left after "
                            f"{run.recovery_s:.0f}s"))
        run.collect(_drain_budget(n))
        return run.result()


def _continue(feed: Feed, posts: list[bytes]) -> Feed:
    """Reuse a Feed (same post ids) for a second batch of its posts."""
    feed._thread, feed._error = None, None
    return feed


# --- on a cluster (cluster_env: three brokers, a Redis Cluster) ----------------------------

def _percentile(values: list[float], q: float) -> float | None:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else None


def _in_sync(settings: Settings) -> bool:
    """Every partition of every topic (internal ones included) has all its replicas in sync."""
    client = AdminClient({**settings.kafka_config(), "log_level": 0})
    try:
        meta = client.list_topics(timeout=5)
    except KafkaException:
        return False
    return len(meta.brokers) == 3 and all(len(pm.isrs) == len(pm.replicas) and pm.leader >= 0
                                          for t in meta.topics.values() for pm in t.partitions.values())


def _wait_ports_free(node: local.LocalKafka) -> None:
    """A stopped JVM's listening sockets can outlive its pid for a moment: start() would take them for a stranger's."""
    _wait(lambda: not any(local._port_open(p) for p in node._ports()), 60, f"broker {node.node_id}'s ports to close")


class StallMeter(threading.Thread):
    """The machine's own stalls: how much later than asked a 0.5 s sleep wakes up. On the shared 2-core
    machine every process froze at times for up to 45 s; a scenario's recovery time is read beside it."""

    def __init__(self) -> None:
        super().__init__(name="chaos-stalls", daemon=True)
        self.longest, self._halt = 0.0, threading.Event()

    def run(self) -> None:
        last = time.monotonic()
        while not self._halt.wait(0.5):
            now = time.monotonic()
            self.longest, last = max(self.longest, now - last - 0.5), now

    def stop(self) -> float:
        self._halt.set()
        if self.is_alive():
            self.join(2)
        return self.longest


def _cluster_scenario(env: ChaosEnv, name: str, rate: float, fault: Callable[[Run], None],
                      lead_s: float = 15.0, tail_s: float = 10.0) -> Result:
    """Posts at `rate`/s through one worker: once the hot path has decided what was fed while it joined
    its group, `lead_s` seconds of them, then `fault(run)` (it returns once the fault is over and the
    cluster is whole again), then `tail_s` more seconds, then the feed stops. Recovery: the longest
    time decisions stopped while posts were waiting, from the fault's start to its end; p99: end-to-end
    latency (post produced -> audit produced) of the posts produced in the `lead_s` before the fault
    (the steady state: the start-up backlog once counted in it, a 15 s "p99" on a quiet machine) and
    during it. The notes give the machine's longest stall during the fault."""
    most = int(rate * (lead_s + tail_s + 400))  # the feed stops after the fault: these are never all sent
    with _run(env, name, most, classifier=False) as run:
        posts = TopicReader(run.settings, env.codec, topics.POSTS)
        stalls = StallMeter()
        try:
            run.start_worker()
            run.feed.load_accounts(workers=run.workers)
            run.feed.start(rate=rate)
            _wait(lambda: run.decided_raw() > 0, _drain_budget(most), f"a first decision ({name})")
            backlog = run.feed.fed  # fed while the hot path was joining its group: not the steady state
            _wait(lambda: run.decided_raw() >= backlog, _drain_budget(most), f"the first {backlog} posts decided")
            t_base = time.time() * 1000
            time.sleep(lead_s)
            t_fault = time.time() * 1000
            stalls.start()
            fault(run)
            t_end = time.time() * 1000
            stalled_s = stalls.stop()
            time.sleep(tail_s)
            run.feed.halt()
            run.collect(_drain_budget(run.feed.fed))
            while set(run.feed.post_ids) - posts.first_ms.keys() and posts.poll(2.0):
                pass
        finally:
            stalls.stop()
            posts.close()
        latency = {p: run.audit.first_ms[p] - posts.first_ms[p] for p in run.feed.post_ids
                   if p in run.audit.first_ms and p in posts.first_ms}
        busy_until = min(t_end, max(run.audit.first_ms.values(), default=t_end))  # after that: nothing waiting
        window = sorted(t for t in run.audit.stamps if t_fault <= t <= busy_until)
        edges = [t_fault, *window, busy_until]
        run.recovery_s = max(b - a for a, b in zip(edges, edges[1:])) / 1000
        result = run.result()
        result.p99_base_ms = _percentile([v for p, v in latency.items() if t_base <= posts.first_ms[p] < t_fault], 0.99)
        result.p99_fault_ms = _percentile([v for p, v in latency.items()
                                           if t_fault <= posts.first_ms[p] <= t_end], 0.99)
        result.notes += (f"; fault {(t_end - t_fault) / 1000:.0f}s at {rate:.0f} posts/s; longest machine stall "
                         f"meanwhile {stalled_s:.1f}s; {_watchdog_restarts(run.workers)} watchdog restart(s)")
        return result


def _leaders_and_sizes(run: Run, spec: topics.TopicSpec) -> tuple[dict[int, int], dict[int, int]]:
    """partition -> leader broker id, and partition -> high watermark, of one topic."""
    name = run.settings.topic(spec)
    probe = TopicReader(run.settings, run.env.codec, spec)
    try:
        leaders = {p: pm.leader for p, pm in probe.consumer.list_topics(name, timeout=10).topics[name].partitions.items()}
        sizes = {p: probe.consumer.get_watermark_offsets(TopicPartition(name, p), timeout=10, cached=False)[1]
                 for p in probe.partitions}
        return leaders, sizes
    finally:
        probe.close()


def leader_kill9(env: ChaosEnv, rate: float = 100.0, max_down_s: float = 180.0) -> Result:
    """kill -9 the broker leading the busiest posts partition; it stays down until the partition has
    a new leader that took writes (acks=all: the two replicas left in sync) and decisions went on
    (the controller fences the dead broker after its 9 s session), at most `max_down_s`; then it
    restarts. Checks: both happened while it was dead, and it rejoins every ISR."""
    def fault(run: Run) -> None:
        leaders, sizes = _leaders_and_sizes(run, topics.POSTS)
        busiest = max(sizes, key=sizes.get)
        victim = env.kafka.node(leaders[busiest])
        victim.kill()
        t_kill, decided = time.monotonic(), run.decided_raw()

        def failed_over() -> bool:
            try:
                now_leaders, now_sizes = _leaders_and_sizes(run, topics.POSTS)
            except (KafkaException, KeyError):  # metadata not settled yet
                return False
            return (now_leaders[busiest] not in (-1, victim.node_id) and now_sizes[busiest] > sizes[busiest]
                    and run.decided_raw() > decided)

        moved = False
        with contextlib.suppress(ChaosFailure):
            moved = _wait(failed_over, max_down_s, "a new leader taking writes and decisions", interval=1.0)
        down_s = time.monotonic() - t_kill
        run.checks["decided_while_leader_dead"] = moved
        _wait_ports_free(victim)
        victim.start_timeout = RESTART_TIMEOUT
        victim.start()
        _wait(lambda: _in_sync(run.settings), 300, "the restarted broker back in every ISR", interval=1.0)
        run.notes.append(f"kill -9 broker {victim.node_id} (leader of posts partition {busiest}, "
                         f"{sizes[busiest]:,} records); new leader took writes, decisions on, after {down_s:.0f}s; "
                         f"back in every ISR {time.monotonic() - t_kill:.0f}s after the kill")

    return _cluster_scenario(env, "leader_kill9", rate, fault)


def redis_master_kill9(env: ChaosEnv, rate: float = 100.0) -> Result:
    """kill -9 a Redis master; the cluster promotes its replica; the old master restarts as a replica.
    Checks: a replica was promoted (three masters without the victim) and decisions went on."""
    def fault(run: Run) -> None:
        port, victim = sorted(env.redis.masters_now().items())[0]
        t0 = time.monotonic()
        victim.kill()
        before = run.decided_raw()
        promoted = _wait(lambda: (m := env.redis.masters_now()) and len(m) == 3 and port not in m and m,
                         60, "a replica to be promoted")
        promote_s = time.monotonic() - t0
        run.checks["replica_promoted"] = bool(promoted)
        _wait(lambda: run.decided_raw() > before, 120, "decisions after the failover", interval=0.2)
        run.checks["decided_after_failover"] = True
        victim.start()
        _wait(lambda: env.redis._state_ok(port), 60, "the old master back in the cluster")
        run.notes.append(f"kill -9 Redis master :{port}; replica promoted in {promote_s:.1f}s "
                         f"(masters now {','.join(map(str, sorted(promoted)))})")

    return _cluster_scenario(env, "redis_master_kill9", rate, fault)


def rolling_restart(env: ChaosEnv, rate: float = 100.0) -> Result:
    """Stop (SIGTERM: controlled shutdown) and start each broker in turn, waiting until every ISR is
    whole before the next. Checks: the worker survived it."""
    def fault(run: Run) -> None:
        took = []
        for node in env.kafka.nodes:
            t0 = time.monotonic()
            node.stop()
            _wait_ports_free(node)
            node.start_timeout = RESTART_TIMEOUT
            node.start()
            _wait(lambda: _in_sync(run.settings), 300, f"broker {node.node_id} back in every ISR", interval=1.0)
            took.append(time.monotonic() - t0)
        run.checks["worker_survived"] = all(w.alive() for w in run.workers)
        run.notes.append("restarted brokers 1, 2, 3 one by one (" + ", ".join(f"{t:.0f}s" for t in took) + ")")

    return _cluster_scenario(env, "rolling_restart", rate, fault)


#: name -> (function, default posts/s), run by `--cluster` (`--posts` is the rate there: the feed
#: runs from 15 s before the fault to 10 s after it)
CLUSTER_SCENARIOS: dict[str, tuple[Callable[..., Result], int]] = {
    "leader_kill9": (leader_kill9, 100),
    "redis_master_kill9": (redis_master_kill9, 100),
    "rolling_restart": (rolling_restart, 100),
}


#: name -> (function, default number of posts)
SCENARIOS: dict[str, tuple[Callable[..., Result], int]] = {
    "kill9": (kill9, 50_000),
    "rebalance": (rebalance, 20_000),
    "broker_restart": (broker_restart, 20_000),
    "redis_outage": (redis_outage, 15_000),
    "burst": (burst, 20_000),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.chaos", description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, help="posts per scenario (default: each scenario's own); with --cluster: posts/s")
    parser.add_argument("--scenario", nargs="+", choices=sorted({**SCENARIOS, **CLUSTER_SCENARIOS}),
                        help="default: every scenario of the chosen set")
    parser.add_argument("--cluster", action="store_true",
                        help="the cluster scenarios, on three brokers and a Redis Cluster of our own")
    parser.add_argument("--run-dir", type=Path, help="keep the services' data and worker logs here")
    args = parser.parse_args(argv)
    chosen = CLUSTER_SCENARIOS if args.cluster else SCENARIOS
    if args.scenario and set(args.scenario) - chosen.keys():
        parser.error(f"{sorted(set(args.scenario) - chosen.keys())} need{'' if args.cluster else ' --cluster'}")
    results = []
    with (cluster_env if args.cluster else chaos_env)(args.run_dir) as env:
        print(f"chaos: kafka {env.kafka.bootstrap}, redis {env.redis.url}, logs in {env.run_dir / 'logs'}", flush=True)
        for name in args.scenario or list(chosen):
            fn, default = chosen[name]
            t0 = time.monotonic()
            try:
                results.append(fn(env, args.posts or default))
            except ChaosFailure as exc:
                print(f"chaos: {name} failed after {time.monotonic() - t0:.0f}s: {exc}", flush=True)
                results.append(Result(name, args.posts or default, 0, 0, 0, args.posts or default, 0, 0, 0, None,
                                      time.monotonic() - t0, notes=str(exc).splitlines()[0]))
            print(f"chaos: {name} done in {time.monotonic() - t0:.0f}s", flush=True)
    print(table(results))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
