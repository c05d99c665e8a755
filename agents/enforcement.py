"""Turn a routed decision into typed actions and notices with a statement of reasons.

Shared by the automated route agent and, later, by human review decisions, so both
produce the same action records and the same notice wording.
"""

from __future__ import annotations

from agents.effects import Action, NcmecReport, Notice
from agents.political import PoliticalStatus
from agents.policy import DESTRUCTIVE_ACTIONS, Policy
from agents.records import Post, Report, Violation

#: Actions that a removal makes pointless on the same post.
_SUPERSEDED_BY_REMOVE = ("reduce_visibility", "sensitive_media_warning")


def make_action(decision_id: str, action_type: str, post: Post, rule: str, policy: Policy, *, automated: bool,
                reason: str, country: str | None = None) -> Action:
    """The one way to build an action, so every id reads "<decision_id>:<type>[:<country>]"."""
    return Action(
        action_id=f"{decision_id}:{action_type}" + (f":{country}" if country else ""),
        decision_id=decision_id,
        type=action_type,
        post_id=post.post_id,
        account_id=post.author_id,
        policy=rule,
        policy_version=policy.version,
        automated=automated,
        countries=(country,) if country else (),
        reason=reason,
    )


def enforcement_actions(decision_id: str, post: Post, violations: tuple[Violation, ...], policy: Policy,
                        *, automated: bool = True, required: tuple[str, ...] = ()) -> tuple[Action, ...]:
    """One action per type, from each violation's category and severity; strongest rule wins the type.

    `required`: types the decision imposes whatever the category says (a human `remove`),
    attributed to the strongest violation.
    """
    chosen: dict[str, Violation] = {}
    ranked = sorted(violations, key=lambda v: -v.confidence)
    for v in ranked:
        cat = policy.categories[v.policy]
        types = cat.enforcement if v.confidence >= policy.severe_for(v.policy) or not cat.mild_enforcement \
            else cat.mild_enforcement
        for t in types:
            chosen.setdefault(t, v)
    for t in required if ranked else ():
        chosen.setdefault(t, ranked[0])
    if "remove" in chosen:
        for t in _SUPERSEDED_BY_REMOVE:
            chosen.pop(t, None)
    return tuple(
        make_action(decision_id, t, post, v.policy, policy, automated=automated,
                    reason=f"{policy.categories[v.policy].title} (confidence {v.confidence:.2f}, "
                           f"{v.source or 'unknown source'})")
        for t, v in sorted(chosen.items(), key=lambda kv: _action_rank(kv[0]))
    )


def _action_rank(action_type: str) -> tuple[int, str]:
    return (DESTRUCTIVE_ACTIONS.index(action_type) if action_type in DESTRUCTIVE_ACTIONS else 99, action_type)


def _facts(violations: tuple[Violation, ...]) -> tuple[str, ...]:
    facts = []
    for v in violations:
        facts.append(f"{v.policy} detected by {v.source or 'an upstream process'} with confidence {v.confidence:.2f}")
        facts.extend(f"{v.policy} evidence: {e}" for e in v.evidence[:3])
    return tuple(facts)


def author_notice(decision_id: str, post: Post, violations: tuple[Violation, ...], actions: tuple[Action, ...],
                  policy: Policy, *, automated: bool = True, extra_facts: tuple[str, ...] = ()) -> Notice:
    """The statement of reasons owed to the author for every action taken on their post or account.

    `extra_facts`: facts beyond the violations, e.g. a human reviewer's rationale.
    """
    main = policy.categories[actions[0].policy] if actions else None
    types = tuple(a.type for a in actions)
    facts = _facts(violations) + tuple(extra_facts)
    how = "automated systems" if automated else "a human reviewer"
    text = policy.notices["author"].format(
        post_id=post.post_id, rule_title=main.title if main else "n/a", rule_url=main.rule_url if main else "",
        actions=", ".join(types), decided_by=how, policy_version=policy.version,
        facts="; ".join(facts) or "none recorded", appeal_url=policy.appeal_url)
    return Notice(
        notice_id=f"{decision_id}:author:{post.author_id}",
        decision_id=decision_id,
        recipient="author",
        recipient_id=post.author_id,
        kind="statement_of_reasons",
        post_id=post.post_id,
        policy=main.code if main else None,
        actions=types,
        facts=facts,
        automated=automated,
        text=text,
        appeal=policy.appeal_url,
    )


def reporter_notices(decision_id: str, reports: tuple[Report, ...], action_types: tuple[str, ...],
                     found: frozenset[str], policy: Policy, *, automated: bool = True) -> tuple[Notice, ...]:
    """Tell each reporter (with or without an account) how their report was resolved, once per reporter.

    `found`: the policy codes the decision found violated.
    """
    notices: dict[str, Notice] = {}
    for r in sorted(reports, key=lambda r: (r.created_at, r.report_id)):
        who = r.reporter_key
        if who in notices:
            continue
        title = policy.categories[r.policy].title
        if action_types:
            text = policy.notices["reporter_action"].format(report_id=r.report_id, actions=", ".join(action_types),
                                                            appeal_url=policy.appeal_url)
        else:
            text = policy.notices["reporter_no_violation"].format(report_id=r.report_id, rule_title=title,
                                                                  appeal_url=policy.appeal_url)
        notices[who] = Notice(
            notice_id=f"{decision_id}:reporter:{who}",
            decision_id=decision_id,
            recipient="reporter",
            recipient_id=r.reporter_id,
            kind="report_outcome",
            post_id=r.post_id,
            policy=r.policy if r.policy in found else None,
            actions=action_types,
            facts=(f"report {r.report_id} for {r.policy} received {r.created_at}",),
            automated=automated,
            text=text,
            appeal=policy.appeal_url,
            contact=r.reporter_contact,
        )
    return tuple(notices.values())


def ncmec_report(decision_id: str, post: Post, violations: tuple[Violation, ...]) -> NcmecReport | None:
    """The CyberTipline report owed for child sexual exploitation; None when the post has none."""
    cse = next((v for v in violations if v.policy == "child_sexual_exploitation"), None)
    if cse is None:
        return None
    incident = ("child_pornography_possession_manufacture_distribution" if post.media and
                any(e.startswith(("md5", "pdq")) for e in cse.evidence) else "online_enticement_of_children")
    return NcmecReport(f"{decision_id}:report_ncmec", decision_id, post.post_id, post.author_id, incident,
                       post.media, cse.evidence, post.created_at, post.country)


def unassessed(why: str) -> PoliticalStatus:
    """The author's status for decisions that never depend on it (legal requests, appeals)."""
    return PoliticalStatus(False, False, None, None, 0.0, False, None, (f"not assessed: {why}",))
