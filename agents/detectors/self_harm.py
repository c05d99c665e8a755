"""Suicide and self-harm promotion: telling someone to kill or hurt themselves, and pro-ED
coaching. A person talking about their own struggle or asking for help is NOT a violation:
no rule matches first-person statements, and pro-ED rules are cleared by recovery talk.
"""

from __future__ import annotations

from agents.detectors.rules import SPEECH, PatternRule, RuleSet

SH = "self_harm"
_PRO_ED = r"\b(?:thinspo|thinspiration|pro[ -]?ana|pro[ -]?mia|meanspo|bonespo|ana coach|ana buddy)\b"
_COACH_CUE = r"\b(?:tips?|challenge|coach|buddy|accountable|girls|you|u|ur|your)\b|" + _PRO_ED

#: The addressee, and third persons (told to as a group: "people like you should kill themselves").
_YOU = r"(?:yourself|urself|yourselves|your self|ur self)"
_THEM = r"(?:themselves|themself)"
#: An urging word right before the act: the act is wished or bidden on someone, not told of.
_URGE = (r"(?:go|just|pls|please|plz|should|ought to|need to|needs to|have to|gotta|better|can|could|to|and|then|"
         r"now|already|fucking|fkn|might as well|why don't you|why dont you|do us a favou?r and)")
#: Idioms of the same verbs: "shot yourself in the foot", "cut yourself some slack", "cut yourself off".
_IDIOM = r"(?! in the foot| off| out| some| a | an | short| loose| free| in on)"

RULES = RuleSet("rules.self_harm", 2, (
    PatternRule(
        # Structural: an urge (imperative or modal) joined to a self-killing act on the addressee,
        # or on third persons with a modal. "take care of yourself" (skeleton "of" = "off"),
        # "if you kill yourself for them", "Democrats shot themselves in the foot" do not match.
        "encouragement_suicide_rule", (SH,),
        rf"\b(?P<v>kys)\b"
        rf"|(?<!\byou )(?<!\bu )(?<!\bif )(?<!\bthey )\bkill {_YOU}\b{_IDIOM}"
        rf"|\b{_URGE} (?:\w+ )?(?:hang|off|shoot|cut|end|kill) {_YOU}\b{_IDIOM}"
        rf"|\b(?:should|ought to|need to|needs to|deserve to|have to|gotta|can go|better|must) (?:\w+ )?"
        rf"(?:kill|hang|off|shoot|end) {_THEM}\b{_IDIOM}"
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
    PatternRule(  # a pact: dying together, planned with someone else
        "pact_suicide_rule", (SH,),
        r"\b(?P<v>suicide pact)\b"
        r"|\b(?:let's|lets|we should|we could|we can|we'll|we will|wanna|want to) (?:\w+ )?(?:kill ourselves|end it all|end our lives|"
        r"die|overdose|od|jump|hang ourselves|end it) together\b"
        r"|\b(?:kill ourselves|end it all|end our lives|die) together (?:on|this|next|tonight|tomorrow|at)\b",
        0.8, SPEECH | {"recovery", "fiction", "news"}, keywords=frozenset({"pact", "together"}),
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
