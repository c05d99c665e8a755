"""Report velocity raises a post for human re-review once, and only when re-review means something."""

import pytest

from agents.records import Report
from agents.report_signals import distinct_in_window, is_report_raised, rereview
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
    assert is_report_raised(esc.reasons) and esc.kind == "reported"
    assert escalation_outcomes(esc.kind) == ("remove", "no_violation")
    assert [v.policy for v in esc.violations] == ["hateful_conduct"] and esc.violations[0].source == "reports@1"
    assert esc.recommendation == "no_violation"  # automation found nothing: say so
    assert not esc.political.eligible


def test_below_the_threshold_does_not_raise():
    assert raise_(distinct=4) is None


@pytest.mark.parametrize("distinct", [5, 6, 40])
def test_at_or_above_the_threshold_raises_with_the_same_id(distinct):
    """`>=`, not `==`: a count that jumps past the threshold (several reports in one batch, or reports
    filed before the decision) still raises; raised once because the id is the decision's, and the hot
    path keeps a raised flag in Redis."""
    assert raise_(distinct=distinct).escalation_id == raise_().escalation_id


def test_distinct_in_window_counts_reporters_before_the_latest_report():
    at = ["2026-11-20T10:00:00Z", "2026-11-20T11:30:00Z", "2026-11-20T12:00:00Z", "2026-11-20T12:10:00Z"]
    rs = [Report(f"r{i}", "p1", "violence", t, reporter_id=f"u{i}") for i, t in enumerate(at)]
    rs.append(Report("r9", "p1", "violence", "2026-11-20T12:20:00Z", reporter_id="u1"))  # u1 again: counts once
    assert distinct_in_window(rs, 3600) == 3  # u1 (11:30), u2, u3; u0 (10:00) is older than the hour
    assert distinct_in_window(rs, 4 * 3600) == 4 and distinct_in_window([], 3600) == 0


def test_an_anonymous_source_counts_once_however_often_it_reports():
    same = [Report(f"a{i}", "p1", "violence", T0, reporter_contact=" Mail@Example.org") for i in range(9)]
    nobody = [Report(f"n{i}", "p1", "violence", T0) for i in range(9)]
    assert distinct_in_window(same, 3600) == 1 and distinct_in_window(nobody, 3600) == 1
    other = Report("b1", "p1", "violence", T0, reporter_contact="other@example.org")
    assert distinct_in_window([*same, *nobody, other], 3600) == 3
    assert "example" not in same[0].reporter_key  # a digest, not the contact


@pytest.mark.parametrize("change", [{"decided_by": "lead-1"}, {"route": "public_interest_review"},
                                    {"route": "enforce", "actions": ["remove"]}])
def test_human_pending_or_removed_posts_are_not_reopened_by_reports(change):
    assert raise_({**SUMMARY, **change}) is None


def test_recommends_removal_when_automation_found_the_reported_rule():
    esc = raise_({**SUMMARY, "route": "enforce", "actions": ["reduce_visibility"], "found": ["hateful_conduct"]})
    assert esc.recommendation == "remove"


def test_same_inputs_same_escalation_id():
    assert raise_().escalation_id == raise_().escalation_id
