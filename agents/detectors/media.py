"""Sensitive media labels in text: a post announcing graphic gore footage. Media itself is
judged elsewhere (hash banks); this only catches obvious self-labelled gore.
"""

from __future__ import annotations

from agents.detectors.rules import PatternRule, RuleSet

SM = "sensitive_media"

RULES = RuleSet("rules.media", 1, (
    PatternRule(
        "label_gore_media_rule", (SM,),
        r"\b(?P<v>graphic|gore|gory|uncensored|unblurred|brutal) (?:\w+ ){0,3}(?:video|footage|clip|pics|images|photos)\b",
        0.6, frozenset({"negation"}),
        requires=(r"\b(?:beheading|decapitat\w*|execution|dismember\w*|corpses?|dead bodies|dead body|gore|accident|murder|shooting)\b",), keywords=frozenset({'graphic', 'gore', 'gory', 'uncensored', 'unblurred', 'brutal'}),
    ),
))
