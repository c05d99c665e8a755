"""The console's page logic (streams/console/pages.py): highlighting, SLA, outcomes, who sees reporters."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from agents.records import Report
from agents.review import Reviewer
from streams.console import pages
from streams.infra.review_queue import ReviewItem

TEXT = "Immigrants are vermin, and the Senate must vote no"


def test_span_evidence_is_marked_where_it_is():
    segs = pages.highlighted(TEXT, [("hateful_conduct", 'span 0-21 "Immigrants are vermin" (rule)')])
    assert segs == [("Immigrants are vermin", "hateful_conduct"), (", and the Senate must vote no", None)]


def test_quoted_evidence_is_found_and_wrong_offsets_are_not_trusted():
    segs = pages.highlighted(TEXT, [("x", 'span 3-9 "vote no" (offsets of another text)'), ("y", 'names "senate"')])
    assert ("Senate", "y") in segs and ("vote no", "x") in segs
    assert "".join(s for s, _ in segs) == TEXT  # nothing lost or doubled


def test_overlapping_evidence_marks_once():
    segs = pages.highlighted(TEXT, [("a", '"Immigrants are"'), ("b", '"are vermin"')])
    assert [s for s, p in segs if p] == ["Immigrants are"] and "".join(s for s, _ in segs) == TEXT


def test_sla_spec():
    assert pages.parse_sla("appeal=72, cap_hold=4")["cap_hold"] == 4.0
    with pytest.raises(ValueError, match="not a kind"):
        pages.parse_sla("urgent=1")


def _item(kind="appeal", original=None, created="2026-11-20T12:00:00Z"):
    return ReviewItem("i1", kind, "p1", "a1", created, created, ("remove", "no_violation"),
                      original=original or {"decision_id": "d1", "author_id": "a1", "route": "enforce",
                                            "actions": ["remove"], "found": ["violence"]})


def test_appeal_outcomes_say_uphold_and_restore():
    assert pages.outcomes(_item()) == [("remove", "Uphold the decision (remove)"),
                                       ("no_violation", "Restore the post (no violation)")]


def test_overdue_rows_and_filters():
    now = datetime(2026, 11, 24, 12, tzinfo=timezone.utc)
    (row,) = pages.queue_rows([_item()], now, pages.parse_sla(""))
    assert row.overdue and row.sla == "overdue by 3d00h" and row.policies == ["violence"]
    assert not pages.queue_rows([_item()], now, pages.parse_sla(""), policy="hateful_conduct")
    assert not pages.queue_rows([_item()], now, pages.parse_sla(""), kind="cap_hold")


def test_reporter_identities_only_for_seniors():
    reports = [Report("r1", "p1", "violence", "2026-11-20T12:00:00Z", reporter_id="u9"),
               Report("r2", "p1", "violence", "2026-11-20T12:00:00Z")]
    analyst = pages.reports_view(reports, Reviewer("ana", frozenset({"analyst"})))
    senior = pages.reports_view(reports, Reviewer("sam", frozenset({"senior"})))
    assert analyst == {"count": 2, "reasons": [("violence", 2)], "reporters": None}
    assert senior["reporters"] == ["(no account)", "u9"]


def test_chart_bars_scale_to_the_busiest_hour():
    t = datetime(2026, 11, 20, tzinfo=timezone.utc)
    chart = pages.bars([(t, 2), (t, 4), (t, 0)], width=300, height=120)
    assert [b["h"] for b in chart["bars"]] == [50.0, 100.0, 0.0] and chart["total"] == 6
