"""Fast-path text detectors: normalise once, run every rule family, keep context verdicts.

`RULE_SETS` lists the families; `RULES` every named rule (names are unique).
`TextDetectors` compiles them once; `detect(text)` is pure and returns every hit,
suppressed ones included, so the tagger can cite what context cleared.
"""

from __future__ import annotations

from agents.detectors import abuse, cse, election, goods, hate, media, self_harm, terrorism, violence
from agents.detectors.normalize import normalize
from agents.detectors.pii import PiiDetector
from agents.detectors.rules import Hit, PatternRule, RuleEngine, RuleSet

RULE_SETS: tuple[RuleSet, ...] = (
    hate.RULES, violence.RULES, abuse.RULES, self_harm.RULES, terrorism.RULES, election.RULES,
    goods.RULES, cse.RULES, media.RULES,
)
RULES: tuple[PatternRule, ...] = tuple(r for rs in RULE_SETS for r in rs.rules)


class TextDetectors:
    """All fast-path detectors, compiled once at construction."""

    def __init__(self, rule_sets: tuple[RuleSet, ...] = RULE_SETS, *, region: str = "US"):
        self._engine = RuleEngine(rule_sets)
        self._pii = PiiDetector(region)

    def detect(self, text: str, *, region: str | None = None) -> list[Hit]:
        norm = normalize(text)
        return [*self._engine.run(norm), *self._pii.detect(norm, region)]


__all__ = ["Hit", "RULES", "RULE_SETS", "TextDetectors"]
