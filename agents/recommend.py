"""Public-interest review recommendation: `notice` or `remove`, with every factor stated.

Section 3 of the policy matrix lists the factors; each is detected here from the post,
its violations and the resolved mentions, and written as one reason line, so a reviewer
reads why in one screen. Automation only recommends: nothing here grants the notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agents.political import PoliticalStatus
from agents.policy import Policy
from agents.records import Post, Violation

_INSTITUTIONS = re.compile(
    r"\b(congress|senate|parliament|the (?:white house|president|government|administration|governor|mayor|"
    r"prime minister|chancellor|supreme court|fed|eu commission)|minister|ministry|legislat\w+|"
    r"city council|governor|senator|representative|lawmakers?|politicians?)\b",
    re.I,
)
_PUBLIC_DEBATE = re.compile(
    r"\b(protest\w*|rally|march (?:on|to|against)|boycott|petition|vote (?:no|yes|against|for)|bill\b|"
    r"legislation|policy|policies|budget|tax(?:es)?|reform|election|campaign|debate|veto|impeach\w*)\b",
    re.I,
)
_GEOPOLITICAL = re.compile(
    r"\b(war|invasion|invade\w*|ceasefire|sanctions?|troops|missiles?|border|refugees?|coup|"
    r"annex\w*|occupation|genocide|nato|united nations|treaty|airstrikes?)\b",
    re.I,
)
_DOCUMENTARY = re.compile(
    r"\b(footage|evidence|record(?:ed)?|documents?|leaked|investigation|testimony|hearing|"
    r"for the record|photos? (?:of|from)|video (?:of|from)|accountab\w+)\b",
    re.I,
)
_CALL_TO_ACTION = re.compile(
    r"\b(go (?:and )?(?:get|find|hurt|attack|kill|beat|burn)|let'?s (?:get|hurt|attack|kill|beat|burn|hunt)|"
    r"(?:we|you|everyone|patriots|people) (?:must|should|need to|have to) (?:attack|kill|hurt|beat|burn|hunt|"
    r"punish|destroy|string up|hang)|take (?:them|him|her) out|hunt (?:them|him|her) down|show up at (?:his|her|their) "
    r"(?:house|home|door))\b",
    re.I,
)
_RIGHTS = re.compile(
    r"\b(don'?t (?:let them )?vote|stay home on election day|keep (?:them|\w+) from voting|"
    r"block (?:the )?polls?|can'?t worship|ban (?:them|\w+) from (?:voting|worship\w*|speaking))\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Factors:
    """The section-3 factors found in one post; each is None or the evidence line."""

    directed_at_officials: str | None = None
    public_debate: str | None = None
    geopolitical: str | None = None
    documentary: str | None = None
    call_to_harm: str | None = None
    private_info_present: str | None = None
    rights_interference: str | None = None

    def for_notice(self) -> list[str]:
        return [f for f in (self.directed_at_officials, self.public_debate, self.geopolitical, self.documentary) if f]

    def for_removal(self) -> list[str]:
        return [f for f in (self.call_to_harm, self.private_info_present, self.rights_interference) if f]


def _quote(match: re.Match[str] | None) -> str | None:
    return f'"{match.group(0)}"' if match else None


def detect_factors(post: Post, violations: tuple[Violation, ...], political_mentions: dict[str, PoliticalStatus]) -> Factors:
    """Read the factors off the post. `political_mentions`: mentioned account id -> status."""
    text = post.text
    officials = [f"{aid} ({st.role})" for aid, st in political_mentions.items() if st.role]
    institution = _INSTITUTIONS.search(text)
    directed = None
    if officials:
        directed = "directed at officials or institutions: mentions " + ", ".join(sorted(officials))
    elif institution:
        directed = f"directed at officials or institutions: names {_quote(institution)}"
    debate = _PUBLIC_DEBATE.search(text)
    geo = _GEOPOLITICAL.search(text)
    doc = _DOCUMENTARY.search(text)
    harm = _CALL_TO_ACTION.search(text)
    rights = _RIGHTS.search(text)
    pii = next((v for v in violations if v.policy == "private_info" and v.evidence), None)
    return Factors(
        directed_at_officials=directed,
        public_debate=f"part of a public debate or call to protest: {_quote(debate)}" if debate else None,
        geopolitical=f"context on geopolitical events: {_quote(geo)}" if geo else None,
        documentary=f"documentary or accountability value: {_quote(doc)}" if doc else None,
        call_to_harm=f"declarative call to action that could harm a person or group: {_quote(harm)}" if harm else None,
        private_info_present=f"private information is shared, sought or threatened with exposure: {pii.evidence[0]}" if pii else None,
        rights_interference=(
            f"could interfere with the exercise of fundamental rights: {_quote(rights)}"
            if rights
            else ("could interfere with the right to vote (election integrity violation)"
                  if any(v.policy == "election_integrity" for v in violations) else None)
        ),
    )


def recommend(violations: tuple[Violation, ...], factors: Factors, policy: Policy) -> tuple[str, list[str]]:
    """Recommend `notice` or `remove` and say why, one reason a line.

    Removal factors always win (a call to harm, private data present, rights interfered
    with). Otherwise the least permissive category stance decides: "more likely" categories
    start from notice; "unlikely" and "rare" ones need two or more notice factors.
    """
    reasons: list[str] = []
    stances = []
    for v in violations:
        cat = policy.categories[v.policy]
        stances.append(cat.pie)
        reasons.append(f"{v.policy}: exception {cat.pie.replace('_', ' ')} for this category")
    notice_factors, removal_factors = factors.for_notice(), factors.for_removal()
    reasons += [f"for notice: {f}" for f in notice_factors]
    reasons += [f"for removal: {f}" for f in removal_factors]
    if removal_factors:
        return "remove", reasons + ["recommend remove: a removal factor is present"]
    if all(s == "more_likely" for s in stances):
        if notice_factors:
            return "notice", reasons + ["recommend notice: category allows it and notice factors are present"]
        return "notice", reasons + ["recommend notice: category stance favours it; no factor against"]
    if len(notice_factors) >= 2:
        return "notice", reasons + ["recommend notice: exception is rare for this category, but two or more notice factors apply"]
    return "remove", reasons + ["recommend remove: exception is unlikely for this category and notice factors are weak"]
