"""The route agent's logic: from a tagged post and its author to a Decision.

Input: the post, its violations (from the tag agent), the author's latest profile, the
registry designations of the author and of mentioned accounts, and open reports.
Output: one `Decision` with route, recommendation, actions, notices and escalation.
Routes (policy matrix sections 1-3):
- no actionable violation: `no_action`;
- violation by a PIE-eligible author on strong provenance (registry or platform label, high
  profile; or a registry designation with an unknown follower count), every category of which
  allows the exception: `public_interest_review` with a recommendation; no action until a human
  decides. Weak signals (a bio statement, government verification) never hold enforcement back:
  the post is enforced and flagged (`FLAG_REASON`) for a human to confirm the status;
- anything else: `enforce`.
An edit (same post_id, new content: new ids) is decided on its content. When it comes out weaker
than the post's standing decision (`Case.prior`), that decision stands: see `_against_standing`.
Violations of rules in shadow mode (a category in shadow, or a detector rule or classifier
head in shadow: `agents.caps.is_shadow`) are recorded and explained
in the reasons but never routed, acted on or notified (agents/caps.py).
Pure and deterministic: same inputs and policy, same decision and ids. Ids include a digest of the
post's content and `Policy.fingerprint`: an edit, or a changed threshold or shadow rule, never
reuses the ids of an earlier decision (downstream dedup would drop its actions and notices).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from dataclasses import replace

from agents import political
from agents.caps import apply_caps
from agents.caps import shadow_reasons, shadow_split
from agents.effects import Decision, Escalation, content_digest, decision_id, standing
from agents.enforcement import author_notice, enforcement_actions, ncmec_report, reporter_notices
from agents.policy import Policy
from agents.recommend import detect_factors, recommend
from agents.records import Case, Designation, Violation

Registry = Mapping[str, Sequence[Designation]]
#: first words of the reason on an enforced post whose author may be political on weak evidence
FLAG_REASON = "flagged for confirmation of political status"
#: first words of the reason on an edit decided weaker than the post's standing decision
EDIT_REASON = "edit of a post already decided more strictly"


def decide(case: Case, violations: Sequence[Violation], registry: Registry, policy: Policy) -> Decision:
    return _against_standing(_decide(case, violations, registry, policy), case.prior)


def _against_standing(decision: Decision, prior: Mapping[str, Any] | None) -> Decision:
    """An edit decided weaker than the post's standing decision (e.g. a benign edit of a removed post):
    that decision stands. The edit emits nothing that lifts it (only an appeal does), and its reporters
    are not told "no violation" about a post that is down; streams/infra/stores.py keeps the standing summary."""
    if not prior or prior.get("decision_id") == decision.decision_id:
        return decision
    before = prior.get("standing")
    before = standing(prior.get("route", ""), prior.get("actions") or ()) if not isinstance(before, int) else before
    if standing(decision.route, [a.type for a in decision.actions]) >= before:
        return decision
    line = (f"{EDIT_REASON}: decision {prior.get('decision_id')} ({prior.get('route')}, actions "
            f"{', '.join(prior.get('actions') or ()) or 'none'}, by {prior.get('decided_by', 'automation')}) stands; "
            "an edit never lifts it and reporters are not told otherwise")
    return replace(decision, reasons=(*decision.reasons, line),
                   notices=tuple(n for n in decision.notices if n.recipient != "reporter"))


def _decide(case: Case, violations: Sequence[Violation], registry: Registry, policy: Policy) -> Decision:
    post = case.post
    did = decision_id("post", post.post_id, content_digest(post), policy.fingerprint)
    status = political.assess(case.author, tuple(registry.get(post.author_id, ())), post.created_at, policy)
    found = tuple(violations)
    actionable, shadow = shadow_split(tuple(v for v in found if v.confidence >= policy.min_for(v.policy)), policy)
    shadowed = shadow_reasons(did, post, shadow, policy)
    common = dict(decision_id=did, post_id=post.post_id, author_id=post.author_id, policy_version=policy.version,
                  violations=found, political=status)

    if case.deleted:  # nothing left to act on
        return Decision(**common, route="no_action", recommendation=None,
                        reasons=("post deleted at the source before it was decided: no action needed",))
    if not actionable:
        reasons = ("no violation at or above the confidence floor", *shadowed)
        notices = reporter_notices(did, case.reports, (), frozenset(), policy)
        return Decision(**common, route="no_action", recommendation=None, reasons=reasons, notices=notices)

    never = sorted({v.policy for v in actionable if not policy.pie_allowed(v.policy)})
    hold, unconfirmed = holds_for_review(status, case)
    if hold and not never:
        mentions = {a.account_id: a for a in case.mentioned_accounts}
        political_mentions = {
            aid: political.assess(mentions.get(aid), tuple(registry.get(aid, ())), post.created_at, policy)
            for aid in post.mentions
        }
        factors = detect_factors(post, actionable, political_mentions)
        recommendation, why = recommend(actionable, factors, policy)
        reasons = (f"author is PIE-eligible: {status.role} per {status.source}", *why)
        if unconfirmed:
            reasons += ("follower count unknown (no profile snapshot, or the source does not report it): "
                        "the reviewer must confirm high-profile status",)
        escalation = Escalation(did, post.post_id, post.author_id, actionable, recommendation, reasons, status,
                                policy.version, post.created_at)
        return Decision(**common, route="public_interest_review", recommendation=recommendation,
                        reasons=reasons + shadowed, escalation=escalation)

    if status.eligible and not status.needs_confirmation:
        reasons = (f"author is PIE-eligible but {', '.join(never)} never gets the exception",)
    else:
        reasons = ("author is not PIE-eligible: " + "; ".join(status.reasons[:2]),)
    if status.role is not None and (status.needs_confirmation or unconfirmed):
        # weak evidence never holds enforcement back; a human confirms (an appeal review can restore)
        weak = "a weak role signal only" if status.needs_confirmation else "follower count unknown"
        reasons += (f"{FLAG_REASON}: {status.role} per {status.source} rests on {weak}; enforced as for an "
                    "ordinary account until a human confirms it",)
    actions = enforcement_actions(did, post, actionable, policy)
    notices = (author_notice(did, post, actionable, actions, policy),
               *reporter_notices(did, case.reports, tuple(a.type for a in actions),
                                frozenset(v.policy for v in actionable), policy))
    return Decision(**common, route="enforce", recommendation=None, reasons=reasons + shadowed, actions=actions,
                    notices=notices, ncmec=ncmec_report(did, post, actionable))


def holds_for_review(status: political.PoliticalStatus, case: Case) -> tuple[bool, bool]:
    """(hold for public-interest review, the author's follower count is unknown).

    Only strong provenance holds enforcement back: a role from the registry or a platform label
    (never a bio statement or government verification alone: anyone can write or get those) on a
    high-profile account, or a current registry designation whose follower count we do not know
    (no snapshot yet, or a source such as Jetstream that never says): a human confirms high profile.
    """
    unknown = case.author is None or case.author.followers is None
    if status.role is None or status.needs_confirmation:
        return False, unknown
    return status.eligible or (unknown and status.designation is not None), unknown


def route(case: Case, violations: Sequence[Violation], registry: Registry, policy: Policy,
          counts: Mapping[str, int]) -> Decision:
    """`decide`, then the daily caps, with the post text on any escalation for the reviewer.

    What the live route agent and replay both run; `counts`: automated actions so far today.
    """
    decision = apply_caps(decide(case, violations, registry, policy), counts, policy,
                          post_created_at=case.post.created_at)
    if decision.escalation is not None:
        decision = replace(decision, escalation=replace(decision.escalation, post_text=case.post.text))
    return decision
