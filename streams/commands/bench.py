"""`modstream bench`: throughput and latency of the pipeline against raw Kafka, same broker, same run.

1. Seed N sample posts (benign, violating, political, with accounts and reports; each text set
   among everyday sentences, so texts vary in length and nearly all differ) onto a fresh,
   prefixed copy of the topics.
2. (A) passthrough: a confluent-kafka consumer -> producer copying the same post bytes.
3. (B) pipeline: W worker processes drain the backlog from posts to audit. Events/s and CPU
   per event (workers' utime+stime; the broker's and Redis's apart) are measured from when
   the hot path's consumer group is stable with all W members (start-up and join
   rebalances left out) to the last decision.
4. Latency and memory: posts produced at half of B's rate for `paced_seconds`; end-to-end
   latency is the audit record's timestamp minus the post record's (both set at produce
   time); workers' RSS is sampled every few seconds (a 10-minute run shows whether it is flat).
5. Tagging alone on one core, in this process: the Tagger as the hot path runs it (rules,
   banks and the learned classifier, batches of 1,000), and the model's scoring by itself
   (texts/s: featurise + score, `TextClassifier.predict_batch`).
Bench topics are deleted afterwards. State goes to database 1 of the local Redis, emptied first
(so earlier runs' daily cap counts do not turn removals into cap holds).
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import asdict, dataclass, replace
from typing import Iterable

from confluent_kafka import OFFSET_BEGINNING, ConsumerGroupState, Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from agents.classifier import TextClassifier
from agents.records import Case
from agents.tagger import Tagger
from ops import local
from streams.commands import ingest, sample
from streams.infra import admin, slots, topics
from streams.drivers import hotpath
from streams.infra.codec import Codec
from streams.infra.config import Settings
from streams.infra.registry_import import load_seed
from streams.drivers.worker import WorkerProcess, settings_env


TARGET_POSTS_S = 6_000  #: issue 13: end to end with 2 workers on this 2-core machine
TARGET_TEXTS_S = 20_000  #: issue 13: the model's scoring alone, per core
TARGET_P99_MS = 300  #: issue 13: at half the measured rate


@dataclass
class BenchResult:
    posts: int
    workers: int
    passthrough_eps: float
    pipeline_eps: float
    ratio: float
    p50_ms: float
    p99_ms: float
    latency_rate_eps: float  #: the paced rate latency and memory were measured at
    paced_seconds: float
    cpu_us_per_event: float  #: worker processes
    broker_cpu_us_per_event: float | None  #: the local broker (None when it is not ours)
    redis_cpu_us_per_event: float | None
    peak_rss_mb: float  #: max over worker processes, hot path children included (VmHWM)
    rss_start_mb: float  #: max over worker processes, first sample of the paced run
    rss_end_mb: float  #: likewise, last sample
    tagging_eps: float  #: the hot path's Tagger only, one core, batched
    model_tps: float | None  #: the learned classifier's scoring only, texts/s on one core (None: it is off)
    brokers: int = 1  #: local broker nodes (CPU per event: all of them together)
    redis_nodes: int = 1  #: local Redis processes (a Redis Cluster: masters and replicas)
    load_avg: tuple[float, float] = (0.0, 0.0)  #: the machine's 1-minute load average at start and end

    def table(self) -> str:
        def us(v: float | None) -> str:
            return "n/a (not a local service)" if v is None else f"{v:,.0f} µs"

        rows = [("posts", f"{self.posts:,}"), ("workers", str(self.workers)),
                ("(A) passthrough", f"{self.passthrough_eps:,.0f} events/s"),
                (f"(B) pipeline, {self.workers} workers", f"{self.pipeline_eps:,.0f} posts/s end to end"),
                ("B/A", f"{self.ratio:.3f}"),
                (f"latency p50 @ {self.latency_rate_eps:,.0f}/s", f"{self.p50_ms:,.1f} ms"),
                (f"latency p99 @ {self.latency_rate_eps:,.0f}/s", f"{self.p99_ms:,.1f} ms"),
                ("CPU per post, workers", us(self.cpu_us_per_event)),
                (f"CPU per post, broker x{self.brokers}", us(self.broker_cpu_us_per_event)),
                (f"CPU per post, Redis x{self.redis_nodes}", us(self.redis_cpu_us_per_event)),
                ("peak RSS (max process)", f"{self.peak_rss_mb:,.0f} MB"),
                (f"RSS over {self.paced_seconds:,.0f}s paced", f"{self.rss_start_mb:,.0f} -> {self.rss_end_mb:,.0f} MB"),
                ("tagging, 1 core", f"{self.tagging_eps:,.0f} posts/s"),
                ("model scoring, 1 core", "off" if self.model_tps is None else f"{self.model_tps:,.0f} texts/s"),
                ("issue 13 targets", self.targets()),
                ("machine load (1 min)", f"{self.load_avg[0]:.1f} at start, {self.load_avg[1]:.1f} at end "
                                         f"({os.cpu_count()} cores, shared)")]
        return "\n".join(f"{k:28} {v}" for k, v in rows)

    def targets(self) -> str:
        """Each speed target of issue 13, met or not, as measured in this run."""
        checks = [(f">= {TARGET_POSTS_S:,} posts/s with 2 workers", self.workers == 2 and self.pipeline_eps >= TARGET_POSTS_S),
                  (f"model >= {TARGET_TEXTS_S:,} texts/s a core", self.model_tps is not None and self.model_tps >= TARGET_TEXTS_S),
                  (f"p99 <= {TARGET_P99_MS} ms at half rate", self.p99_ms <= TARGET_P99_MS)]
        return "; ".join(f"{name}: {'met' if ok else 'NOT met'}" for name, ok in checks)


def _proc_cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> list[int]:
    """`pid` and its live descendants (a worker and its hot path child)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def _proc_mb(pid: int, field: str) -> float:
    """A /proc/<pid>/status size field (VmRSS:, VmHWM:) in MB."""
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _consumer(settings: Settings, topic: str) -> Consumer:
    c = Consumer({**settings.kafka_config(), "group.id": f"bench-{uuid.uuid4().hex[:8]}", "enable.auto.commit": False,
                  "fetch.min.bytes": 65536, "fetch.wait.max.ms": 50})
    parts = c.list_topics(topic, timeout=10).topics[topic].partitions
    c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in parts])
    return c


def passthrough(settings: Settings, n: int) -> float:
    """(A): copy n post records as raw bytes, consume -> produce; events/s from first read to last ack."""
    source = settings.topic(topics.POSTS)
    target = source + ".passthrough"
    client = AdminClient(settings.kafka_config())
    rf = admin.resolved_replication(settings)
    client.create_topics([NewTopic(target, settings.partitions, rf)])[target].result(30)
    consumer = _consumer(settings, source)
    producer = Producer({**settings.kafka_config(), "linger.ms": 5, "compression.type": "lz4", "acks": "all",
                         "enable.idempotence": True, "partitioner": "murmur2_random"})  # as the hot path's
    copied, started = 0, None
    while copied < n:
        for msg in consumer.consume(1000, 1.0):
            if msg.error():
                continue
            started = started or time.monotonic()
            while True:
                try:
                    producer.produce(target, key=msg.key(), value=msg.value())
                    break
                except BufferError:
                    producer.poll(0.1)
            copied += 1
        producer.poll(0)
    producer.flush(60)
    elapsed = time.monotonic() - (started or time.monotonic())
    consumer.close()
    return n / max(elapsed, 1e-9)


def _timestamps(settings: Settings, spec, want: Iterable[str], timeout: float) -> dict[str, int]:
    """post_id -> record timestamp (ms) on `spec`, until every wanted post has one. Reads keys only
    (every record of these topics is keyed by post id), so the reader costs the workers little CPU."""
    want = set(want)
    consumer = _consumer(settings, settings.topic(spec))
    seen: dict[str, int] = {}
    deadline = time.monotonic() + timeout
    while want - seen.keys() and time.monotonic() < deadline:
        for msg in consumer.consume(5000, 0.5):
            if msg.error() or msg.key() is None:
                continue
            post_id = msg.key().decode()
            if post_id in want and post_id not in seen:
                seen[post_id] = msg.timestamp()[1]
    consumer.close()
    if want - seen.keys():
        raise TimeoutError(f"{len(want - seen.keys())} of {len(want)} posts not on {spec.name} within {timeout:.0f}s")
    return seen


def _wait_group_stable(settings: Settings, group: str, members: int, timeout: float = 120.0) -> None:
    client = AdminClient(settings.kafka_config())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        d = client.describe_consumer_groups([group])[group].result(10)
        if (d.state == ConsumerGroupState.STABLE and len(d.members) == members
                and all(m.assignment.topic_partitions for m in d.members)):
            return
        time.sleep(0.1)
    raise TimeoutError(f"consumer group {group} did not settle with {members} members within {timeout:.0f}s")


def tagging(lines: list[str], policy, classifier: TextClassifier | None, batch: int = hotpath.BATCH) -> float:
    """Posts/s of the hot path's Tagger on one core (CPU time of this process), in its batches."""
    tagger = Tagger(policy, classifier=classifier)
    posts = [Case.from_dict(json.loads(x)).post for x in lines if x.startswith('{"post"')]
    started = time.process_time()
    for i in range(0, len(posts), batch):
        tagger.tag_batch(posts[i:i + batch])
    return len(posts) / max(time.process_time() - started, 1e-9)


def model_scoring(lines: list[str], classifier: TextClassifier, batch: int = hotpath.BATCH) -> float:
    """Texts/s of the classifier alone (featurise and score) on one core."""
    texts = [json.loads(x)["post"]["text"] for x in lines if x.startswith('{"post"')]
    started = time.process_time()
    for i in range(0, len(texts), batch):
        classifier.predict_batch(texts[i:i + batch])
    return len(texts) / max(time.process_time() - started, 1e-9)


@dataclass
class _Cpu:
    """CPU seconds of the workers, the local broker nodes and the local Redis processes (None: not ours)."""

    workers: list[int]
    broker: list[int] | None
    redis: list[int] | None

    def sample(self) -> tuple[float, float | None, float | None]:
        def total(pids: list[int] | None) -> float | None:
            return sum(_proc_cpu_seconds(p) for p in pids) if pids else None
        return total(self.workers) or 0.0, total(self.broker), total(self.redis)


def _per_event(a: float | None, b: float | None, n: int) -> float | None:
    return None if a is None or b is None else (b - a) * 1e6 / max(n, 1)


def run(settings: Settings, n: int = 200_000, workers: int = 2, paced_seconds: float = 10.0,
        classifier: bool = True, progress=print, brokers: int = 1, redis_cluster: bool = False) -> BenchResult:
    """Full tagging (rules, banks and the learned classifier in the hot path); rules only without `classifier`.
    `brokers` > 1 / `redis_cluster`: on the local Kafka cluster and Redis Cluster (`modstream local start
    --brokers 3 --redis-cluster`), started if needed."""
    load_start = os.getloadavg()[0]
    external = bool(os.environ.get("MODSTREAM_KAFKA_BOOTSTRAP", "").strip())
    external_redis = bool(os.environ.get("MODSTREAM_REDIS_URL", "").strip())
    redis_url = local.ensure_redis(cluster=redis_cluster)
    if not external_redis:  # our own throwaway Redis emptied (database 1 of a single one): earlier runs' caps don't count
        redis_url = redis_url if redis_cluster else redis_url.rsplit("/", 1)[0] + "/1"
        slots.connect_sync(redis_url).flushdb()
    settings = replace(settings, kafka_bootstrap=local.ensure_kafka(brokers=brokers), redis_url=redis_url,
                       topic_prefix=f"bench{int(time.time())}.", app_id=f"modstream-bench{int(time.time())}",
                       classifier=classifier, metrics_port=0)  # several workers: free metrics ports each
    admin.apply(settings)
    codec = Codec.from_dir(settings.schema_dir)
    registry = load_seed(settings.registry_seed)
    lines = list(sample.generate(n, registry, malformed=0, run="b-", varied=True))
    progress(f"bench: seeding {n:,} posts onto {settings.topic(topics.POSTS)} ...")
    ingest.run(settings, codec, (x.encode() for x in lines), "bench", progress=None)
    model = TextClassifier.load() if classifier else None
    tag_eps = tagging(lines, settings.policy(), model)
    model_tps = model_scoring(lines, model) if model else None
    progress(f"bench: tagging {tag_eps:,.0f} posts/s on one core"
             + (f", model scoring {model_tps:,.0f} texts/s" if model_tps else "") + "; (A) passthrough ...")
    a = passthrough(settings, n)
    progress(f"bench: (A) {a:,.0f} events/s; (B) pipeline with {workers} worker(s) ...")
    procs = [WorkerProcess.start(settings_env(settings), local.default_run_dir() / "logs" / f"bench-worker{i}.log")
             for i in range(workers)]
    try:
        _wait_group_stable(settings, hotpath.group_id(settings), workers)  # the hot path children are up
        pids = [pid for p in procs for pid in _tree(p.proc.pid)]
        kafka = local.local_kafka_cluster(brokers=brokers) if brokers > 1 else local.local_kafka()
        rds = local.local_redis_cluster() if redis_cluster else local.local_redis()
        cpu = _Cpu(pids, None if external else _pids(kafka), None if external_redis else _pids(rds))
        post_ids = [json.loads(x)["post"]["post_id"] for x in lines if x.startswith('{"post"')]
        # measured from when every worker holds its partitions: start-up and the joins' rebalances left out
        t0_ms, start = time.time() * 1000, cpu.sample()
        decided = _timestamps(settings, topics.AUDIT, post_ids, timeout=max(600.0, n / 50))
        end = cpu.sample()
        stamps = [t for t in decided.values() if t >= t0_ms]
        if len(stamps) < len(post_ids) // 2:
            raise RuntimeError(f"only {len(stamps):,} of {len(post_ids):,} posts were left once the workers were up: "
                               "run with more --posts")
        b = len(stamps) / max((max(stamps) - t0_ms) / 1000, 1e-9)
        cpu_us, broker_us, redis_us = (_per_event(x, y, len(stamps)) for x, y in zip(start, end))
        rate = b / 2
        progress(f"bench: (B) {b:,.0f} events/s; paced at {rate:,.0f}/s for {paced_seconds:.0f}s ...")
        latencies, rss = _paced(settings, codec, registry, pids, rate, paced_seconds)
        peak = max(_proc_mb(pid, "VmHWM:") for pid in pids)
    finally:
        for p in procs:
            p.stop()
        _drop_topics(settings)
    return BenchResult(n, workers, a, b, b / a, _percentile(latencies, 0.5), _percentile(latencies, 0.99), rate,
                       paced_seconds, cpu_us, broker_us, redis_us, peak, rss[0], rss[-1], tag_eps, model_tps, brokers,
                       len(getattr(rds, "nodes", [rds])), (load_start, os.getloadavg()[0]))


def _pids(service) -> list[int]:
    """Pids of a local service, one node or a cluster's every node."""
    return [p for p in (n.pid() for n in getattr(service, "nodes", [service])) if p is not None]


def _paced(settings: Settings, codec: Codec, registry, pids: list[int], rate: float,
           seconds: float) -> tuple[list[float], list[float]]:
    """Produce posts at `rate` for `seconds`; return end-to-end latencies (ms, every k-th post, at
    most ~50,000) and the workers' RSS (MB, max over worker processes) sampled every 5 s."""
    pool_lines = list(sample.generate(min(int(rate * seconds), 20_000), registry, malformed=0, run="l-", seed=11,
                                      varied=True))
    ing = ingest.Ingestor(settings, codec, "bench-paced")
    for x in pool_lines:  # their accounts and reports
        if not x.startswith('{"post"'):
            ing.line(0, x.encode())
    ing.producer.flush(30)
    pool = [json.loads(x)["post"] for x in pool_lines if x.startswith('{"post"')]
    total = int(rate * seconds)
    every = max(1, total // 50_000)
    rss: list[float] = []
    started = next_rss = time.monotonic()
    for i in range(total):  # encoded as sent: a long run would not fit in memory pre-encoded
        post = {**pool[i % len(pool)], "post_id": f"l-{i:09d}"}
        ing.produce(topics.POSTS, post["post_id"], codec.encode(topics.POSTS.schema, post))
        now = time.monotonic()
        if now >= next_rss:
            rss.append(max(_proc_mb(pid, "VmRSS:") for pid in pids))
            next_rss += 5.0
        ahead = started + i / rate - now
        if ahead > 0:
            ing.producer.poll(ahead)
    ing.close()
    rss.append(max(_proc_mb(pid, "VmRSS:") for pid in pids))
    ids = {f"l-{i:09d}" for i in range(0, total, every)}
    done = _timestamps(settings, topics.AUDIT, ids, timeout=120)
    produced = _timestamps(settings, topics.POSTS, ids, timeout=60)
    return [done[i] - produced[i] for i in ids], rss


def _drop_topics(settings: Settings) -> None:
    client = AdminClient(settings.kafka_config())
    names = [t for t in client.list_topics(timeout=10).topics
             if t.startswith(settings.topic_prefix) or t.startswith(settings.app_id)]
    if names:
        for f in client.delete_topics(names).values():
            try:
                f.result(30)
            except Exception:
                pass


def as_json(result: BenchResult) -> str:
    return json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(result).items()})
