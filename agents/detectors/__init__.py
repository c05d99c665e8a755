"""Fast-path text detectors: normalise once, run every rule family, keep context verdicts.

`RULE_SETS` lists the families; `RULES` every named rule (names are unique).
`TextDetectors` compiles them once; `detect(text)` is pure and returns the hits (the
first few per rule), suppressed ones included, so the tagger can cite what context cleared.
Context is judged per sentence (`sentences.segment`, `context.Scan`).
"""

from __future__ import annotations

from agents.detectors import abuse, cse, election, goods, hate, media, pii, self_harm, terrorism, violence
from agents.detectors.context import Scan
from agents.detectors.pii import PiiDetector
from agents.detectors.rules import Hit, PatternRule, RuleEngine, RuleSet
from agents.detectors.sentences import Sentences, segment

RULE_SETS: tuple[RuleSet, ...] = (
    hate.RULES, violence.RULES, abuse.RULES, self_harm.RULES, terrorism.RULES, election.RULES,
    goods.RULES, cse.RULES, media.RULES, pii.RULES,
)
RULES: tuple[PatternRule, ...] = tuple(r for rs in RULE_SETS for r in rs.rules)
#: every rule name a Hit can carry -> the policies it evidences (a policy file sets their states)
RULE_POLICIES: dict[str, tuple[str, ...]] = {**{r.name: r.policies for r in RULES}, **{n: (pii.PI,) for n in pii.RULE_NAMES}}


class TextDetectors:
    """All fast-path detectors, compiled once at construction."""

    def __init__(self, rule_sets: tuple[RuleSet, ...] = RULE_SETS, *, region: str = "US"):
        self._engine = RuleEngine(rule_sets)
        self._pii = PiiDetector(region)

    def detect(self, text: str | Scan, *, region: str | None = None) -> list[Hit]:
        """Every rule and PII hit on a post (its text, or a `Scan` the caller reuses for context)."""
        scan = text if isinstance(text, Scan) else Scan(segment(text))
        return [*self._engine.run(scan), *self._pii.detect(scan, region)]


__all__ = ["Hit", "RULES", "RULE_POLICIES", "RULE_SETS", "Scan", "Sentences", "TextDetectors", "segment"]
