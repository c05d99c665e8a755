"""`modstream bench`: throughput and latency of the pipeline against raw Kafka, same broker, same run.

1. Seed N sample posts (benign, violating, political, with accounts and reports) onto a
   fresh, prefixed copy of the topics.
2. (A) passthrough: a confluent-kafka consumer -> producer copying the same post bytes.
3. (B) pipeline: W worker processes drain the backlog from posts to audit; events/s over
   the drain, CPU seconds per event (workers' utime+stime), peak RSS (VmHWM).
4. Latency: M more posts paced at half of B's rate; end-to-end latency is the audit
   record's timestamp minus the post record's timestamp (both set at produce time).
5. Fast path: the tagger alone on one core, in this process.
Bench topics are deleted afterwards.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import asdict, dataclass, replace
from typing import Iterable

from confluent_kafka import OFFSET_BEGINNING, Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from agents.records import Case
from agents.tagger import Tagger
from ops import local
from streams import admin, ingest, sample, topics
from streams.codec import Codec
from streams.config import Settings
from streams.registry_import import load_seed
from streams.worker import WorkerProcess, settings_env


@dataclass
class BenchResult:
    posts: int
    workers: int
    passthrough_eps: float
    pipeline_eps: float
    ratio: float
    p50_ms: float
    p99_ms: float
    latency_rate_eps: float  #: the paced rate the latency was measured at
    cpu_us_per_event: float
    peak_rss_mb: float
    fastpath_eps: float  #: tagger only, one core

    def table(self) -> str:
        rows = [("posts", f"{self.posts:,}"), ("workers", str(self.workers)),
                ("(A) passthrough", f"{self.passthrough_eps:,.0f} events/s"),
                ("(B) pipeline", f"{self.pipeline_eps:,.0f} events/s"), ("B/A", f"{self.ratio:.3f}"),
                (f"latency p50 @ {self.latency_rate_eps:,.0f}/s", f"{self.p50_ms:,.1f} ms"),
                (f"latency p99 @ {self.latency_rate_eps:,.0f}/s", f"{self.p99_ms:,.1f} ms"),
                ("CPU per event", f"{self.cpu_us_per_event:,.0f} µs"), ("peak RSS (max worker)", f"{self.peak_rss_mb:,.0f} MB"),
                ("fast-path tagging, 1 core", f"{self.fastpath_eps:,.0f} posts/s")]
        return "\n".join(f"{k:28} {v}" for k, v in rows)


def _proc_cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _proc_peak_rss_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
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
    client.create_topics([NewTopic(target, settings.partitions, settings.replication)])[target].result(30)
    consumer = _consumer(settings, source)
    producer = Producer({**settings.kafka_config(), "linger.ms": 5, "compression.type": "lz4",
                         "partitioner": "murmur2_random"})
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


def _audit_times(settings: Settings, codec: Codec, want: Iterable[str], timeout: float) -> dict[str, int]:
    """post_id -> audit record timestamp (ms), until every wanted post has one."""
    want = set(want)
    consumer = _consumer(settings, settings.topic(topics.AUDIT))
    seen: dict[str, int] = {}
    deadline = time.monotonic() + timeout
    while want - seen.keys() and time.monotonic() < deadline:
        for msg in consumer.consume(2000, 0.5):
            if msg.error():
                continue
            post_id = codec.decode(msg.value())[1]["post_id"]
            if post_id in want and post_id not in seen:
                seen[post_id] = msg.timestamp()[1]
    consumer.close()
    if want - seen.keys():
        raise TimeoutError(f"{len(want - seen.keys())} of {len(want)} posts not decided within {timeout:.0f}s")
    return seen


def _post_times(settings: Settings, codec: Codec, want: set[str]) -> dict[str, int]:
    consumer = _consumer(settings, settings.topic(topics.POSTS))
    seen: dict[str, int] = {}
    while want - seen.keys():
        for msg in consumer.consume(2000, 1.0):
            if not msg.error():
                post_id = codec.decode(msg.value())[1]["post_id"]
                if post_id in want:
                    seen[post_id] = msg.timestamp()[1]
    consumer.close()
    return seen


def fastpath(lines: list[str], policy) -> float:
    tagger = Tagger(policy)
    posts = [Case.from_dict(json.loads(x)).post for x in lines if x.startswith('{"post"')]
    started = time.process_time()
    for post in posts:
        tagger.tag(post)
    return len(posts) / max(time.process_time() - started, 1e-9)


def run(settings: Settings, n: int = 50_000, workers: int = 2, latency_seconds: float = 10.0,
        classifier: bool = False, progress=print) -> BenchResult:
    """Fast-path tagging (the issue's target) unless `classifier`."""
    settings = replace(settings, kafka_bootstrap=local.ensure_kafka(), redis_url=local.ensure_redis(),
                       topic_prefix=f"bench{int(time.time())}.", app_id=f"modstream-bench{int(time.time())}",
                       classifier=classifier)
    admin.apply(settings)
    codec = Codec.from_dir(settings.schema_dir)
    registry = load_seed(settings.registry_seed)
    lines = list(sample.generate(n, registry, malformed=0, run="b-"))
    progress(f"bench: seeding {n:,} posts onto {settings.topic(topics.POSTS)} ...")
    ingest.run(settings, codec, (x.encode() for x in lines), "bench", progress=None)
    fast = fastpath(lines, settings.policy())
    progress(f"bench: fast-path tagging {fast:,.0f} posts/s on one core; (A) passthrough ...")
    a = passthrough(settings, n)
    progress(f"bench: (A) {a:,.0f} events/s; (B) pipeline with {workers} worker(s) ...")
    procs = [WorkerProcess.start(settings_env(settings), local.default_run_dir() / "logs" / f"bench-worker{i}.log")
             for i in range(workers)]
    try:
        post_ids = [json.loads(x)["post"]["post_id"] for x in lines if x.startswith('{"post"')]
        cpu0 = sum(_proc_cpu_seconds(p.proc.pid) for p in procs)
        decided = _audit_times(settings, codec, post_ids, timeout=max(600.0, n / 50))
        cpu1 = sum(_proc_cpu_seconds(p.proc.pid) for p in procs)
        stamps = sorted(decided.values())
        # sustained rate over the drain, leaving out the first 5% (consumer-group start-up)
        head = stamps[len(stamps) // 20]
        b = (len(stamps) - len(stamps) // 20) / max((stamps[-1] - head) / 1000, 1e-9)
        cpu_us = (cpu1 - cpu0) * 1e6 / n
        progress(f"bench: (B) {b:,.0f} events/s; latency at {b / 2:,.0f}/s for {latency_seconds:.0f}s ...")
        rate = b / 2
        m = int(rate * latency_seconds)
        extra = list(sample.generate(m, registry, malformed=0, run="l-", seed=11))
        extra_posts = [x for x in extra if x.startswith('{"post"')]
        # encode first, then produce the raw bytes at the pace: the bench's own cost stays off the clock
        ing = ingest.Ingestor(settings, codec, "bench-latency")
        for x in extra:
            if not x.startswith('{"post"'):
                ing.line(0, x.encode())
        ing.producer.flush(30)
        encoded = [rec for x in extra_posts for rec in ing.records(json.loads(x)) if rec[0] is topics.POSTS]
        started = time.monotonic()
        for i, (spec, key, value) in enumerate(encoded):
            ing.produce(spec, key, value)
            ahead = started + i / rate - time.monotonic()
            if ahead > 0:
                ing.producer.poll(ahead)
        ing.close()
        ids = {json.loads(x)["post"]["post_id"] for x in extra_posts}
        done = _audit_times(settings, codec, ids, timeout=120)
        produced = _post_times(settings, codec, ids)
        latencies = [done[i] - produced[i] for i in ids]
        rss = max(_proc_peak_rss_mb(p.proc.pid) for p in procs)
    finally:
        for p in procs:
            p.stop()
        _drop_topics(settings)
    return BenchResult(n, workers, a, b, b / a, _percentile(latencies, 0.5), _percentile(latencies, 0.99), rate,
                       cpu_us, rss, fast)


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
