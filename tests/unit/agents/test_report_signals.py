"""Report velocity raises a post for human re-review once, and only when re-review means something."""

import pytest

from agents.records import Report
from agents.report_signals import is_report_raised, rereview
from agents.review import escalation_outcomes

T0 = "2026-11-20T12:00:00Z"
SUMMARY = {"decision_id": "d1", "route": "no_action", "author_id": "a1", "actions": [], "found": [],
           "decided_by": "automation", "post_text": "some post", "created_at": T0}


def reports(n: int, policy: str = "hateful_conduct") -> list[Report]:
    return [Report(f"r{i}", "p1", policy, T0, reporter_id=f"u{i}" if i % 2 else None) for i in range(n)]


def raise_(summary=SUMMARY, n=5, distinct=5):
    return rereview(summary, reports(n), distinct, threshold=5, window_seconds=3600, policy_version="v")


def test_crossing_the_threshold_raises_the_post_with_its_text_and_the_reported_rules():
    esc = raise_()
    assert esc is not None and esc.post_id == "p1" and esc.post_text == "some post"
    assert is_report_raised(esc.reasons) and escalation_outcomes(esc.reasons) == ("remove", "no_violation")
    assert [v.policy for v in esc.violations] == ["hateful_conduct"] and esc.violations[0].source == "reports@1"
    assert esc.recommendation == "no_violation"  # automation found nothing: say so
    assert not esc.political.eligible


@pytest.mark.parametrize("distinct", [4, 6])
def test_only_the_crossing_report_raises_it(distinct):
    assert raise_(distinct=distinct) is None


@pytest.mark.parametrize("change", [{"decided_by": "lead-1"}, {"route": "public_interest_review"},
                                    {"route": "enforce", "actions": ["remove"]}])
def test_human_pending_or_removed_posts_are_not_reopened_by_reports(change):
    assert raise_({**SUMMARY, **change}) is None


def test_recommends_removal_when_automation_found_the_reported_rule():
    esc = raise_({**SUMMARY, "route": "enforce", "actions": ["reduce_visibility"], "found": ["hateful_conduct"]})
    assert esc.recommendation == "remove"


def test_same_inputs_same_escalation_id():
    assert raise_().escalation_id == raise_().escalation_id
