"""Human review decisions: a ReviewDecision becomes a Decision (effects as data).

Input: a ReviewDecision (review-decisions.v1) and what its review-queue item holds:
- an Escalation (a public-interest review, or a daily-cap hold from agents/caps.py) and the
  reports pending on the post: `review_escalation`;
- an Appeal and the summary of the appealed decision (`Appealed`): `review_appeal`.
Output: one Decision for streams/engine/apply.py (actions.v1, notices.v1, audit.v1 with kind
`KIND_REVIEW` or `KIND_APPEAL`, decided_by the reviewer). Every action is automated=False.
Ids: decision_id("review", review_id) and decision_id("appeal", review_id).

Only a SENIOR reviewer's `notice` grants the public-interest exception (matrix section 3);
nothing automated ever does. A non-senior `notice` is a recommendation, not an error: the
matrix has T&S prepare a recommendation and senior leaders decide. It yields an audit-only
Decision (route `AWAITING_SENIOR`, no actions, no notices) and the queue item goes back to
pending for a senior (`awaits_senior`). Non-senior `remove` and `no_violation` are final.

Appeals (matrix section 5: anyone may appeal) re-open a decision. The review outcome is
the post's new state: `remove` (the violation stands), `notice` (only when the appealed
decision granted one) or `no_violation`. Same state as the appealed decision: upheld, no
action. Otherwise overturned: `restore` lifts what was applied (an NCMEC report stands), or
a human enforcement replaces a no-violation outcome. The appellant hears the outcome with
the reviewer's reasons; the author too, when someone else appealed and the post changes.
A decision that has errors is never applied.

Who may decide what (`Reviewer`, `authority_problems`): reviewers are authenticated people
with roles (streams/infra/reviewers.py reads the operator's roster; no client sets a role). An
analyst recommends; a senior or lead decides, and never an item they recommended on;
an appeal goes to someone who took no part in the appealed decision; `automation` and
other reserved or malformed ids are never reviewers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from agents.caps import HUMAN_REVIEW, is_cap_hold
from agents.effects import (ESCALATION_KINDS, KIND_CAP_HOLD, KIND_PUBLIC_INTEREST, KIND_REPORTED, Action, Decision,
                            Escalation, Notice, decision_id, standing)
from agents.enforcement import author_notice, enforcement_actions, make_action, reporter_notices, unassessed
from agents.political import PoliticalStatus
from agents.policy import NEVER_CAPPED, PIE_NOTICE_ACTIONS, Policy
from agents.records import Appeal, Designation, Post, RecordError, Report, ReviewDecision, Violation
from agents.report_signals import is_report_raised

KIND_REVIEW = "review_decision"
KIND_APPEAL = "appeal_decision"
AWAITING_SENIOR = "awaiting_senior"

#: Routes of decisions still waiting for a human: there is nothing to appeal yet.
PENDING_ROUTES = ("public_interest_review", HUMAN_REVIEW, AWAITING_SENIOR)


def late_report_notices(summary: Mapping[str, Any], report: Report, policy: Policy) -> tuple[Notice, ...]:
    """A report on a post already decided: its reporter hears the standing decision now, unless a
    human is still deciding (then every reporter hears the human outcome)."""
    if summary["route"] in PENDING_ROUTES:
        return ()
    return tuple(reporter_notices(summary["decision_id"], (report,), tuple(summary["actions"]),
                                  frozenset(summary["found"]), policy))


#: Never lifted by a restore: they are not restrictions on the author's speech, or not ours to undo.
_NOT_LIFTED = ("restore", "withhold_in_country", *NEVER_CAPPED)


#: Reviewer roles. analyst: recommends a notice, decides remove/no_violation; senior: the final call,
#: the public-interest exception included; lead: a senior who also sees reporter identities and the load.
ROLES = ("analyst", "senior", "lead")
FINAL_ROLES = frozenset({"senior", "lead"})
#: Ids that name no person: automation, services and placeholders never review.
RESERVED_REVIEWERS = frozenset({"automation", "legal", "system", "admin", "root", "anonymous", "unknown", "none"})
REVIEWER_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


def reviewer_id_problem(reviewer_id: str) -> str | None:
    """Why `reviewer_id` cannot be a reviewer (None: it can)."""
    if not isinstance(reviewer_id, str) or not reviewer_id.strip():
        return "a reviewer id is required"
    if reviewer_id in RESERVED_REVIEWERS:
        return f"{reviewer_id!r} is reserved: it is not a person and never reviews"
    if not REVIEWER_ID.fullmatch(reviewer_id):
        return f"{reviewer_id[:70]!r} is not a reviewer id: 1-64 of a-z 0-9 . _ -, starting with a letter or digit"
    return None


@dataclass(frozen=True, slots=True)
class Reviewer:
    """An authenticated reviewer and the roles the roster gives them."""

    reviewer_id: str
    roles: frozenset[str]

    def __post_init__(self) -> None:
        problem = reviewer_id_problem(self.reviewer_id)
        unknown = set(self.roles) - set(ROLES)
        if problem or unknown or not self.roles:
            raise ValueError(problem or (f"unknown roles {sorted(unknown)}: one of {', '.join(ROLES)}" if unknown
                                         else f"{self.reviewer_id} has no role"))

    @property
    def senior(self) -> bool:
        """May make the final call, the public-interest exception included."""
        return bool(self.roles & FINAL_ROLES)

    @property
    def sees_reporters(self) -> bool:
        """Reporter identities are personal data: seniors and leads, who decide, see them."""
        return self.senior


def authority_problems(reviewer_id: str, senior: bool, recommenders: Iterable[str],
                       excluded: Iterable[str]) -> list[str]:
    """Why this reviewer may not decide an item (empty: they may), whatever the outcome.

    `recommenders`: who recorded a notice recommendation on the item (then only a senior who is
    none of them decides); `excluded`: who took part in the appealed decision.
    """
    problem = reviewer_id_problem(reviewer_id)
    if problem:
        return [problem]
    out = []
    recommenders = tuple(recommenders)
    if reviewer_id in set(excluded):
        out.append(f"{reviewer_id} made the appealed decision: another reviewer must decide the appeal")
    if recommenders and not senior:
        out.append("the item has a notice recommendation: only a senior reviewer decides it now")
    if reviewer_id in recommenders:
        out.append(f"{reviewer_id} recommended this notice: a different senior reviewer must decide it")
    return out


def roster_problems(review: ReviewDecision, listed: Reviewer | None) -> list[str]:
    """Why a review decision on the topic is not backed by the operator's roster (empty: it is).

    Anyone who can produce to review-decisions.v1 can type a name and `senior: true`; the roster
    (`listed`: the reviewer it names now, None when it names nobody) decides who that is."""
    if problem := reviewer_id_problem(review.reviewer_id):
        return [problem]
    if listed is None:
        return [f"{review.reviewer_id} is not on the reviewer roster: only the operator's reviewers decide"]
    if review.senior and not listed.senior:
        return [f"the decision claims seniority for {review.reviewer_id}, whom the roster lists as "
                f"{', '.join(sorted(listed.roles))}: only a senior or lead makes the final call"]
    return []


def awaits_senior(review: ReviewDecision) -> bool:
    """A notice from a non-senior reviewer is a recommendation: the item stays open for a senior."""
    return review.outcome == "notice" and not review.senior


def state_of(actions: tuple[str, ...] | list[str]) -> str:
    """The post's state after a decision's actions, in review outcomes: notice, remove or no_violation."""
    if any(t in PIE_NOTICE_ACTIONS for t in actions):
        return "notice"
    return "remove" if any(t not in _NOT_LIFTED for t in actions) else "no_violation"


def decision_summary(decision: Decision, decided_by: str = "automation",
                     reviewers: tuple[str, ...] = ()) -> dict[str, Any]:
    """What later steps need of a decision (late reporters, appeals): the value of `ms:decided:{post_id}`.

    `reviewers`: everyone who took part (e.g. who recommended the notice a senior granted); none of
    them may decide an appeal against it.
    """
    types = [a.type for a in decision.actions]
    return {"decision_id": decision.decision_id, "route": decision.route, "author_id": decision.author_id,
            "actions": types, "found": sorted({v.policy for v in decision.violations}),
            "decided_by": decided_by, "reviewers": sorted(set(reviewers)), "standing": standing(decision.route, types)}


@dataclass(frozen=True, slots=True)
class Appealed:
    """The appealed decision, as `decision_summary` recorded it."""

    decision_id: str
    author_id: str
    route: str
    actions: tuple[str, ...]
    found: tuple[str, ...]  #: policy codes the decision found violated
    decided_by: str = "automation"  #: "automation" or the reviewer id (who may not decide the appeal)

    @property
    def state(self) -> str:
        return state_of(self.actions)

    @classmethod
    def from_summary(cls, d: Mapping[str, Any], path: str = "original") -> "Appealed":
        for name in ("decision_id", "author_id", "route"):
            if not isinstance(d.get(name), str):
                raise RecordError(f"{path}.{name}", "required string is missing (see review.decision_summary)")
        return cls(d["decision_id"], d["author_id"], d["route"], tuple(d.get("actions") or ()),
                   tuple(d.get("found") or ()), d.get("decided_by") or "automation")

    def allowed_outcomes(self) -> tuple[str, ...]:
        """Appeal outcomes: notice only keeps a notice already granted; it is never granted on appeal."""
        return ("notice", "remove", "no_violation") if self.state == "notice" else ("remove", "no_violation")


def escalation_kind(d: Mapping[str, Any]) -> str:
    """An escalations.v1 value's kind; one written before the field existed (kind null) says it in its first reason."""
    kind = d.get("kind")
    if kind is not None:
        if kind not in ESCALATION_KINDS:
            raise RecordError("escalation.kind", f"unknown kind {kind!r}: expected one of {', '.join(ESCALATION_KINDS)}")
        return kind
    reasons = d.get("reasons") or ()
    return KIND_CAP_HOLD if is_cap_hold(reasons) else KIND_REPORTED if is_report_raised(reasons) else KIND_PUBLIC_INTEREST


def escalation_outcomes(kind: str) -> tuple[str, ...]:
    """Daily-cap holds and report-raised re-reviews are not public-interest reviews: no exception on offer."""
    if kind != KIND_PUBLIC_INTEREST:
        return ("remove", "no_violation")
    return ("notice", "remove", "no_violation")


# --- escalations ------------------------------------------------------------------------


def review_escalation(review: ReviewDecision, escalation: Escalation, reports: tuple[Report, ...],
                      policy: Policy) -> Decision:
    """Apply a human decision on an escalation; reporters of the post hear the outcome."""
    did = decision_id("review", review.review_id)
    post = Post(escalation.post_id, escalation.author_id, "", escalation.created_at)
    reasons = (*_review_lines(review), f"automated recommendation was {escalation.recommendation}")
    common = dict(decision_id=did, post_id=post.post_id, author_id=post.author_id, policy_version=policy.version,
                  political=escalation.political, recommendation=escalation.recommendation)
    errors = _common_errors(review, post.post_id, policy)
    if review.decision_id != escalation.escalation_id:
        errors.append(f"review resolves {review.decision_id}, not escalation {escalation.escalation_id}")
    if review.outcome not in escalation_outcomes(escalation.kind):
        errors.append(f"{review.outcome} is not an outcome for a daily-cap hold: remove or no_violation")
    violations = _confirmed(review, escalation.violations) if review.outcome != "no_violation" else ()
    never = sorted({v.policy for v in violations if not policy.pie_allowed(v.policy)})
    if review.outcome == "notice" and never:
        errors.append(f"{', '.join(never)} never gets the public-interest exception")
    errors += _rule_errors(review, violations)
    if errors:
        return Decision(**common, violations=escalation.violations, route=review.outcome, reasons=reasons,
                        errors=tuple(errors))
    if awaits_senior(review):
        return Decision(**common, violations=violations, route=AWAITING_SENIOR,
                        reasons=reasons + ("recommendation recorded: a senior reviewer makes the final decision",))
    actions = _outcome_actions(did, post, review, violations, policy)
    notices = tuple(_enforcement_notices(did, post, review, violations, actions, policy))
    ours = tuple(r for r in reports if r.post_id == post.post_id)
    notices += reporter_notices(did, ours, tuple(a.type for a in actions), frozenset(v.policy for v in violations),
                                policy, automated=False)
    return Decision(**common, violations=violations, route=review.outcome, reasons=reasons, actions=actions,
                    notices=notices)


# --- appeals ----------------------------------------------------------------------------


def review_appeal(review: ReviewDecision, appeal: Appeal, appealed: Appealed, policy: Policy) -> Decision:
    """Uphold or overturn the appealed decision; `review.outcome` is the post's new state."""
    did = decision_id("appeal", review.review_id)
    post = Post(appeal.post_id, appealed.author_id, "", appeal.created_at)
    before, after = appealed.state, review.outcome
    upheld = before == after
    verdict = f"appeal {appeal.appeal_id} against decision {appealed.decision_id}: " + (
        f"upheld ({before})" if upheld else f"overturned ({before} -> {after})")
    common = dict(decision_id=did, post_id=post.post_id, author_id=post.author_id, policy_version=policy.version,
                  political=unassessed("an appeal reviews the decision, not the author's eligibility"),
                  recommendation=None)
    reasons = (verdict, *_review_lines(review))
    errors = _common_errors(review, post.post_id, policy)
    if appeal.decision_id != appealed.decision_id:
        errors.append(f"appeal {appeal.appeal_id} is against {appeal.decision_id}, not {appealed.decision_id}")
    if appealed.route in PENDING_ROUTES:
        errors.append(f"decision {appealed.decision_id} is still awaiting review ({appealed.route}): nothing to appeal")
    if review.reviewer_id == appealed.decided_by:
        errors.append(f"{review.reviewer_id} made the appealed decision: a different reviewer must decide the appeal")
    if after not in appealed.allowed_outcomes():
        errors.append(f"{after} is not an appeal outcome here: {', '.join(appealed.allowed_outcomes())}")
    found = tuple(Violation(p, 1.0, (), f"decision {appealed.decision_id}") for p in appealed.found)
    violations = _confirmed(review, found) if after != "no_violation" else ()
    errors += _rule_errors(review, violations)
    if errors:
        return Decision(**common, violations=(), route=after, reasons=reasons, errors=tuple(errors))
    if awaits_senior(review):
        return Decision(**common, violations=violations, route=AWAITING_SENIOR,
                        reasons=reasons + ("recommendation recorded: a senior reviewer makes the final decision",))
    if upheld:
        actions: tuple[Action, ...] = ()
    elif after == "no_violation":
        actions = (_restore(did, post, review, appealed, appeal, policy),)
    else:
        actions = _outcome_actions(did, post, review, violations, policy)
    notices: dict[str, Notice] = {}
    if actions and after != "no_violation":
        for n in _enforcement_notices(did, post, review, violations, actions, policy):
            notices[n.notice_id] = n
    appellant = _appeal_notice(did, post, appeal, appealed, review, actions, verdict, policy)
    notices.setdefault(appellant.notice_id, appellant)
    if actions and after == "no_violation" and appeal.appellant_id != appealed.author_id:
        author = _appeal_notice(did, post, appeal, appealed, review, actions, verdict, policy, to_author=True)
        notices.setdefault(author.notice_id, author)
    return Decision(**common, violations=violations, route=after, reasons=reasons, actions=actions,
                    notices=tuple(notices.values()))


# --- shared pieces ----------------------------------------------------------------------


def _review_lines(review: ReviewDecision) -> tuple[str, ...]:
    who = f"{review.reviewer_id} (senior)" if review.senior else review.reviewer_id
    return (f"human review {review.review_id} by {who} at {review.decided_at}: {review.outcome}",
            f"rationale: {review.rationale}")


def _common_errors(review: ReviewDecision, post_id: str, policy: Policy) -> list[str]:
    errors = []
    if problem := reviewer_id_problem(review.reviewer_id):
        errors.append(problem)
    if review.post_id != post_id:
        errors.append(f"review is about post {review.post_id}, the item about {post_id}")
    if review.policy is not None and review.policy not in policy.categories:
        errors.append(f"{review.policy!r} is not a policy code")
    if not review.rationale.strip():
        errors.append("a rationale is required for every decision")
    return errors


def _rule_errors(review: ReviewDecision, violations: tuple[Violation, ...]) -> list[str]:
    if review.outcome != "no_violation" and not violations:
        return [f"{review.outcome} needs the rule it rests on: set policy on the review decision"]
    return []


def _confirmed(review: ReviewDecision, detected: tuple[Violation, ...]) -> tuple[Violation, ...]:
    """The violations a human decision rests on: the reviewer's rule when named, else all detected.

    Confidence 1.0 (a human confirmed it); the detector is kept in the source and its evidence kept.
    """
    chosen = [v for v in detected if review.policy in (None, v.policy)]
    if review.policy is not None and not chosen:
        chosen = [Violation(review.policy, 1.0, (), "")]
    by_policy: dict[str, Violation] = {}
    for v in sorted(chosen, key=lambda v: -v.confidence):
        if v.policy not in by_policy:
            source = f"human_review:{review.reviewer_id}" + (f" (detected by {v.source})" if v.source else "")
            by_policy[v.policy] = Violation(v.policy, 1.0, v.evidence, source)
    return tuple(by_policy.values())


def _outcome_actions(did: str, post: Post, review: ReviewDecision, violations: tuple[Violation, ...],
                     policy: Policy) -> tuple[Action, ...]:
    if review.outcome == "notice":
        main = violations[0]
        why = f"public-interest exception granted by senior reviewer {review.reviewer_id}: " \
              f"{policy.categories[main.policy].title}"
        return tuple(make_action(did, t, post, main.policy, policy, automated=False, reason=why)
                     for t in PIE_NOTICE_ACTIONS)
    if review.outcome == "remove":
        return enforcement_actions(did, post, violations, policy, automated=False, required=("remove",))
    return ()


def _enforcement_notices(did: str, post: Post, review: ReviewDecision, violations: tuple[Violation, ...],
                         actions: tuple[Action, ...], policy: Policy) -> list[Notice]:
    """The author's statement of reasons, and for a granted notice, the viewers' interstitial."""
    if not actions:
        return []
    out = [author_notice(did, post, violations, actions, policy, automated=False,
                         extra_facts=(f"reviewer's rationale: {review.rationale}",))]
    if review.outcome == "notice":
        out.append(interstitial(did, post, actions[0].policy, policy))
    return out


def interstitial(did: str, post: Post, rule: str, policy: Policy) -> Notice:
    """The click-through notice viewers see on a post kept up in the public interest (matrix section 4)."""
    cat = policy.categories[rule]
    text = (f"This post broke the X Rules on {cat.title} ({cat.rule_url}). X has decided it is in the public "
            "interest for it to remain accessible, so it is kept up behind this notice. You can click through "
            "to view it; likes, reposts and sharing are turned off, and it is not recommended anywhere.")
    return Notice(notice_id=f"{did}:viewers:{post.post_id}", decision_id=did, recipient="viewers", recipient_id=None,
                  kind="public_interest_interstitial", post_id=post.post_id, policy=rule, actions=PIE_NOTICE_ACTIONS,
                  facts=(f"rule broken: {cat.title}", "kept up in the public interest by a senior Trust & Safety "
                         "decision"), automated=False, text=text, appeal="")


def _restore(did: str, post: Post, review: ReviewDecision, appealed: Appealed, appeal: Appeal,
             policy: Policy) -> Action:
    lifted = [t for t in appealed.actions if t not in _NOT_LIFTED]
    kept = [t for t in appealed.actions if t in NEVER_CAPPED]
    reason = (f"appeal {appeal.appeal_id} overturned decision {appealed.decision_id} (reviewer {review.reviewer_id}):"
              f" lifts {', '.join(lifted)}" + (f"; {', '.join(kept)} stands (a legal duty)" if kept else ""))
    rule = review.policy or (appealed.found[0] if appealed.found else "")
    return make_action(did, "restore", post, rule, policy, automated=False, reason=reason)


def _appeal_notice(did: str, post: Post, appeal: Appeal, appealed: Appealed, review: ReviewDecision,
                   actions: tuple[Action, ...], verdict: str, policy: Policy, *, to_author: bool = False) -> Notice:
    """The outcome of an appeal, with the reviewer's reasons, to the appellant (or the author of the post)."""
    if to_author:
        who, recipient_id = "author", appealed.author_id
        opening = f"Someone appealed decision {appealed.decision_id} on your post {post.post_id}."
    else:
        who = "author" if appeal.appellant_id == appealed.author_id else "reporter"
        recipient_id = appeal.appellant_id
        opening = f"Thank you for your appeal {appeal.appeal_id} against decision {appealed.decision_id}."
    upheld = not actions
    result = ("A reviewer who did not make the original decision looked at it again and upheld it."
              if upheld else f"A reviewer who did not make the original decision looked at it again and reversed "
                             f"it: {', '.join(a.type for a in actions)}.")
    return Notice(
        notice_id=f"{did}:{who}:{recipient_id or 'anon:' + appeal.appeal_id}", decision_id=did, recipient=who,
        recipient_id=recipient_id, kind="appeal_outcome", post_id=post.post_id, policy=review.policy,
        actions=tuple(a.type for a in actions), facts=(verdict, f"reviewer's rationale: {review.rationale}"),
        automated=False, text=f"{opening} {result} Reasons: {review.rationale}", appeal="")


# --- decoding the queue's stored escalation ---------------------------------------------


def escalation_from_dict(d: Mapping[str, Any]) -> Escalation:
    """Rebuild an Escalation from its escalations.v1 value (as the review queue stores it)."""
    p = d["political"]
    designation = p.get("designation")
    political = PoliticalStatus(
        eligible=bool(p["eligible"]), high_profile=bool(p["high_profile"]), role=p.get("role"), source=p.get("source"),
        confidence=float(p.get("confidence") or 0.0), needs_confirmation=bool(p.get("needs_confirmation")),
        designation=Designation.from_dict(designation) if designation else None, reasons=tuple(p.get("reasons") or ()))
    return Escalation(
        escalation_id=d["escalation_id"], post_id=d["post_id"], author_id=d["author_id"],
        violations=tuple(Violation.from_dict(v, f"escalation.violations[{i}]") for i, v in enumerate(d["violations"])),
        recommendation=d["recommendation"], reasons=tuple(d["reasons"]), political=political,
        policy_version=d["policy_version"], created_at=d["created_at"], kind=escalation_kind(d))
