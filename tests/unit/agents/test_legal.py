"""Legal requests (agents.legal): one withholding per country, whatever the route."""

from __future__ import annotations

from agents.legal import LEGAL_RULE, withhold
from agents.effects import Escalation
from agents.enforcement import unassessed
from agents.policy import PIE_NOTICE_ACTIONS, Policy
from agents.records import LegalRequest, ReviewDecision, Violation
from agents.review import review_escalation

POLICY = Policy()
T0 = "2026-11-20T12:00:00Z"
ESCALATION = Escalation("e1", "p1", "100", (Violation("hateful_conduct", 0.9, ("ev",), "t"),), "notice", ("why",),
                        unassessed("test"), POLICY.version, T0)
REQUEST = LegalRequest("lr1", "p1", ("FR", "DE", "FR"), "Landgericht Berlin", T0, "NetzDG §3")


def test_one_action_per_country_with_country_in_the_id():
    d = withhold(REQUEST, "p1", "100", POLICY)
    assert not d.errors and d.route == "enforce"
    assert [(a.action_id, a.countries) for a in d.actions] == [
        (f"{d.decision_id}:withhold_in_country:DE", ("DE",)), (f"{d.decision_id}:withhold_in_country:FR", ("FR",))]
    assert all(a.type == "withhold_in_country" and a.policy == LEGAL_RULE and not a.automated for a in d.actions)


def test_author_notice_names_countries_authority_and_basis():
    (n,) = withhold(REQUEST, "p1", "100", POLICY).notices
    assert (n.recipient, n.recipient_id, n.kind) == ("author", "100", "statement_of_reasons")
    assert all(s in n.text for s in ("DE, FR", "Landgericht Berlin", "NetzDG §3", POLICY.appeal_url))
    assert n.policy is None and n.actions == ("withhold_in_country",)


def test_audit_kind_is_legal_request():
    d = withhold(REQUEST, "p1", "100", POLICY)
    audit = d.audit([], {"policy": POLICY.version}, kind="legal_request", decided_by="legal")
    assert audit["kind"] == "legal_request" and len(audit["action_ids"]) == 2


def test_deterministic_per_request():
    assert withhold(REQUEST, "p1", "100", POLICY) == withhold(REQUEST, "p1", "100", POLICY)


def test_request_for_another_post_is_an_error():
    d = withhold(REQUEST, "p2", "100", POLICY)
    assert d.errors and not d.actions and not d.notices


def test_applies_to_a_post_kept_up_under_the_exception():
    kept = review_escalation(ReviewDecision("rv", "e1", "p1", "notice", "s", "why", T0, True), ESCALATION, (), POLICY)
    assert [a.type for a in kept.actions] == list(PIE_NOTICE_ACTIONS)
    legal = withhold(REQUEST, "p1", kept.author_id, POLICY)
    assert [a.type for a in legal.actions] == ["withhold_in_country"] * 2
    assert {a.action_id for a in legal.actions}.isdisjoint(a.action_id for a in kept.actions)


def test_missing_legal_basis_is_said_not_invented():
    d = withhold(LegalRequest("lr2", "p1", ("TR",), "BTK", T0), "p1", "1", POLICY)
    assert "not stated" in d.notices[0].text and d.violations == ()
