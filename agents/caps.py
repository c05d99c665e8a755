"""Safety valves on automation: daily caps on destructive actions, and shadow mode for rules.

Daily caps (`Policy.daily_caps`, e.g. remove 50,000/day, suspend_account 2,000/day):
a runaway detector must not remove half the platform before anyone looks. `apply_caps`
takes a routed Decision and today's counts of AUTOMATED actions per type (read by the
caller from Redis) and returns either the decision unchanged, or a HELD decision:

- route `human_review`, recommendation `remove` (what automation would have done);
- every capped action type of the decision is dropped, all of them together (never half a
  decision, e.g. a suspension without the removal); uncapped ones stay, and `report_ncmec`
  is never capped (`policy.NEVER_CAPPED`: a legal duty), and a decision on child sexual
  exploitation is never held at all (`policy.NEVER_SHADOWED`);
- no notices: nothing was done to the author yet, and reporters hear the human outcome;
- an `Escalation` of kind `cap_hold` (its first reason starts with `HOLD_REASON`, "held by
  daily cap"), so the review queue files it as a `cap_hold` item (outcomes remove / no_violation only) and
  a human decides through agents/review.py;
- `Decision.cap_held`: the types over their cap, as data (what metrics counts);
- reason lines naming each type over its cap with the count and the cap, so an auditor
  can replay it: same decision and counts, same result.

Counts are charged only for actions actually emitted with automated=True (`charges`);
human review decisions are never capped. Held decisions keep their decision id. The live
hot path reserves each decision's `reservations` in Redis before producing anything (one
atomic script a batch, idempotent per action id) and holds the ones refused.

Shadow mode (a category's `state: shadow` in the policy file, `Policy.shadow_policies`; or
a detector rule or classifier head in shadow, whose violations the tagger sources
`shadow:...`): a violation of a shadow rule changes nothing but the reasons. `router.decide` drops shadow violations before routing, so the decision is
exactly the one it would be without them, plus a "shadow: would ..." line per violation.
Pure: no I/O, no clocks.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from agents.effects import KIND_CAP_HOLD, Decision, Escalation
from agents.enforcement import enforcement_actions
from agents.policy import NEVER_CAPPED, NEVER_SHADOWED, Policy
from agents.records import Post, Violation

HUMAN_REVIEW = "human_review"
HOLD_REASON = "held by daily cap"
SHADOW_SOURCE = "shadow:"  #: source prefix of a violation found only by detector rules or classifier heads in shadow


def capped_types(policy: Policy) -> frozenset[str]:
    return frozenset(t for t in policy.daily_caps if t not in NEVER_CAPPED)


def reservations(decision: Decision, policy: Policy) -> tuple[tuple[str, str], ...]:
    """(type, action_id) of the automated capped actions `decision` would apply: what to reserve against
    today's caps before acting (idempotent per action id, so a redelivery never charges twice)."""
    if decision.errors:
        return ()
    capped = capped_types(policy)
    return tuple((a.type, a.action_id) for a in decision.actions if a.automated and a.type in capped)


def charges(decision: Decision, policy: Policy) -> dict[str, int]:
    """What to add to today's counts once `decision` is applied: its automated capped actions, by type."""
    out: dict[str, int] = {}
    for action_type, _ in reservations(decision, policy):
        out[action_type] = out.get(action_type, 0) + 1
    return out


def apply_caps(decision: Decision, counts: Mapping[str, int], policy: Policy, *, post_created_at: str) -> Decision:
    """The decision unchanged, or held for a human when any automated capped action is over today's cap.

    `counts`: automated actions applied today (UTC), by type. `post_created_at`: the queue
    measures review age from the post's time, as for public-interest escalations.
    """
    wanted = charges(decision, policy)
    if any(v.policy in NEVER_SHADOWED for v in decision.violations if v.confidence >= policy.min_for(v.policy)
           and not is_shadow(v, policy)):
        return decision  # a legal duty: never held back, though its actions still count toward the caps
    over = sorted(t for t, n in wanted.items() if counts.get(t, 0) + n > policy.daily_caps[t])
    if not over:
        return decision
    capped = capped_types(policy)
    held = tuple(a for a in decision.actions if a.type in capped)
    kept = tuple(a for a in decision.actions if a.type not in capped)
    reasons = (
        f"{HOLD_REASON}: " + "; ".join(f"{t} {counts.get(t, 0)} applied today, cap {policy.daily_caps[t]}"
                                       for t in over),
        "held actions (a human decides): " + ", ".join(a.type for a in held),
        *(f"kept: {a.type} is never capped" for a in kept if a.type in NEVER_CAPPED),
        *decision.reasons,
    )
    actionable = tuple(v for v in decision.violations if v.confidence >= policy.min_for(v.policy))
    escalation = Escalation(decision.decision_id, decision.post_id, decision.author_id, actionable, "remove",
                            reasons, decision.political, decision.policy_version, post_created_at, kind=KIND_CAP_HOLD)
    return replace(decision, route=HUMAN_REVIEW, recommendation="remove", reasons=reasons, actions=kept,
                   notices=(), escalation=escalation, cap_held=tuple(over))


def is_cap_hold(escalation_reasons: tuple[str, ...] | list[str]) -> bool:
    """True for an escalation made by `apply_caps`, told by its first reason: how escalations written
    before `Escalation.kind` existed are told apart (agents.review.escalation_kind)."""
    return bool(escalation_reasons) and escalation_reasons[0].startswith(HOLD_REASON)


def shadow_split(violations: tuple[Violation, ...], policy: Policy) -> tuple[tuple[Violation, ...],
                                                                             tuple[Violation, ...]]:
    """(live, shadow): shadow violations are reported, never acted on."""
    live = tuple(v for v in violations if not is_shadow(v, policy))
    return live, tuple(v for v in violations if is_shadow(v, policy))


def is_shadow(v: Violation, policy: Policy) -> bool:
    """Its category is in shadow mode, or only shadow rules or heads found it (agents.tagger marks those)."""
    return v.policy in policy.shadow_policies or v.source.startswith(SHADOW_SOURCE)


def shadow_reasons(decision_id: str, post: Post, shadow: tuple[Violation, ...], policy: Policy) -> tuple[str, ...]:
    """One line per shadow violation: what its rule would have done, had it been live."""
    lines = []
    for v in shadow:
        would = ", ".join(a.type for a in enforcement_actions(decision_id, post, (v,), policy))
        lines.append(f"shadow: {v.policy} (confidence {v.confidence:.2f}) would {would}; "
                     "rule in shadow mode, no action and no notice")
    return tuple(lines)
