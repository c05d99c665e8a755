"""Abuse and harassment: insults aimed at a person, directed profanity, brigading, denial
of mass-casualty events. Criticism of ideas ("dumbest take") and undirected profanity
("fuck yeah") do not match: every rule needs a person target.
"""

from __future__ import annotations

from agents.detectors.lexicon import INSULT, INSULT_ADJ, INSULT_KEYWORDS
from agents.detectors.rules import SPEECH, PatternRule, RuleSet

AB = "abuse_harassment"
_EVENTS = r"(?:sandy hook|parkland|uvalde|columbine|las vegas shooting|christchurch|manchester arena|bataclan|9/11|the holodomor|srebrenica|the rwandan genocide|the armenian genocide)"

RULES = RuleSet("rules.abuse", 1, (
    PatternRule(
        "insult_person_rule", (AB,),
        rf"\b(?:you|u|ya|ur)(?: are|'re| r|re| is)?(?: {INSULT_ADJ})* (?P<v>{INSULT})\b",
        0.75, keywords=INSULT_KEYWORDS,
    ),
    PatternRule(
        "insult_vocative_rule", (AB,),
        # "off" only after its verb: folded, "son of a bitch" and "type of bitch" read "off a bitch"
        rf"\b(?:yourself|urself|(?:fuck|piss|back|buzz|bugger|sod|get) off|up|already|now|what)(?:[,!.]+)? (?:you )?(?:{INSULT_ADJ} )*(?P<v>{INSULT})\b",
        0.65, keywords=INSULT_KEYWORDS,
    ),
    PatternRule(
        "profanity_directed_rule", (AB,),
        # "what the fuck you ..." is an intensifier, not said to anyone
        r"(?<!\bthe )(?<!\btf )\b(?:go )?(?P<v>fuck|screw) (?:you|u|off|yourself|urself|ya)\b|\bstfu\b"
        r"|\bshut (?:the fuck|the hell|your (?:fucking|stupid|ugly) mouth) up\b",
        0.7, requires=(r"\b(?:fuck|screw|stfu|shut)\b",),
    ),
    PatternRule(
        "rejection_person_rule", (AB,),
        r"\b(?:nobody|no one|noone) (?:\w+ )?(?P<v>likes|loves|wants|cares about|would (?:even )?miss) (?:you|u)\b"
        r"|\byour (?:mother|mom|mum|parents) should have (?:aborted|drowned) (?:you|u)\b",
        0.65, requires=(r"\b(?:nobody|no one|noone|should have)\b",),
    ),
    PatternRule(
        "brigading_person_rule", (AB,),
        r"\b(?:everyone|everybody|y'all|yall|guys|let's|lets|we should|go) (?:go )?(?P<v>report|spam|flood|harass|brigade|dogpile|mass report)"
        r"(?: and (?:report|spam|flood|harass))? (?:@\w+|him|her|them|this account|his|her)\b"
        r"|\bmake (?:his|her|their) life (?:a living )?hell\b",
        0.75, requires=(r"\b(?:report|spam|flood|harass|brigade|dogpile|hell)\b",),
    ),
    PatternRule(
        "denial_atrocity_rule", (AB,),
        rf"\b{_EVENTS} (?:was|is) (?:a |an )?(?:total |complete )?(?P<v>hoax|fake|staged|false flag|lie|myth|inside job)\b"
        rf"|\b{_EVENTS} (?:never happened|didn't happen)\b|\bcrisis actors\b",
        0.75, SPEECH | {"news"}, requires=(rf"{_EVENTS}|crisis actors",), keywords=frozenset({'hook', 'parkland', 'uvalde', 'columbine', 'vegas', 'christchurch', 'arena', 'bataclan', '11', 'holodomor', 'srebrenica', 'genocide', 'actors'}),
    ),
))
