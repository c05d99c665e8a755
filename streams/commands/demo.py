"""`modstream demo`: the whole pipeline on a local Kafka and Redis, fed a sample firehose.

Starts (or finds) Kafka and Redis, applies the topics, starts a worker subprocess,
ingests a generated firehose, shows live progress while decisions come out, and prints
what was decided. Services and the worker keep running so you can `tail` the topics;
`modstream local stop` (or `make stop`) stops them.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
import uuid
from collections import Counter
from dataclasses import replace
from pathlib import Path

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

from ops import local
from ops.local_prometheus import local_prometheus
from streams.commands import ingest, sample
from streams.infra import admin, reviewers, topics
from streams.infra.codec import Codec
from streams.infra.config import Settings
from streams.infra.logs import redact_url
from streams.infra.registry_import import load_seed
from streams.drivers.worker import WorkerProcess, settings_env


def _all_partitions(consumer: Consumer, topic: str) -> list[TopicPartition]:
    meta = consumer.list_topics(topic, timeout=10).topics[topic]
    return [TopicPartition(topic, p, OFFSET_BEGINNING) for p in sorted(meta.partitions)]


def _stop_old_worker(pid_file: Path) -> None:
    import os
    import signal

    if pid_file.exists():
        try:
            os.killpg(int(pid_file.read_text()), signal.SIGTERM)
            time.sleep(2)
        except (ProcessLookupError, ValueError, PermissionError):
            pass


#: The demo's reviewers (id, roles, password): for the demo only, never a real deployment.
DEMO_ROSTER = (("ana", ["analyst"], "ana-demo-pass"), ("sam", ["senior"], "sam-demo-pass"),
               ("lee", ["lead"], "lee-demo-pass"))


def demo_roster(path: Path) -> bool:
    """Write the demo reviewers to `path` when there is no roster yet (an operator's roster is left alone)."""
    if path.exists():
        return False
    for rid, roles, password in DEMO_ROSTER:
        reviewers.add(path, rid, roles, password, name=f"{rid} (demo {roles[0]})")
    return True


def run(settings: Settings, n_posts: int = 3000, timeout: float = 180.0) -> int:
    print("== modstream demo: starting Kafka, Redis and Prometheus (first run downloads Kafka jars) ...", flush=True)
    run_dir = local.default_run_dir()
    prometheus = local_prometheus(run_dir)
    prometheus.start()
    settings = replace(settings, kafka_bootstrap=local.ensure_kafka(),
                       redis_url=local.ensure_redis(),
                       metrics_port=0, metrics_targets_dir=str(prometheus.targets_dir))  # free ports, found by file_sd
    print(f"   kafka {settings.kafka_bootstrap}   redis {redact_url(settings.redis_url)}   prometheus {prometheus.url}")
    for change in admin.apply(settings):
        print(f"   topics: {change}")
    codec = Codec.from_dir(settings.schema_dir, registry_url=settings.schema_registry_url or None)

    pid_file = run_dir / "worker.pid"
    _stop_old_worker(pid_file)
    worker = WorkerProcess.start(settings_env(settings), run_dir / "logs" / "worker.log")
    pid_file.write_text(str(worker.proc.pid))
    print(f"== worker started (pid {worker.proc.pid}, JSON logs in {worker.log_path})")
    wrote_roster = demo_roster(settings.review_roster)

    watch = {spec.name: spec for spec in (topics.AUDIT, topics.ACTIONS, topics.NOTICES, topics.ESCALATIONS,
                                          topics.DEAD_LETTERS)}
    consumer = Consumer({**settings.kafka_config(), "group.id": f"modstream-demo-{uuid.uuid4().hex[:8]}",
                         "enable.auto.commit": False})
    consumer.assign([tp for name in watch for tp in _all_partitions(consumer, settings.topic(watch[name]))])

    run = f"demo{int(time.time())}-"  # this run's post ids: earlier runs' records are ignored
    lines = list(sample.generate(n_posts, load_seed(settings.registry_seed), run=run))
    started_at = datetime.now(timezone.utc).isoformat()[:19]
    print(f"== ingesting a sample firehose: {len(lines)} lines ({n_posts} posts, accounts, reports, 3 malformed)")
    stats = ingest.run(settings, codec, (line.encode() for line in lines), "demo-firehose", every=1000)
    print(f"   {stats.summary()}")

    decided: set[str] = set()
    routes, actions, notices = Counter(), Counter(), Counter()
    escalations = dead = 0
    started = last_print = time.monotonic()
    while len(decided) < stats.posts and time.monotonic() - started < timeout:
        for msg in consumer.consume(500, 0.5):
            if msg.error():
                continue
            name, value = codec.decode(msg.value())
            if name == topics.DEAD_LETTERS.schema:
                dead += value["source"] == "ingest:demo-firehose" and value["failed_at"] >= started_at
                continue
            if not value["post_id"].startswith(run):
                continue
            if name == topics.AUDIT.schema:
                if value["post_id"] not in decided:
                    decided.add(value["post_id"])
                    routes[value["route"]] += 1
            elif name == topics.ACTIONS.schema:
                actions[value["type"]] += 1
            elif name == topics.NOTICES.schema:
                notices[value["recipient"]] += 1
            elif name == topics.ESCALATIONS.schema:
                escalations += 1
        if time.monotonic() - last_print >= 1.0:
            last_print = time.monotonic()
            rate = len(decided) / max(last_print - started, 1e-9)
            print(f"   decided {len(decided):>6}/{stats.posts}  {rate:7.0f} posts/s  actions {sum(actions.values())}",
                  flush=True)
        if not worker.alive():
            print(f"!! worker exited with {worker.proc.returncode}; last log lines:\n{worker.tail()}")
            return 1
    consumer.close()

    print("\n== summary")
    print(f"   posts decided: {len(decided)}/{stats.posts} in {time.monotonic() - started:.1f}s")
    print("   routes:        " + ", ".join(f"{k} {v}" for k, v in routes.most_common()))
    print("   actions:       " + (", ".join(f"{k} {v}" for k, v in actions.most_common()) or "none"))
    print("   notices:       " + (", ".join(f"to {k} {v}" for k, v in notices.most_common()) or "none"))
    print(f"   escalations to public-interest review: {escalations}")
    print(f"   dead letters (malformed input): {dead}")
    print("\n== look at the topics (Ctrl-C to stop following):")
    print("   .venv/bin/modstream tail actions.v1 | head")
    print("   .venv/bin/modstream tail escalations.v1 --follow")
    print("   .venv/bin/modstream tail dead-letters.v1")
    print("   .venv/bin/modstream review list        # the public-interest reviews waiting for a human")
    if wrote_roster:
        print(f"   demo reviewers written to {settings.review_roster}:")
    print("   .venv/bin/modstream console            # the review console, http://127.0.0.1:8330; demo sign-ins: "
          + ", ".join(f"{r} / {pw} ({roles[0]})" for r, roles, pw in DEMO_ROSTER))
    print(f"\n== metrics: Prometheus at {prometheus.url} scrapes the worker (alerts: {prometheus.url}/alerts)")
    print(f"   {prometheus.url}/graph?g0.expr=sum%20by%20(route)%20(modstream_posts_decided_total)")
    print("   /healthz and /readyz of each worker process: the targets at " + f"{prometheus.url}/targets")
    print("   stop everything: make stop")
    return 0 if len(decided) == stats.posts else 1
