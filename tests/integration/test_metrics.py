"""Metrics end to end: a real Prometheus (Debian's package) scrapes a real worker on the real broker.

The worker picks free ports and announces them through file_sd, as `modstream local start` does.
"""

from __future__ import annotations

import json
import time
import socket
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

from ops import local
from ops.local_prometheus import LocalPrometheus
from streams.commands import ingest
from streams.infra import clients, topics
from streams.drivers.worker import WorkerProcess, settings_env

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def value(prom: LocalPrometheus, promql: str) -> float | None:
    result = prom.query(promql)
    return float(result[0]["value"][1]) if result else None


def endpoints(targets: Path) -> dict[str, str]:
    """role -> host:port, from the file_sd target files the worker's processes wrote."""
    out = {}
    for f in targets.glob("*.json"):
        for group in json.loads(f.read_text()):
            out[group["labels"]["role"]] = group["targets"][0]
    return out


def get(url: str) -> tuple[int, dict | str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            body = resp.read().decode()
            return resp.status, json.loads(body) if body.startswith("{") else body
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read().decode())


@pytest.fixture
def prometheus(tmp_path):
    prom = LocalPrometheus(tmp_path / "prom", port=free_port(), scrape_interval="1s")
    prom.start()
    try:
        yield prom
    finally:
        prom.stop()


def test_prometheus_counts_what_audit_holds(stack, codec, services, prometheus, poll):
    s = replace(stack, metrics_targets_dir=str(prometheus.targets_dir), classifier=False)
    worker = WorkerProcess.start(settings_env(s), services.run_dir / f"{s.app_id}-metrics.log")
    try:
        poll(lambda: len(endpoints(prometheus.targets_dir)) == 2, 60, "both worker processes' target files")
        poll(lambda: value(prometheus, 'count(up{job="modstream"} == 1)') == 2, 60, "Prometheus scraping both")
        texts = ["I will kill you tomorrow", "what a lovely morning", "buy cheap pills now", "hello there"]
        lines = [json.dumps({"post": {"post_id": f"m{i}", "author_id": str(i % 7), "text": texts[i % 4],
                                      "created_at": "2026-11-20T12:00:00Z"}}).encode() for i in range(120)]
        lines.append(b'{"post": {"post_id": ')  # malformed: a dead letter from ingest, not a decision
        ingest.run(s, codec, lines, "metrics", progress=None)

        def audit() -> int:
            return len({r["value"]["post_id"] for r in clients.records(s, codec, s.topic(topics.AUDIT), idle_timeout=0.5)})

        poll(lambda: audit() == 120, 120, "120 decisions on audit.v1")
        decided = poll(lambda: value(prometheus, "sum(modstream_posts_decided_total)") == audit() or None, 60,
                       f"modstream_posts_decided_total to match audit.v1; {worker.tail(5)}")
        assert decided
        poll(lambda: value(prometheus, 'sum(modstream_consumer_lag{group=~".*-decide"})') == 0, 60,
             "hot path lag back to 0")
        assert value(prometheus, 'sum(modstream_posts_decided_total{route="enforce"})') >= 30  # the threats
        assert value(prometheus, 'sum(modstream_violations_total{source="rules"})') >= 30
        assert value(prometheus, "sum(modstream_batch_size_count)") >= 1
        assert value(prometheus, "histogram_quantile(0.99, sum(rate(modstream_decision_latency_seconds_bucket[1m])) by (le))") < 60
        assert value(prometheus, 'count(modstream_classifier_info{version="off"})') >= 1
        assert value(prometheus, 'count(modstream_review_queue_depth{kind="public_interest"})') >= 1
        assert value(prometheus, 'max(modstream_cap_limit{action="remove"})') == s.policy().daily_caps["remove"]
        assert value(prometheus, 'max(modstream_cap_used{action="remove"})') >= 30  # the threats' removals
        for role, address in endpoints(prometheus.targets_dir).items():  # the hot path and the faust agents
            status, ready = get(f"http://{address}/readyz")
            assert (status, ready["ready"], ready["lag"]) == (200, True, 0), (role, ready)
        hot = endpoints(prometheus.targets_dir)["hotpath"]
        assert get(f"http://{hot}/healthz") == (200, "alive\n")
        scrape = get(f"http://{hot}/metrics")[1]
        assert "m1" not in scrape.split() and "kill" not in scrape  # no post ids, no text
    finally:
        worker.stop()
    left = list(prometheus.targets_dir.glob("*.json"))
    assert not left, f"a stopped worker removes its target files: {left}\n{worker.tail(15)}"


def test_readyz_follows_redis(stack, services, tmp_path, poll):
    """A Redis of its own, stopped and started again: /readyz says so, then recovers."""
    rds = local.LocalRedis(tmp_path / "redis", port=free_port())
    s = replace(stack, redis_url=rds.start(), metrics_targets_dir=str(tmp_path / "targets"), classifier=False,
                app_id=f"{stack.app_id}-r")
    worker = WorkerProcess.start(settings_env(s), tmp_path / "worker.log")
    try:
        hot = poll(lambda: endpoints(tmp_path / "targets").get("hotpath"), 60, "the hot path's target file")
        poll(lambda: get(f"http://{hot}/readyz")[0] == 200, 90, "ready with Redis up")
        rds.stop()
        status, body = poll(lambda: (r := get(f"http://{hot}/readyz"))[0] == 503 and r, 30, "unready")
        assert "redis does not answer" in body["reasons"]
        assert worker.alive()
        rds.start()
        poll(lambda: get(f"http://{hot}/readyz")[0] == 200, 30, "ready again after Redis is back")
    finally:
        worker.stop()
        rds.stop()


def test_local_cli_starts_prometheus_and_status_prints_its_url(tmp_path, monkeypatch, capsys):
    port = free_port()
    monkeypatch.setenv("MODSTREAM_LOCAL_PROMETHEUS_PORT", str(port))
    try:
        assert local.main(["start", "prometheus", "--run-dir", str(tmp_path)]) == 0
        assert local.main(["status", "prometheus", "--run-dir", str(tmp_path)]) == 0
        out = capsys.readouterr().out
        assert f"prometheus http://127.0.0.1:{port}: running" in out, out
        rules = LocalPrometheus(tmp_path, port=port).query('count(ALERTS) or vector(0)')
        assert rules, "Prometheus answers queries"
    finally:
        assert local.main(["stop", "prometheus", "--run-dir", str(tmp_path)]) == 0
    assert local.main(["status", "prometheus", "--run-dir", str(tmp_path)]) == 0
    assert f"prometheus http://127.0.0.1:{port}: stopped" in capsys.readouterr().out


def test_review_queue_and_caps_are_read_from_redis(services):
    """The scrape-time collector against real Redis: depth and oldest age per kind, caps reserved today."""
    import asyncio
    from datetime import datetime, timezone

    import redis as redis_lib

    from agents.caps import apply_caps
    from agents.policy import Policy
    from agents.records import Account, Case, Designation, Post, Violation
    from agents.router import decide
    from streams.infra import stores
    from streams.infra.metrics import StateCollector
    from streams.infra.review_queue import RedisReviewQueue

    url = services.redis_url.rsplit("/", 1)[0] + "/7"  # a database of its own
    redis_lib.Redis.from_url(url).flushdb()
    senator = Designation("100", "elected_or_appointed_official", "US Senate", "national", "US-VT", "registry:test",
                          valid_from="2025-01-03", valid_until="2031-01-03", person="A Senator")
    policy = Policy()

    def routed(post_id: str, at: str):
        author = Account("100", followers=500_000, verified=True)
        post = Post(post_id, "100", "The Senate must vote no on this bill, these people are vermin", at)
        return decide(Case(post, author), [Violation("hateful_conduct", 0.95, ("slur",), "rules.hate@1")],
                      {"100": (senator,)}, policy)

    threat = decide(Case(Post("p9", "7", "I will kill you", "2026-11-20T13:00:00Z"), Account("7")),
                    [Violation("violence", 0.95, ("threat",), "rules.violence@1")], {}, policy)
    held = apply_caps(threat, {"remove": 10**9}, policy, post_created_at="2026-11-20T13:00:00Z")

    async def fill():
        client = stores.connect(url)
        queue = RedisReviewQueue(client)
        for d in (routed("p1", "2026-11-20T12:00:00Z"), routed("p2", "2026-11-21T12:00:00Z"), held):
            await queue.add_escalation(d.escalation.to_dict())
        day = datetime.now(timezone.utc).date().isoformat()
        await client.sadd(stores.key("capres", f"{day}:remove"), "a1", "a2", "a3")
        await client.aclose()

    asyncio.run(fill())
    got = {(m.name, s.labels.get("kind") or s.labels.get("action")): s.value
           for m in StateCollector(url, {"remove": 50, "suspend_account": 10}).collect() for s in m.samples}
    assert got[("modstream_review_queue_depth", "public_interest")] == 2
    assert got[("modstream_review_queue_depth", "cap_hold")] == 1
    assert got[("modstream_review_queue_depth", "appeal")] == 0
    oldest = datetime(2026, 11, 20, 12, tzinfo=timezone.utc).timestamp()
    assert abs(got[("modstream_review_queue_oldest_seconds", "public_interest")] - (time.time() - oldest)) < 60
    assert (got[("modstream_cap_used", "remove")], got[("modstream_cap_limit", "remove")]) == (3, 50)
    assert got[("modstream_cap_used", "suspend_account")] == 0
