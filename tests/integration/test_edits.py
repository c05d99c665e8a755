"""Edits and weak political signals through the live worker (real broker and Redis): an edited post gets
new ids, a benign edit of a removed post tells no reporter "no violation" and leaves the removal as the
post's record, and a threat by a self-declared candidate is removed."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest

from streams.infra import stores, topics
from streams.infra.config import Settings
from streams.drivers.worker import settings_env

pytestmark = pytest.mark.integration
T0 = "2026-11-20T12:00:00Z"


def _line(pid: str, author: str, text: str, bio: str = "", reports=()) -> str:
    return json.dumps({"post": {"post_id": pid, "author_id": author, "text": text, "created_at": T0, "lang": "en",
                                "country": "US", "mentions": [], "media": []},
                       "author": {"account_id": author, "handle": f"h{author}", "display_name": "Someone", "bio": bio,
                                  "followers": 50 if not bio else None, "verified": False, "verified_type": "none",
                                  "labels": []},
                       "reports": list(reports)})


def _ingest(stack: Settings, path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n")
    res = subprocess.run([sys.executable, "-m", "streams.commands.cli", "ingest", str(path)],
                         env=settings_env(stack) | {"PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 0, res.stderr


def test_edits_get_new_ids_and_never_undo_a_removal(stack, codec, worker, wait_records, tmp_path):
    report = {"report_id": "er1", "policy": "violence", "reporter_id": "77", "created_at": T0}
    _ingest(stack, tmp_path / "first.jsonl", [
        _line("e-post", "61", "I know where you live and I will kill you", reports=[report]),
        _line("c-post", "62", "I know where you live and I will kill you", bio="Running for city council")])
    first = wait_records(stack, codec, topics.AUDIT, lambda a: a["post_id"] in ("e-post", "c-post"), n=2, timeout=90)
    assert len(first) == 2, worker.tail()
    _ingest(stack, tmp_path / "edit.jsonl", [_line("e-post", "61", "Have a lovely day, everyone")])
    audit = wait_records(stack, codec, topics.AUDIT, lambda a: a["post_id"] == "e-post", n=2, timeout=90)
    assert len(audit) == 2, worker.tail()
    removed, edit = audit
    assert removed["route"] == "enforce" and edit["route"] == "no_action"
    assert removed["decision_id"] != edit["decision_id"]
    assert any(r.startswith("edit of a post already decided more strictly") for r in edit["reasons"])
    notices = wait_records(stack, codec, topics.NOTICES, lambda n: n["post_id"] == "e-post", n=2)
    assert {n["decision_id"] for n in notices} == {removed["decision_id"]}  # nobody hears "no violation"

    async def standing():
        client = stores.connect(stack.redis_url)
        try:
            return (await stores.RedisDecisions(client).decided(["e-post"]))["e-post"]
        finally:
            await client.aclose()
    assert asyncio.run(standing())["decision_id"] == removed["decision_id"]

    candidate = next(a for a in first if a["post_id"] == "c-post")
    actions = wait_records(stack, codec, topics.ACTIONS, lambda a: a["post_id"] == "c-post")
    assert candidate["route"] == "enforce" and [a["type"] for a in actions] == ["remove"]
    assert any(r.startswith("flagged for confirmation of political status") for r in candidate["reasons"])
