"""Suicide and self-harm promotion: telling someone to kill or hurt themselves, and pro-ED
coaching. A person talking about their own struggle or asking for help is NOT a violation:
no rule matches first-person statements, and pro-ED rules are cleared by recovery talk.
"""

from __future__ import annotations

from agents.detectors.rules import SPEECH, PatternRule, RuleSet

SH = "self_harm"
_PRO_ED = r"\b(?:thinspo|thinspiration|pro[ -]?ana|pro[ -]?mia|meanspo|bonespo|ana coach|ana buddy)\b"
_COACH_CUE = r"\b(?:tips?|challenge|coach|buddy|accountable|girls|you|u|ur|your)\b|" + _PRO_ED

RULES = RuleSet("rules.self_harm", 1, (
    PatternRule(
        "encouragement_suicide_rule", (SH,),
        r"\b(?P<v>kys|kill (?:yourself|urself|yourselves|your self|ur self|themselves|themself)"
        r"|(?:hang|off|shoot|cut|end) (?:yourself|urself|yourselves|your self|ur self|themselves))\b"
        r"|\b(?:go |just |you should |u should )(?P<j>jump) (?:off|from|in front of) (?:a|the) (?:\w+ )?(?:bridge|building|cliff|roof|train|bus)\b"
        r"|\bdrink (?:some )?bleach\b"
        r"|\b(?:you|u) should (?:just )?(?:end it|end it all|end your life|die already)\b",
        0.85, SPEECH, requires=(r"\b(?:kys|yourself|urself|yourselves|themselves|themself|self|jump|bleach|end)\b",),
    ),
    PatternRule(
        "encouragement_better_off_rule", (SH,),
        r"\bworld (?:would be|is|will be) (?:a )?better (?:place |off )?(?:without you|if you (?:\w+ )?(?:died|ended it|were dead|killed yourself|weren't here|weren't alive))\b",
        0.75, SPEECH, requires=(r"\bbetter\b",),
    ),
    PatternRule(
        "promotion_eating_disorder_rule", (SH,),
        _PRO_ED, 0.75, SPEECH | {"recovery"}, keywords=frozenset({'thinspo', 'thinspiration', 'proana', 'pro', 'promia', 'meanspo', 'bonespo', 'ana'}),
    ),
    PatternRule(
        "coaching_eating_disorder_rule", (SH,),
        r"\b(?:eat|eating) (?:less than|under|below|only|no more than) \d+ ?(?:cal|cals|calories|kcal)\b"
        r"|\bskip (?:\w+ )?(?:meals|breakfast|lunch|dinner)\b|\bpurge after\b|\b(?:stop|quit) eating\b"
        r"|\bnot (?:thin|skinny) enough\b|\bhide (?:it|not eating|your eating) from\b|\bchew and spit\b",
        0.7, SPEECH | {"recovery"}, requires=(_COACH_CUE,), keywords=frozenset({'eat', 'eating', 'skip', 'purge', 'stop', 'quit', 'thin', 'skinny', 'hide', 'chew'}),
    ),
))
