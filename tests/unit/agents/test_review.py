"""Human review decisions (agents.review): escalations, the senior-only notice, appeals."""

from __future__ import annotations

import itertools

import pytest

from agents.caps import apply_caps
from agents.policy import CATEGORIES, PIE_NOTICE_ACTIONS, Policy
from agents.records import Account, Appeal, Case, Designation, Post, Report, ReviewDecision, Violation
from agents.review import (AWAITING_SENIOR, Appealed, Reviewer, awaits_senior, decision_summary,
                           escalation_from_dict, review_appeal, review_escalation, roster_problems, state_of)
from agents.router import decide

POLICY = Policy()
T0 = "2026-11-20T12:00:00Z"
SENATOR = Designation("100", "elected_or_appointed_official", "US Senate", "national", "US-VT",
                      "registry:test", valid_from="2025-01-03", valid_until="2031-01-03", person="A Senator")
REGISTRY = {"100": (SENATOR,)}
REPORTS = (Report("r1", "p1", "hateful_conduct", T0, "9"), Report("r2", "p1", "hateful_conduct", T0, None, "x@e.org"))


def escalated(code: str = "hateful_conduct", confidence: float = 0.95):
    post = Post("p1", "100", "The Senate must vote no on this bill, these people are vermin", T0, "en", "US")
    d = decide(Case(post, Account("100", followers=500_000, verified=True)), [Violation(code, confidence, ("ev",),
                                                                                       "rules.test@1")],
               REGISTRY, POLICY)
    assert d.escalation is not None
    return d.escalation


def review(outcome: str, senior: bool = True, decision: str | None = None, policy: str | None = None,
           reviewer: str = "rev-1", review_id: str = "rv1") -> ReviewDecision:
    return ReviewDecision(review_id, decision or escalated().escalation_id, "p1", outcome, reviewer,
                          "political statement in a public debate", T0, senior, policy)


def types(d) -> list[str]:
    return [a.type for a in d.actions]


def test_the_roster_backs_a_senior_claim_only_for_a_senior_or_lead():
    assert roster_problems(review("notice", reviewer="rev-1"), Reviewer("rev-1", frozenset({"senior"}))) == []
    assert roster_problems(review("notice", reviewer="rev-1"), Reviewer("rev-1", frozenset({"lead"}))) == []
    assert roster_problems(review("notice", senior=False), Reviewer("rev-1", frozenset({"analyst"}))) == []
    (why,) = roster_problems(review("notice", reviewer="rev-1"), Reviewer("rev-1", frozenset({"analyst"})))
    assert "claims seniority for rev-1" in why and "analyst" in why
    (why,) = roster_problems(review("remove", senior=False, reviewer="nobody"), None)
    assert "nobody is not on the reviewer roster" in why
    (why,) = roster_problems(review("notice", reviewer="automation"), None)
    assert "reserved" in why


# --- escalations ---------------------------------------------------------------------------


def test_senior_notice_applies_the_three_visibility_limits_by_a_human():
    e = escalated()
    d = review_escalation(review("notice"), e, REPORTS, POLICY)
    assert not d.errors and d.route == "notice"
    assert types(d) == list(PIE_NOTICE_ACTIONS)
    assert all(not a.automated and a.policy == "hateful_conduct" for a in d.actions)
    assert [a.action_id for a in d.actions] == [f"{d.decision_id}:{t}" for t in PIE_NOTICE_ACTIONS]


def test_senior_notice_tells_author_viewers_and_every_reporter():
    d = review_escalation(review("notice"), escalated(), REPORTS, POLICY)
    by = {n.recipient: n for n in d.notices}
    author = by["author"]
    assert author.kind == "statement_of_reasons" and not author.automated and author.recipient_id == "100"
    assert author.actions == PIE_NOTICE_ACTIONS and POLICY.appeal_url in author.text
    assert "human reviewer" in author.text and any("rationale" in f for f in author.facts)
    viewers = by["viewers"]
    assert viewers.kind == "public_interest_interstitial" and viewers.recipient_id is None
    assert "Hateful conduct" in viewers.text and "public interest" in viewers.text and viewers.appeal == ""
    assert CATEGORIES["hateful_conduct"].rule_url in viewers.text
    reporters = [n for n in d.notices if n.recipient == "reporter"]
    assert sorted((n.recipient_id or "", n.contact or "") for n in reporters) == [("", "x@e.org"), ("9", "")]
    assert all(not n.automated for n in d.notices)


def test_non_senior_notice_is_a_recommendation_awaiting_a_senior():
    r = review("notice", senior=False)
    d = review_escalation(r, escalated(), REPORTS, POLICY)
    assert awaits_senior(r) and not d.errors
    assert d.route == AWAITING_SENIOR and d.actions == () and d.notices == ()
    assert any("senior" in line for line in d.reasons)


@pytest.mark.parametrize("senior", [True, False])
def test_remove_is_final_for_any_reviewer_and_removes_even_a_mild_category(senior):
    d = review_escalation(review("remove", senior), escalated("sensitive_media", 0.6), REPORTS, POLICY)
    assert types(d) == ["remove"]  # the warning is pointless on a removed post
    assert [n.recipient for n in d.notices].count("author") == 1
    assert all("remove" in n.actions for n in d.notices)


def test_remove_at_low_detector_confidence_is_still_a_removal():
    d = review_escalation(review("remove"), escalated("hateful_conduct", 0.6), (), POLICY)
    assert types(d) == ["remove"] and d.violations[0].confidence == 1.0
    assert d.violations[0].source.startswith("human_review:rev-1 (detected by rules.test@1")


def test_no_violation_takes_no_action_and_reporters_hear_it():
    d = review_escalation(review("no_violation"), escalated(), REPORTS, POLICY)
    assert d.actions == () and {n.recipient for n in d.notices} == {"reporter"}
    assert all("no violation" in n.text for n in d.notices)


def test_reviewer_may_name_the_rule_the_decision_rests_on():
    d = review_escalation(review("remove", policy="abuse_harassment"), escalated(), (), POLICY)
    assert [v.policy for v in d.violations] == ["abuse_harassment"] and d.actions[0].policy == "abuse_harassment"


@pytest.mark.parametrize("code", [c.code for c in CATEGORIES.values() if c.pie == "never"])
def test_notice_for_a_never_category_is_an_error(code):
    d = review_escalation(review("notice", policy=code), escalated(), REPORTS, POLICY)
    assert d.errors and d.actions == () and d.notices == ()


def test_mismatched_review_is_an_error_and_applies_nothing():
    d = review_escalation(review("remove", decision="other"), escalated(), REPORTS, POLICY)
    assert d.errors and not d.actions and not d.notices


def test_review_ids_are_deterministic_and_distinct_from_the_escalation():
    e = escalated()
    a, b = review_escalation(review("notice"), e, REPORTS, POLICY), review_escalation(review("notice"), e, REPORTS,
                                                                                      POLICY)
    assert a == b and a.decision_id != e.escalation_id


def test_cap_hold_cannot_be_granted_the_exception():
    post = Post("p1", "1", "x", T0)
    d = decide(Case(post, Account("1", followers=10)), [Violation("violence", 0.95, ("ev",), "t")], REGISTRY, POLICY)
    held = apply_caps(d, {"remove": 50_000}, POLICY, post_created_at=T0)
    r = ReviewDecision("rv", held.escalation.escalation_id, "p1", "notice", "s", "why", T0, True)
    assert review_escalation(r, held.escalation, (), POLICY).errors
    ok = review_escalation(ReviewDecision("rv", held.decision_id, "p1", "remove", "s", "why", T0), held.escalation, (),
                           POLICY)
    assert not ok.errors and types(ok) == ["remove"] and not ok.actions[0].automated


def test_escalation_round_trips_through_its_topic_value():
    e = escalated()
    assert escalation_from_dict(e.to_dict()) == e


# --- automation never grants the notice ------------------------------------------------------


AUTHORS = {"eligible": Account("100", followers=500_000, verified=True), "unconfirmed": None,
           "ordinary": Account("1", followers=10), "celebrity": Account("7", followers=9_000_000, verified=True)}


@pytest.mark.parametrize("code, who, confidence", list(itertools.product(CATEGORIES, AUTHORS, (0.3, 0.6, 0.95))))
def test_router_never_emits_public_interest_notice(code, who, confidence):
    author = AUTHORS[who]
    aid = author.account_id if author else "100"
    post = Post("p1", aid, "The Senate must vote no; war footage for the record", T0, "en", "US")
    d = decide(Case(post, author), [Violation(code, confidence, ("ev",), "t")], REGISTRY, POLICY)
    capped = apply_caps(d, {"remove": 10**9, "suspend_account": 10**9}, POLICY, post_created_at=T0)
    for out in (d, capped):
        assert not {a.type for a in out.actions} & set(PIE_NOTICE_ACTIONS)
        assert all(n.kind != "public_interest_interstitial" for n in out.notices)


# --- appeals --------------------------------------------------------------------------------


def appealed(actions=("remove",), found=("violence",), decided_by="automation", route="enforce") -> Appealed:
    return Appealed("d0", "1", route, tuple(actions), tuple(found), decided_by)


def appeal(appellant: str | None = "1") -> Appeal:
    return Appeal("a1", "d0", "p1", T0, appellant, "it was a joke")


def appeal_review(outcome: str, reviewer: str = "rev-2", senior: bool = False, policy: str | None = None):
    return ReviewDecision("ar1", "appeal:a1", "p1", outcome, reviewer, "context shows a quote", T0, senior, policy)


def test_upheld_appeal_takes_no_action_and_tells_the_appellant_why():
    d = review_appeal(appeal_review("remove"), appeal(), appealed(), POLICY)
    assert not d.errors and d.actions == () and d.reasons[0].endswith("upheld (remove)")
    (n,) = d.notices
    assert n.recipient == "author" and n.kind == "appeal_outcome" and "upheld" in n.text
    assert "context shows a quote" in n.text and not n.automated


def test_overturned_removal_restores_with_a_reason():
    d = review_appeal(appeal_review("no_violation"), appeal(), appealed(("remove", "suspend_account")), POLICY)
    (a,) = d.actions
    assert (a.type, a.action_id, a.automated) == ("restore", f"{d.decision_id}:restore", False)
    assert "lifts remove, suspend_account" in a.reason and "d0" in a.reason
    assert [n.recipient for n in d.notices] == ["author"] and "reversed" in d.notices[0].text


def test_restore_never_lifts_the_ncmec_report():
    d = review_appeal(appeal_review("no_violation"), appeal(),
                      appealed(("remove", "suspend_account", "report_ncmec"), ("child_sexual_exploitation",)), POLICY)
    assert "report_ncmec stands" in d.actions[0].reason


def test_reporter_appeal_of_no_violation_enforces_and_both_hear():
    d = review_appeal(appeal_review("remove", policy="violence"), appeal("9"), appealed((), ()), POLICY)
    assert types(d) == ["remove"] and not d.actions[0].automated
    kinds = {(n.recipient, n.recipient_id, n.kind) for n in d.notices}
    assert kinds == {("author", "1", "statement_of_reasons"), ("reporter", "9", "appeal_outcome")}


def test_reporter_appeal_against_a_restore_makes_the_author_hear_of_it():
    d = review_appeal(appeal_review("no_violation"), appeal("9"), appealed(), POLICY)
    assert {n.recipient for n in d.notices} == {"author", "reporter"}


def test_the_reviewer_of_the_appealed_decision_may_not_decide_the_appeal():
    d = review_appeal(appeal_review("no_violation", reviewer="rev-1"), appeal(), appealed(decided_by="rev-1"), POLICY)
    assert d.errors and not d.actions and not d.notices


def test_notice_is_never_granted_on_appeal_only_kept():
    d = review_appeal(appeal_review("notice", senior=True), appeal(), appealed(), POLICY)
    assert d.errors
    kept = review_appeal(appeal_review("notice", senior=True), appeal(),
                         appealed(PIE_NOTICE_ACTIONS, ("hateful_conduct",), "rev-1", "notice"), POLICY)
    assert not kept.errors and kept.actions == ()


def test_appeal_of_a_notice_can_remove_or_restore():
    original = appealed(PIE_NOTICE_ACTIONS, ("hateful_conduct",), "rev-1", "notice")
    removed = review_appeal(appeal_review("remove"), appeal("9"), original, POLICY)
    assert types(removed) == ["remove"]
    lifted = review_appeal(appeal_review("no_violation"), appeal(), original, POLICY)
    assert types(lifted) == ["restore"] and "public_interest_notice" in lifted.actions[0].reason


def test_pending_decisions_cannot_be_appealed():
    d = review_appeal(appeal_review("no_violation"), appeal(), appealed((), ("hateful_conduct",),
                                                                        route="public_interest_review"), POLICY)
    assert d.errors


def test_account_less_appellant_gets_a_stable_notice_id():
    d = review_appeal(appeal_review("remove"), appeal(None), appealed(), POLICY)
    assert d.notices[0].notice_id.endswith(":reporter:anon:a1") and d.notices[0].recipient_id is None


@pytest.mark.parametrize("actions, state", [(("remove",), "remove"), (("reduce_visibility",), "remove"),
                                            (PIE_NOTICE_ACTIONS, "notice"), ((), "no_violation"),
                                            (("restore",), "no_violation"), (("withhold_in_country",), "no_violation")])
def test_state_of_actions(actions, state):
    assert state_of(actions) == state


def test_summary_round_trips_into_an_appealed_decision():
    d = decide(Case(Post("p1", "1", "x", T0), Account("1", followers=10)), [Violation("violence", 0.95)], REGISTRY,
               POLICY)
    a = Appealed.from_summary(decision_summary(d))
    assert (a.decision_id, a.author_id, a.actions, a.found, a.decided_by) == (d.decision_id, "1", ("remove",),
                                                                              ("violence",), "automation")
