"""Child sexual exploitation in text: trading/soliciting abuse material, and sexualising a
stated minor. The lexicon is deliberately minimal and clinical. News about prosecutions,
condemnation and child-safety talk with no trade cue (sex education, prevention, reporting)
are cleared; nothing else is (zero tolerance).
"""

from __future__ import annotations

from agents.detectors.rules import SPEECH, PatternRule, RuleSet

CS = "child_sexual_exploitation"
_CLEARED = SPEECH | {"news", "protective"}
_TRADE = r"\b(?:trade|trading|sell|selling|buy|buying|links?|dm|telegram|mega|wickr|discord|collection|vids|videos|pics|for sale|folder)\b"
_MINOR = r"\b(?:underage|under age|preteens?|minors?|(?:1[0-7]|[5-9]) ?(?:yo|y/o|year old|years old|yr old))\b"
_SEXUAL = r"(?:nudes?|naked|nsfw|sexy|sex|sexual|horny|explicit|lewd|porn)"

RULES = RuleSet("rules.cse", 1, (
    PatternRule(
        "trade_abuse_material_rule", (CS,),
        r"\b(?P<v>cp|csam|pthc|child porn|kiddie porn|kiddy porn|loli (?:hentai|porn|nsfw))\b",
        0.9, _CLEARED, requires=(_TRADE,), keywords=frozenset({'cp', 'csam', 'pthc', 'porn', 'loli'}),
    ),
    PatternRule(
        "sexualised_minor_rule", (CS,),
        rf"{_MINOR}(?: \w+){{0,5}}? (?P<v>{_SEXUAL})\b|\b{_SEXUAL}(?: \w+){{0,5}}? {_MINOR}",
        0.8, _CLEARED, requires=(_MINOR,), keywords=frozenset({'underage', 'under', 'preteen', 'preteens', 'minor', 'minors', 'yo', 'year', 'years', 'yr', 'y'}),
    ),
))
