"""Safety valves (agents.caps): daily caps on automated destructive actions, and shadow mode."""

from __future__ import annotations

from dataclasses import replace

import pytest

from agents.caps import HUMAN_REVIEW, apply_caps, charges, is_cap_hold
from agents.policy import CATEGORIES, DEFAULT_DAILY_CAPS, Policy
from agents.records import Account, Case, Designation, Media, Post, Report, Violation
from agents.review import escalation_outcomes
from agents.router import decide

POLICY = Policy()
T0 = "2026-11-20T12:00:00Z"
SENATOR = Designation("100", "elected_or_appointed_official", "US Senate", "national", "US-VT", "registry:test",
                      valid_from="2025-01-03", valid_until="2031-01-03")
REGISTRY = {"100": (SENATOR,)}
ORDINARY = Account("1", followers=10)


def decided(codes=("violence",), author=ORDINARY, policy=POLICY, reports=(), confidence=0.95, media=()):
    post = Post("p1", author.account_id, "The Senate must vote no on the bill", T0, "en", "US", (), tuple(media))
    return decide(Case(post, author, reports=tuple(reports)), [Violation(c, confidence, (f"ev {c}",), "t@1")
                                                               for c in codes], REGISTRY, policy)


# --- daily caps ----------------------------------------------------------------------------


def test_defaults_cap_remove_and_suspend_only():
    assert dict(POLICY.daily_caps) == dict(DEFAULT_DAILY_CAPS) == {"remove": 50_000, "suspend_account": 2_000}


def test_under_the_cap_the_decision_is_unchanged():
    d = decided()
    assert apply_caps(d, {"remove": 49_999}, POLICY, post_created_at=T0) is d
    assert charges(d, POLICY) == {"remove": 1}


def test_at_the_cap_the_decision_is_held_for_a_human():
    d = decided(reports=[Report("r1", "p1", "violence", T0, "9")])
    held = apply_caps(d, {"remove": 50_000}, POLICY, post_created_at=T0)
    assert held.route == HUMAN_REVIEW and held.actions == () and held.notices == ()
    assert held.decision_id == d.decision_id and held.recommendation == "remove"
    assert held.reasons[0] == "held by daily cap: remove 50000 applied today, cap 50000"
    assert held.escalation is not None and is_cap_hold(held.escalation.reasons)
    assert held.escalation.created_at == T0 and held.escalation.violations == d.violations
    assert held.escalation.kind == "cap_hold" and escalation_outcomes(held.escalation.kind) == ("remove", "no_violation")
    assert charges(held, POLICY) == {}
    assert held.cap_held == ("remove",) and d.cap_held == ()


def test_one_type_over_holds_every_capped_action_of_the_decision():
    d = decided(("terrorism",))
    assert [a.type for a in d.actions] == ["remove", "suspend_account"]
    held = apply_caps(d, {"remove": 0, "suspend_account": 2_000}, POLICY, post_created_at=T0)
    assert held.actions == () and "suspend_account 2000 applied today" in held.reasons[0]
    assert "remove" not in held.reasons[0]
    assert held.cap_held == ("suspend_account",)  # the type over its cap, not every capped action held


def test_child_sexual_exploitation_is_never_held_by_a_cap():
    # issue 18: CSE is never capped (a legal duty), not only its NCMEC report: the whole decision stands
    d = decided(("child_sexual_exploitation",), media=[Media("m", "image", md5="0" * 32)])
    over = apply_caps(d, {"remove": 10**9, "suspend_account": 10**9}, POLICY, post_created_at=T0)
    assert over == d and [a.type for a in over.actions] == ["remove", "suspend_account", "report_ncmec"]
    assert over.route == "enforce" and over.ncmec == d.ncmec and over.notices
    assert charges(over, POLICY) == {"remove": 1, "suspend_account": 1}  # it still counts toward the caps


def test_report_ncmec_cannot_be_configured_as_capped():
    with pytest.raises(ValueError, match="never be capped"):
        Policy(daily_caps={"report_ncmec": 1})
    with pytest.raises(ValueError):
        Policy(daily_caps={"nonsense": 1})


def test_caps_are_configurable_and_deterministic():
    tight = Policy(daily_caps={"remove": 3})
    d = decided(policy=tight)
    assert apply_caps(d, {"remove": 2}, tight, post_created_at=T0) is d
    a = apply_caps(d, {"remove": 3}, tight, post_created_at=T0)
    assert a == apply_caps(d, {"remove": 3}, tight, post_created_at=T0) and a.route == HUMAN_REVIEW


def test_human_decisions_and_escalations_are_never_capped():
    pie = decided(("hateful_conduct",), Account("100", followers=500_000, verified=True))
    assert apply_caps(pie, {"remove": 10**9}, POLICY, post_created_at=T0) is pie
    human = replace(decided(), actions=tuple(replace(a, automated=False) for a in decided().actions))
    assert apply_caps(human, {"remove": 10**9}, POLICY, post_created_at=T0) is human


def test_mild_enforcement_is_not_capped():
    d = decided(("hateful_conduct",), confidence=0.6)
    assert [a.type for a in d.actions] == ["reduce_visibility"]
    assert apply_caps(d, {"remove": 10**9}, POLICY, post_created_at=T0) is d


def test_decision_with_errors_charges_nothing():
    assert charges(replace(decided(), errors=("x",)), POLICY) == {}


# --- shadow mode ---------------------------------------------------------------------------


SHADOW = Policy(shadow_policies=frozenset({"hateful_conduct"}))


def _same_but_reasons(a, b):
    return replace(a, reasons=(), violations=()) == replace(b, reasons=(), violations=())


@pytest.mark.parametrize("author", [ORDINARY, Account("100", followers=500_000, verified=True)], ids=["ordinary",
                                                                                                      "senator"])
def test_shadow_violation_alone_acts_like_no_violation(author):
    reports = [Report("r1", "p1", "hateful_conduct", T0, "9")]
    d = decided(("hateful_conduct",), author, SHADOW, reports)
    base = decided((), author, SHADOW, reports)
    assert d.route == "no_action" and d.actions == () and d.escalation is None
    assert _same_but_reasons(d, base)
    assert [v.policy for v in d.violations] == ["hateful_conduct"]  # recorded
    (line,) = [r for r in d.reasons if r.startswith("shadow:")]
    assert "hateful_conduct" in line and "would remove" in line and "no action" in line


def test_shadow_violation_next_to_a_live_one_changes_nothing_but_reasons():
    d = decided(("violence", "hateful_conduct"), policy=SHADOW)
    live = decided(("violence",), policy=SHADOW)
    assert _same_but_reasons(d, live) and [a.policy for a in d.actions] == ["violence"]
    assert any(r.startswith("shadow: hateful_conduct") for r in d.reasons)
    assert all("hateful" not in f for n in d.notices for f in n.facts)


def test_shadow_does_not_leak_into_the_reviewers_escalation():
    senator = Account("100", followers=500_000, verified=True)
    d = decided(("abuse_harassment", "hateful_conduct"), senator, SHADOW)
    assert d.route == "public_interest_review"
    assert [v.policy for v in d.escalation.violations] == ["abuse_harassment"]
    assert not any(r.startswith("shadow:") for r in d.escalation.reasons)


def test_without_shadow_policies_nothing_changes():
    assert decided(("hateful_conduct",)).route == "enforce"


def test_child_sexual_exploitation_can_never_be_shadowed():
    with pytest.raises(ValueError, match="legal duty"):
        Policy(shadow_policies=frozenset({"child_sexual_exploitation"}))
    with pytest.raises(ValueError):
        Policy(shadow_policies=frozenset({"not_a_rule"}))


@pytest.mark.parametrize("code", [c for c in CATEGORIES if c != "child_sexual_exploitation"])
def test_every_other_rule_can_be_shadowed_and_then_never_acts(code):
    p = Policy(shadow_policies=frozenset({code}))
    d = decided((code,), policy=p)
    assert d.route == "no_action" and d.actions == () and d.notices == () and d.ncmec is None
