"""The policy matrix as data (`../shared/reference/policy-matrix.md` turned into decisions).

Every decision records `Policy.version`, so a replay with the same version reproduces it.
Change anything here that alters a decision, and bump `POLICY_VERSION`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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

    def pie_allowed(self, code: str) -> bool:
        return self.categories[code].pie != "never"
