"""Fast-path and classifier workers run apart (own consumer groups) and still decide every post."""

from __future__ import annotations

import json
import time

import pytest

from streams import ingest, tail, topics
from streams.worker import WorkerProcess, settings_env

pytestmark = pytest.mark.integration


def test_split_roles_decide_with_the_classifier(stack, codec, services):
    env = settings_env(stack)
    workers = [WorkerProcess.start(env, services.run_dir / f"{stack.app_id}-{role}.log", role=role)
               for role in ("fast", "classify")]
    try:
        lines = [json.dumps({"post": {"post_id": f"r{i}", "author_id": "7", "text": text,
                                      "created_at": "2026-11-20T12:00:00Z"}}).encode()
                 for i, text in enumerate(["I will kill you tomorrow", "what a lovely morning"])]
        ingest.run(stack, codec, lines, "roles", progress=None)
        deadline, audit = time.monotonic() + 90, []
        while len(audit) < 2 and time.monotonic() < deadline:
            audit = [r["value"] for r in tail.records(stack, codec, stack.topic(topics.AUDIT), idle_timeout=0.5)]
            time.sleep(0.5)
        assert {a["post_id"]: a["route"] for a in audit} == {"r0": "enforce", "r1": "no_action"}, \
            "\n".join(w.tail() for w in workers)
        assert all(a["versions"].get("classifier") for a in audit)
        tagged = [r["value"] for r in tail.records(stack, codec, stack.topic(topics.TAGGED), idle_timeout=0.5)]
        assert all("+clf." in t["tagger_version"] for t in tagged) and len(tagged) == 2
    finally:
        for w in workers:
            w.stop()
