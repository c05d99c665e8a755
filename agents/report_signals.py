"""Report signals: enough distinct reporters in a short window raise a post for human re-review.

The policy texts set no number; the default is 5 distinct reporters (people with or without
an account; the same reporter twice counts once, an anonymous source once per post) within 60
minutes, configurable. Reports before and after the decision count. The post is raised once
per decision, when the count is at or above the threshold, and only while its decision was
automated and final (a human decision, or one already waiting for a human, is not
re-opened by reports: that is what appeals are for). The review item offers `remove` or
`no_violation`; the reported rules come along as weak violations for the reviewer.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any, Mapping, Sequence

from agents.effects import KIND_REPORTED, Escalation, decision_id
from agents.enforcement import unassessed
from agents.records import Report, Violation

REPORTS_REASON = "raised by reports"
REPORTS_SOURCE = "reports@1"


def is_report_raised(escalation_reasons: Sequence[str]) -> bool:
    """True for a re-review `rereview` raised, told by its first reason (escalations written before
    `Escalation.kind` existed; agents.review.escalation_kind)."""
    return bool(escalation_reasons) and escalation_reasons[0].startswith(REPORTS_REASON)


def distinct_in_window(reports: Sequence[Report], window_seconds: float) -> int:
    """Distinct reporters within `window_seconds` up to the latest report: the count for reports that came
    before the post was decided (each later report gets its count from the store as it arrives)."""
    if not reports:
        return 0
    first: dict[str, float] = {}  # each reporter at their first report, as the store counts them
    for at, key in sorted((_epoch(r.created_at), r.reporter_key) for r in reports):
        first.setdefault(key, at)
    latest = max(first.values())
    return sum(1 for at in first.values() if at >= latest - window_seconds)


def _epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def rereview(summary: Mapping[str, Any], reports: Sequence[Report], distinct_in_window: int, *, threshold: int,
             window_seconds: float, policy_version: str) -> Escalation | None:
    """The re-review escalation when the count is at or above `threshold`, else None.

    `summary`: the post's decided summary (agents.review.decision_summary plus post_text/created_at).
    Raised once per decision: the escalation id derives from the decision, and the caller keeps a
    raised flag (streams/infra/stores.py) so later reports do not raise it again.
    """
    if distinct_in_window < threshold or summary.get("decided_by", "automation") != "automation":
        return None
    if summary["route"] not in ("no_action", "enforce") or "remove" in (summary.get("actions") or ()) or not reports:
        return None  # pending with a human already, or already removed: nothing to re-review
    counts = Counter(r.policy for r in reports)
    violations = tuple(Violation(code, round(min(1.0, n / threshold), 3), (f"{n} report(s) for {code}",),
                                 REPORTS_SOURCE) for code, n in sorted(counts.items()))
    found = set(summary.get("found") or ())
    recommendation = "remove" if found & set(counts) else "no_violation"
    reasons = (
        f"{REPORTS_REASON}: {distinct_in_window} distinct reporters within {window_seconds / 60:.0f} min "
        f"(threshold {threshold})",
        f"automated decision {summary['decision_id']}: route {summary['route']}, actions "
        f"{', '.join(summary.get('actions') or ()) or 'none'}, found {', '.join(sorted(found)) or 'nothing'}",
        f"recommend {recommendation}: " + ("automation found the reported rule broken" if found & set(counts)
                                           else "automation found no violation of the reported rules"),
    )
    post_id = reports[0].post_id
    return Escalation(decision_id("reports", post_id, summary["decision_id"]), post_id, summary["author_id"],
                      violations, recommendation, reasons, unassessed("raised by reports, not by authorship"),
                      policy_version, summary.get("created_at") or reports[0].created_at, summary.get("post_text"),
                      kind=KIND_REPORTED)
