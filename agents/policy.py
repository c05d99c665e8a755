"""The policy matrix as data (`../shared/reference/policy-matrix.md` turned into decisions).

Every decision records `Policy.version`, so a replay with the same version reproduces it.
Change anything here that alters a decision, and bump `POLICY_VERSION`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple, dataclass, field
from typing import Mapping

POLICY_VERSION = "2026.11.1"


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

#: Never put in shadow mode: its enforcement includes a legal duty (the NCMEC report).
NEVER_SHADOWED = ("child_sexual_exploitation",)

#: Daily caps on AUTOMATED destructive actions (safety valve against runaway automation; see agents/caps.py).
DEFAULT_DAILY_CAPS: Mapping[str, int] = {"remove": 50_000, "suspend_account": 2_000}


@dataclass(frozen=True, slots=True)
class Policy:
    """The thresholds a decision depends on; built from Settings, recorded in every audit."""

    version: str = POLICY_VERSION
    follower_threshold: int = 100_000  #: high profile: verified and MORE than this many followers
    require_verified: bool = True
    severe_confidence: float = 0.85  #: at or above: a category's full enforcement, below: its mild one
    min_confidence: float = 0.5  #: violations below this are evidence only, never acted on
    appeal_url: str = "https://help.x.com/forms/general?subtopic=suspended"
    categories: dict[str, Category] = field(default_factory=lambda: CATEGORIES)
    #: rules in shadow mode: their violations are recorded in the reasons, never acted on (agents/caps.py)
    shadow_policies: frozenset[str] = frozenset()
    #: action type -> automated actions allowed per UTC day before decisions are held for a human (agents/caps.py)
    daily_caps: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_DAILY_CAPS))
    #: digest of the version and every field a decision depends on (decision ids include it, so a changed
    #: threshold, shadow rule, cap or category never reuses the ids of decisions made before the change)
    fingerprint: str = field(init=False, compare=False, default="")

    def __post_init__(self) -> None:
        unknown = sorted(set(self.shadow_policies) - set(self.categories))
        if unknown:
            raise ValueError(f"shadow_policies: {unknown} are not policy codes")
        if set(self.shadow_policies) & set(NEVER_SHADOWED):
            raise ValueError(f"shadow_policies: {', '.join(NEVER_SHADOWED)} can never be in shadow mode (a legal duty)")
        for action_type, cap in self.daily_caps.items():
            if action_type in NEVER_CAPPED:
                raise ValueError(f"daily_caps: {action_type} can never be capped (a legal duty)")
            if action_type not in ACTION_TYPES or cap < 0:
                raise ValueError(f"daily_caps: {action_type}={cap} needs a known action type and a cap >= 0")
        object.__setattr__(self, "fingerprint", _fingerprint(self))

    def pie_allowed(self, code: str) -> bool:
        return self.categories[code].pie != "never"


def _fingerprint(policy: Policy) -> str:
    """Deterministic digest of what decides: same policy object contents, same fingerprint, in any process."""
    inputs = [policy.version, policy.follower_threshold, policy.require_verified, policy.severe_confidence,
              policy.min_confidence, [astuple(policy.categories[c]) for c in sorted(policy.categories)],
              sorted(policy.shadow_policies), sorted(policy.daily_caps.items())]
    return hashlib.sha256(json.dumps(inputs, separators=(",", ":")).encode()).hexdigest()[:16]
