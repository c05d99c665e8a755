"""End to end on the real broker and Redis: `modstream ingest` -> faust worker -> topics.

Reads actions, notices, escalations, audit and dead letters back from Kafka, decoded
against schemas/, and checks what a downstream service and an auditor rely on.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ops import local
from streams.infra import topics
from streams.infra.config import Settings
from streams.infra.registry_import import load_seed
from streams.drivers.worker import settings_env

pytestmark = pytest.mark.integration

SENATOR = load_seed(Settings().registry_seed)[0]
T0 = "2026-11-20T12:00:00Z"


def _account(aid: str, followers: int, verified: bool = True, vtype: str = "blue") -> dict:
    return {"account_id": aid, "handle": f"h{aid}", "display_name": "Someone", "bio": "", "followers": followers,
            "verified": verified, "verified_type": vtype, "labels": []}


def _post(pid: str, author: str, text: str) -> dict:
    return {"post_id": pid, "author_id": author, "text": text, "created_at": T0, "lang": "en", "country": "US",
            "mentions": [], "media": []}


LINES = [
    json.dumps({"post": _post("p-senator", SENATOR.account_id, "These protesters are a disgrace, the Senate must act"),
                "author": _account(SENATOR.account_id, 2_500_000, vtype="government"),
                "violations": [{"policy": "hateful_conduct", "source": "upstream:reviewer", "confidence": 0.95}]}),
    json.dumps({"post": _post("p-threat", "42", "I know where you live and I will kill you tomorrow"),
                "author": _account("42", 120, verified=False, vtype="none"),
                "reports": [{"report_id": "r1", "policy": "violence", "reporter_id": "77", "created_at": T0},
                            {"report_id": "r2", "policy": "violence", "reporter_id": None, "created_at": T0,
                             "reporter_contact": "anon@example.org"}]}),
    json.dumps({"post": _post("p-benign", "43", "Lovely walk by the river this morning"),
                "author": _account("43", 10, verified=False, vtype="none")}),
    '{"post": {"post_id": "p-bad", "text": "no author"',  # truncated JSON
    json.dumps({"post": {"post_id": "p-noauthor", "text": "x", "created_at": T0}}),  # missing author_id
]


@pytest.fixture(scope="module")
def flowed(stack: Settings, codec, worker, wait_records, tmp_path_factory) -> dict[str, list[dict]]:
    path = tmp_path_factory.mktemp("ingest") / "firehose.jsonl"
    path.write_text("\n".join(LINES) + "\n")
    res = subprocess.run([sys.executable, "-m", "streams.commands.cli", "ingest", str(path)], env=settings_env(stack) | {
        "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert "3 posts" in res.stderr and "2 to dead-letters" in res.stderr, res.stderr
    audit = wait_records(stack, codec, topics.AUDIT, n=3, timeout=90)
    assert len(audit) == 3, f"worker decided {len(audit)} of 3 posts; worker log:\n{worker.tail()}"
    return {
        "audit": audit,
        "actions": wait_records(stack, codec, topics.ACTIONS),
        "notices": wait_records(stack, codec, topics.NOTICES, n=3),
        "escalations": wait_records(stack, codec, topics.ESCALATIONS),
        "dead": wait_records(stack, codec, topics.DEAD_LETTERS, n=2),
    }


def test_routes_in_audit(flowed):
    routes = {a["post_id"]: a["route"] for a in flowed["audit"]}
    assert routes == {"p-senator": "public_interest_review", "p-threat": "enforce", "p-benign": "no_action"}
    threat = next(a for a in flowed["audit"] if a["post_id"] == "p-threat")
    assert threat["policy_version"] and threat["versions"]["tagger"]
    assert [i["topic"] for i in threat["inputs"]][0].endswith("posts.v1")
    assert all(len(i["digest"]) == 64 for i in threat["inputs"])
    assert threat["action_ids"] and threat["notice_ids"]


def test_threat_is_removed_with_author_and_reporter_notices(flowed):
    actions = [a for a in flowed["actions"] if a["post_id"] == "p-threat"]
    assert {a["type"] for a in actions} >= {"remove"}
    assert all(a["policy"] == "violence" and a["automated"] for a in actions)
    assert len({a["action_id"] for a in actions}) == len(actions)
    notices = [n for n in flowed["notices"] if n["post_id"] == "p-threat"]
    by_recipient = sorted((n["recipient"], n["recipient_id"] or "<no account>") for n in notices)
    assert by_recipient == sorted([("author", "42"), ("reporter", "<no account>"), ("reporter", "77")])
    author = next(n for n in notices if n["recipient"] == "author")
    assert "appeal" in author["text"] and author["appeal"] and author["automated"] is True
    anon = next(n for n in notices if n["recipient"] == "reporter" and n["recipient_id"] is None)
    assert anon["contact"] == "anon@example.org"


def test_senator_goes_to_public_interest_review_without_actions(flowed):
    (esc,) = flowed["escalations"]
    assert esc["post_id"] == "p-senator"
    assert esc["recommendation"] in ("notice", "remove") and esc["reasons"]
    assert esc["political"]["eligible"] and esc["political"]["role"] == "elected_or_appointed_official"
    assert esc["political"]["designation"]["account_id"] == SENATOR.account_id
    assert not [a for a in flowed["actions"] if a["post_id"] == "p-senator"]


def test_benign_post_has_no_effects(flowed):
    assert not [a for a in flowed["actions"] if a["post_id"] == "p-benign"]
    assert not [n for n in flowed["notices"] if n["post_id"] == "p-benign"]


def test_malformed_lines_land_on_dead_letters_with_reason_and_bytes(flowed):
    dead = sorted(flowed["dead"], key=lambda d: d["offset"])
    assert [d["offset"] for d in dead] == [4, 5]
    assert dead[0]["error_type"] == "invalid_json" and "line 4" in dead[0]["reason"]
    assert dead[1]["error_type"] == "invalid_record" and "post.author_id" in dead[1]["reason"]
    import base64

    assert base64.b64decode(dead[0]["original"]).decode() == LINES[3]


def test_tail_cli_prints_actions(stack, flowed):
    res = subprocess.run([sys.executable, "-m", "streams.commands.cli", "tail", "actions.v1"], env=settings_env(stack),
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    printed = [json.loads(line) for line in res.stdout.splitlines()]
    assert {p["value"]["action_id"] for p in printed} == {a["action_id"] for a in flowed["actions"]}
    assert all(p["schema"] == "modstream.Action" and p["key"] == p["value"]["post_id"] for p in printed)


def test_kafkas_console_consumer_sees_the_bytes(stack, flowed):
    libs = local.ensure_kafka_libs()
    res = subprocess.run(
        ["java", "-cp", f"{libs}/*", "org.apache.kafka.tools.consumer.ConsoleConsumer",
         "--bootstrap-server", stack.kafka_bootstrap, "--topic", stack.topic(topics.ACTIONS), "--from-beginning",
         "--max-messages", str(len(flowed["actions"])), "--timeout-ms", "30000"],
        capture_output=True, timeout=120)
    assert res.returncode == 0, res.stderr.decode(errors="replace")[-2000:]
    assert res.stdout.count(b"\xc3\x01") >= len(flowed["actions"])  # Avro single-object magic
    for a in flowed["actions"]:
        assert a["action_id"].encode() in res.stdout
