"""Child sexual exploitation in text: trading, seeking or offering abuse material, sexualising
a minor, grooming (an adult asking a child for images or secrecy), and promoting abuse
("children can consent"). The lexicon is deliberately minimal and clinical.

Rules join a minor (a stated age under 18, "underage", "preteen", "kids", "middle school
girls", "the young ones") to a sexual word, to material with a trade or request cue, or to a
grooming move (asking an age, "send me a pic", "don't tell your parents"). News about
prosecutions, condemnation and child-safety talk (sex education, prevention, warning signs,
reporting) are cleared; parents' everyday talk (a child's age, clothes for sale, Pokemon
cards traded with a 12 year old, school photos) has no sexual, material or grooming cue.
Nothing else is cleared (zero tolerance).
"""

from __future__ import annotations

from agents.detectors.rules import SPEECH, PatternRule, RuleSet

CS = "child_sexual_exploitation"
_CLEARED = SPEECH | {"news", "protective"}
_TRADE = (r"\b(?:trade|trades|trading|swap|swapping|sell|selling|buy|buying|for sale|links?|dm|dms|hmu|inbox me|telegram|"
          r"mega|wickr|discord|kik|collection|folder|private group|private channel|will pay|i pay|i'll pay|paying|pay well|"
          r"anyone (?:have|has|got)|who has|who's got|looking for|make money|earn money|btc|crypto|the younger the better)\b")
#: For everyday child words ("pics of the kids"): only an exchange for someone else counts.
_EXCHANGE = (r"\b(?:trade|trading|swap|swapping|sell|selling|for sale|collection|private group|will pay|i pay|i'll pay|"
             r"paying|for you|for me|who wants|telegram|the younger the better)\b")
_AGE = r"(?:[1-9]|1[0-7])"
_NOT_UNIT = (r"(?! ?(?:mins?|minutes|hours?|days?|weeks?|months?|percent|%|am|pm|feet|ft|inches|miles|km|k\b|:\d|\.\d|"
             r"th\b|st\b|nd\b|rd\b|dollars|bucks|points|pts))")
#: A stated minor: an age under 18, or words that only name children in a sexual or trade context.
_MINOR = (
    r"\b(?:underage|under age|under-?age|preteens?|pre-teens?|tweens?|minors?|jailbait|loli|lolis|shota|"
    r"young (?:teens?|girls?|boys?|ones|kids|children|stuff|content)|little (?:girls?|boys?|ones)|"
    r"(?:middle|primary|elementary) school(?:ers| girls| boys| kids)|schoolgirls|schoolboys|"
    rf"(?:girls?|boys?|kids) (?:under|aged) {_AGE}|under {_AGE}|(?:aged?|age) {_AGE}|"
    rf"{_AGE} ?(?:yo|y/o|y\.o|yrs? old|years? olds?|year-olds?|years-old)|{_AGE} ?- ?{_AGE}(?= ?(?:yo|y/o|years|year|,|$))|"
    rf"(?:she'?s|he'?s|she is|he is|you'?re|you are|ur|u r|they'?re|only|just) (?:only |just )?{_AGE}{_NOT_UNIT}|"
    r"the younger the better)\b"
)
_CHILD = r"\b(?:kids?|children|child|toddlers?|(?:my|your|his|her) (?:little )?(?:daughter|son|niece|nephew))\b"
_SEXUAL = (r"(?:nudes?|nudz|nodz|nodes|noods|nude|nsfw|sexy|horny|lewd|porn|porno|hentai|explicit|fuckable|"
           r"naked (?:pics|photos|pictures|vids|videos|selfies)|have sex with|sex with|"
           r"without (?:your|her|his) (?:shirt|clothes|top)|in (?:your|her|his) (?:swimsuit|underwear|bra|bikini|panties))")
#: "Hot" sexualises only a stated minor ("my kids are so hot after soccer" is the weather).
_HOT = r"(?:(?:is|are|looks?) (?:so |really |very |super )?(?:hot|thicc)|(?:body|ass|tits|boobs|legs) (?:is |are )?(?:so )?hot)"
_SEXUAL_KEYWORDS = frozenset({"nudes", "nude", "nudz", "nodz", "nodes", "noods", "nsfw", "sexy", "horny", "lewd", "porn",
                              "porno", "hentai", "explicit", "fuckable", "hot", "thicc", "naked", "sex", "shirt", "clothes",
                              "top", "swimsuit", "underwear", "bra", "bikini", "panties"})
_MATERIAL = (r"(?:pics|pictures|photos|images|vids|videos|content|clips|collection|folder|links?|material|private group|"
             r"private channel|album)")
_GROOM_ASK = (r"\b(?:how old are (?:you|u)|(?:you|u)(?:'re| are| r)? (?:so )?(?:mature|grown up) for|mature for your age|"
              r"send (?:me )?(?:a |some |more )?(?:pics?|photos?|pictures?|selfies?|videos?|vids)|turn (?:your|ur) camera on|"
              r"(?:camera|cam) on|video chat|facetime|meet up|(?:the |those |your )?(?:pics|photos|pictures|videos) (?:you|u) sent|"
              r"message me|dm me|text me|(?:earn|make) (?:some )?money)\b")
#: The person asked is a child: a stated age of "you", or a call to children of an age.
_YOUNG_ADDRESSEE = (rf"\b(?:(?:you'?re|you are|ur|u r) (?:only |just )?{_AGE}{_NOT_UNIT}|for your age|grown up for|mature for|"
                    rf"(?:girls?|boys?|kids) (?:under|aged) {_AGE}|(?:must be|are|if you'?re) under {_AGE}|"
                    rf"{_AGE} ?(?:yo|y/o|years? old)\?|how old is (?:she|he)|(?<![\d.,:$])\b{_AGE}\?)")
_SECRECY = (r"\b(?:don'?t tell (?:your |ur )?(?:parents|mom|mum|dad|mother|father|anyone|anybody|teacher)|"
            r"(?:our|a) (?:little )?secret|keep (?:it|this) between us|delete (?:these|the|our|those) (?:messages|chats|texts|pics|photos)|"
            r"so (?:your|ur) (?:mom|mum|dad|parents) (?:doesn'?t|don'?t|won'?t) (?:see|find out|know))\b")

RULES = RuleSet("rules.cse", 3, (
    PatternRule(
        "trade_abuse_material_rule", (CS,),
        r"\b(?P<v>cp|csam|pthc|hurtcore|child porn|kiddie porn|kiddy porn|loli (?:hentai|porn|nsfw|folder|pics)|"
        r"cheese pizza (?:links?|vids|videos|pics|content|folder))\b",
        0.9, _CLEARED, requires=(_TRADE,), reach=1,
        keywords=frozenset({'cp', 'csam', 'pthc', 'hurtcore', 'porn', 'loli', 'pizza'}),
    ),
    PatternRule(
        "sexualised_minor_rule", (CS,),
        rf"{_MINOR}(?:'s)?(?:,? [\w'/]+){{0,5}}? (?P<v>{_SEXUAL}|{_HOT})\b|\b{_SEXUAL}(?:,? [\w'/]+){{0,5}}? {_MINOR}"
        rf"|{_CHILD}(?: [\w'/]+){{0,4}}? (?P<w>{_SEXUAL})\b|\b{_SEXUAL}(?: [\w'/]+){{0,3}}? (?:of |with )?{_CHILD}",
        0.85, _CLEARED, requires=(_MINOR + "|" + _CHILD,), keywords=_SEXUAL_KEYWORDS,
    ),
    PatternRule(
        "trade_minor_material_rule", (CS,),
        rf"\b(?P<v>{_MATERIAL})(?: [\w'/,-]+){{0,5}}? {_MINOR}|{_MINOR},?(?: [\w'/,-]+){{0,7}}? (?P<w>{_MATERIAL})\b",
        0.85, _CLEARED, requires=(_TRADE, _MINOR), reach=1,
        keywords=frozenset({"pics", "pictures", "photos", "images", "vids", "videos", "content", "clips", "collection",
                            "folder", "link", "links", "material", "group", "channel", "album"}),
    ),
    PatternRule(
        "trade_child_images_rule", (CS,),
        r"\b(?P<v>pics|photos|videos|vids|pictures|a folder|selfies) of "
        r"(?:her|him|them|the kids?|(?:my|their|your|his|her) (?:little )?(?:step)?(?:daughters?|sons?|kids|children|nieces?|nephews?|sisters?|brothers?))\b"
        r"|\b(?P<w>kid|child|children's|kids') (?:pics|photos|videos|vids)\b",
        0.8, _CLEARED, requires=(_EXCHANGE,), reach=1,
        keywords=frozenset({"pics", "photos", "videos", "vids", "pictures", "folder", "selfies", "kid", "kids", "child",
                            "children"}),
    ),
    PatternRule(
        "grooming_minor_rule", (CS,),
        rf"(?P<v>{_GROOM_ASK})|{_SECRECY}",
        0.85, _CLEARED, requires=(_GROOM_ASK, _SECRECY + "|" + _YOUNG_ADDRESSEE), reach=2,
        keywords=frozenset({"old", "mature", "grown", "send", "camera", "cam", "chat", "facetime", "meet", "sent", "message",
                            "dm", "text", "earn", "make"}),
    ),
    PatternRule(
        "solicit_minor_rule", (CS,),
        r"\b(?P<v>looking for|seeking|searching for|want|wanna|need|any)(?: [\w']+)?? (?:underage|preteens?|pre-teens?|minors?|jailbait|"
        rf"(?:girls?|boys?|kids) (?:under|aged) {_AGE}|{_AGE} ?(?:yo|y/o|year olds?)|young (?:teens?|girls?|boys?))\b",
        0.85, _CLEARED, requires=(r"\b(?:chat|chats|chatting|meet up|meet privately|private|privately|discreet|alone|fun|sext\w*|"
                                  r"video call|snap|kik|telegram|no parents|girlfriend|boyfriend|gf|bf|date|dating|"
                                  r"relationship|hook up|hookup|secrets?|sugar daddy)\b",), reach=1,
        keywords=frozenset({"looking", "seeking", "searching", "want", "wanna", "need", "any"}),
    ),
    PatternRule(
        "promotion_child_abuse_rule", (CS,),
        r"\b(?:kids|children|minors|a child|a minor)(?: [\w']+)?? (?:can|could|are able to|are capable of|is capable of|should be allowed to)"
        r" (?P<v>consent(?:ing)?)\b"
        r"|\bage of consent (?:is|should be) (?:oppression|abolished|lowered|a lie|meaningless|bullshit|a social construct|arbitrary)\b"
        r"|\b(?:pedophilia|paedophilia|pedophiles|paedophiles|minor attracted (?:people|persons))(?: [\w']+)?? (?:is|are|should be)"
        r" (?:natural|normal|love|beautiful|okay|ok|fine|valid|not wrong|celebrated|accepted|persecuted|misunderstood)\b",
        0.85, _CLEARED - {"protective"}, requires=(r"\b(?:consent|consenting|pedophilia|paedophilia|pedophiles|paedophiles|minor)\b",),
    ),
))
