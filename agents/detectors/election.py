"""Civic integrity: wrong date/place/method-to-vote claims and voter intimidation at polls.

Corrections ("False: you cannot vote by text") are cleared by the negation and correction
checks; accurate reminders ("polls are open until 8pm on Tuesday") match nothing; a party
voting on a bill on Thursday is a legislature's vote (the legislative check); "polls show"
surveys are not the place people vote.
"""

from __future__ import annotations

from agents.detectors.lexicon import alt
from agents.detectors.rules import PatternRule, RuleSet

EL = "election_integrity"
_CLEARED = frozenset({"negation", "correction", "quotation"})
_PARTY = alt("democrats", "democrat", "dems", "republicans", "republican", "gop", "conservatives", "liberals",
             "progressives", "trump supporters", "biden supporters", "harris supporters", "maga", "labour voters",
             "tories", "tory voters", "independents")
_WRONG_DAY = r"(?:wednesday|thursday|friday|saturday|sunday|monday|the (?:next|following) day|nov(?:ember)? (?:[6-9]|[6-9]th|1[0-9]|1[0-9]th))"
_POLLS = r"\b(?:polls|poll|polling|voting|vote|to vote|ballot|ballots|election)\b"
#: The place people vote (not "polls show ..." surveys).
_AT_POLLS = (r"\b(?:(?:at|to|near|outside|around|by) the polls|polling (?:place|station|location|site)s?|"
             r"voting (?:site|booth|location|center|centre)s?|precincts?)\b")

RULES = RuleSet("rules.election", 1, (
    PatternRule(
        "method_vote_rule", (EL,),
        r"\b(?P<v>vote|voting|cast (?:your|a) (?:vote|ballot))(?: \w+){0,2}? (?:by|via|through|over|using) "
        r"(?:text|sms|texting|a text|text message|phone|twitter|tweet|tweeting|email|dm|hashtag|replying|instagram|facebook)\b"
        r"|\b(?:you can|u can|now) (?P<w>vote) (?:online|from home by|twice|more than once|multiple times)\b"
        r"|\btext (?:\w+ ){0,3}to \d{4,6}\b",
        0.85, _CLEARED, requires=(_POLLS,), keywords=frozenset({'vote', 'voting', 'cast', 'text'}),
    ),
    PatternRule(
        "date_vote_rule", (EL,),
        rf"\b{_PARTY}(?: voters| supporters)? (?P<v>vote|votes|voting|can vote|should vote|will vote|are voting|cast their ballots)(?: \w+){{0,2}}? (?:on )?{_WRONG_DAY}\b"
        r"|\belection(?: day)? (?:has been|is|was|will be|got|have been) (?P<w>moved|postponed|rescheduled|delayed|cancelled|canceled|extended)\b",
        0.8, _CLEARED | {"legislative"}, requires=(r"\b(?:vote|votes|voting|election|cast)\b",),
    ),
    PatternRule(
        "intimidation_polls_rule", (EL,),
        r"\b(?P<v>arrest(?:ed|ing)?|detain(?:ed|ing)?|deport(?:ed|ing)?|checking (?:papers|ids|immigration|status|warrants)|warrants?"
        r"|unpaid (?:parking )?tickets|ice agents|armed (?:patriots|guards|volunteers)|bring (?:your )?guns)\b",
        0.75, _CLEARED, requires=(_AT_POLLS,), keywords=frozenset({'polls', 'poll', 'polling', 'voting', 'precinct', 'precincts'}),
    ),
))
