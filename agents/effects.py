"""Effects as data: what a decision asks the world to do.

Agents return a `Decision`; only `streams/engine/apply.py` turns it into records on the action,
notice, escalation and audit topics. Every effect carries its rule, the policy version
and an idempotency key derived from the decision, so a redelivered input produces the
same keys and downstream consumers drop the repeat.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from agents.political import PoliticalStatus
from agents.records import Media, Post, Violation


def decision_id(*parts: str) -> str:
    """A stable id for a decision: same inputs, same id (the idempotency root)."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


#: how much a post's decision restricts it (`standing`): an automated decision never replaces a stronger one
NO_RESTRICTION, RESTRICTED, REMOVED = 0, 1, 2
_REMOVING = ("remove", "suspend_account", "report_ncmec")
_PENDING = ("public_interest_review", "human_review", "awaiting_senior")


def standing(route: str, action_types: tuple[str, ...] | list[str]) -> int:
    """REMOVED, RESTRICTED (any other action, or waiting for a human) or NO_RESTRICTION."""
    if any(t in _REMOVING for t in action_types):
        return REMOVED
    return RESTRICTED if action_types or route in _PENDING else NO_RESTRICTION


#: `json.dumps(..., sort_keys=True, separators=(",", ":"))`, built once: dumps builds an encoder each call
_DIGEST_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


def content_digest(post: Post) -> str:
    """Digest of everything of the post a decision reads (text, media, mentions, country, time, upstream
    violations): an edited post (same post_id, new content) gets new decision, action and notice ids."""
    return hashlib.sha256(_DIGEST_JSON.encode(post.to_dict()).encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Action:
    """A visibility-limiting or enforcement action on a post or an account."""

    action_id: str  #: "<decision_id>:<type>[:<country>]": the idempotency key
    decision_id: str
    type: str  #: one of agents.policy.ACTION_TYPES
    post_id: str
    account_id: str
    policy: str  #: the rule code this action enforces
    policy_version: str
    automated: bool  #: False when a human decision applied it
    countries: tuple[str, ...] = ()  #: for withhold_in_country
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "action_id": self.action_id,
            "decision_id": self.decision_id,
            "type": self.type,
            "post_id": self.post_id,
            "account_id": self.account_id,
            "policy": self.policy,
            "policy_version": self.policy_version,
            "automated": self.automated,
            "countries": list(self.countries),
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Notice:
    """A message to a person, with a statement of reasons (EU DSA Art. 17)."""

    notice_id: str  #: "<decision_id>:<recipient>:<recipient_id>"
    decision_id: str
    recipient: str  #: "author" | "reporter" | "viewers"
    recipient_id: str | None  #: account id; None for account-less reporters and for viewers
    kind: str  #: "statement_of_reasons" | "report_outcome" | "public_interest_interstitial"
    post_id: str
    policy: str | None
    actions: tuple[str, ...]
    facts: tuple[str, ...]  #: the facts and circumstances relied on
    automated: bool  #: whether automated means took or detected it
    text: str  #: the full statement, ready to show
    appeal: str  #: how to appeal, empty where not appealable (viewer text)
    contact: str | None = None  #: delivery address for account-less reporters

    def to_dict(self) -> dict[str, Any]:
        return {
            "notice_id": self.notice_id,
            "decision_id": self.decision_id,
            "recipient": self.recipient,
            "recipient_id": self.recipient_id,
            "kind": self.kind,
            "post_id": self.post_id,
            "policy": self.policy,
            "actions": list(self.actions),
            "facts": list(self.facts),
            "automated": self.automated,
            "text": self.text,
            "appeal": self.appeal,
            "contact": self.contact,
        }


#: what an escalation asks a human (Escalation.kind): a public-interest review, a decision a daily cap
#: held, or a decided post that enough reports raised again
KIND_PUBLIC_INTEREST, KIND_CAP_HOLD, KIND_REPORTED = "public_interest", "cap_hold", "reported"
ESCALATION_KINDS = (KIND_PUBLIC_INTEREST, KIND_CAP_HOLD, KIND_REPORTED)


@dataclass(frozen=True, slots=True)
class Escalation:
    """A post for a human: public-interest review, a daily-cap hold, or a report-raised re-review (`kind`)."""

    escalation_id: str  #: equals the decision id
    post_id: str
    author_id: str
    violations: tuple[Violation, ...]
    recommendation: str  #: "notice" | "remove": automation only recommends
    reasons: tuple[str, ...]  #: factors and stances, one line each
    political: PoliticalStatus
    policy_version: str
    created_at: str  #: the post's time, so review age is measured from it
    post_text: str | None = None  #: what the reviewer reads
    kind: str = KIND_PUBLIC_INTEREST  #: one of ESCALATION_KINDS

    def to_dict(self) -> dict[str, Any]:
        return {
            "escalation_id": self.escalation_id,
            "post_id": self.post_id,
            "author_id": self.author_id,
            "violations": [v.to_dict() for v in self.violations],
            "recommendation": self.recommendation,
            "reasons": list(self.reasons),
            "political": self.political.to_dict(),
            "policy_version": self.policy_version,
            "created_at": self.created_at,
            "post_text": self.post_text,
            "kind": self.kind,
        }


@dataclass(frozen=True, slots=True)
class NcmecReport:
    """A CyberTipline report for child sexual exploitation: ids and hashes, never media bytes."""

    report_id: str  #: "<decision_id>:report_ncmec", matching the action id
    decision_id: str
    post_id: str
    account_id: str
    incident_type: str
    media: tuple[Media, ...]
    evidence: tuple[str, ...]
    post_created_at: str
    country: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "report_id": self.report_id,
            "decision_id": self.decision_id,
            "post_id": self.post_id,
            "account_id": self.account_id,
            "incident_type": self.incident_type,
            "media": [m.to_dict() for m in self.media],
            "evidence": list(self.evidence),
            "post_created_at": self.post_created_at,
            "country": self.country,
        }


@dataclass(frozen=True, slots=True)
class Decision:
    """The only output of the route agent: what was found, where it goes, what it does."""

    decision_id: str
    post_id: str
    author_id: str
    policy_version: str
    violations: tuple[Violation, ...]
    political: PoliticalStatus
    route: str  #: "no_action" | "enforce" | "public_interest_review"
    recommendation: str | None
    reasons: tuple[str, ...]
    actions: tuple[Action, ...] = ()
    notices: tuple[Notice, ...] = ()
    escalation: Escalation | None = None
    ncmec: NcmecReport | None = None
    errors: tuple[str, ...] = field(default=())  #: a decision with errors is never applied
    #: the action types over today's daily cap when agents.caps held this decision, sorted: what
    #: streams.infra.metrics counts, as data rather than read back from the reasons; on no topic
    cap_held: tuple[str, ...] = ()

    def to_output(self) -> dict[str, Any]:
        """The `modstream decide` output line (the stable contract)."""
        return {
            "post_id": self.post_id,
            "violations": [v.to_dict() for v in self.violations],
            "author_political": {
                "eligible": self.political.eligible,
                "high_profile": self.political.high_profile,
                "role": self.political.role,
                "source": self.political.source,
            },
            "route": self.route,
            "recommendation": self.recommendation,
            "reasons": list(self.reasons),
            "decision_id": self.decision_id,
            "policy_version": self.policy_version,
            "actions": [a.to_dict() for a in self.actions],
            "notices": [n.to_dict() for n in self.notices],
        }

    def audit(self, inputs: list[dict[str, Any]], versions: dict[str, str], kind: str = "post_decision",
              decided_by: str = "automation") -> dict[str, Any]:
        """The audit.v1 record: what was decided, from which inputs, under which versions, with what effects."""
        return {
            "decision_id": self.decision_id,
            "post_id": self.post_id,
            "author_id": self.author_id,
            "kind": kind,
            "route": self.route,
            "recommendation": self.recommendation,
            "reasons": list(self.reasons),
            "violations": [v.to_dict() for v in self.violations],
            "political": self.political.to_dict(),
            "policy_version": self.policy_version,
            "versions": dict(versions),
            "inputs": inputs,
            "action_ids": [a.action_id for a in self.actions],
            "notice_ids": [n.notice_id for n in self.notices],
            "decided_by": decided_by,
        }
