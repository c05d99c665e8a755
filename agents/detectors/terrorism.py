"""Violent extremism: praise of, support for, and recruitment into violent extremist
organisations, and calls to violent jihad. News about them ("ISIS claimed responsibility")
names the organisation without praise or a call, and is cleared by the news check too.
"""

from __future__ import annotations

from agents.detectors.lexicon import alt, first_words
from agents.detectors.rules import SPEECH, PatternRule, RuleSet

TE = "terrorism"
_ORG_WORDS = ("isis", "isil", "daesh", "islamic state", "the islamic state", "al qaeda", "al-qaeda", "alqaeda",
           "al qaida", "al-qaida", "al shabaab", "al-shabaab", "al shabab", "al-shabab", "boko haram", "hamas",
           "hezbollah", "hizbullah", "taliban", "the taliban", "kkk", "ku klux klan", "atomwaffen", "aqap",
           "the caliphate", "the khilafah", "khilafah", "the mujahideen", "mujahideen", "mujahidin", "jnim")
_ORG = alt(*_ORG_WORDS)
_ORG_KEYWORDS = first_words(*_ORG_WORDS)
_REPORTED = SPEECH | {"news", "history"}

RULES = RuleSet("rules.terrorism", 1, (
    PatternRule(
        "praise_extremist_org_rule", (TE,),
        rf"\b(?P<v>long live|glory to|victory to|i support|we support|i stand with|we stand with|god bless|allah bless|i love|we love|salute to) (?:the )?{_ORG}\b"
        rf"|\b{_ORG} (?:are|is|were|was) (?:the )?(?:true |real |our )?(?:heroes|right|the answer|martyrs|brave|glorious|the future|winning|legends)\b",
        0.85, _REPORTED, keywords=_ORG_KEYWORDS,
    ),
    PatternRule(
        "recruitment_extremist_org_rule", (TE,),
        rf"\b(?P<v>join|joining|fight for|fight with|fund|donate to|pledge allegiance to|give bay'?ah to|bay'?ah to) (?:the )?{_ORG}\b"
        rf"|\b{_ORG} (?:needs|is recruiting|wants|calls) (?:more )?(?:fighters|brothers|recruits|you|soldiers|mujahideen)\b",
        0.85, _REPORTED, keywords=_ORG_KEYWORDS,
    ),
    PatternRule(
        "call_jihad_rule", (TE,),
        r"\b(?P<v>wage|join|declare|rise up for|call to|go to|fight|answer the call of) (?:violent |armed |holy )?jihad\b"
        r"|\b(?:make|making|perform) hijrah\b"
        r"|\bjihad against (?:the )?(?:kuffar|kafir|infidels|west|jews|crusaders)\b",
        0.85, _REPORTED, requires=(r"\b(?:jihad|hijrah)\b",),
    ),
    PatternRule(
        "slogan_extremist_rule", (TE,),
        r"\b(?P<v>baqiyah?|remaining and expanding|remains and expands)\b|\bday of the rope\b",
        0.8, _REPORTED, keywords=frozenset({'baqiya', 'baqiyah', 'remaining', 'remains', 'rope'}),
    ),
))
