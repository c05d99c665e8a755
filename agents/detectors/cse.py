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
_GRADE = r"(?:[1-9]|1[01])"  #: a school year or grade a child is in (year 12 and grade 12 reach 18)
_NOT_UNIT = (r"(?! ?(?:mins?|minutes|hours?|days?|weeks?|months?|percent|%|am|pm|feet|ft|inches|miles|km|k\b|:\d|\.\d|"
             r"th\b|st\b|nd\b|rd\b|dollars|bucks|points|pts))")
#: A stated minor: an age under 18, or words that only name children in a sexual or trade context.
_MINOR = (
    r"\b(?:underage|under age|under-?age|preteens?|pre-teens?|tweens?|minors?|jailbait|loli|lolis|shota|"
    r"young (?:teens?|girls?|boys?|ones|kids|children|stuff|content)|little (?:girls?|boys?|ones)|"
    r"(?:middle|primary|elementary|junior high) school(?:ers| girls| boys| kids)|schoolgirls|schoolboys|"
    r"school-? ?age (?:girls?|boys?|kids|children)|kindergartners|kindergarteners|"
    rf"(?:girls?|boys?|kids) (?:in )?(?:year|grade) {_GRADE}|(?:girls?|boys?|kids) {_AGE} ?(?:-|to) ?{_AGE}|"
    rf"(?:girls?|boys?|kids) (?:under|aged|around|about|below) {_AGE}|under {_AGE}|(?:aged?|age) {_AGE}|"
    rf"{_AGE} ?(?:yo|y/o|y\.o|yrs? old|years? olds?|year-olds?|years-old)|{_AGE} ?- ?{_AGE}(?= ?(?:yo|y/o|years|year|,|$))|"
    rf"(?:she'?s|he'?s|she is|he is|you'?re|you are|ur|u r|they'?re|only|just) (?:only |just )?{_AGE}{_NOT_UNIT}|"
    r"the younger the better)\b"
)
_CHILD = (r"\b(?:kids?|children|child|toddlers?|"
          r"(?:my|your|his|her) (?:little )?(?:step-?|grand)?(?:daughter|son|niece|nephew|kid|child)s?)\b")
_SEXUAL = (r"(?:nudes?|nudz|nodz|nodes|noods|nude|nsfw|sexy|horny|lewd|porn|porno|hentai|explicit|fuckable|"
           r"naked (?:pics|photos|pictures|vids|videos|selfies)|have sex with|sex with|"
           r"without (?:your|her|his) (?:shirt|clothes|top)|in (?:your|her|his) (?:swimsuit|underwear|bra|bikini|panties))")
#: "Hot" sexualises only a stated minor ("my kids are so hot after soccer" is the weather).
_HOT = (r"(?:(?:is|are|looks?) (?:so |really |very |super )?(?:hot|thicc)|(?:is|are) the (?:hottest|sexiest)|(?:body|ass|tits|boobs|legs) (?:is |are )?(?:so )?hot|"
        r"(?:the )?perfect age(?! (?:to|for))|built like a (?:grown )?woman|(?:already |well |fully )developed|got (?:a|such a) body|curves|"
        r"(?:is|are|looks?) (?:so |really |very )?(?:tempting|fuckable|ripe|juicy)|"
        r"(?:acts|looks|seems) (?:1[89]|2\d|older|grown|mature),?(?: [\w',]+){0,3}?,? (?:if (?:you|u) know what i mean|wink wink|"
        r"if (?:you|u) catch my drift))")
_SEXUAL_KEYWORDS = frozenset({"perfect", "tempting", "ripe", "juicy", "acts", "looks", "seems", "built", "developed", "body", "curves", "nudes", "nude", "nudz", "nodz", "nodes", "noods", "nsfw", "sexy", "horny", "lewd", "porn",
                              "porno", "hentai", "explicit", "fuckable", "hot", "hottest", "sexiest", "thicc", "naked", "sex", "shirt", "clothes",
                              "top", "swimsuit", "underwear", "bra", "bikini", "panties"})
_MATERIAL = (r"(?:pics|pictures|photos|images|vids|videos|content|clips|collection|folder|files|links?|material|private group|stuff|"
             r"private channel|album)")
_GROOM_ASK = (r"\b(?:how old (?:are|r) (?:you|u)|(?:let'?s )?move (?:this |it )?to (?:snap|snapchat|telegram|kik|whatsapp|discord|signal)|(?:you|u)(?:'re| are| r)? (?:so )?(?:mature|grown up) for|mature for your age|"
              r"send (?:me )?(?:a |some |more )?(?:pics?|photos?|pictures?|selfies?|videos?|vids)|turn (?:your|ur) camera on|"
              r"(?:camera|cam) on|video chat|facetime|meet up|(?:the |those |your )?(?:pics|photos|pictures|videos) (?:you|u) sent|"
              r"message me|dm me|text me|(?:earn|make) (?:some )?money|"
              r"what (?:are )?(?:you|u)(?:'re| are| r)? wearing|are (?:you|u) (?:home )?alone|"
              r"(?:want|wanna) (?:to )?see mine|(?:i'?ll|let me|i can) show (?:you|u) mine|show me yours|"
              r"let'?s meet(?: up)?|meet me|come (?:over|meet me) alone|"
              r"(?:is|are) (?:your|ur) (?:mom|mum|dad|parents?) (?:home|around|out|asleep)|"
              r"(?:i|we)(?:'ll| will| can)? (?:get|buy|give|send|pay) (?:you|u) (?:\w+ )?(?:skins|robux|v-?bucks|gems|"
              r"coins|gift ?cards?|a gift|presents?|money|cash)|"
              r"(?:pay|paying|i pay|i'll pay)(?: (?:you|u))?(?: in)?(?: [\w-]+){0,2}? for (?:pics|photos|pictures|videos|vids|selfies))\b")
#: The person asked is a child: a stated age of "you", or a call to children of an age.
_YOUNG_ADDRESSEE = (rf"\b(?:(?:you'?re|you are|ur|u r) (?:only |just )?{_AGE}{_NOT_UNIT}|for your age|grown up for|mature for|"
                    rf"(?:so )?(?:grown|big|developed) for (?:{_AGE}\b|your age)|"
                    rf"(?:you'?re|you are|ur|u r) (?:only |just |still )?in (?:year {_GRADE}|grade {_GRADE}|{_GRADE}(?:st|nd|rd|th) grade|"
                    r"(?:middle|primary|elementary|junior high) school)|"
                    rf"(?:which|who|any|anyone|anybody) (?:of (?:you|u) |here )?(?:is|are|'s) (?:under|below|younger than) {_AGE}\b|"
                    rf"(?:girls?|boys?|kids) (?:under|aged) {_AGE}|(?:must be|are|if you'?re) under {_AGE}|"
                    rf"{_AGE} ?(?:yo|y/o|years? old)\?|how old is (?:she|he)|(?<![\d.,:$])\b{_AGE}\?)")
#: A chat to delete, and what a child's parents are not to see or know: in both secrecy lists below.
_DELETE_CHATS = r"delete (?:this|these|the|our|those|all) (?:messages?|chats?|texts?|convos?|conversations?|dms?|pics|photos)"
_KEPT_FROM_PARENTS = (r"(?:so|where) (?:your|ur) (?:mom|mum|dad|parents) (?:doesn'?t|don'?t|won'?t|can'?t) (?:see|find out|know)|"
                      r"(?:your|ur) (?:mom|mum|dad|parents) (?:doesn'?t|don'?t|won'?t) (?:need to|have to|ever) (?:know|find out)")
_SECRECY = (r"\b(?:don'?t tell (?:your |ur )?(?:parents|mom|mum|dad|mother|father|anyone|anybody|teacher)|"
            r"(?:our|a) (?:little )?secret|keep (?:it|this) between us|just (?:us|the two of us|you and me)|"
            r"(?:come|be) alone|don'?t bring (?:anyone|anybody|your (?:parents|friends|mom|mum|dad))|"
            + _DELETE_CHATS + "|" + _KEPT_FROM_PARENTS + r"|secret (?:boyfriend|girlfriend|bf|gf|relationship|friend))\b")
#: Secrecy from a child's parents, or a chat to delete: grooming when said to a child of a stated age.
_PARENT_SECRECY = (r"\b(?:don'?t tell (?:your |ur )?(?:parents|mom|mum|dad|mother|father|mommy|mummy|daddy)|"
                   r"so (?:your |ur )?(?:mommy|mummy|daddy|mom|mum|dad|parents) (?:doesn'?t|don'?t|won'?t) (?:see|find out|know)|"
                   + _KEPT_FROM_PARENTS + r"|secret (?:boyfriend|girlfriend|bf|gf|relationship)|" + _DELETE_CHATS + r")\b")
#: Secrecy kept from a child's parents, or a hint that what is on offer is not what it says: what
#: makes access to children (a sleepover, babysitting, private lessons) a grooming move.
_HIDDEN = (r"\b(?:no parents (?:needed|allowed|required|invited|necessary)|"
           r"without (?:your|their|ur|the) (?:parents|mom|mum|dad) (?:knowing|finding out)|no parents(?= ?(?:[,.!?]|$))|"
           r"(?:your|their|his|her|ur) (?:parents|mom|mum|dad) (?:never|don'?t|doesn'?t|won'?t) (?:need to|have to|ever|will) "
           r"(?:know|find out)|"
           r"(?:tell|telling) (?:them|him|her) (?:it'?s|its) (?:our|a) secret|don'?t tell (?:their|his|her) (?:parents|mom|mum|dad)|"
           r"(?:our|a) (?:little )?secret from (?:your|their|his|her|ur) (?:parents|mom|mum|dad)|"
           r"if (?:you|u) catch my drift|if (?:you|u) know what i mean|wink wink)\b")
#: Time alone with a child or access to one: babysitting, a sleepover, private lessons, "at mine".
_ACCESS = (r"\b(?:babysit\w*|sleepovers?|sleep over|stay (?:over|the night)|at (?:mine|my place|my house)|"
           r"alone with|alone time|private (?:'?\w+'? )?(?:lessons?|sessions?|coaching|tutoring|time|shoots?|photoshoots?)|"
           r"one on one|privately|(?:modell?ing|photo)'? ?(?:shoots?|gigs?|jobs?|auditions?|castings?))\b")
#: Wanting a stated child alone ("can't wait to get her alone"); the child must be the one to be alone
#: with: "until we're alone" is as often a couple whose child is at camp.
_ALONE = (r"(?:get|getting|have|having) (?:her|him) (?:all )?(?:alone|to myself)|(?:be|being|time) alone with (?:her|him)"
          r"|(?:her|him) all to myself")

RULES = RuleSet("rules.cse", 8, (
    PatternRule(
        "trade_abuse_material_rule", (CS,),
        r"\b(?P<v>cp|c p(?= (?:links?|vids|videos|pics|folders?|content|trade|4 trade))|csam|pthc|hurtcore|child porn|kiddie porn|kiddy porn|"
        r"loli (?:hentai|porn|nsfw|folder|pics)|"
        r"cheese pizza (?:links?|vids|videos|pics|content|folder))\b",
        0.9, _CLEARED, requires=(_TRADE,), reach=1,
        keywords=frozenset({'cp', 'c', 'csam', 'pthc', 'hurtcore', 'porn', 'loli', 'pizza'}),
    ),
    PatternRule(
        "sexualised_minor_rule", (CS,),
        rf"{_MINOR}(?:'s)?(?:,? [\w'/]+){{0,5}}? (?P<v>{_SEXUAL}|{_HOT})\b|\b{_SEXUAL}(?:,? [\w'/]+){{0,5}}? {_MINOR}"
        rf"|{_CHILD}(?: [\w'/]+){{0,4}}? (?P<w>{_SEXUAL})\b|\b{_SEXUAL}(?: [\w'/]+){{0,3}}? (?:of |with )?{_CHILD}"
        rf"|(?:{_MINOR}|{_CHILD})(?:,? [\w'/]+){{0,10}}?,? (?P<a>{_ALONE})\b",
        0.85, _CLEARED, requires=(_MINOR + "|" + _CHILD,), keywords=_SEXUAL_KEYWORDS | {"alone", "myself"},
    ),
    PatternRule(
        "trade_minor_material_rule", (CS,),
        rf"\b(?P<v>{_MATERIAL}),?(?: [\w'/,-]+){{0,5}}? {_MINOR}|{_MINOR},?(?: [\w'/,-]+){{0,7}}? (?P<w>{_MATERIAL})\b",
        0.85, _CLEARED, requires=(_TRADE, _MINOR), reach=1,
        keywords=frozenset({"pics", "pictures", "photos", "images", "vids", "videos", "content", "clips", "collection",
                            "folder", "files", "link", "links", "material", "group", "channel", "album", "stuff"}),
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
        keywords=frozenset({"old", "move", "mature", "grown", "send", "camera", "cam", "chat", "facetime", "meet", "sent", "message",
                            "dm", "text", "earn", "make", "wearing", "alone", "home", "around", "out", "asleep", "get",
                            "buy", "give", "pay", "paying", "see", "show", "mine", "yours", "let's", "lets", "meet", "come"}),
    ),
    PatternRule(  # hiding from a child's parents, said to a child of a stated age: "your parents don't need to know. You're 13?"
        "grooming_secret_minor_rule", (CS,),
        rf"(?P<v>{_PARENT_SECRECY})",
        0.85, _CLEARED, requires=(_YOUNG_ADDRESSEE,), reach=2,
        keywords=frozenset({"tell", "know", "secret", "delete", "see", "find"}),
    ),
    PatternRule(  # an adult's partner who is a child: "I'm 30 and my girlfriend is 14"
        "relationship_minor_rule", (CS,),
        rf"\b(?:girlfriend|boyfriend|gf|bf|lover|partner|wife|husband)(?: [\w']+){{0,2}}? (?:is|'s) (?:only |just )?(?P<v>{_AGE}){_NOT_UNIT}\b",
        0.85, _CLEARED, requires=(r"\bi'?m (?:[2-9]\d|a grown (?:man|woman)|an adult)\b|\bage is (?:just )?a number\b",), reach=1,
        keywords=frozenset({"girlfriend", "boyfriend", "gf", "bf", "lover", "partner", "wife", "husband"}),
    ),
    PatternRule(  # access to a child, kept from the parents or hinted at: "a private sleepover, no parents needed"
        "grooming_access_rule", (CS,),
        rf"(?P<v>{_MINOR})",
        0.85, _CLEARED, requires=(_ACCESS, _HIDDEN), reach=1,
        keywords=frozenset({"babysit", "babysits", "babysat", "babysitting", "babysitter", "sleepover", "sleepovers", "sleep",
                            "stay", "mine", "place", "house", "alone", "private", "one", "privately", "shoot", "shoots",
                            "photoshoot", "modeling", "modelling", "gig", "gigs", "casting", "castings", "audition", "auditions"}),
    ),
    PatternRule(
        "solicit_minor_rule", (CS,),
        r"\b(?P<v>looking for|seeking|searching for|want|wanna|need|any)(?: [\w']+)?? (?:underage|preteens?|pre-teens?|minors?|jailbait|"
        rf"(?:girls?|boys?|kids) (?:under|aged) {_AGE}|{_AGE} ?(?:yo|y/o|year olds?)|young (?:teens?|girls?|boys?))\b",
        0.85, _CLEARED, requires=(r"\b(?:chat|chats|chatting|meet up|meet privately|private|privately|discreet|alone|fun|sext\w*|"
                                  r"preferred|my little (?:princess|girl|angel|pet|boy)|"
                                  r"video call|snap|kik|telegram|no parents|girlfriend|boyfriend|gf|bf|date|dating|"
                                  r"relationship|hook up|hookup|secrets?|sugar daddy)\b",), reach=1,
        keywords=frozenset({"looking", "seeking", "searching", "want", "wanna", "need", "any"}),
    ),
    PatternRule(
        "promotion_child_abuse_rule", (CS,),
        r"\b(?:kids|children|minors|a child|a minor)(?: [\w']+)?? (?:can|could|are able to|are capable of|is capable of|should be allowed to)"
        r" (?P<v>consent(?:ing)?)\b"
        rf"|\b{_AGE} (?:year olds? |yo |y/o )?(?:is|are) (?P<o>old enough|mature enough)(?: (?:if|when|once|for (?:sex|it|that|a relationship|"
        r"dating)|to consent|to date (?:adults|older)))\b"
        r"|\bage of consent (?:is|should be) (?:oppression|abolished|lowered|a lie|meaningless|bullshit|a social construct|arbitrary)\b"
        r"|\b(?:pedophilia|paedophilia|pedophiles|paedophiles|minor[- ]attracted (?:people|persons)|maps)(?: [\w']+)?? (?:is|are|should be)"
        r"(?: (?:just|simply|only|really|totally|perfectly|completely|a|an|another|also))* (?:natural|normal|love|beautiful|okay|ok|"
        r"fine|valid|not wrong|celebrated|accepted|persecuted|misunderstood|harmless|victimless|orientation|(?:sexual )?orientation|"
        r"sexuality|identity)\b"
        r"|\b(?:pedophiles|paedophiles|minor[- ]attracted (?:people|persons)|maps) (?:deserve|should be (?:allowed|free)|have (?:a|the) right)"
        r" to (?:act on|express|love|date|be with|touch|have)\b",
        0.85, _CLEARED - {"protective"},
        requires=(r"\b(?:consent|consenting|pedophilia|paedophilia|pedophiles|paedophiles|minor|enough)\b",),
    ),
))
