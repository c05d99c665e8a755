"""What the console's pages show, computed from review items: pure functions, no I/O.

The templates only lay these out; everything a reviewer must not see (reporter identities
for an analyst) is left out here, on the server, not hidden in the page.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Mapping, Sequence

from agents.records import Report
from agents.review import Appealed, Reviewer
from streams.commands.review_cli import format_age
from streams.infra.review_queue import KINDS, ReviewItem

KIND_TITLES = {"public_interest": "Public interest", "cap_hold": "Daily-cap hold", "reported": "Report re-review",
               "appeal": "Appeal"}
OUTCOME_TITLES = {"notice": "Keep up behind a public-interest notice", "remove": "Remove",
                  "no_violation": "No violation"}
#: Routes of human decisions in audit.v1, for the overview.
ROUTE_TITLES = {**OUTCOME_TITLES, "awaiting_senior": "Notice recommended (awaiting a senior)"}
_SPAN = re.compile(r'^span (\d+)-(\d+) "(.*)"')
_QUOTED = re.compile(r'"([^"]{2,200})"')


def parse_sla(spec: str) -> dict[str, float]:
    """'public_interest=24,appeal=72' -> hours per kind (kinds not named: 24)."""
    hours = {k: 24.0 for k in KINDS}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        kind, _, value = part.partition("=")
        if kind.strip() not in hours:
            raise ValueError(f"MODSTREAM_CONSOLE_SLA_HOURS: {kind!r} is not a kind: {', '.join(KINDS)}")
        hours[kind.strip()] = float(value)
    return hours


def policies_of(item: ReviewItem) -> list[str]:
    if item.escalation:
        return sorted({v["policy"] for v in item.escalation.get("violations", [])})
    return sorted((item.original or {}).get("found", []))


def country_of(item: ReviewItem) -> str:
    """The author's jurisdiction country from the designation (escalations carry no post country)."""
    d = ((item.escalation or {}).get("political") or {}).get("designation") or {}
    return (d.get("jurisdiction") or "").split("-")[0].upper()


@dataclass(frozen=True)
class Row:
    item: ReviewItem
    title: str
    age: str
    sla: str
    overdue: bool
    policies: list[str]
    country: str


def queue_rows(items: Iterable[ReviewItem], now: datetime, sla: Mapping[str, float],
               kind: str = "", policy: str = "", country: str = "") -> list[Row]:
    """Open items matching the filters, oldest first (the queue's order)."""
    rows = []
    for item in items:
        pols, ctry = policies_of(item), country_of(item)
        if (kind and item.kind != kind) or (policy and policy not in pols) or (country and ctry != country.upper()):
            continue
        age = item.age_seconds(now)
        limit = sla[item.kind] * 3600
        left = limit - age
        rows.append(Row(item, KIND_TITLES[item.kind], format_age(age),
                        f"overdue by {format_age(-left)}" if left < 0 else f"{format_age(left)} left",
                        left < 0, pols, ctry))
    return rows


def depth(items: Sequence[ReviewItem], now: datetime) -> list[dict[str, Any]]:
    """Queue depth and oldest age per kind."""
    out = []
    for kind in KINDS:
        mine = [i for i in items if i.kind == kind]
        oldest = max((i.age_seconds(now) for i in mine), default=None)
        out.append({"kind": kind, "title": KIND_TITLES[kind], "depth": len(mine),
                    "oldest": format_age(oldest) if oldest is not None else "-"})
    return out


def highlighted(text: str, evidence: Iterable[tuple[str, str]]) -> list[tuple[str, str | None]]:
    """The post text as (segment, policy or None) pieces, each evidence span marked.

    Evidence `span A-B "quote"` marks A..B when the text there is the quote; any other quoted
    evidence marks the first place the quote occurs (case-insensitive). Overlaps: first wins.
    """
    marks: list[tuple[int, int, str]] = []
    lower = text.lower()
    for policy, ev in evidence:
        m = _SPAN.match(ev)
        if m and text[int(m[1]):int(m[2])] == m[3]:
            marks.append((int(m[1]), int(m[2]), policy))
            continue
        for quote in _QUOTED.findall(ev):
            at = lower.find(quote.lower())
            if at >= 0:
                marks.append((at, at + len(quote), policy))
    out, pos = [], 0
    for start, end, policy in sorted(marks):
        if start < pos:
            continue
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:end], policy))
        pos = end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def evidence_of(item: ReviewItem) -> list[tuple[str, str]]:
    return [(v["policy"], ev) for v in (item.escalation or {}).get("violations", []) for ev in v.get("evidence", [])]


def bank_matches(item: ReviewItem) -> list[str]:
    """Media hash evidence (agents.hashbank): 'pdq bank "x" distance 3 media m1'."""
    return [ev for _, ev in evidence_of(item) if " bank \"" in ev]


def outcomes(item: ReviewItem) -> list[tuple[str, str]]:
    """(value, label) of the outcomes on offer; for an appeal, which one upholds and which restores."""
    if item.kind != "appeal":
        return [(o, OUTCOME_TITLES[o]) for o in item.allowed]
    before = Appealed.from_summary(item.original or {}).state
    labels = []
    for o in item.allowed:
        if o == before:
            labels.append((o, f"Uphold the decision ({o.replace('_', ' ')})"))
        elif o == "no_violation":
            labels.append((o, "Restore the post (no violation)"))
        else:
            labels.append((o, f"Overturn: {OUTCOME_TITLES[o].lower()}"))
    return labels


def reports_view(reports: Sequence[Report], reviewer: Reviewer) -> dict[str, Any]:
    """Counts and reasons for everyone; who reported only for those who may see it."""
    by_reason = Counter(r.policy for r in reports)
    return {"count": len(reports), "reasons": sorted(by_reason.items(), key=lambda kv: (-kv[1], kv[0])),
            "reporters": sorted({r.reporter_id or "(no account)" for r in reports}) if reviewer.sees_reporters
            else None}


def bars(hours: Sequence[tuple[datetime, int]], width: int = 720, height: int = 160) -> dict[str, Any]:
    """Geometry of the escalations-per-hour bar chart (inline SVG in the template)."""
    top = max((n for _, n in hours), default=0) or 1
    step = width / max(len(hours), 1)
    out = [{"x": round(i * step + 2, 1), "w": round(step - 4, 1), "h": round(n / top * (height - 20), 1),
            "y": round(height - n / top * (height - 20), 1), "n": n, "label": at.strftime("%H:00"),
            "title": f"{at.strftime('%Y-%m-%d %H:00')} UTC: {n} escalations"} for i, (at, n) in enumerate(hours)]
    return {"bars": out, "width": width, "height": height, "max": top, "total": sum(n for _, n in hours)}
