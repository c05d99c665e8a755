"""Suicide and self-harm promotion: telling someone to kill or hurt themselves (abuse too), and pro-ED
coaching. A person talking about their own struggle or asking for help is NOT a violation:
no rule matches first-person statements, and pro-ED rules are cleared by recovery talk.
"""

from __future__ import annotations

from agents.detectors.lexicon import NOBODY_AT_FUNERAL
from agents.detectors.rules import SPEECH, PatternRule, RuleSet

SH, AB = "self_harm", "abuse_harassment"  #: telling someone to kill themselves is both (abuse: encouraging self-harm)
_PRO_ED = (r"\b(?:thinspo|thinspiration|pro[ -]?ana|pro[ -]?mia|meanspo|bonespo|"
           r"(?:ana|mia) (?:coach|coaches|buddy|buddies|sisters|sister|girls|tips|family|friends)|"
           r"(?:bulimia|anorexia|purging|starving) tips)\b")
#: The pro-ED creed: "ana is a lifestyle, not a disease" ("anorexia is not a choice" is not it).
_ED_CREED = (r"\b(?:ana|mia|anorexia|bulimia|eating disorders?|an eating disorder) (?:is|are) (?:a |an |just a )?"
             r"(?:lifestyle|not an? (?:illness|disease|disorder))\b")
_COACH_CUE = r"\b(?:tips?|challenge|coach|buddy|accountable|girls|you|u|ur|your)\b|" + _PRO_ED

#: The addressee, and third persons ("people like you should kill themselves", "he should hang himself").
_YOU = r"(?:yourself|urself|yourselves|your self|ur self)"
_THEM = r"(?:themselves|themself|himself|herself)"
#: An urging word right before the act: the act is wished or bidden on someone, not told of.
_URGE = (r"(?:go|just|pls|please|plz|should|ought to|need to|needs to|have to|gotta|better|can|could|to|and|then|"
         r"now|already|fucking|fkn|might as well|why don't you|why dont you|do us a favou?r and)")
#: Idioms of the same verbs: "shot yourself in the foot", "cut yourself some slack", "cut yourself off".
_IDIOM = r"(?! in the foot| off| out| some| a | an | short| loose| free| in on)"

_PILLS = (r"\b(?:pills?|tablets?|meds|medication|medicine|paracetamol|acetaminophen|tylenol|ibuprofen|aspirin|benzos|"
          r"xanax|valium|insulin|oxy|opioids|capsules|sleeping pills|painkillers)\b")
_CUTTING = r"\b(?:cut|cuts|cutting|lines|scars|blade|blades|razor|razors|wrist|wrists|bleed|bleeding|red)\b"
_HELP = (r"(?:hotline|helpline|crisis line|crisis text line|988|samaritans|therapists?|therapy|counsell?ors?|counsell?ing|"
         r"doctors?|shrinks?|psychiatrists?|psych ward|rehab|treatment|getting help|meds|medication)")
#: Suicide and its algospeak ("sewer slide", "unalive"), for the pact, plan and method rules.
_SUICIDE = r"(?:suicide|sewer ?slide|self[ -]?delete|unalive)"
#: One's own act, said as a plan: the cut or jump needs its object ("cut my hair" is not one),
#: "killing myself at the gym" is work and "ending things with my ex" a break-up.
_OWN_ACT = (r"(?:(?:kill|killing|unalive|unaliving|hang|hanging|off|offing) myself(?! (?:at|with|over|for|laughing|trying))|"
            r"(?:end|ending) (?:it all|my life|things)(?! with)|(?:cut|cutting) (?:myself|deeper|again|my (?:wrists?|arms?|thighs?|legs?))|overdos(?:e|ing)|"
            rf"(?:commit|committing) {_SUICIDE}|(?:jump|jumping) (?:off|from) (?:a|the|that) (?:\w+ )?"
            r"(?:bridge|building|roof|rooftop|cliff|tower|overpass)|(?:step|stepping|jump|jumping|walk|walking) in front of "
            r"(?:a|the|the next) (?:\w+ )?(?:train|bus|truck|lorry|car|one)|"
            r"(?:clock|clocking|check|checking|log|logging|tap|tapping) out (?:permanently|for good|for real|forever))")
#: Others invited to join: "who's in?", "anyone else?", "DM me"
_INVITE = (r"\b(?:who's in|whos in|who is in|who else|who wants to|anyone (?:else|wanna|want to|wants to|care to|down|who wants)|"
           r"join me|with me|come with|come along|dm me|message me|do it together|together)\b")
#: Subjects of "better off without you" that mean the addressee's death, not a team or a job.
_EVERYONE = r"(?:world|the world|everyone|everybody|we all|your family|the planet|earth|this planet|humanity)"

RULES = RuleSet("rules.self_harm", 5, (
    PatternRule(
        # Structural: an urge (imperative or modal) joined to a self-killing act on the addressee,
        # or on third persons with a modal. "take care of yourself" (skeleton "of" = "off"),
        # "if you kill yourself for them", "Democrats shot themselves in the foot" do not match.
        "encouragement_suicide_rule", (SH, AB),
        rf"\b(?P<v>kys)\b"
        rf"|(?<!\byou )(?<!\bu )(?<!\bif )(?<!\bthey )\bkill {_YOU}\b{_IDIOM}"
        rf"|\b{_URGE} (?:\w+ )?(?:hang|off|shoot|cut|end|kill) {_YOU}\b{_IDIOM}"
        rf"|\b(?:should|ought to|need to|needs to|deserve to|have to|gotta|can go|better|must) (?:\w+ )?"
        rf"(?:kill|hang|off|shoot|end) {_THEM}\b{_IDIOM}"
        r"|\b(?:go |just |you should |u should )(?P<j>jump) (?:off|from|in front of) (?:a|the) (?:\w+ )?(?:bridge|building|cliff|roof|train|bus)\b"
        r"|\bdrink (?:some )?bleach\b"
        r"|\b(?:you|u) should (?:just )?(?:end it|end it all|end your life|die already)\b"
        rf"|\b(?:should've|shouldve|should have|shoulda) (?:just )?(?:killed|hanged|hung|offed) {_YOU}\b{_IDIOM}"
        r"|\bwhy (?:even )?(?:bother|keep) (?:living|going|being alive|existing)\b[^.!?]{0,40}\b(?:end it|just die|do it)\b",
        0.85, SPEECH, requires=(r"\b(?:kys|yourself|urself|yourselves|themselves|themself|himself|herself|self|jump|bleach|end|bother|keep)\b",),
    ),
    PatternRule(
        "encouragement_better_off_rule", (SH, AB),
        rf"\b{_EVERYONE} (?:would be|is|will be|'d be|would all be|are) (?:a )?(?:so much |much |a lot |a little |a bit |way )?"
        r"(?:better|lighter|happier|brighter|nicer|safer) (?:place |off )?(?:without you|if you (?:\w+ )?(?:died|ended it|were dead|"
        r"killed yourself|weren't here|weren't alive|were gone|stopped existing|stopped breathing|disappeared for good|"
        r"never existed|were never born))\b",
        0.75, SPEECH, requires=(r"\b(?:better|lighter|happier|brighter|nicer|safer)\b",),
    ),
    PatternRule(  # an overdose bidden: the whole supply at once
        "method_overdose_rule", (SH,),
        r"(?<!\bto )(?<!\bi )\b(?P<v>take|swallow) (?:all|the whole|the entire|every one|a handful)(?: of)?"
        r"(?: (?:them|the|your|their|those|these))?(?: \w+)?? (?:at once|in one go|together|at the same time)\b"
        r"|(?<!\bto )(?<!\bi )\b(?P<w>take|swallow) (?:the|a|your) (?:whole|entire|full) (?:bottle|pack|packet|box|blister|strip)\b",
        0.8, SPEECH | {"recovery", "fiction", "news"}, requires=(_PILLS,), reach=1,
        keywords=frozenset({"take", "swallow"}),
    ),
    PatternRule(  # turning someone from help toward the act: "don't let the hotline talk you out of it"
        "discouraging_help_rule", (SH,),
        rf"\b(?:don't|dont|do not|never) let (?:the |those |your |any |a )?(?:\w+ )?{_HELP}(?: people| staff| workers?)?"
        r" (?P<v>talk) (?:you|u) out of it\b"
        rf"|\b(?:the )?{_HELP} (?:people )?(?:are|is|'re|r) (?:just |only )?(?P<p>paid) to keep (?:you|u) (?:alive|here|breathing)\b"
        rf"|\b(?:rope|a rope|noose|a noose|razor|razors|blade|blades|a bridge|bridges|a bullet|bullets)(?:'s| is| are)? "
        rf"(?P<c>cheaper|faster|easier|quicker|better) than {_HELP}\b",
        0.8, SPEECH - {"negation"}, keywords=frozenset({"talk", "paid", "cheaper", "faster", "easier", "quicker", "better"}),
    ),
    PatternRule(  # coaching: hiding self-harm from others, starving made beautiful, a hanging told how
        "coaching_self_harm_rule", (SH,),
        r"\b(?P<v>hide|hiding|cover|covering|cover up) (?:your |the |ur )?(?:self[ -]?harm|cuts|scars|cutting|burns|"
        r"not eating|purging)(?: \w+)?? from\b"
        r"|\b(?P<b>starving|hunger|bones|thigh gaps?|hip bones|collarbones) (?:is|are) (?:so )?(?:beautiful|pretty|goals|"
        r"perfect|worth it|the goal)\b"
        r"|\b(?P<k>kick) (?:the|away the|out the) (?:chair|stool)\b",
        0.75, SPEECH | {"recovery", "fiction", "news"}, requires=(_COACH_CUE + r"|\b(?:knot|rope|noose|tie|skinny|thin|weight|eat|eating|food|calories|starve|starving)\b",),
        keywords=frozenset({"hide", "hiding", "cover", "covering", "starving", "hunger", "bones", "gap", "gaps",
                            "collarbones", "kick"}),
    ),
    PatternRule(  # self-harm wounds egged on
        "encouragement_cutting_rule", (SH,),
        r"\bthe (?P<v>deeper) the better\b"
        r"|\b(?P<h>cutting|self[ -]?harm|self[ -]?harming|purging|starving (?:yourself|urself)) (?:really |honestly )?"
        r"(?:helps|works|is worth it|feels (?:so )?good|fixes (?:it|everything))\b(?! (?:me|nobody|no one))",
        0.75, SPEECH | {"recovery"}, requires=(_CUTTING + r"|\b(?:try|you|u|ur|trust me)\b",), reach=1,
        keywords=frozenset({"deeper", "cutting", "self", "selfharm", "selfharming", "purging", "starving"}),
    ),
    PatternRule(  # a pact: dying together, planned with someone else
        "pact_suicide_rule", (SH,),
        rf"\b(?P<v>{_SUICIDE} pact)\b"
        r"|(?<!warsaw )(?<!trade )(?<!defence )(?<!defense )(?<!climate )\bpact (?:server|group|chat|discord|date|partner|partners|buddy|buddies)\b"
        r"|\bjoin (?:our|the|my) pact\b"
        r"|\b(?:let's|lets|we should|we could|we can|we'll|we will|wanna|want to) (?:\w+ )?(?:kill ourselves|end it all|end our lives|"
        rf"die|overdose|od|jump|hang ourselves|end it|commit {_SUICIDE}|{_SUICIDE}) together\b"
        r"|\b(?:kill ourselves|end it all|end our lives|die) together (?:on|this|next|tonight|tomorrow|at)\b",
        0.8, SPEECH | {"recovery", "fiction", "news"}, keywords=frozenset({"pact", "together"}),
    ),
    PatternRule(  # a place to trade methods, or a group closed to help: "methods channel is pinned", "no talking anyone out of it"
        "method_sharing_rule", (SH,),
        r"\b(?P<v>methods?|method list|ctb) (?:channel|thread|list|guide|doc|document|megathread|section|chat|server|room)\b"
        r"|\bno (?P<t>talking) (?:anyone|you|people|each other|us|them) out of it\b",
        0.8, SPEECH | {"recovery", "news", "fiction"},
        requires=(rf"\b(?:ending it|end it|end it all|{_SUICIDE}|ctb|catch the bus|kill (?:ourselves|yourself|myself|themselves)|"
                  r"overdose|no hotlines?|exit bag|painless ways?|ways to die|how to die)\b",), reach=1,
        keywords=frozenset({"method", "methods", "ctb", "talking"}),
    ),
    PatternRule(  # one's own plan with others invited: no longer one's own struggle
        "invitation_suicide_rule", (SH,),
        rf"\b(?:i'm|im|i am|i'll|ill|i will|gonna|going to|decided|plan to|planning to|tonight|tomorrow)(?: \w+){{0,3}}? "
        rf"(?P<v>{_OWN_ACT})\b",
        0.8, SPEECH | {"recovery", "fiction", "news"}, requires=(_INVITE,), reach=1,
        keywords=frozenset({"kill", "killing", "unalive", "unaliving", "hang", "hanging", "off", "offing", "end", "ending",
                            "cut", "cutting", "overdose", "overdosing", "commit", "committing", "jump", "jumping", "step",
                            "stepping", "walk", "walking", "clock", "clocking", "check", "checking", "log", "logging",
                            "tap", "tapping"}),
    ),
    PatternRule(  # asking for or ranking methods: "fastest way to kill myself", "how many would it take to die"
        "method_request_rule", (SH,),
        r"\b(?P<v>quickest|fastest|easiest|painless|least painful|surest|most effective|quicker|faster|easier|less painful"
        r"|most painless) (?:\w+ )?(?:way|ways|method|methods|place|spot) (?:to|of|for) "
        rf"(?:kill(?:ing)? (?:myself|yourself|urself)|unalive (?:myself|yourself)|commit(?:ting)? {_SUICIDE}|{_SUICIDE}|"
        r"end(?:ing)? (?:it all|my life|your life)|overdos(?:e|ing)|hang(?:ing)? (?:myself|yourself)|die)\b"
        r"|\bhow (?P<h>many|much) (?:\w+ ){0,3}?(?:would it take|does it take|do i need|to take|is enough|would i need|"
        r"do you need) to (?:kill (?:myself|me|yourself)|die|overdose|od|not wake up)\b"
        r"|\bwould it be (?P<w>quicker|faster|easier|less painful|more painless|better) to\b[^.?!]{0,50}\bkill myself\b",
        0.8, SPEECH | {"recovery", "fiction", "news", "hyperbole"},
        keywords=frozenset({"quickest", "fastest", "easiest", "painless", "least", "surest", "most", "quicker", "faster",
                            "easier", "less", "many", "much", "would"}),
    ),
    PatternRule(  # self-harm sold as the answer, egged on, or made a trophy
        "promotion_self_harm_rule", (SH,),
        rf"\b(?P<v>{_SUICIDE}|killing yourself|ending it|ending your life|self[ -]?harm|cutting|starving yourself) is "
        r"(?:the|your|the only|the best) (?:answer|solution|way out|best option|only option|cure|fix)\b"
        r"|(?<![\w ])(?:just )?(?P<k>keep) (?:cutting|starving|purging)\b(?! (?:back|down|out|corners|costs|the|it|them|carbs))"
        r"|\bevery (?:scar|cut) is a (?P<t>trophy|badge|medal|reward)\b"
        rf"|{NOBODY_AT_FUNERAL}[^.!?\n]{{0,20}}\bmight as well\b",
        0.75, SPEECH | {"recovery", "fiction", "news"},
        keywords=frozenset({"suicide", "sewer", "sewerslide", "self", "selfdelete", "unalive", "killing", "ending", "selfharm",
                            "cutting", "starving", "keep", "trophy", "badge", "medal", "reward", "funeral"}),
    ),
    PatternRule(
        "promotion_eating_disorder_rule", (SH,),
        _PRO_ED + "|" + _ED_CREED, 0.75, SPEECH | {"recovery"}, keywords=frozenset({'thinspo', 'disorder', 'disorders', 'thinspiration', 'proana', 'pro', 'promia', 'meanspo', 'bonespo', 'ana',
                                                      'mia', 'bulimia', 'anorexia', 'purging', 'starving'}),
    ),
    PatternRule(
        "coaching_eating_disorder_rule", (SH,),
        r"\b(?:eat|eating) (?:less than|under|below|only|no more than) \d+ ?(?:cal|cals|calories|kcal)\b"
        r"|\bskip (?:\w+ )?(?:meals|breakfast|lunch|dinner)\b|\bpurge after\b|\b(?:stop|quit) eating\b"
        r"|\bnot (?:thin|skinny) enough\b|\bhide (?:it|not eating|your eating) from\b|\bchew and spit\b"
        r"|\bjust refuse (?:food|to eat|meals|all food)\b|\brefuse (?:food|meals) (?:till|until|untill)\b"
        r"|\b(?:losers|only the weak|the weak) eat\b(?= ?(?:[^\w ]|$))|\beating is (?:for the weak|for losers|weakness|cheating)\b",
        0.7, SPEECH | {"recovery"}, requires=(_COACH_CUE,), keywords=frozenset({'eat', 'eating', 'skip', 'purge', 'stop', 'quit', 'thin', 'skinny', 'hide', 'chew', 'refuse'}),
    ),
))
