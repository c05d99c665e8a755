"""Reviewers are authenticated principals with roster roles (issue 14, Authentication).

Each bypass the hardening issue found has a test here: the same person recommending and
approving, `automation` as a senior, an empty reviewer name, and a typed-in name getting
round appeal separation (now it needs that reviewer's password).
"""

from __future__ import annotations

import asyncio
import json
import os
from datetime import datetime, timezone

import pytest

from agents.policy import Policy
from agents.records import Account, Appeal, Case, Designation, Post, ReviewDecision, Violation
from agents.review import Reviewer, authority_problems, decision_summary, escalation_from_dict, review_escalation
from agents.router import decide
from streams.commands import cli
from streams.infra import reviewers
from streams.infra.review_queue import MemoryReviewQueue, ReviewQueueError

POLICY = Policy()
T0 = "2026-11-20T12:00:00Z"
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=timezone.utc)
SENATOR = Designation("100", "elected_or_appointed_official", "US Senate", "national", "US-VT", "registry:test",
                      valid_from="2025-01-03", valid_until="2031-01-03", person="A Senator")


def run(coro):
    return asyncio.run(coro)


def routed(post_id="p1", author=Account("100", followers=500_000, verified=True), code="hateful_conduct"):
    post = Post(post_id, author.account_id, "The Senate must vote no on this bill, these people are vermin", T0)
    return decide(Case(post, author), [Violation(code, 0.95, ("vermin",), "rules.hate@1")], {"100": (SENATOR,)},
                  POLICY)


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "reviewers.json"
    reviewers.add(path, "ana", ["analyst"], "ana-password")
    reviewers.add(path, "sam", ["senior"], "sam-password")
    return reviewers.Roster(path)


@pytest.fixture
def queue():
    return MemoryReviewQueue(clock=lambda: NOW)


# --- passwords and the roster ------------------------------------------------------------


def test_passwords_are_salted_scrypt_hashes():
    a, b = reviewers.hash_password("correct horse"), reviewers.hash_password("correct horse")
    assert a != b and a.startswith("scrypt$") and "correct horse" not in a
    assert reviewers.check_password("correct horse", a) and not reviewers.check_password("correct hors", a)
    assert not reviewers.check_password("correct horse", "plain:correct horse")


def test_the_roster_file_never_holds_a_password(roster):
    text = roster.path.read_text()
    assert "ana-password" not in text and json.loads(text)["reviewers"]["ana"]["roles"] == ["analyst"]
    assert oct(roster.path.stat().st_mode & 0o777) == "0o600"


def test_authenticate_gives_the_roster_roles(roster):
    sam = roster.authenticate("sam", "sam-password")
    assert sam == Reviewer("sam", frozenset({"senior"})) and sam.senior
    assert not roster.authenticate("ana", "ana-password").senior


@pytest.mark.parametrize("rid, password", [("ana", "sam-password"), ("sam", ""), ("nobody", "ana-password"),
                                           ("", ""), ("automation", "x" * 10)])
def test_wrong_or_missing_credentials_are_refused_with_one_message(roster, rid, password):
    with pytest.raises(reviewers.AuthError, match="^unknown reviewer or wrong password$"):
        roster.authenticate(rid, password)


def test_removing_a_reviewer_from_the_file_revokes_them(roster):
    assert roster.current("ana") is not None
    doc = json.loads(roster.path.read_text())
    del doc["reviewers"]["ana"]
    roster.path.write_text(json.dumps(doc))
    assert roster.current("ana") is None
    with pytest.raises(reviewers.AuthError):
        roster.authenticate("ana", "ana-password")


def test_a_roster_anyone_can_write_is_refused(roster):
    os.chmod(roster.path, 0o666)
    with pytest.raises(reviewers.AuthError, match="writable by anyone"):
        roster.authenticate("sam", "sam-password")


@pytest.mark.parametrize("rid", ["automation", "", "  ", "Ana Smith", "legal", "a" * 65])
def test_reserved_empty_and_malformed_ids_never_enter_the_roster(tmp_path, rid):
    with pytest.raises(reviewers.AuthError):
        reviewers.add(tmp_path / "r.json", rid, ["senior"], "long-enough")
    (tmp_path / "h.json").write_text(json.dumps({"reviewers": {rid: {"roles": ["senior"], "password": "x"}}}))
    with pytest.raises(reviewers.AuthError):
        reviewers.Roster(tmp_path / "h.json").current("sam")


def test_unknown_roles_are_refused(tmp_path):
    with pytest.raises(reviewers.AuthError, match="unknown roles"):
        reviewers.add(tmp_path / "r.json", "eve", ["superuser"], "long-enough")


# --- the bypasses of issue 14 -------------------------------------------------------------


def test_the_same_person_cannot_recommend_and_approve(queue, roster, tmp_path):
    item = run(queue.add_escalation(routed().escalation.to_dict()))
    ana = roster.authenticate("ana", "ana-password")
    rec = run(queue.decide(item.item_id, ana, "notice", "public debate"))
    run(queue.mark_decided(item.item_id, rec))
    with pytest.raises(ReviewQueueError, match="only a senior"):
        run(queue.decide(item.item_id, ana, "notice", "and I approve it too"))
    reviewers.add(roster.path, "ana", ["analyst", "senior"], "ana-password")  # promoted meanwhile
    promoted = roster.authenticate("ana", "ana-password")
    assert promoted.senior
    with pytest.raises(ReviewQueueError, match="ana recommended this notice"):
        run(queue.decide(item.item_id, promoted, "notice", "and I approve it too"))
    final = run(queue.decide(item.item_id, roster.authenticate("sam", "sam-password"), "notice", "senior call"))
    assert final.senior and final.reviewer_id == "sam"


def test_the_review_agent_refuses_a_recorded_senior_who_recommended(queue):
    item = run(queue.add_escalation(routed().escalation.to_dict()))
    rec = run(queue.decide(item.item_id, Reviewer("ana", frozenset({"analyst"})), "notice", "debate"))
    stored = run(queue.mark_decided(item.item_id, rec))
    assert "ana recommended this notice" in "; ".join(stored.problems("ana", "notice", True))
    assert authority_problems("sam", True, stored.recommenders, ()) == []


@pytest.mark.parametrize("rid", ["automation", ""])
def test_automation_and_the_empty_name_are_never_reviewers(queue, rid):
    with pytest.raises(ValueError):
        Reviewer(rid, frozenset({"senior"}))
    item = run(queue.add_escalation(routed().escalation.to_dict()))
    with pytest.raises(ReviewQueueError):
        run(queue.claim(item.item_id, rid))
    forged = ReviewDecision("f1", item.item_id, "p1", "notice", rid, "granted by a script", T0, True, None)
    decision = review_escalation(forged, escalation_from_dict(item.escalation), (), POLICY)
    assert decision.errors and not decision.actions  # the review agent would dead-letter it
    assert run(queue.get(item.item_id)).problems(rid, "notice", True)


def test_appeal_separation_needs_the_other_reviewers_password(tmp_path, roster, monkeypatch, capsys):
    """Typing another name no longer works: `review decide` authenticates before it touches anything."""
    monkeypatch.setenv("MODSTREAM_REVIEW_ROSTER", str(roster.path))
    monkeypatch.setenv("MODSTREAM_REVIEWER_PASSWORD", "ana-password")  # ana's, claiming to be sam
    monkeypatch.setenv("MODSTREAM_REDIS_URL", "redis://127.0.0.1:1/0")  # never reached
    rc = cli.main(["review", "decide", "appeal:a1", "--reviewer", "sam", "--outcome", "no_violation",
                   "--rationale", "not me who decided"])
    assert rc == 2 and "unknown reviewer or wrong password" in capsys.readouterr().err


def test_the_senior_switch_is_gone():
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["review", "decide", "x", "--reviewer", "automation", "--senior",
                                       "--outcome", "notice", "--rationale", "r"])


def test_an_appeal_goes_to_someone_who_took_no_part(queue, roster):
    original = routed(author=Account("1", followers=10), code="violence")
    appeal = Appeal("a1", original.decision_id, "p1", "2026-11-20T13:00:00Z", "1", "a joke")
    item = run(queue.add_appeal(appeal, decision_summary(original, "sam", ("ana", "sam"))))
    for who, password in (("sam", "sam-password"), ("ana", "ana-password")):
        with pytest.raises(ReviewQueueError, match="made the appealed decision"):
            run(queue.decide(item.item_id, roster.authenticate(who, password), "no_violation", "why"))


def test_cli_roster_add_and_list(tmp_path, monkeypatch, capsys):
    path = tmp_path / "r.json"
    monkeypatch.setenv("MODSTREAM_REVIEW_ROSTER", str(path))
    monkeypatch.setenv("MODSTREAM_REVIEWER_PASSWORD", "lee-password")
    assert cli.main(["review", "roster", "add", "lee", "--role", "lead", "--name", "Lee"]) == 0
    assert cli.main(["review", "roster", "list"]) == 0
    out = capsys.readouterr().out
    assert "lee  lead  Lee" in out and "scrypt" not in out
    assert reviewers.Roster(path).authenticate("lee", "lee-password").senior


def test_the_demo_roster_is_the_one_the_readme_names_and_never_replaces_a_roster(tmp_path):
    from streams.commands.demo import DEMO_ROSTER, demo_roster

    path = tmp_path / "reviewers.json"
    assert demo_roster(path)
    roster = reviewers.Roster(path)
    assert {(rid, tuple(roles)) for rid, roles, _ in DEMO_ROSTER} == {("ana", ("analyst",)), ("sam", ("senior",)),
                                                                      ("lee", ("lead",))}
    for rid, roles, password in DEMO_ROSTER:
        assert roster.authenticate(rid, password).roles == frozenset(roles)
    before = path.read_bytes()
    assert not demo_roster(path) and path.read_bytes() == before
