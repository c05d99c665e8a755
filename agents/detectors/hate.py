"""Hateful conduct: dehumanising, excluding or threatening people for a protected characteristic.

Insults of non-protected groups ("lawyers are scum") never match: GROUP lists protected
groups only. A violent call against a protected group carries violence AND hateful_conduct.
"""

from __future__ import annotations

from agents.detectors.lexicon import (DEHUMANISING, DEHUMANISING_KEYWORDS, GROUP, GROUP_ADJECTIVES, GROUP_KEYWORDS,
                                     KILL_VERBS, KILLED_WORDS, NEGATIVE_ATTRIBUTES, SLUR_ADJECTIVES, SLURS, alt,
                                     first_words)
from agents.detectors.rules import SPEECH, PatternRule, RuleSet

HC, VI, AB = "hateful_conduct", "violence", "abuse_harassment"
_REPORTED = SPEECH | {"news", "history"}
_KILL = alt(*KILL_VERBS)
_KILLED = alt(*KILLED_WORDS)
_EXCLUDE = alt("go back", "be deported", "get deported", "be banned", "be sent back", "get out", "leave",
               "not be allowed", "never be allowed", "be locked up", "be kicked out", "be removed")
_QUANT = r"(?:(?:all|every|every last one of|each|the|these|those|most|of|them|single) )*"
_KILL_CUE = rf"\b{_KILL}|\bdeath to\b"
_MODAL_CUE = r"\b(?:should|must|need|needs|deserve|ought|have to|shouldn't)\b"
_EXCLUDE_CUE = r"\b(?:should|must|need|needs|ought|deport|ban|expel|get rid)\b"
_HATE_CUE = r"\b(?:hate|despise|loathe|detest)\b"
_SLUR_WORDS = (*(w for words in SLURS.values() for w in words), *SLUR_ADJECTIVES)
_SLUR_KEYWORDS = first_words(*_SLUR_WORDS)
#: A slur is in the words themselves: negating the sentence around it ("not a <slur>") clears nothing.
_SLUR_CONTEXTS = (SPEECH - {"negation"}) | {"news", "reclaimed", "mention"}
_ANY_GROUP = rf"\b{GROUP}\b"  #: the group rules only run when a protected group is named
_NEGATIVE = alt(*NEGATIVE_ATTRIBUTES)

#: One member of a group ("a single Muslim", "a gay man"): what distrust of the whole group is said of.
_MEMBER = alt("muslim", "jew", "christian", "hindu", "sikh", "immigrant", "migrant", "refugee", "foreigner", "woman",
              "arab", "mexican", "asian", "african", "gypsy", "lesbian", "homosexual",
              f"{alt(*GROUP_ADJECTIVES)} (?:man|woman|guy|girl|boy|kid|person|teacher|doctor|neighbour|neighbor)")
_CHILDREN = r"(?:our |your |the |young |little |their )?(?:children|kids|minors|youth|boys|girls|students|pupils)"
#: Likening people to vermin or disease; "treated like animals" is said of victims, not against them.
_SIMILE = alt("rats", "rat", "roaches", "cockroaches", "cockroach", "vermin", "parasites", "parasite", "locusts",
              "termites", "lice", "maggots", "leeches", "a virus", "a disease", "a cancer", "a plague", "an infestation")
_VICTIM_WORDS = ("treated", "treating", "treat", "caged", "herded", "hunted", "slaughtered", "killed", "used", "worked",
                 "dying", "died")
_VICTIM_VERBS = "".join(f"(?<!{w} )" for w in _VICTIM_WORDS)
_VICTIM_WORD = alt(*_VICTIM_WORDS) + r"\b"

RULES = RuleSet("rules.hate", 6, (
    PatternRule(
        "dehumanising_group_rule", (HC,),
        rf"\b(?P<g>{GROUP})(?: \w+){{0,2}}? (?:are|r|is|=|were|have always been|will always be)"
        rf"(?: (?!{_VICTIM_WORD})\w+){{0,3}}? (?P<v>{DEHUMANISING})\b",
        0.85, _REPORTED, requires=(_ANY_GROUP,), keywords=DEHUMANISING_KEYWORDS,
    ),
    PatternRule(  # "... like rats, you never see just one": the group named in the sentence or the one before
        "dehumanising_simile_rule", (HC,),
        rf"{_VICTIM_VERBS}\blike (?:a (?:pack|swarm|plague|nest|horde|infestation) of |the )?(?P<v>{_SIMILE})\b",
        0.75, _REPORTED, requires=(_ANY_GROUP,), reach=1, keywords=first_words("like"),
    ),
    PatternRule(  # breeding, said of people as of animals
        "dehumanising_breed_rule", (HC,),
        rf"\b{GROUP}\b(?:,? [\w']+){{0,6}}? (?P<v>breed|breeding|spawn|spawning|multiply like)\b"
        r"(?! (?:dogs|horses|cattle|cats|pigs|animals|livestock|plants|fish|chickens|sheep|goats))",
        0.75, _REPORTED, requires=(_ANY_GROUP,), keywords=frozenset({"breed", "breeding", "spawn", "spawning", "multiply"}),
    ),
    PatternRule(  # the "danger to children" trope against a group
        "child_danger_group_rule", (HC,),
        rf"\b{GROUP}(?: \w+){{0,3}}? (?:shouldn't|should not|should never|must not|mustn't|can't|cannot|can never) be "
        rf"(?:allowed )?(?:anywhere )?(?P<v>near|around|alone with|left alone with|trusted with|trusted around) {_CHILDREN}\b"
        rf"|\b{GROUP} (?:are|r) (?:all |just |basically |literally )?(?P<g>groomers|child predators|after {_CHILDREN})\b"
        rf"|\b{GROUP}(?: \w+){{0,4}}? (?P<r>groom|grooming|recruit|recruiting|indoctrinate|indoctrinating|prey on|preying on) {_CHILDREN}\b",
        0.8, _REPORTED - {"negation"}, requires=(_ANY_GROUP,),  # the claim itself negates ("shouldn't be near")
        keywords=frozenset({"near", "around", "alone", "trusted", "groomers", "predators", "after", "groom", "grooming",
                            "recruit", "recruiting", "indoctrinate", "indoctrinating", "prey", "preying"}),
    ),
    PatternRule(  # hatred of a group named earlier in the sentence; distrust of any member; lives that "don't matter"
        "hatred_reference_rule", (HC,),
        r"\b(?:i|we)(?: \w+)?? (?P<v>hate|despise|loathe|detest|can't stand|cant stand) (?:every single one|each and every one|"
        r"every last one|all|each one) of (?:them|those people|these people)\b"
        rf"|\b(?:never|can't|cant|cannot|don't|dont|do not|shouldn't|should not|wouldn't|would never)(?: ever| really| just)? (?P<t>trust) "
        rf"(?:a |an |any |a single |one |the |any of the )?(?:{GROUP}|{_MEMBER})\b"
        rf"|\b{alt(*GROUP_ADJECTIVES)} (?P<l>lives) (?:don't|dont|do not|never|won't|will never) matter\b",
        0.75, _REPORTED - {"negation"}, requires=(_ANY_GROUP + r"|\b(?:trust|lives)\b",),
        keywords=frozenset({"hate", "despise", "loathe", "detest", "stand", "trust", "lives"}),
    ),
    PatternRule(  # the antisemitic "echo": a name in triple parentheses
        "echo_antisemitic_rule", (HC,),
        r"(?<!\()(?P<v>\(\(\() ?[a-z][^()\n]{0,40}\)\)\)(?!\))",
        0.8, _REPORTED,
    ),
    PatternRule(  # a whole group said to be criminal, stupid, dirty...; "some immigrants are criminals" is no generalisation
        "generalisation_group_rule", (HC,),
        rf"(?<!some )(?<!few )(?<!many )(?<!certain )(?<!a lot of )(?<!several )\b(?P<g>{GROUP}) (?:are|r|were|have always been|"
        rf"will always be)(?: (?:all|just|so|such|always|naturally|basically|inherently|by nature|nothing but|"
        rf"genetically))* (?P<v>{_NEGATIVE})\b"
        rf"|\bwhy (?:are|r) (?:all |so many |most )?{GROUP} (?:so|such|always)(?: \w+)?? {_NEGATIVE}\b",
        0.75, _REPORTED, requires=(_ANY_GROUP,), keywords=first_words(*NEGATIVE_ATTRIBUTES),
    ),
    PatternRule(  # tropes of a group: untrustworthy, in secret control, lesser by birth ("the banks control the media" names none)
        "trope_group_rule", (HC,),
        # "can't be trusted" is the slight itself: the match starts at the group, so only a negation before it clears it
        rf"(?<!some )(?<!few )(?<!many )(?<!certain )\b(?P<v>{GROUP}) (?:can't|cannot|can never|should never|shouldn't|"
        r"must never|will never) be trusted\b"
        rf"|\b(?P<h>{GROUP}) (?:secretly |really |basically |still )?(?:control|controls|run|runs|own|owns) "
        r"(?:the |all the |our |this |every )?(?P<w>media|banks|government|governments|hollywood|finance|press)\b"
        rf"|\b(?P<i>{GROUP}) (?:are|r) (?:all |just |naturally |genetically |inherently |biologically |simply )*"
        r"(?:less (?P<x>intelligent|evolved|civili[sz]ed|human|capable)"
        r"|(?:naturally|genetically|inherently|biologically) more (?P<y>violent|criminal|dangerous))\b",
        0.75, _REPORTED, requires=(_ANY_GROUP,),
        keywords=frozenset({"trusted", "control", "controls", "run", "runs", "own", "owns", "less", "more"}),
    ),
    PatternRule(
        "violent_group_rule", (HC, VI),
        rf"\b(?P<v>{_KILL}) {_QUANT}{GROUP}\b|\bdeath to {_QUANT}{GROUP}\b",
        0.9, _REPORTED, requires=(_KILL_CUE,), keywords=GROUP_KEYWORDS,
    ),
    PatternRule(
        "violent_wish_group_rule", (HC, VI),
        rf"\b{GROUP}(?: \w+){{0,6}}? (?:should|must|need to|needs to|deserve to|ought to|have to)"
        rf"(?: all)?(?: be)? (?P<v>{_KILLED})\b"
        # a wish to watch it done: "I'd love to see all gay people hanged"
        # (the speaker's wish: "do you want to see women raped?" asks someone else)
        rf"|(?<!\byou )(?<!\bu )(?<!\bthey )\b(?:love to|like to|want to|wanna|can't wait to|cant wait to|hope to|dream of|pray to) (?:see|watch) "
        rf"{_QUANT}{GROUP} (?:\w+ )?(?P<w>{_KILLED}|hanging|burning)\b",
        0.85, _REPORTED, requires=(_MODAL_CUE + r"|\b(?:see|watch)\b",), keywords=GROUP_KEYWORDS,
    ),
    PatternRule(
        "exclusion_group_rule", (HC,),
        rf"\b{GROUP}(?: \w+){{0,3}}? (?:should|must|need to|needs to|ought to)(?: all)? (?P<v>{_EXCLUDE})\b"
        rf"|\b(?:deport|ban|expel|get rid of) {_QUANT}{GROUP}\b",
        0.75, _REPORTED, requires=(_EXCLUDE_CUE,), keywords=GROUP_KEYWORDS,
    ),
    PatternRule(
        "exclusion_origin_rule", (HC,),
        r"\bgo back to (?:your|their) (?:own )?(?P<v>country|countries|shithole|jungle|desert|cave)\b",
        0.75, _REPORTED, requires=(r"\bgo back\b",),
    ),
    PatternRule(
        "hatred_group_rule", (HC,),
        rf"\b(?:i|we|everyone|everybody)(?: \w+){{0,2}}? (?P<v>hate|despise|loathe|detest) {_QUANT}{GROUP}\b",
        0.75, _REPORTED, requires=(_HATE_CUE,), keywords=GROUP_KEYWORDS,
    ),
    PatternRule(
        "rights_denial_group_rule", (HC,),
        rf"\b{GROUP}(?: \w+){{0,3}}? (?:shouldn't|should not|should never|don't deserve to|do not deserve to)"
        rf" (?:be allowed to |have the right to )?(?P<v>vote|exist|live|have rights|work|breed)\b",
        0.8, _REPORTED, requires=(_MODAL_CUE,), keywords=GROUP_KEYWORDS,
    ),
    PatternRule(
        "denial_holocaust_rule", (HC, AB),
        r"\b(?:the )?holocaust (?:never (?P<v>happened)|didn't happen|did not happen|(?:is|was) (?:a )?(?:hoax|lie|myth|fake|exaggerated))\b",
        0.85, _REPORTED - {"negation"}, requires=(r"\bholocaust\b",),  # the claim itself negates
    ),
    *(
        # "Dick Van Dyke" is a surname
        PatternRule(f"slur_{group}_rule", (HC,), rf"(?<!\bvan )\b(?P<v>{alt(*words)})\b", 0.75,
                    _SLUR_CONTEXTS, group=group, keywords=first_words(*words))
        for group, words in SLURS.items()
    ),
    PatternRule(
        "slur_directed_rule", (AB,),
        rf"\b(?:you|u|ya)(?: \w+)?? (?P<v>{alt(*_SLUR_WORDS)})\b",
        0.8, keywords=_SLUR_KEYWORDS,
    ),
))
