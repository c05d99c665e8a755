"""Logs carry no traceback locals and no secrets (issue 14: a canary in a post reached the log)."""

from __future__ import annotations

import io
import json
import logging

import pytest

from agents.tagger import Tagger
from ops import local
from streams.drivers import decide
from streams.infra import logs
from streams.infra.config import Settings

CANARY = "canary-7f3a-do-not-log"


class RaisingTagger(Tagger):
    def tag(self, post):  # an agent bug, with the post text in its frame
        text = post.text
        raise RuntimeError(f"detector failed on a post of {len(text)} characters")


@pytest.fixture()
def captured():
    stream = io.StringIO()
    logs.configure("INFO", stream)
    yield stream
    logging.getLogger().handlers[:] = []


def test_an_agent_exception_logs_its_traceback_but_not_the_posts_text(captured):
    policy = Settings().policy()
    line = json.dumps({"post": {"post_id": "p1", "author_id": "a", "text": f"hello {CANARY}",
                                "created_at": "2026-11-20T12:00:00Z"}})
    out = io.StringIO()
    assert decide.run([line], out, RaisingTagger(policy), {}, policy) == (0, 1)
    log = captured.getvalue()
    event = json.loads(log.splitlines()[-1])
    assert event["event"] == "decide_failed" and event["exception"][0]["exc_type"] == "RuntimeError"
    assert event["exception"][0]["frames"]  # where it failed is still there
    assert CANARY not in log and CANARY not in out.getvalue()


def test_redis_urls_are_logged_without_their_password(monkeypatch, caplog):
    assert logs.redact_url("redis://user:s3cret@10.0.0.1:6380/2") == "redis://user:***@10.0.0.1:6380/2"
    assert logs.redact_url("rediss://:s3cret@host/0") == "rediss://:***@host/0"
    assert logs.redact_url("redis://127.0.0.1:16379/0") == "redis://127.0.0.1:16379/0"
    monkeypatch.setattr(local, "redis_answers", lambda url, timeout=2.0: True)
    with caplog.at_level(logging.INFO, logger="modstream.ops.local"):
        assert local.ensure_redis("redis://:s3cret@127.0.0.1:6399/0") == "redis://:s3cret@127.0.0.1:6399/0"
    assert caplog.messages and "s3cret" not in " ".join(caplog.messages) and "***" in caplog.messages[0]
