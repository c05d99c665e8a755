"""The hot path and the faust agents run apart (own processes) and still decide every post; the hot
path tags with the learned classifier in-process: posts.v1 to decisions in one hop."""

from __future__ import annotations

import json
import time

import pytest

from streams.commands import ingest
from streams.infra import clients, topics
from streams.drivers.worker import WorkerProcess, settings_env

pytestmark = pytest.mark.integration


def test_split_roles_hotpath_with_the_classifier_in_one_hop(stack, codec, services):
    env = settings_env(stack)
    workers = [WorkerProcess.start(env, services.run_dir / f"{stack.app_id}-{role}.log", role=role)
               for role in ("hotpath", "agents")]
    try:
        lines = [json.dumps({"post": {"post_id": f"r{i}", "author_id": "7", "text": text,
                                      "created_at": "2026-11-20T12:00:00Z"}}).encode()
                 for i, text in enumerate(["I will kill you tomorrow", "what a lovely morning"])]
        ingest.run(stack, codec, lines, "roles", progress=None)
        deadline, audit = time.monotonic() + 90, []
        while len(audit) < 2 and time.monotonic() < deadline:
            audit = [r["value"] for r in clients.records(stack, codec, stack.topic(topics.AUDIT), idle_timeout=0.5)]
            time.sleep(0.5)
        assert {a["post_id"]: a["route"] for a in audit} == {"r0": "enforce", "r1": "no_action"}, \
            "\n".join(w.tail() for w in workers)
        assert all(a["versions"].get("classifier") for a in audit)
        # one hop: each decision read only its post, and nothing went through violations.v1
        assert all([i["topic"] for i in a["inputs"]] == [stack.topic(topics.POSTS)] for a in audit)
        assert list(clients.records(stack, codec, stack.topic(topics.VIOLATIONS), idle_timeout=0.5)) == []
    finally:
        for w in workers:
            w.stop()
