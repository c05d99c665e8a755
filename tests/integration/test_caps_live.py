"""Daily caps on the real broker and Redis: a cap of 3 removals applies exactly 3, every other threat is
held for a human (route human_review), and a redelivery of the whole input (a new consumer group reading
the same topics) decides every post the same: its removals were reserved by action id, so they are
neither charged twice nor turned into holds."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import uuid

import pytest
import redis

from streams.infra import admin, stores, topics
from streams.drivers.worker import WorkerProcess, settings_env

pytestmark = pytest.mark.integration
T0 = "2026-11-20T12:00:00Z"
N = 24


def _decide_all(s, codec, wait_records, log, n: int) -> list[dict]:
    worker = WorkerProcess.start(settings_env(s), log, role="hotpath")
    try:
        audit = wait_records(s, codec, topics.AUDIT, n=n, timeout=120)
    finally:
        worker.stop()
    assert len(audit) >= n, worker.tail()
    return audit


def test_a_cap_holds_the_rest_and_a_redelivery_is_not_charged_twice(stack, codec, wait_records, tmp_path):
    tag = uuid.uuid4().hex[:8]
    policy_file = tmp_path / "cap3.yaml"  # the cap lives in the policy file (issue 18)
    policy_file.write_text(stack.policy_file.read_text().replace("  remove: 50000\n", "  remove: 3\n", 1))
    s = dataclasses.replace(stack, topic_prefix=f"cap{tag}.", app_id=f"modstream-cap{tag}", classifier=False,
                            policy_file=policy_file)
    assert s.policy().daily_caps["remove"] == 3
    admin.apply(s)
    redis.Redis.from_url(s.redis_url).flushdb()
    lines = [json.dumps({"post": {"post_id": f"cap-{i}", "author_id": f"a{i}", "text": "I will kill you",
                                  "created_at": T0, "lang": "en", "country": "US", "mentions": [], "media": []},
                         "author": {"account_id": f"a{i}", "handle": f"h{i}", "display_name": "x", "bio": "",
                                    "followers": 5, "verified": False, "verified_type": "none", "labels": []}})
             for i in range(N)]
    (tmp_path / "threats.jsonl").write_text("\n".join(lines) + "\n")
    res = subprocess.run([sys.executable, "-m", "streams.commands.cli", "ingest", str(tmp_path / "threats.jsonl")],
                         env=settings_env(s) | {"PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr

    first = _decide_all(s, codec, wait_records, tmp_path / "first.log", N)
    routes = {a["post_id"]: a["route"] for a in first}
    assert sorted(routes.values()).count("enforce") == 3 and list(routes.values()).count("human_review") == N - 3
    removes = wait_records(s, codec, topics.ACTIONS, lambda a: a["type"] == "remove", n=3, timeout=10)
    assert len({a["action_id"] for a in removes}) == 3

    again = dataclasses.replace(s, app_id=f"modstream-cap{tag}-again")  # same topics, a group that starts over
    both = _decide_all(again, codec, wait_records, tmp_path / "again.log", 2 * N)
    per_post: dict[str, list[tuple[str, str]]] = {}
    for a in both:
        per_post.setdefault(a["post_id"], []).append((a["decision_id"], a["route"]))
    assert all(len(d) == 2 for d in per_post.values()) and len(per_post) == N
    assert {p: set(d) for p, d in per_post.items()} == {a["post_id"]: {(a["decision_id"], a["route"])} for a in first}
    client = redis.Redis.from_url(s.redis_url)
    (reserved,) = list(client.scan_iter(stores.key("capres", "*:remove")))
    assert client.scard(reserved) == 3  # charged once
