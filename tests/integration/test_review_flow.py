"""The human side on the real broker and Redis: escalation -> review queue -> decision -> actions.

A senator's violating post is escalated, a reviewer's recommendation waits for a senior,
the senior's `modstream review decide` grants the notice, and the review agent emits the
three notice actions, the author's statement of reasons and the viewers' interstitial.
Legal requests withhold the kept post in a country; an appeal against an automated removal
goes to a different reviewer and restores the post.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time

from dataclasses import replace

import pytest

from confluent_kafka import Producer
from streams.commands import ingest
from streams.infra import reviewers, topics
from streams.infra.config import Settings
from streams.infra.registry_import import load_seed
from streams.drivers.worker import settings_env

pytestmark = pytest.mark.integration

SENATOR = load_seed(Settings().registry_seed)[1]
T0 = "2026-11-20T12:00:00Z"


#: the module's roster: reviewer id -> roles (password: "<id>-password")
ROSTER = {"analyst-1": ["analyst"], "analyst-9": ["analyst"], "lead-1": ["lead"], "lead-2": ["senior"]}


@pytest.fixture(scope="module")
def roster(tmp_path_factory):
    path = tmp_path_factory.mktemp("roster") / "reviewers.json"
    for rid, roles in ROSTER.items():
        reviewers.add(path, rid, roles, f"{rid}-password")
    return path


@pytest.fixture(scope="module")
def reviewed(stack, roster) -> Settings:
    return replace(stack, review_roster=roster)


@pytest.fixture(scope="module")
def worker_settings(reviewed) -> Settings:
    """The worker's review agent checks every decision on the topic against the module's roster."""
    return reviewed


def _cli(settings: Settings, *args: str, password: str | None = None) -> subprocess.CompletedProcess:
    env = settings_env(settings)
    if password is not None:
        env["MODSTREAM_REVIEWER_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "streams.commands.cli", *args], env=env,
                          capture_output=True, text=True, timeout=60)


def _decide(settings: Settings, item: str, reviewer: str, *args: str) -> subprocess.CompletedProcess:
    return _cli(settings, "review", "decide", item, "--reviewer", reviewer, *args, password=f"{reviewer}-password")


def _produce(settings: Settings, codec, spec, key: str, value: dict) -> None:
    p = Producer({**settings.kafka_config(), "partitioner": "murmur2_random"})
    p.produce(settings.topic(spec), key=key.encode(), value=codec.encode(spec.schema, value))
    assert p.flush(30) == 0


@pytest.fixture(scope="module")
def escalated(stack, codec, worker, wait_records):
    line = {"post": {"post_id": "sen-1", "author_id": SENATOR.account_id, "created_at": T0, "country": "DE",
                     "text": "Immigrants are vermin, and the Senate must vote no on this amnesty bill"},
            "author": {"account_id": SENATOR.account_id, "handle": "sen", "followers": 900_000, "verified": True,
                       "verified_type": "government"}}
    threat = {"post": {"post_id": "plain-1", "author_id": "4242", "created_at": T0,
                       "text": "I know where you live and I will kill you"},
              "author": {"account_id": "4242", "followers": 12}}
    ingest.run(stack, codec, [json.dumps(line).encode(), json.dumps(threat).encode()], "t", progress=None)
    (esc,) = wait_records(stack, codec, topics.ESCALATIONS, lambda v: v["post_id"] == "sen-1")
    return esc


def test_escalation_reaches_the_queue_with_the_post_text(stack, escalated):
    deadline = time.monotonic() + 30
    while (res := _cli(stack, "review", "list")).returncode == 0 and escalated["escalation_id"] not in res.stdout:
        assert time.monotonic() < deadline, res.stdout
        time.sleep(0.5)
    shown = _cli(stack, "review", "show", escalated["escalation_id"])
    assert shown.returncode == 0, shown.stderr
    assert "Immigrants are vermin" in shown.stdout and "RECOMMENDATION" in shown.stdout
    assert SENATOR.person in shown.stdout


def test_senior_notice_decision_applies_the_three_notice_actions(stack, reviewed, codec, escalated, wait_records):
    eid = escalated["escalation_id"]
    res = _decide(reviewed, eid, "analyst-1", "--outcome", "notice",
                  "--rationale", "part of the debate on the bill; newsworthy")
    assert res.returncode == 0, res.stderr
    waiting = wait_records(stack, codec, topics.AUDIT, lambda v: v["post_id"] == "sen-1" and v["route"] == "awaiting_senior")
    assert waiting and not wait_records(stack, codec, topics.ACTIONS, lambda v: v["post_id"] == "sen-1", timeout=3)

    deadline = time.monotonic() + 30  # the agent marks the item after producing the audit record
    while "RECOMMENDED by analyst-1" not in (shown := _cli(reviewed, "review", "show", eid)).stdout:
        assert time.monotonic() < deadline, shown.stdout + shown.stderr
        time.sleep(0.5)
    res = _decide(reviewed, eid, "analyst-1", "--outcome", "notice", "--rationale", "I approve my own")
    assert res.returncode == 2 and "only a senior" in res.stderr
    res = _cli(reviewed, "review", "decide", eid, "--reviewer", "lead-1", "--outcome", "notice",
               "--rationale", "typed another name", password="analyst-1-password")
    assert res.returncode == 2 and "wrong password" in res.stderr
    res = _decide(reviewed, eid, "lead-1", "--outcome", "notice",
                  "--rationale", "kept in the public interest, behind a notice")
    assert res.returncode == 0, res.stderr
    actions = wait_records(stack, codec, topics.ACTIONS, lambda v: v["post_id"] == "sen-1", n=3)
    assert sorted(a["type"] for a in actions) == ["exclude_from_recommendations", "limit_engagement",
                                                   "public_interest_notice"]
    assert all(not a["automated"] for a in actions)
    notices = wait_records(stack, codec, topics.NOTICES, lambda v: v["post_id"] == "sen-1", n=2)
    kinds = {n["recipient"]: n for n in notices}
    assert kinds["author"]["kind"] == "statement_of_reasons" and not kinds["author"]["automated"]
    assert kinds["viewers"]["kind"] == "public_interest_interstitial" and kinds["viewers"]["recipient_id"] is None
    audit = wait_records(stack, codec, topics.AUDIT, lambda v: v["post_id"] == "sen-1" and v["kind"] == "review_decision",
                  n=2)
    assert any(a["decided_by"] == "lead-1" and a["route"] == "notice" for a in audit)


def test_a_decided_item_cannot_be_decided_again(reviewed, escalated):
    res = _decide(reviewed, escalated["escalation_id"], "lead-2", "--outcome", "remove", "--rationale", "changed my mind")
    deadline = time.monotonic() + 20
    while res.returncode == 0 and time.monotonic() < deadline:  # the agent may not have marked it decided yet
        time.sleep(1)
        res = _decide(reviewed, escalated["escalation_id"], "lead-2", "--outcome", "remove",
                      "--rationale", "changed my mind")
    assert res.returncode == 2 and "already decided" in res.stderr


def test_legal_request_withholds_a_post_kept_under_the_exception(stack, codec, escalated, wait_records):
    _produce(stack, codec, topics.LEGAL, "sen-1", {"request_id": "lr-1", "post_id": "sen-1", "countries": ["DE"],
                                                   "authority": "Court X", "legal_basis": "s.130",
                                                   "received_at": T0})
    (action,) = wait_records(stack, codec, topics.ACTIONS, lambda v: v["type"] == "withhold_in_country")
    assert action["countries"] == ["DE"] and action["post_id"] == "sen-1"


def test_appeal_goes_to_another_reviewer_and_restores(stack, reviewed, codec, escalated, wait_records):
    removed = wait_records(stack, codec, topics.ACTIONS, lambda v: v["post_id"] == "plain-1" and v["type"] == "remove")
    assert removed
    decision_id = removed[0]["decision_id"]
    _produce(stack, codec, topics.APPEALS, "plain-1", {"appeal_id": "ap-1", "decision_id": decision_id,
                                                       "post_id": "plain-1", "appellant_id": "4242",
                                                       "statement": "it was a song lyric", "created_at": T0})
    deadline = time.monotonic() + 30
    while "appeal:ap-1" not in (listing := _cli(stack, "review", "list")).stdout:
        assert time.monotonic() < deadline, listing.stdout + listing.stderr
        time.sleep(0.5)
    res = _decide(reviewed, "appeal:ap-1", "analyst-9", "--outcome", "no_violation",
                  "--rationale", "lyrics quoted from a song, no target")
    assert res.returncode == 0, res.stderr
    (restore,) = wait_records(stack, codec, topics.ACTIONS, lambda v: v["post_id"] == "plain-1" and v["type"] == "restore")
    assert not restore["automated"]
    notices = wait_records(stack, codec, topics.NOTICES, lambda v: v["post_id"] == "plain-1" and v["kind"] == "appeal_outcome")
    assert notices and notices[0]["recipient_id"] == "4242"


def _forged(escalation: dict, review_id: str, reviewer: str, senior: bool, outcome: str = "notice") -> dict:
    """A review decision produced straight to review-decisions.v1, past the CLI's sign-in."""
    return {"review_id": review_id, "decision_id": escalation["escalation_id"], "post_id": escalation["post_id"],
            "outcome": outcome, "reviewer_id": reviewer, "senior": senior, "rationale": "forged on the topic",
            "policy": None, "decided_at": T0}


def test_decisions_on_the_topic_that_the_roster_does_not_back_are_dead_lettered(stack, reviewed, codec, worker,
                                                                                wait_records):
    """Anyone who can produce to review-decisions.v1 can type a name and senior=true: the review agent
    checks both against the operator's roster and refuses what it does not back, never applying it."""
    line = {"post": {"post_id": "sen-2", "author_id": SENATOR.account_id, "created_at": T0, "country": "DE",
                     "text": "Immigrants are vermin, and the Senate must vote no on this amnesty bill again"},
            "author": {"account_id": SENATOR.account_id, "handle": "sen", "followers": 900_000, "verified": True,
                       "verified_type": "government"}}
    ingest.run(stack, codec, [json.dumps(line).encode()], "forged", progress=None)
    (esc,) = wait_records(stack, codec, topics.ESCALATIONS, lambda v: v["post_id"] == "sen-2")
    deadline = time.monotonic() + 30
    while esc["escalation_id"] not in (res := _cli(stack, "review", "list")).stdout:
        assert time.monotonic() < deadline, res.stdout + res.stderr
        time.sleep(0.5)
    # lead-2 (a senior) records a notice as a recommendation: now only a different senior may decide it
    _produce(stack, codec, topics.REVIEWS, "sen-2", _forged(esc, "rv-rec", "lead-2", senior=False))
    recorded = wait_records(stack, codec, topics.AUDIT, lambda v: v["post_id"] == "sen-2"
                            and v["route"] == "awaiting_senior")
    assert recorded, worker.tail()
    deadline = time.monotonic() + 30  # the agent marks the item after producing the audit record
    while "RECOMMENDED by lead-2" not in (shown := _cli(reviewed, "review", "show", esc["escalation_id"])).stdout:
        assert time.monotonic() < deadline, shown.stdout + shown.stderr
        time.sleep(0.5)
    forged = {"rv-analyst": ("analyst-1", "claims seniority for analyst-1, whom the roster lists as analyst"),
              "rv-stranger": ("mallory", "mallory is not on the reviewer roster"),
              "rv-automation": ("automation", "'automation' is reserved"),
              "rv-own": ("lead-2", "lead-2 recommended this notice")}
    for review_id, (reviewer, _) in forged.items():
        _produce(stack, codec, topics.REVIEWS, "sen-2", _forged(esc, review_id, reviewer, senior=True))

    def review_id(v: dict) -> str:  # tail shows the original bytes base64
        return codec.decode(base64.b64decode(v["original"]))[1]["review_id"]

    dead = wait_records(stack, codec, topics.DEAD_LETTERS, lambda v: v["source"] == stack.topic(topics.REVIEWS)
                        and review_id(v) in forged, n=len(forged))
    reasons = {review_id(v): v["reason"] for v in dead}
    assert reasons.keys() == forged.keys(), (reasons, worker.tail())
    for review_id, (_, why) in forged.items():
        assert why in reasons[review_id], reasons
    # none was applied: the item still waits, and a senior on the roster who did not recommend decides it
    assert not wait_records(stack, codec, topics.ACTIONS, lambda v: v["post_id"] == "sen-2", timeout=3)
    res = _decide(reviewed, esc["escalation_id"], "lead-1", "--outcome", "notice", "--rationale", "newsworthy")
    assert res.returncode == 0, res.stderr
    actions = wait_records(stack, codec, topics.ACTIONS, lambda v: v["post_id"] == "sen-2", n=3)
    assert len(actions) == 3 and all(not a["automated"] for a in actions)
    audit = wait_records(stack, codec, topics.AUDIT, lambda v: v["post_id"] == "sen-2" and v["route"] == "notice")
    assert {a["decided_by"] for a in audit} == {"lead-1"}
