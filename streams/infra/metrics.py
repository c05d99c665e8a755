"""Prometheus metrics, /healthz and /readyz: one HTTP endpoint per worker process.

One endpoint per process (the faust worker on `metrics_port`, its hot path child on the next
port), not prometheus-client's multiprocess mode: each process has its own consumer group and
its own readiness, a restarted child starts clean instead of leaving mmap files to merge, and
Prometheus sums across processes anyway. `metrics_port` 0 picks free ports; each process then
writes a file_sd target file into `metrics_targets_dir`, which the local Prometheus watches.

Labels are bounded: routes, action types, policy codes, detector kinds, stages, error types,
queue kinds, topic-partitions. Never post ids, account ids, handles or text.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping
from wsgiref.simple_server import WSGIServer, make_server

import structlog
from prometheus_client import REGISTRY, Counter, Gauge, Histogram, Info, make_wsgi_app
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import ThreadingWSGIServer, _SilentHandler

if TYPE_CHECKING:
    from agents.effects import Decision
    from streams.infra.liveness import Liveness

log = structlog.get_logger("modstream.metrics")

DECIDED = Counter("modstream_posts_decided", "Decisions written to audit.v1, by route and kind", ["route", "kind"])
ACTIONS = Counter("modstream_actions", "Actions produced, by type, policy and who decided",
                  ["type", "policy", "decided_by"])
VIOLATIONS = Counter("modstream_violations", "Violations on decided posts, by policy and detector source",
                     ["policy", "source"])
BATCH_SIZE = Histogram("modstream_batch_size", "Records per hot path batch",
                       buckets=(1, 10, 50, 100, 250, 500, 1000))
BATCH_SECONDS = Histogram("modstream_batch_duration_seconds", "Time to decide and deliver one hot path batch",
                          buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
LATENCY = Histogram("modstream_decision_latency_seconds", "Post produce time (broker timestamp) to its decision",
                    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800))
LAG = Gauge("modstream_consumer_lag", "Records not yet committed, per partition this process owns",
            ["group", "topic", "partition"])
IDLE = Gauge("modstream_seconds_since_progress", "Seconds since this consumer last committed while lag > 0",
             ["group"])
DEAD = Counter("modstream_dead_letters", "Records sent to dead-letters.v1, by stage and error type",
               ["stage", "error_type"])
CAP_HOLDS = Counter("modstream_cap_holds", "Decisions held for a human by a daily cap, per capped type", ["action"])
REGISTRY_SIZE = Gauge("modstream_registry_designated_accounts", "Accounts with designations loaded from the seed")
CLASSIFIER = Info("modstream_classifier", "The learned classifier this process runs ('off' when none)")
REDIS_ERRORS = Counter("modstream_redis_errors", "Redis calls that failed and were retried, by operation", ["op"])
KAFKA_ERRORS = Counter("modstream_kafka_errors", "Kafka consume, produce and commit errors", ["op"])
RESTARTS = Counter("modstream_watchdog_restarts", "Stuck consumers restarted (the parent counts its child's)",
                   ["group"])


def faust_sensor():
    """A faust sensor counting the faust side's produce errors (the hot path counts its own)."""
    import faust

    class KafkaErrors(faust.Sensor):
        def on_send_error(self, producer, exc, state) -> None:
            KAFKA_ERRORS.labels("produce").inc()

    return KafkaErrors()


def violation_source(source: str) -> str:
    """Bounded kind of a violation's source: rules, classifier, bank, shadow (a rule or head in shadow
    mode, agents.tagger) or upstream."""
    if source.startswith("shadow:"):
        return "shadow"
    if source.startswith("hashbank@"):
        return "bank"
    if source.startswith("clf."):
        return "classifier"
    return "rules" if source.startswith("rules.") else "upstream"  # upstream: whatever the platform sent


_children: dict[tuple[int, tuple[str, ...]], Any] = {}


def _child(metric: Any, *values: str) -> Any:
    """`metric.labels(*values)`, looked up once per label set: the hot path counts every decision, and
    `labels` (checks, a lock, a tuple per call) cost more than the count. Only for metrics whose children
    are never removed (the label sets are bounded: routes, kinds, action types, policy codes, sources)."""
    key = (id(metric), values)
    child = _children.get(key)
    if child is None:
        child = _children[key] = metric.labels(*values)
    return child


def decision(d: "Decision", kind: str) -> None:
    """Count one decision as it becomes output records (streams.engine.apply.decision_records)."""
    _child(DECIDED, d.route, kind).inc()
    for a in d.actions:
        _child(ACTIONS, a.type, a.policy, "automated" if a.automated else "human").inc()
    if kind == "post_decision":
        for v in d.violations:
            _child(VIOLATIONS, v.policy, violation_source(v.source)).inc()
        for t in d.cap_held:
            _child(CAP_HOLDS, t).inc()


def latency(produced: tuple[int, int]) -> None:
    """A confluent-kafka message timestamp (type, ms) to now; skipped when the broker gave none."""
    kind, ms = produced
    if kind and ms > 0:
        LATENCY.observe(max(0.0, time.time() - ms / 1000))


def lag(lv: "Liveness") -> None:
    """Per-partition lag of what this process owns; partitions it lost are dropped."""
    sample = lv.sample
    if sample is None:
        return
    current = {(lv.group, t, str(p)) for t, p in sample.lag}
    for labels in [s for s in _lag_labels if s not in current]:
        LAG.remove(*labels)
        _lag_labels.discard(labels)
    for (t, p), n in sample.lag.items():
        LAG.labels(lv.group, t, str(p)).set(n)
        _lag_labels.add((lv.group, t, str(p)))
    IDLE.labels(lv.group).set(lv.idle_seconds())


_lag_labels: set[tuple[str, str, str]] = set()

# --- shared state (review queue, daily caps), read from Redis at scrape time -----------------

#: open items per kind and the oldest one's created_at (epoch), in one bounded pass inside Redis
_QUEUE_SCAN = """
local depth, oldest, seen = {}, {}, 0
for _, state in ipairs({'pending', 'claimed'}) do
  local rows = redis.call('ZRANGE', KEYS[1] .. state, 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')
  for i = 1, #rows, 2 do
    seen = seen + 1
    local raw = redis.call('GET', KEYS[2] .. rows[i])
    if raw then
      local kind = cjson.decode(raw)['kind']
      depth[kind] = (depth[kind] or 0) + 1
      local at = tonumber(rows[i + 1])
      if oldest[kind] == nil or at < oldest[kind] then oldest[kind] = at end
    end
  end
end
local out = {}
for kind, n in pairs(depth) do table.insert(out, kind); table.insert(out, n); table.insert(out, tostring(oldest[kind])) end
return out
"""
QUEUE_SCAN_LIMIT = 20_000  #: open items read per state and scrape; the README says so


class StateCollector:
    """Review queue depth and oldest age per kind, and the daily caps' use, asked of Redis when
    Prometheus scrapes: every worker reports the same shared numbers (dashboards take the max)."""

    def __init__(self, redis_url: str, caps: Mapping[str, int]):
        from streams.infra.review_queue import KINDS
        from streams.infra.slots import connect_sync, key

        self.kinds, self.caps, self.key = KINDS, dict(caps), key
        self.client = connect_sync(redis_url, socket_timeout=2, socket_connect_timeout=2)  # keys: {review}, {capres}
        self.scan = self.client.register_script(_QUEUE_SCAN)
        self.keys = [key("reviewq", ""), key("review", "")]

    def collect(self):
        import redis

        depth = GaugeMetricFamily("modstream_review_queue_depth", "Open review items (pending or claimed)",
                                  labels=["kind"])
        oldest = GaugeMetricFamily("modstream_review_queue_oldest_seconds",
                                   "Age of the oldest open review item, from the post's (or appeal's) time",
                                   labels=["kind"])
        used = GaugeMetricFamily("modstream_cap_used", "Automated actions reserved today (UTC) per capped type",
                                 labels=["action"])
        limit = GaugeMetricFamily("modstream_cap_limit", "Daily cap per action type", labels=["action"])
        day = datetime.now(timezone.utc).date().isoformat()
        try:
            rows = self.scan(keys=self.keys, args=[QUEUE_SCAN_LIMIT])
            pipe = self.client.pipeline(transaction=False)
            for t in self.caps:
                pipe.scard(self.key("capres", f"{day}:{t}"))  # streams.infra.stores.RedisDailyCaps' reservations
            reserved = pipe.execute()
        except redis.RedisError as exc:
            REDIS_ERRORS.labels("metrics.state").inc()
            log.warning("state_metrics_failed", error=type(exc).__name__)
            return
        for (t, cap), n in zip(self.caps.items(), reserved):
            used.add_metric([t], n)
            limit.add_metric([t], cap)
        found = {rows[i].decode(): (int(rows[i + 1]), float(rows[i + 2])) for i in range(0, len(rows), 3)}
        now = time.time()
        for kind in self.kinds:
            n, at = found.get(kind, (0, now))
            depth.add_metric([kind], n)
            oldest.add_metric([kind], max(0.0, now - at) if n else 0.0)
        yield from (depth, oldest, used, limit)

    def redis_ok(self) -> bool:
        import redis

        try:
            return bool(self.client.ping())
        except (redis.RedisError, OSError):
            return False


# --- the endpoint ---------------------------------------------------------------------------


@dataclass
class Endpoint:
    """A process's /metrics, /healthz and /readyz server."""

    server: WSGIServer
    target_file: Path | None

    @property
    def port(self) -> int:
        return self.server.server_port

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self.target_file is not None:
            self.target_file.unlink(missing_ok=True)


def _app(liveness: "Liveness | None", state: StateCollector):
    metrics_app = make_wsgi_app(REGISTRY)

    def app(environ: dict[str, Any], start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"alive\n"]
        if path == "/readyz":
            why = (liveness.unready(state.redis_ok()) if liveness is not None
                   else ([] if state.redis_ok() else ["redis does not answer"]))
            body = json.dumps({"ready": not why, "reasons": why,
                               "group": liveness.group if liveness else None,
                               "lag": liveness.total_lag() if liveness else None}).encode()
            start_response("200 OK" if not why else "503 Service Unavailable", [("Content-Type", "application/json")])
            return [body + b"\n"]
        return metrics_app(environ, start_response)

    return app


def serve(host: str, port: int, role: str, state: StateCollector, liveness: "Liveness | None" = None,
          targets_dir: str = "") -> Endpoint:
    """Start the endpoint in a daemon thread; with `targets_dir`, announce it to Prometheus's file_sd."""
    import threading

    server = make_server(host, port, _app(liveness, state), ThreadingWSGIServer, handler_class=_SilentHandler)
    threading.Thread(target=server.serve_forever, name=f"metrics-{role}", daemon=True).start()
    target = None
    if targets_dir:
        target = Path(targets_dir) / f"{role}-{os.getpid()}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        _prune(target.parent)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps([{"targets": [f"{host}:{server.server_port}"], "labels": {"role": role}}]))
        tmp.rename(target)  # file_sd reads whole files only
    log.info("metrics_listening", role=role, address=f"{host}:{server.server_port}",
             paths=["/metrics", "/healthz", "/readyz"])
    return Endpoint(server, target)


def _prune(targets_dir: Path) -> None:
    """Drop target files of processes that are gone (killed with -9: no chance to remove their own)."""
    for f in targets_dir.glob("*-*.json"):
        pid = f.stem.rsplit("-", 1)[1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            f.unlink(missing_ok=True)


_collectors: list[StateCollector] = []


def state_collector(redis_url: str, caps: Mapping[str, int]) -> StateCollector:
    """The process's one state collector (registered once), which also answers "does Redis answer?"."""
    if not _collectors:
        _collectors.append(StateCollector(redis_url, caps))
        REGISTRY.register(_collectors[0])
    return _collectors[0]
