"""The policy matrix as data: what decides, and the invariants no policy file may break.

Operators change policy in a file (`policy/default.yaml`, read by streams/infra/policy_file.py);
the defaults here are the same matrix, for code and tests that build a `Policy` directly.
`Policy.version` is the human label plus `Policy.fingerprint`, a digest of everything that
changes a decision, so a changed threshold is a new version, and a new decision id, everywhere. Invariants are checked in `Policy.__post_init__`, whatever built it:
- child_sexual_exploitation is never shadowed (category, detector rule or classifier
  head) and its decisions are never held by a cap (agents/caps.py); report_ncmec is never
  capped: both are legal duties;
- automation never grants the public-interest exception: no category's enforcement may
  contain the notice, a restore or a country withholding (those come from people);
- no category without enforcement.
"""

from __future__ import annotations

import hashlib
import json
import string
from dataclasses import dataclass, field
from typing import Any, Mapping

POLICY_LABEL = "2026.11.1"


@dataclass(frozen=True, slots=True)
class Category:
    """One rule category and how the public-interest exception (PIE) treats it."""

    code: str
    title: str
    rule_url: str
    pie: str  #: "never" | "unlikely" | "rare" | "more_likely"
    default_recommendation: str  #: what review starts from before factors: "notice" | "remove"
    enforcement: tuple[str, ...]  #: actions when enforced at high severity
    mild_enforcement: tuple[str, ...] = ()  #: actions at lower severity (empty: same as enforcement)
    notify_author: bool = True
    min_confidence: float | None = None  #: this category's floor (None: the policy's)
    severe_confidence: float | None = None  #: this category's severe threshold (None: the policy's)


def _c(code, title, slug, pie, rec, enforcement, mild=(), notify=True) -> Category:
    return Category(code, title, f"https://help.x.com/en/rules-and-policies/{slug}", pie, rec, enforcement, mild, notify)


CATEGORIES: dict[str, Category] = {
    c.code: c
    for c in (
        _c("terrorism", "Violent and hateful entities / terrorism", "violent-entities", "never", "remove",
           ("remove", "suspend_account")),
        _c("violence", "Violent speech: threats and glorification of violence", "violent-speech", "unlikely",
           "remove", ("remove",)),
        _c("illegal_goods", "Illegal or certain regulated goods or services", "regulated-goods-services", "rare",
           "remove", ("remove",)),
        _c("self_harm", "Suicide and self-harm", "glorifying-self-harm", "unlikely", "remove", ("remove",)),
        _c("election_integrity", "Civic integrity: manipulating or interfering in elections",
           "election-integrity-policy", "unlikely", "remove", ("remove",), ("reduce_visibility",)),
        _c("private_info", "Private information and media", "personal-information", "unlikely", "remove",
           ("remove",)),
        _c("hateful_conduct", "Hateful conduct", "hateful-conduct-policy", "more_likely", "notice",
           ("remove",), ("reduce_visibility",)),
        _c("abuse_harassment", "Abuse and harassment", "abusive-behavior", "more_likely", "notice",
           ("remove",), ("reduce_visibility",)),
        _c("sensitive_media", "Sensitive media: graphic or gruesome content", "media-policy", "more_likely",
           "notice", ("sensitive_media_warning",)),
        _c("child_sexual_exploitation", "Child sexual exploitation", "sexual-exploitation-policy", "never",
           "remove", ("remove", "suspend_account", "report_ncmec")),
        _c("child_physical_abuse_media", "Media of physical child abuse", "sexual-exploitation-policy", "rare",
           "remove", ("remove",)),
        _c("minors_altercation_media", "Media of minors in physical altercation", "sexual-exploitation-policy",
           "rare", "remove", ("remove",), ("sensitive_media_warning",)),
        _c("non_consensual_nudity", "Non-consensual nudity", "intimate-media", "never", "remove",
           ("remove", "suspend_account")),
        _c("violent_sexual_assault", "Violent sexual assault media", "media-policy", "never", "remove",
           ("remove",)),
        _c("copyright", "Copyright", "copyright-policy", "never", "remove", ("remove",)),
    )
}

ACTION_TYPES = (
    "remove",
    "public_interest_notice",
    "limit_engagement",
    "exclude_from_recommendations",
    "sensitive_media_warning",
    "reduce_visibility",
    "withhold_in_country",
    "suspend_account",
    "report_ncmec",
    "restore",
)

#: Actions a granted public-interest notice applies (section 4 of the matrix).
PIE_NOTICE_ACTIONS = ("public_interest_notice", "limit_engagement", "exclude_from_recommendations")

#: Ordering of actions by how much they take away, for summaries and for picking the strongest.
DESTRUCTIVE_ACTIONS = ("remove", "suspend_account", "report_ncmec")

#: Never held back by a daily cap: reporting child sexual exploitation to NCMEC is a legal duty.
NEVER_CAPPED = ("report_ncmec",)

#: Never put in shadow mode (nor its rules or classifier head off), never held by a cap: a legal duty.
NEVER_SHADOWED = ("child_sexual_exploitation",)

#: Actions only people apply (a senior reviewer, an appeal, a legal request): never automated enforcement.
NOT_AUTOMATED = ("public_interest_notice", "restore", "withhold_in_country")

RULE_STATES = ("live", "shadow", "off")  #: a detector rule's or classifier head's state

#: Notice texts and the placeholders each may use (agents/enforcement.py fills them).
NOTICE_FIELDS: Mapping[str, frozenset[str]] = {
    "author": frozenset({"post_id", "rule_title", "rule_url", "actions", "decided_by", "policy_version", "facts",
                         "appeal_url"}),
    "reporter_action": frozenset({"report_id", "actions", "appeal_url"}),
    "reporter_no_violation": frozenset({"report_id", "rule_title", "appeal_url"}),
}
DEFAULT_NOTICES: Mapping[str, str] = {
    "author": "Your post {post_id} broke the rule '{rule_title}' ({rule_url}). Action taken: {actions}. "
              "This was decided by {decided_by} under policy version {policy_version}. "
              "Facts relied on: {facts}. If you think this is a mistake, you can appeal: {appeal_url}",
    "reporter_action": "Thank you for your report {report_id}. We took action on the post you reported ({actions}). "
                       "If you disagree, you can appeal: {appeal_url}",
    "reporter_no_violation": "Thank you for your report {report_id}. We reviewed the post you reported for "
                             "'{rule_title}' and found no violation of that rule. If you disagree, you can appeal: "
                             "{appeal_url}",
}

#: Daily caps on AUTOMATED destructive actions (safety valve against runaway automation; see agents/caps.py).
DEFAULT_DAILY_CAPS: Mapping[str, int] = {"remove": 50_000, "suspend_account": 2_000}


class PolicyError(ValueError):
    """A policy that breaks an invariant or names something unknown; `key` is the offending setting."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}")
        self.key, self.message = key, message


@dataclass(frozen=True, slots=True)
class Policy:
    """Everything a decision depends on besides its input; recorded (as `version`) in every audit."""

    label: str = POLICY_LABEL  #: the human part of the version, e.g. "2026.11.1" or "election-week"
    follower_threshold: int = 100_000  #: high profile: verified and MORE than this many followers
    require_verified: bool = True
    severe_confidence: float = 0.85  #: at or above: a category's full enforcement, below: its mild one
    min_confidence: float = 0.5  #: violations below this are evidence only, never acted on
    appeal_url: str = "https://help.x.com/forms/general?subtopic=suspended"
    categories: Mapping[str, Category] = field(default_factory=lambda: CATEGORIES)
    #: rules in shadow mode: their violations are recorded in the reasons, never acted on (agents/caps.py)
    shadow_policies: frozenset[str] = frozenset()
    #: action type -> automated actions allowed per UTC day before decisions are held for a human (agents/caps.py)
    daily_caps: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_DAILY_CAPS))
    report_review_threshold: int = 5  #: distinct reporters within the window that raise a post for re-review
    report_window_seconds: float = 3600.0
    rule_states: Mapping[str, str] = field(default_factory=dict)  #: detector rule name -> shadow | off (else live)
    head_states: Mapping[str, str] = field(default_factory=dict)  #: classifier label -> shadow | off (else live)
    notices: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_NOTICES))
    #: digest of `document()`, everything that decides (the label too: notices quote the version);
    #: decision ids include it (agents/router.py), so a changed setting never reuses an earlier id
    fingerprint: str = field(init=False)
    version: str = field(init=False)  #: "<label>+<fingerprint>": on every decision, action, notice and audit

    def __post_init__(self) -> None:
        check(self)
        doc = json.dumps(self.document(), sort_keys=True, separators=(",", ":"))
        object.__setattr__(self, "fingerprint", hashlib.sha256(doc.encode()).hexdigest()[:16])
        object.__setattr__(self, "version", f"{self.label}+{self.fingerprint}")

    def pie_allowed(self, code: str) -> bool:
        return self.categories[code].pie != "never"

    def min_for(self, code: str) -> float:
        """The confidence floor for a violation of `code`."""
        own = self.categories[code].min_confidence
        return self.min_confidence if own is None else own

    def severe_for(self, code: str) -> float:
        """At or above: `code`'s full enforcement; below: its mild one."""
        own = self.categories[code].severe_confidence
        return self.severe_confidence if own is None else own

    def rule_state(self, rule: str) -> str:
        return self.rule_states.get(rule, "live")

    def head_state(self, label: str) -> str:
        return self.head_states.get(label, "live")

    def document(self) -> dict[str, Any]:
        """The policy as the file holds it (streams/infra/policy_file.py): plain data, live states omitted."""
        def category(c: Category) -> dict[str, Any]:
            d = {"title": c.title, "rule_url": c.rule_url, "public_interest": c.pie,
                 "review_starts_from": c.default_recommendation, "enforcement": list(c.enforcement),
                 "mild_enforcement": list(c.mild_enforcement),
                 "state": "shadow" if c.code in self.shadow_policies else "live"}
            d.update({k: v for k, v in (("min_confidence", c.min_confidence),
                                        ("severe_confidence", c.severe_confidence)) if v is not None})
            return d

        return {
            "label": self.label,
            "appeal_url": self.appeal_url,
            "high_profile": {"follower_threshold": self.follower_threshold, "require_verified": self.require_verified},
            "confidence": {"min": self.min_confidence, "severe": self.severe_confidence},
            "daily_caps": dict(sorted(self.daily_caps.items())),
            "reports": {"rereview_threshold": self.report_review_threshold,
                        "window_seconds": self.report_window_seconds},
            "categories": {code: category(c) for code, c in self.categories.items()},
            "rules": {k: v for k, v in sorted(self.rule_states.items()) if v != "live"},
            "classifier_heads": {k: v for k, v in sorted(self.head_states.items()) if v != "live"},
            "notices": dict(sorted(self.notices.items())),
        }


def check(policy: Policy) -> None:
    """Raise PolicyError for the first invariant `policy` breaks (see the module doc)."""
    from agents.detectors import RULE_POLICIES  # late: detectors are heavier than the policy

    p = policy
    if not p.label or len(p.label) > 64 or any(ch.isspace() or ch == "+" for ch in p.label):
        raise PolicyError("label", f"{p.label!r}: 1-64 characters, no spaces or '+' (the digest follows a '+')")
    for code in NEVER_SHADOWED:
        if code not in p.categories:
            raise PolicyError(f"categories.{code}", "is required: it can never be switched off (a legal duty)")
    for code, c in p.categories.items():
        if code != c.code:
            raise PolicyError(f"categories.{code}", f"holds the category {c.code!r}")
        if not c.enforcement:
            raise PolicyError(f"categories.{code}.enforcement", "is empty: every category needs enforcement")
        for key, types in (("enforcement", c.enforcement), ("mild_enforcement", c.mild_enforcement)):
            for t in types:
                if t not in ACTION_TYPES:
                    raise PolicyError(f"categories.{code}.{key}", f"{t!r} is not an action type ({', '.join(ACTION_TYPES)})")
                if t in NOT_AUTOMATED:
                    raise PolicyError(f"categories.{code}.{key}", f"{t!r} is never automated: only an authenticated "
                                      "reviewer (or a legal request) applies it, and automation never grants the "
                                      "public-interest exception")
        for key, value in (("min_confidence", c.min_confidence), ("severe_confidence", c.severe_confidence)):
            if value is not None and not 0.0 <= value <= 1.0:
                raise PolicyError(f"categories.{code}.{key}", f"{value} is outside 0..1")
    for key, value in (("confidence.min", p.min_confidence), ("confidence.severe", p.severe_confidence)):
        if not 0.0 <= value <= 1.0:
            raise PolicyError(key, f"{value} is outside 0..1")
    unknown = sorted(set(p.shadow_policies) - set(p.categories))
    if unknown:
        raise PolicyError("shadow_policies", f"{unknown} are not policy codes")
    if set(p.shadow_policies) & set(NEVER_SHADOWED):
        raise PolicyError(f"categories.{NEVER_SHADOWED[0]}.state",
                          f"{', '.join(NEVER_SHADOWED)} can never be in shadow mode (a legal duty)")
    for action_type, cap in p.daily_caps.items():
        if action_type in NEVER_CAPPED:
            raise PolicyError(f"daily_caps.{action_type}", "can never be capped (a legal duty)")
        if action_type not in ACTION_TYPES or cap < 0:
            raise PolicyError(f"daily_caps.{action_type}", f"{cap} needs a known action type and a cap >= 0")
    if p.follower_threshold < 0:
        raise PolicyError("high_profile.follower_threshold", "must be >= 0")
    if p.report_review_threshold < 1 or p.report_window_seconds <= 0:
        raise PolicyError("reports", "rereview_threshold must be >= 1 and window_seconds > 0")
    for kind, names, states in (("rules", RULE_POLICIES, p.rule_states), ("classifier_heads", p.categories,
                                                                          p.head_states)):
        for name, state in states.items():
            if name not in names:
                raise PolicyError(f"{kind}.{name}", f"is not a known {'detector rule' if kind == 'rules' else 'policy code'}")
            if state not in RULE_STATES:
                raise PolicyError(f"{kind}.{name}", f"{state!r}: expected one of {', '.join(RULE_STATES)}")
            evidences = RULE_POLICIES[name] if kind == "rules" else (name,)
            if state != "live" and set(evidences) & set(NEVER_SHADOWED):
                raise PolicyError(f"{kind}.{name}", f"evidences {', '.join(NEVER_SHADOWED)}: it can never be "
                                  f"{state} (a legal duty)")
    for kind, text in p.notices.items():
        _check_notice(kind, text)
    missing = sorted(set(NOTICE_FIELDS) - set(p.notices))
    if missing:
        raise PolicyError("notices", f"missing {', '.join(missing)}")


def _check_notice(kind: str, text: str) -> None:
    if kind not in NOTICE_FIELDS:
        raise PolicyError(f"notices.{kind}", f"is not a notice ({', '.join(NOTICE_FIELDS)})")
    allowed = NOTICE_FIELDS[kind]
    if not 0 < len(text) <= 2000:
        raise PolicyError(f"notices.{kind}", "needs 1 to 2,000 characters")
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        raise PolicyError(f"notices.{kind}", f"{exc} (write {{{{ and }}}} for literal braces)") from None
    for name, spec, conv in fields:
        if name not in allowed or spec or conv:
            raise PolicyError(f"notices.{kind}", f"placeholder {{{name}}} is not one of "
                              + ", ".join(f"{{{f}}}" for f in sorted(allowed)))
