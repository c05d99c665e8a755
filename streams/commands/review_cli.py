"""`modstream review`: what a reviewer runs, as plain functions the CLI wires to argparse.

- `list_items`: the open queue (or one state) as a table, oldest first, with age.
- `show_item`: one screen with everything a decision needs: the post, the violations and
  their evidence, the author's political designation with provenance, the recommendation
  and every reason line (or, for an appeal, the statement and the appealed decision).
- `decide_item`: validate, then produce the ReviewDecision with the caller's `send`
  (bound to the review-decisions topic and codec by the CLI). Nothing is applied here:
  the review agent applies what the topic holds and marks the item decided.
Coroutines, since the queue is async; errors are `ReviewQueueError` with a message for humans.
"""

from __future__ import annotations

import inspect
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable

from agents.records import ReviewDecision
from agents.review import Reviewer
from streams.infra.review_queue import ReviewItem, ReviewQueue, ReviewQueueError

#: (key, value) -> None or awaitable; the CLI binds it to the review-decisions topic and its codec.
Send = Callable[[str, dict[str, Any]], Awaitable[None] | None]

_COLUMNS = ("id", "kind", "post", "recommendation", "age", "state")


def format_age(seconds: float) -> str:
    s = int(seconds)
    if s < 3600:
        return f"{s // 60}m"
    if s < 86400:
        return f"{s // 3600}h{s % 3600 // 60:02d}m"
    return f"{s // 86400}d{s % 86400 // 3600:02d}h"


async def list_items(queue: ReviewQueue, state: str | None = None, limit: int = 50, now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    items = await queue.list(state, limit)
    if not items:
        return f"no {state or 'open'} review items"
    rows = [_COLUMNS] + [(i.item_id, i.kind, i.post_id, i.recommendation, format_age(i.age_seconds(now)),
                          f"{i.state} by {i.claimed_by}" if i.claimed_by else i.state) for i in items]
    widths = [max(len(r[c]) for r in rows) for c in range(len(_COLUMNS))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)


async def show_item(queue: ReviewQueue, item_id: str, now: datetime | None = None) -> str:
    item = await queue.get(item_id)
    if item is None:
        raise ReviewQueueError(f"no review item {item_id}")
    now = now or datetime.now(timezone.utc)
    lines = [f"{item.kind} review {item.item_id}  [{item.state}" + (f" by {item.claimed_by}" if item.claimed_by
                                                                   else "") + "]",
             f"post {item.post_id} by {item.author_id}, created {item.created_at} ({format_age(item.age_seconds(now))}"
             " ago)",
             "",
             "POST",
             f"  {item.post_text}" if item.post_text is not None else "  (post text not stored with this item)",
             ""]
    lines += _escalation_lines(item) if item.escalation is not None else _appeal_lines(item)
    for rec in item.recommendations:
        lines.append(f"RECOMMENDED by {rec['reviewer_id']} at {rec['decided_at']}: {rec['outcome']}: "
                     f"{rec['rationale']}  (awaiting a senior decision)")
    if item.excluded_reviewers:
        lines.append(f"may not decide: {', '.join(item.excluded_reviewers)} (made the appealed decision)")
    lines.append(f"outcomes: {', '.join(item.allowed)}" + ("  (notice is final only from a senior)"
                                                            if "notice" in item.allowed else ""))
    if item.review:
        lines.append(f"DECIDED by {item.review['reviewer_id']}: {item.review['outcome']}: {item.review['rationale']}")
    return "\n".join(lines)


def _escalation_lines(item: ReviewItem) -> list[str]:
    e = item.escalation or {}
    lines = ["VIOLATIONS"]
    for v in e.get("violations", []):
        lines.append(f"  {v['policy']}  confidence {v['confidence']:.2f}  ({v.get('source') or 'unknown source'})")
        lines += [f"    evidence: {ev}" for ev in v.get("evidence", [])]
    p = e.get("political", {})
    lines += ["", "AUTHOR",
              f"  eligible {p.get('eligible')}, high profile {p.get('high_profile')}, role {p.get('role') or 'none'}, "
              f"source {p.get('source') or 'none'}, confidence {p.get('confidence', 0):.2f}"
              + ("  NEEDS CONFIRMATION" if p.get("needs_confirmation") else "")]
    d = p.get("designation")
    if d:
        lines.append(f"  designation: {d.get('person') or '?'}, {d['role']} of {d['body']} {d.get('jurisdiction', '')}"
                     f" ({d['level']}), {d.get('valid_from') or '?'} to {d.get('valid_until') or 'open'} "
                     f"[{d['source']}]")
    lines += [f"  - {r}" for r in p.get("reasons", [])]
    lines += ["", f"RECOMMENDATION: {e.get('recommendation')} (automation only recommends)"]
    lines += [f"  - {r}" for r in e.get("reasons", [])]
    lines.append("")
    return lines


def _appeal_lines(item: ReviewItem) -> list[str]:
    a, o = item.appeal or {}, item.original or {}
    return ["APPEAL",
            f"  {a.get('appeal_id')} by {a.get('appellant_id') or 'a person without an account'} at "
            f"{a.get('created_at')}",
            f"  statement: {a.get('statement') or '(none)'}",
            "",
            "APPEALED DECISION",
            f"  {o.get('decision_id')}: route {o.get('route')}, actions {', '.join(o.get('actions', [])) or 'none'}, "
            f"found {', '.join(o.get('found', [])) or 'nothing'}, decided by {o.get('decided_by', 'automation')}",
            f"  {item.recommendation}: remove upholds a violation, no_violation restores",
            ""]


async def decide_item(queue: ReviewQueue, send: Send, item_id: str, reviewer: Reviewer, outcome: str, rationale: str,
                      policy: str | None = None) -> ReviewDecision:
    """Validate against the queue, then produce the decision (key: post id). Returns what was produced."""
    review = await queue.decide(item_id, reviewer, outcome, rationale, policy)
    sent = send(review.post_id, review.to_dict())
    if inspect.isawaitable(sent):
        await sent
    return review
