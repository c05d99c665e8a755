"""Routing, recommendation, actions and notices: agents.router.decide with given violations."""

from __future__ import annotations

from dataclasses import replace

import pytest

from agents.policy import ACTION_TYPES, CATEGORIES, Policy
from agents.records import Account, Case, Designation, Media, Post, Report, Violation
from agents.router import decide

POLICY = Policy()
T0 = "2026-11-20T12:00:00Z"
SENATOR = Designation("100", "elected_or_appointed_official", "US Senate", "national", "US-VT",
                      "registry:test", valid_from="2025-01-03", valid_until="2031-01-03", person="A Senator")
REGISTRY = {"100": (SENATOR,)}


def account(aid: str, followers: int = 500_000, verified: bool = True) -> Account:
    return Account(aid, handle=f"h{aid}", followers=followers, verified=verified, verified_type="blue")


def case(text: str = "text", author: Account | None = None, reports=(), mentions=(), media=(), aid: str | None = None):
    author_id = aid or (author.account_id if author else "1")
    post = Post("p1", author_id, text, T0, "en", "US", tuple(mentions), tuple(media))
    return Case(post, author, reports=tuple(reports))


def v(policy: str, confidence: float = 0.95) -> Violation:
    return Violation(policy, confidence, (f"evidence for {policy}",), "rules.test@1")


def test_no_violation_is_no_action_and_reporters_hear_so():
    r = Report("r1", "p1", "abuse_harassment", T0, reporter_id="9")
    d = decide(case(author=account("1", 10, False), reports=[r]), [], REGISTRY, POLICY)
    assert (d.route, d.actions, d.recommendation) == ("no_action", (), None)
    (n,) = d.notices
    assert n.recipient == "reporter" and n.recipient_id == "9" and "no violation" in n.text


def test_below_confidence_floor_is_not_acted_on():
    d = decide(case(author=account("1", 10, False)), [v("violence", 0.3)], REGISTRY, POLICY)
    assert d.route == "no_action" and d.violations  # kept as evidence


def test_ordinary_account_violation_is_enforced_with_author_notice():
    d = decide(case("I will kill you", author=account("1", 10, False)), [v("violence")], REGISTRY, POLICY)
    assert d.route == "enforce" and [a.type for a in d.actions] == ["remove"]
    (n,) = d.notices
    assert n.recipient == "author" and n.kind == "statement_of_reasons" and n.automated
    assert POLICY.appeal_url in n.text and "violence" in " ".join(n.facts)
    assert d.actions[0].action_id == f"{d.decision_id}:remove"


def test_senator_violation_goes_to_review_and_nothing_is_applied():
    c = case("The Senate must vote no on this bill, these people are vermin", author=account("100"))
    d = decide(c, [v("hateful_conduct")], REGISTRY, POLICY)
    assert d.route == "public_interest_review" and d.actions == () and d.notices == ()
    assert d.political.eligible and d.political.role == "elected_or_appointed_official"
    assert d.recommendation == "notice" and d.escalation is not None
    assert any("directed at officials" in r for r in d.reasons)
    assert any("public debate" in r for r in d.reasons)


@pytest.mark.parametrize("code", [c.code for c in CATEGORIES.values() if c.pie == "never"])
def test_never_categories_are_enforced_even_for_a_senator(code):
    d = decide(case(author=account("100")), [v(code)], REGISTRY, POLICY)
    assert d.route == "enforce" and d.escalation is None
    assert d.political.eligible
    assert set(a.type for a in d.actions) >= set(CATEGORIES[code].enforcement)


def test_child_sexual_exploitation_removes_suspends_and_reports_to_ncmec():
    media = [Media("m1", "image", md5="0" * 32)]
    d = decide(case(author=account("5", 10, False), media=media),
               [Violation("child_sexual_exploitation", 1.0, ("md5bank match 000...",), "md5bank@1")], REGISTRY, POLICY)
    assert [a.type for a in d.actions] == ["remove", "suspend_account", "report_ncmec"]
    assert d.ncmec is not None and d.ncmec.media == tuple(media)
    assert d.ncmec.report_id == f"{d.decision_id}:report_ncmec"
    assert d.ncmec.incident_type.startswith("child_pornography")


def test_verified_celebrity_with_a_million_followers_is_not_eligible():
    d = decide(case(author=account("7", 1_000_000)), [v("hateful_conduct")], REGISTRY, POLICY)
    assert not d.political.eligible and d.route == "enforce"


def test_official_below_threshold_is_enforced():
    d = decide(case(author=account("100", 100_000)), [v("hateful_conduct")], REGISTRY, POLICY)
    assert not d.political.high_profile and d.route == "enforce"


def test_official_without_profile_snapshot_goes_to_a_human():
    d = decide(case(author=None, aid="100"), [v("abuse_harassment")], REGISTRY, POLICY)
    assert d.route == "public_interest_review"
    assert any("follower count unknown" in r for r in d.reasons)


def test_official_with_unknown_follower_count_goes_to_a_human():
    author = Account("100", handle="sen.bsky.social", followers=None, verified=False)
    d = decide(case(author=author), [v("abuse_harassment")], REGISTRY, POLICY)
    assert d.route == "public_interest_review" and not d.political.high_profile
    assert any("follower count unknown" in r for r in d.reasons)


def test_call_to_harm_recommends_removal():
    c = case("We must attack them at the rally, hunt them down", author=account("100"))
    d = decide(c, [v("hateful_conduct")], REGISTRY, POLICY)
    assert d.route == "public_interest_review" and d.recommendation == "remove"
    assert any(r.startswith("for removal: declarative call to action") for r in d.reasons)


def test_threat_to_expose_is_named_as_such_not_as_information_present():
    c = case("I will post your home address tonight", author=account("100"))
    pii = Violation("private_info", 0.8, ('span 0-29 "I will post your home address" (threat_expose_rule)',), "rules.pii@2")
    d = decide(c, [pii], REGISTRY, POLICY)
    assert d.route == "public_interest_review" and d.recommendation == "remove"
    assert any("threatened with exposure" in r and "threat_expose_rule" in r for r in d.reasons)
    assert not any("private information is present" in r for r in d.reasons)


def test_unlikely_category_needs_two_notice_factors():
    weak = decide(case("you are all going to regret this", author=account("100")), [v("violence")], REGISTRY, POLICY)
    assert weak.recommendation == "remove"
    strong = decide(case("The invasion footage shows the war crimes; Congress must act", author=account("100")),
                    [v("violence")], REGISTRY, POLICY)
    assert strong.recommendation == "notice"


@pytest.mark.parametrize("confidence, expected", [(0.95, "remove"), (0.6, "reduce_visibility")])
def test_severity_picks_full_or_mild_enforcement(confidence, expected):
    d = decide(case(author=account("1", 10, False)), [v("hateful_conduct", confidence)], REGISTRY, POLICY)
    assert [a.type for a in d.actions] == [expected]


def test_remove_supersedes_lesser_actions():
    d = decide(case(author=account("1", 10, False)), [v("violence"), v("sensitive_media")], REGISTRY, POLICY)
    assert [a.type for a in d.actions] == ["remove"]


@pytest.mark.parametrize("code", list(CATEGORIES))
def test_every_category_enforces_with_known_action_types(code):
    d = decide(case(author=account("1", 10, False)), [v(code)], REGISTRY, POLICY)
    assert d.route == "enforce" and d.actions
    assert all(a.type in ACTION_TYPES and a.policy_version == POLICY.version for a in d.actions)


def test_reporters_with_and_without_accounts_hear_once_each():
    reports = [Report("r1", "p1", "violence", T0, "9"), Report("r2", "p1", "violence", T0, "9"),
               Report("r3", "p1", "violence", T0, None, "x@example.org")]
    d = decide(case(author=account("1", 10, False), reports=reports), [v("violence")], REGISTRY, POLICY)
    reporters = [n for n in d.notices if n.recipient == "reporter"]
    assert sorted((n.recipient_id or "", n.contact or "") for n in reporters) == [("", "x@example.org"), ("9", "")]


def test_decisions_are_deterministic():
    c = case("I will kill you", author=account("1", 10, False), reports=[Report("r1", "p1", "violence", T0, "9")])
    assert decide(c, [v("violence")], REGISTRY, POLICY) == decide(c, [v("violence")], REGISTRY, POLICY)
    other = Policy(label="other")
    assert decide(c, [v("violence")], REGISTRY, other).decision_id != decide(c, [v("violence")], REGISTRY,
                                                                              POLICY).decision_id


def test_output_contract_shape():
    out = decide(case(author=account("100")), [v("hateful_conduct")], REGISTRY, POLICY).to_output()
    assert set(out) >= {"post_id", "violations", "author_political", "route", "recommendation", "actions", "notices"}
    assert set(out["author_political"]) == {"eligible", "high_profile", "role", "source"}


def test_a_post_deleted_before_it_is_decided_gets_no_action():
    from dataclasses import replace

    c = replace(case("I will kill you", author=account("1", 10, False)), deleted=True)
    d = decide(c, [v("violence")], REGISTRY, POLICY)
    assert d.route == "no_action" and d.actions == () and d.notices == () and "deleted" in d.reasons[0]


def test_weak_political_signals_never_hold_a_threat_back():
    """A bio that says "Running for city council", unverified, unknown followers: the threat is removed, and
    the decision is flagged for a human to confirm the political status."""
    author = Account("55", handle="c", bio="Running for city council", followers=None, verified=False)
    d = decide(case("I know where you live and I will kill you", author=author), [v("violence")], REGISTRY, POLICY)
    assert d.political.role == "candidate" and d.political.needs_confirmation
    assert d.route == "enforce" and [a.type for a in d.actions] == ["remove"] and d.escalation is None
    assert any(r.startswith("flagged for confirmation of political status") for r in d.reasons)
    assert any(n.recipient == "author" for n in d.notices)


def test_weak_signals_on_a_high_profile_account_are_enforced_and_flagged():
    author = Account("56", handle="c", bio="Running for city council", followers=900_000, verified=True)
    d = decide(case("these people are vermin", author=author), [v("hateful_conduct")], REGISTRY, POLICY)
    assert d.route == "enforce" and d.actions and d.escalation is None
    assert any(r.startswith("flagged for confirmation of political status") for r in d.reasons)


def test_government_verification_alone_does_not_hold_enforcement():
    author = Account("57", handle="g", followers=900_000, verified=True, verified_type="government")
    d = decide(case("I will kill you", author=author), [v("violence")], REGISTRY, POLICY)
    assert d.political.needs_confirmation and d.route == "enforce" and d.actions


def test_platform_label_with_unknown_followers_is_enforced_and_flagged():
    author = Account("58", handle="l", followers=None, verified=True, labels=("election_candidate",))
    d = decide(case("I will kill you", author=author), [v("violence")], REGISTRY, POLICY)
    assert d.route == "enforce" and any(r.startswith("flagged for confirmation") for r in d.reasons)


def test_strong_provenance_still_holds_for_public_interest_review():
    labelled = Account("59", handle="l", followers=900_000, verified=True, labels=("election_candidate",))
    d = decide(case("these people are vermin", author=labelled), [v("hateful_conduct")], REGISTRY, POLICY)
    assert d.route == "public_interest_review" and d.actions == ()
    ordinary = decide(case("I will kill you", author=account("1", 10, False)), [v("violence")], REGISTRY, POLICY)
    assert not any(r.startswith("flagged") for r in ordinary.reasons)


def _removed_summary(decided_by: str = "automation") -> dict:
    return {"decision_id": "d-old", "route": "enforce", "author_id": "1", "actions": ["remove"],
            "found": ["violence"], "decided_by": decided_by, "standing": 2}


def test_a_benign_edit_of_a_removed_post_tells_no_reporter_no_violation():
    r = Report("r1", "p1", "violence", T0, reporter_id="9")
    c = replace(case("have a nice day", author=account("1", 10, False), reports=[r]), prior=_removed_summary())
    d = decide(c, [], REGISTRY, POLICY)
    assert d.route == "no_action" and d.actions == () and d.notices == ()
    assert any(line.startswith("edit of a post already decided more strictly") and "d-old" in line
               for line in d.reasons)


def test_a_violating_edit_of_a_removed_post_is_enforced_with_its_own_ids_and_notices():
    r = Report("r1", "p1", "violence", T0, reporter_id="9")
    c = replace(case("I will kill you", author=account("1", 10, False), reports=[r]), prior=_removed_summary())
    d = decide(c, [v("violence")], REGISTRY, POLICY)
    assert d.route == "enforce" and d.decision_id != "d-old"
    assert {n.recipient for n in d.notices} == {"author", "reporter"}


def test_redelivery_of_the_same_decision_is_unchanged():
    c = case(author=account("1", 10, False), reports=[Report("r1", "p1", "violence", T0, reporter_id="9")])
    first = decide(c, [], REGISTRY, POLICY)
    again = decide(replace(c, prior={"decision_id": first.decision_id, "route": "enforce", "actions": ["remove"],
                                     "standing": 2}), [], REGISTRY, POLICY)
    assert again == first
