"""Violent speech: threats, wishes and incitement of harm against people, and glorification.

"this song kills", "we killed it" never match (no person target, no first-person future);
"I'll kill you if you spoil the finale" matches and is cleared by the hyperbole check.
"""

from __future__ import annotations

from agents.detectors.lexicon import HARM_VERBS, PERSON, SPEAKER_WILL, THING_WORDS, alt, first_words
from agents.detectors.rules import SPEECH, PatternRule, RuleSet

VI, HC = "violence", "hateful_conduct"
_THREAT_CONTEXTS = SPEECH | {"hyperbole"}
_HARM = alt(*HARM_VERBS)
_HARM_KEYWORDS = first_words("kill", "murder", "shoot", "stab", "strangle", "choke", "behead", "decapitate", "slit",
    "hang", "lynch", "burn", "bomb", "blow", "beat", "bash", "punch", "hurt", "rape", "torture", "execute", "slaughter",
    "gut", "butcher", "hunt", "run", "drown", "poison", "murk", "merk", "stomp", "kidnap", "bullet", "cut", "break",
    "smash", "snap", "assassinate", "exterminate", "massacre")
_HARMED_WORDS = ("die", "be shot", "be killed", "get shot", "get killed", "be raped", "get raped", "be hanged",
                 "be hung", "be stabbed", "get stabbed", "be beaten", "be tortured", "be lynched", "be murdered",
                 "get murdered", "rot", "burn", "choke", "get cancer", "die in a fire", "be executed", "be beheaded",
                 "be shot in the head", "get hit by a \\w+", "be put down", "be stoned", "be stoned to death", "be gassed",
                 "be burned alive", "be burnt alive", "be burned at the stake", "be assassinated", "be exterminated",
                 "be wiped out", "be hung by \\w+ \\w+", "be drowned", "be thrown in a river", "be dragged into the street",
                 "be dragged out into the street", "be kicked to death", "be beaten to death", "be beaten bloody",
                 "be lined up against a wall", "be put up against a wall", "be curb stomped", "be whipped", "be flogged",
                 "be tarred and feathered", "be strung up")
_HARMED = alt(*_HARMED_WORDS)
#: What is only done to people ("the old ways should die" is not): for a noun subject, not a pronoun.
_HARMED_PERSON = alt(*(w for w in _HARMED_WORDS if w.startswith(("be ", "get "))))
#: Someone a harm is wished or bidden on: a pronoun, or a noun phrase that is not a thing ("the bill should die").
_SUBJECT = r"(?:you|u|he|she|they|people like \w+|whoever (?:did|does|said|wrote|made) (?:this|that|it))"
_NOUN_SUBJECT = rf"(?:the|this|that|these|those) (?!{alt(*THING_WORDS)}\b)\w+"
#: Verbs strong enough to read as violence in "let's ... the clinic" ("let's cut the cake", "break the record" are not).
_LETS_HARM = alt("kill", "murder", "shoot", "stab", "lynch", "bomb", "torch", "behead", "slaughter", "massacre",
                 "exterminate", "assassinate", "firebomb", "hang", "burn down", "shoot up", "blow up")
_ADV = alt("really", "just", "fucking", "literally", "actually", "gladly", "personally", "definitely", "seriously",
           "honestly", "probably", "soon", "never", "not", "gonna", "going to", "come", "find you and",
           "find him and", "find her and", "coming over to", "coming round to", "coming to", "coming back to",
           "come over and", "come round and", "coming over and")
#: A plan said with no subject, opening a sentence ("gonna murder him tonight"), not after a word ("lol gonna")
_NO_SUBJECT = r"(?<![\w'] )(?:gonna|finna|bout to)"
_MODAL = r"(?:'ll| will| shall|'d| would|'m| am|'re| are)?(?: (?:gonna|going to|about to|finna|gon|gunna|want to|wanna))?"
_SHOOTERS = alt("shooter", "shooters", "gunman", "gunmen", "bomber", "bombers", "attacker", "attackers",
                "killer", "killers", "terrorist", "terrorists")
_PRAISE = alt("a hero", "heroes", "a legend", "legends", "a saint", "saints", "based", "right", "a god", "gods",
              "an inspiration", "a martyr", "martyrs", "my hero", "a patriot", "patriots")
_ATTACKED_WORDS = ("shot", "stabbed", "killed", "murdered", "bombed", "attacked", "ran over", "massacred", "beheaded")
_ATTACKED = alt(*_ATTACKED_WORDS)
_HATE_ATTACKS = alt("christchurch", "el paso", "pittsburgh synagogue", "tree of life", "buffalo", "charleston",
                    "utoya", "halle", "poway", "pulse nightclub", "isla vista")

_TARGET = r"(?:you|u|ya|him|her|them|he|she|they)"
#: Parts of the body a threat names ("cave his skull in", "break your legs"); not "heart" or "spirit"
_BODY = alt("skull", "head", "face", "teeth", "jaw", "leg", "legs", "knee", "knees", "kneecap", "kneecaps", "arm", "arms",
            "hand", "hands", "finger", "fingers", "neck", "ribs", "spine", "nose", "throat", "skulls", "heads", "faces")
_WEAPON = alt("gun", "guns", "rifle", "rifles", "ar", "ar-15", "ar15", "ak", "ak-47", "ak47", "glock", "pistol", "shotgun",
              "bomb", "pipe bomb", "explosives")
_GATHERING = alt("school", "class", "campus", "work", "office", "church", "mosque", "synagogue", "temple", "mall", "rally",
                 "meeting", "concert", "parade", "clinic", "courthouse", "party", "graduation", "prom")
#: A person as the object of a harm verb, not a thing ("murder this pizza", "kill the presentation").
_VICTIM = rf"(?!(?:this|that|the|your|ur|his|every) {alt(*THING_WORDS)}\b){PERSON}"
#: The addressee told what will happen to them: "you'll", "you're gonna", "ur going to".
_YOU_WILL = r"(?:(?:you|u)(?:'ll| will| shall)|(?:you're|youre|you are|ur|u r|you|u) (?:gonna|going to|gunna|finna|about to))"
#: "I'll", "we're going to": what the speaker says they will do
_SPEAKER_WILL = rf"(?:{SPEAKER_WILL}| gonna)"
#: Whom a harm is done to: a person, or "the <noun>" that is no thing ("the governor", not "the film" or "the trash")
_NOT_VICTIMS = alt(*THING_WORDS, "trash", "garbage", "photo", "photos", "video", "videos", "wedding", "ball", "lights",
                   "scene", "competition")
_VICTIM_OR_THE = rf"(?:{_VICTIM}|(?:the|those|these) (?!{_NOT_VICTIMS}\b)\w+)"
_MENACE_CUE = (r"\b(?:think about|careful|watch|before you|unless you|if you|shame|would hate|remember|keep talking|"
               r"testify|snitch|last warning|warning|or else|see you soon|we'll talk|have a chat|a visit)\b")
_WORSHIP = (r"\b(?:mosque|mosques|masjid|synagogue|synagogues|shul|temple|temples|gurdwara|gurdwaras|church|churches|"
            r"mandir|chapel)\b")
_CALL_CUE = (r"\b(?:bring|let's|lets|we should|we need to|we will|we'll|tonight|tomorrow|this (?:friday|saturday|sunday|"
             r"weekend|evening|morning)|who's in|whos in|meet (?:at|there|up)|see you there|time to)\b")
_CODED_KEYWORDS = frozenset({"feet", "bag", "ditch", "coffin", "fishes", "daisies", "meat", "ground", "dead", "again",
                             "wall", "shame", "pity", "insurance", "happens", "happened", "happen", "string", "bullet", "tomorrow", "open", "wheelchair",
                             "hospital", "walking", "pike", "pikes", "spike", "spikes", "stake", "stakes"})

RULES = RuleSet("rules.violence", 6, (
    PatternRule(
        "threat_person_rule", (VI,),
        rf"\b(?:(?:i|we|im|ima|imma){_MODAL}|{_NO_SUBJECT})(?: {_ADV}){{0,2}} (?P<v>{_HARM})(?: (?:up|down|out|the shit out of|the hell out of))? {_VICTIM}\b",
        0.85, _THREAT_CONTEXTS, keywords=_HARM_KEYWORDS,
    ),
    PatternRule(
        "threat_doom_rule", (VI,),
        # "... and then you die", "until you die", "things to do before you die" are idioms
        r"(?<!\bthen )(?<!\buntil )(?<!\btill )(?<!\bbefore )(?<!\bwhen )"
        r"\b(?:you|u)(?:'re| are| r| will| gonna| are going to)? (?:so |gonna be |going to be )?(?P<v>dead(?! to (?:me|us|him|her|them|everyone|everybody|the world))|die|gonna die|not (?:gonna |going to )?live)"
        r"(?: (?:soon|tonight|tomorrow|bitch|meat))?\b|\byour days are numbered\b|\bwatch your back\b"
        r"|\bi know where (?:you|u|he|she|they) (?:live|lives|sleep)\b",
        0.75, _THREAT_CONTEXTS, requires=(r"\b(?:dead|die|live|numbered|back|where)\b",), keywords=frozenset({'dead', 'die', 'live', 'numbered', 'back', 'where'}),
    ),
    PatternRule(  # coded threats: the harm is named by its outcome, not its verb
        "threat_coded_rule", (VI,),
        rf"\b{_TARGET}(?:'ll| will|'re gonna| are gonna| gonna|'re going to| are going to)? (?:be|end up) "
        r"(?P<v>six feet under|in a (?:body bag|ditch|coffin|box|wheelchair|hospital bed)|sleeping with the fishes|"
        r"pushing up daisies|dead meat)\b"
        rf"|\b(?:put|putting|send|sending) {_TARGET} (?:six feet under|in the ground|in (?:a|the) (?:body bag|coffin|ditch|"
        r"wheelchair|hospital|morgue))\b"
        r"|\b(?:you're|youre|you are|ur|u r|he's|hes|she's|shes) (?:a )?(?:dead (?:man|woman|meat|boy|girl)(?: walking)?)\b"
        rf"|\b(?:make sure|see to it that|see to it) {_TARGET} (?:never|won't|wont|will never|don't|dont|can't|cant) "
        r"(?:walk|talk|see|breathe|wake up|speak|come home|leave the house)(?: \w+)?? again\b"
        r"|\b(?:watch what happens) to (?:you|u|your \w+)\b"
        r"|\b(?:shame|pity) if something (?:happened|happens|were to happen|was to happen) to (?:you|u|your \w+|him|her|them|it)\b"
        r"|\b(?:shame|pity) if (?:she|he|they|you|u|your \w+|his \w+|her \w+) (?:didn't|doesn't|don't|never|wouldn't|did not) "
        r"make it (?:home|back|one day|through the night)\b"
        r"|\bhope (?:his|her|their|your|ur) (?:life )?insurance (?:is|'s) (?:paid up|up to date)\b"
        r"|\b(?:line|lining|lined|put|putting|stand|standing) (?:them|em|him|her|you|u|these \w+|those \w+|the \w+|every \w+|"
        r"all of them|all of you)(?: all)? up against (?:a|the) wall\b(?! (?:for|to measure))"
        r"|\b(?:string) (?:him|her|them|you|u) up\b"
        r"|\b(?:bullet) with (?:your|ur|his|her|their) name on it\b"
        r"|\b(?:you|u)(?: will|'ll)? (?:won't|wont|will not|not gonna|aren't gonna) (?:see|live to see|make it to|survive) "
        r"(?:tomorrow|the (?:night|weekend|week))\b"
        r"|\bsleep with (?:one eye open)\b"
        r"|\b(?:his|her|their|your|ur) heads? (?:\w+ ){0,3}?on (?:a |the )?(?:pikes?|spikes?|stakes?)\b",
        0.75, _THREAT_CONTEXTS, keywords=_CODED_KEYWORDS,
    ),
    PatternRule(  # the harm told to the addressee as what will happen to them
        "threat_outcome_rule", (VI,),
        rf"\b{_YOU_WILL} (?:get|be|end up) (?P<v>shot|stabbed|shanked|jumped|merked|murked|bodied|capped|killed|murdered|"
        r"lynched|strangled|beaten (?:up|to death)|knifed|gutted|curb stomped)\b"
        r"(?! (?:in|at|on|by) (?:the )?(?:ratings|polls|game|match|election|reviews|box office|market|exam|debate|"
        r"midterms|primaries|comments|replies|traffic|price|fees|taxes))"
        rf"|\b{_YOU_WILL} (?:\w+ )?(?P<b>bleed|pay in blood)\b(?! (?:from|through|with|out))",
        0.75, _THREAT_CONTEXTS, keywords=frozenset({"shot", "stabbed", "shanked", "jumped", "merked", "murked", "bodied",
                                                    "capped", "killed", "murdered", "lynched", "strangled", "beaten",
                                                    "knifed", "gutted", "stomped", "bleed", "blood"}),
    ),
    PatternRule(  # menace with no harm verb: "I will find you", "say that again and see what happens"
        "threat_veiled_rule", (VI,),
        rf"\b(?:i|we){_SPEAKER_WILL}"
        r"(?: (?:eventually|one day|someday|definitely|personally))? (?P<v>find) (?:you|u|ya)"
        r"(?= *(?:$|[.!\n]|and your|no matter|wherever|one day|eventually))"
        rf"|\b(?:i|we){_SPEAKER_WILL}"
        r"(?: (?:eventually|one day|someday|definitely|personally))? (?P<f>find|visit) (?:your|ur) "
        r"(?:family|kids|children|wife|husband|daughter|son|mom|mother|dad|father|sister|brother|parents)\b"
        r"(?! (?:a|an|some|the|something|anything|one)\b)"
        r"|\b(?P<a>get|catch|find) (?:you|u|ya|him|her) (?:alone|outside|after school|after work|in the street|in an alley)\b"
        r"|\b(?:about to|gonna|going to|will|'ll) (?:learn|find out|see) (?P<h>what happens) to (?:people|anyone|anybody|those|"
        r"snitches|rats|folks|guys|girls|whoever|you people) (?:who|that|like)\b"
        r"|\bknows? (?P<k>what's coming|what is coming) (?:to (?:him|her|them|you) )?(?:if|unless|when|by)\b"
        r"|\b(?:keep (?:talking|it up|running your mouth|pushing me|testing me)|try me|say that (?:again|to my face)|"
        r"do that again|come (?:near|close to) (?:me|my \w+) again)(?: \w+){0,2}? and (?:see|watch|find out) "
        r"(?P<s>what happens)\b"
        r"|\byou (?:won't|wont|will not) be (?:so |that )?(?:brave|tough|cocky|smart|funny|loud|confident) when "
        r"(?:i|we) (?P<w>catch|find|see|get) (?:you|u|ya)\b"
        rf"|\b(?:i|we){_SPEAKER_WILL}"
        r"(?: \w+)? make (?:you|u|him|her|them) (?P<r>regret|wish) (?:ever )?(?:being born|(?:you|he|she|they) "
        r"(?:was|were|had) never (?:been )?born)\b",
        0.7, _THREAT_CONTEXTS, keywords=frozenset({"find", "visit", "get", "catch", "happens", "coming", "brave", "tough", "cocky",
                                                   "smart", "funny", "loud", "confident", "regret", "wish"}),
    ),
    PatternRule(  # "we're coming for you", "I want to see him dead"
        "threat_coming_rule", (VI,),
        r"\b(?:i'm|im|i am|we're|were|we are|they're|theyre|they are)(?: (?:gonna|going to))? (?P<v>coming|comin|come) for "
        r"(?:you|u|your \w+|ur \w+|him|her|them|his \w+|their \w+)\b"
        r"|\b(?:i|we)(?:(?: (?:want|wanna|would love|need|hope|can't wait|cant wait)|'d love) to)? (?P<s>see|watch) "
        r"(?:you|u|him|her|them|your \w+|that \w+|this \w+)(?: \w+)?? (?:dead|hanging|hang|burn|burning|bleed|bleeding|"
        r"suffer|suffering|scream|screaming|in a body bag|in a coffin|six feet under|strung up|swinging from a tree)\b",
        0.75, _THREAT_CONTEXTS, keywords=frozenset({"coming", "comin", "come", "see", "watch"}),
    ),
    PatternRule(  # knowing where someone will be, said with menace: "I know which stop your kid waits at. Think about it."
        "threat_watching_rule", (VI,),
        r"\bi know (?:where|which \w+(?: \w+)?|what time|when) (?:you|u|your \w+|ur \w+|he|she|they)(?: \w+){0,4}? "
        r"(?P<v>live|lives|sleep|sleeps|work|works|park|parks|wait|waits|get off|gets off|walk|walks|go to school|"
        r"goes to school|drop off|drops off|pick up|picks up|train|trains|pray|prays)\b",
        0.7, _THREAT_CONTEXTS, requires=(_MENACE_CUE,), reach=1, keywords=frozenset({"know"}),
    ),
    PatternRule(  # arson or an armed call against a place of worship: a threat to its people
        "attack_worship_rule", (VI, HC),
        r"\b(?P<v>petrol|gasoline|gas cans?|molotovs?|lighter fluid|pipe bombs?)\b"
        r"|\b(?:burn|torch|firebomb|shoot up) (?:it|the place|that place|them|the \w+)(?: down| out)?\b",
        0.8, SPEECH | {"news", "history", "fiction"}, requires=(_WORSHIP, _CALL_CUE), reach=1,
        keywords=frozenset({"petrol", "gasoline", "gas", "molotov", "molotovs", "fluid", "bomb", "bombs", "burn", "torch",
                            "firebomb", "shoot"}),
    ),
    PatternRule(
        "wish_harm_rule", (VI,),
        r"\b(?:hope|hoping|wish|pray) (?:that )?(?:you|u|he|she|they|that \w+|this \w+|(?:your|ur|his|her|their) "
        r"(?:whole )?(?:family|kids|children|mom|mother|dad|father|wife|husband|son|daughter|baby|parents))(?: \w+)?? "
        r"(?P<v>dies|die|gets? (?:shot|killed|raped|stabbed|cancer|hit by a \w+)|burns?|rots?|chokes?)\b"
        rf"|\b{_SUBJECT}(?: \w+)?? (?:deserves? to|needs? to|should|must|ought to|oughta) (?:all )?(?:{_HARMED})\b"
        rf"|\b{_NOUN_SUBJECT}(?: \w+)?? (?:deserves? to|needs? to|should|must|ought to|oughta) (?:all )?(?:{_HARMED_PERSON})\b"
        rf"|\bwhoever(?: \S+){{1,5}}? (?:deserves? to|needs? to|should|must|ought to|oughta) (?:{_HARMED_PERSON})\b"
        r"|\b(?:hope|hoping|wish|pray) (?:that )?(?:somebody|someone|some1|some guy|a \w+)(?: \S+){0,10}? "
        r"(?:(?P<k>kills|shoots|stabs|murders|strangles|lynches|runs over|curb stomps) (?:him|her|them|you|u)\b"
        r"|(?P<b>beats|jumps|kicks|batters) (?:him|her|them|you|u) (?:up|bloody|senseless|to death|half to death|unconscious)\b)"
        rf"|\bdie in a (?:fire|hole|ditch)\b"
        r"|\b(?:hope|hoping|wish|pray)(?: that)? (?:\w+(?:'s)? ){1,3}?(?:house|home|car|place|apartment|flat|shop|store|office) "
        r"(?:burns|blows up|catches fire|explodes|goes up)(?: down| in flames)? with (?:him|her|them|you|u|his \w+|her \w+|"
        r"their \w+|your \w+) (?:still )?(?:in|inside)\b",
        0.8, SPEECH | {"hyperbole"}, requires=(r"\b(?:hope|hoping|wish|pray|deserve|deserves|need|needs|die|should|must|ought|oughta)\b",),
    ),
    PatternRule(  # harm to the body named: "I'm caving his skull in", "the bat's going into your knees", "have their hands broken"
        "threat_body_rule", (VI,),
        rf"\b(?:(?:i|we|im|ima|imma){_MODAL}|{_NO_SUBJECT})(?: {_ADV}){{0,2}} "
        r"(?P<v>cave|caving|smash|smashing|bash|bashing|break|breaking|snap|snapping|crack|cracking|split|splitting|kick|"
        r"kicking|stomp|stomping|knock|knocking|rip|ripping) (?:in )?(?:your|ur|his|her|their) (?:\w+ )?" + _BODY + r"\b"
        r"|\b(?:bat|hammer|crowbar|knife|brick|barstool|bottle|machete|pipe|wrench|golf club|tire iron)\b(?: \S+){0,6}? "
        r"(?P<w>going|gonna go|goes|will go) (?:straight |right )?(?:into|through|across|over) (?:your|ur|his|her|their) "
        r"(?:\w+ )?" + _BODY + r"\b"
        r"|\b(?:should|need to|needs to|ought to|deserve to|deserves to|gonna|going to|will|'ll) (?!(?:not|never) )(?:\w+ ){0,4}?(?:have|get) "
        r"(?:his|her|their|your|ur) (?:\w+ )?" + _BODY
        + r" (?P<b>broken|smashed|snapped|cut off|chopped off|caved in|knocked out|kicked in)\b"
        r"(?! (?:politically|financially|metaphorically|figuratively|at the polls|in the polls|in the ratings))",
        0.75, _THREAT_CONTEXTS, requires=(rf"\b{_BODY}\b",),  # every branch names the body: a cheap word gate
        keywords=frozenset({"cave", "caving", "smash", "smashing", "bash", "bashing", "break", "breaking", "snap", "snapping",
                            "crack", "cracking", "split", "splitting", "kick", "kicking", "stomp", "stomping", "knock",
                            "knocking", "rip", "ripping", "bat", "hammer", "crowbar", "knife", "brick", "barstool", "bottle",
                            "machete", "pipe", "wrench", "club", "iron", "broken", "smashed", "snapped", "cut", "chopped",
                            "caved", "knocked", "kicked"}),
    ),
    PatternRule(  # an assault cheered: "whoever did it is a hero" beside the beating it names
        "glorification_assault_rule", (VI,),
        r"\bwhoever (?:did|done) (?:it|this|that)(?: to (?:him|her|them))? (?:is|was|'s|deserves) (?:a |an )?"
        r"(?P<v>hero|legend|saint|medal|raise|award|prize)\b",
        0.75, SPEECH | {"news", "fiction"}, reach=1,
        requires=(r"\b(?:stomp\w*|curb ?stomp\w*|stabbed|shot|beaten|beat up|killed|murdered|jumped|attacked|punched|"
                  r"knocked out|lynched|assaulted)\b",),
        keywords=frozenset({"whoever"}),
    ),
    PatternRule(
        "incitement_person_rule", (VI,),
        rf"\b(?:somebody|someone|anyone|some1|we|y'all|yall|people|you all) (?:should|needs? to|ought to|gotta|has to|have to|must)"
        rf"(?: \w+)?? (?P<v>{_HARM}) (?:him|her|them|that|this|the|you|these|those)\b"
        rf"|\b(?:somebody|someone|anyone|some1)(?: (?:please|pls|plz|just|go|pretty please))+ (?P<p>{_HARM}) {_VICTIM_OR_THE}\b"
        rf"|\b(?:let's|lets|let us)(?: (?:go|just|all))? (?P<l>{_LETS_HARM}) {_VICTIM_OR_THE}\b"
        r"|\bthe only good (?:\w+ ){1,2}?(?:is|are) (?:an? )?(?P<d>dead) (?:one|ones|\w+)\b",
        0.8, SPEECH | {"news", "hyperbole"},
        requires=(r"\b(?:should|need|needs|ought|gotta|has to|have to|must|please|pls|plz|just|go|let's|lets|let us|only good)\b",),
    ),
    PatternRule(  # a reward offered for a killing: "whoever shoots the governor deserves a medal"
        "bounty_killing_rule", (VI,),
        r"\b(?:whoever|anyone who|anybody who|the first (?:person|one|guy) (?:to|who))(?: \w+){0,2}? "
        rf"(?P<v>kills?|shoots?|stabs?|murders?|takes? out|assassinates?|lynch(?:es)?|hangs?|bombs?) {_VICTIM_OR_THE}(?: \w+){{0,3}}? "
        r"(?:deserves|gets|will get|earns|wins|should get)(?: \w+)?? (?:medal|reward|prize|bounty|cash|money)\b"
        r"|\b(?:i'll|i will|i'd|i would|we'll|we will) (?:pay|give) (?:anyone|anybody|whoever|someone|somebody)"
        r"(?: \w+){0,3}? (?:to|who|that) (?P<p>kill|kills|shoot|shoots|stab|stabs|murder|murders|take out|takes out|"
        rf"assassinate|assassinates) {_VICTIM_OR_THE}\b"
        r"|\b(?:put|putting|place|placing|a) (?P<b>bounty) on (?:his|her|their|your|ur) heads?\b",
        0.8, SPEECH | {"news", "hyperbole", "fiction"},
        keywords=frozenset({"whoever", "anyone", "anybody", "first", "pay", "give", "bounty"}),
    ),
    PatternRule(  # a gun or bomb brought to where people gather: "I'm bringing my dad's gun to school"
        "threat_armed_place_rule", (VI,),
        r"\b(?:i'm|im|i am|i'll|ill|i will|i'ma|imma|gonna|going to|we're|we are|we'll)(?: \w+){0,2}? "
        r"(?P<v>bring|bringing|take|taking|carry|carrying)(?: \w+(?:'s)?){0,2}? "
        rf"{_WEAPON} (?:to|into|in|at) (?:the |my |our |your |this |that )?{_GATHERING}\b",
        0.8, _THREAT_CONTEXTS | {"fiction", "news"}, keywords=frozenset({"bring", "bringing", "take", "taking", "carry", "carrying"}),
    ),
    PatternRule(  # ramming a crowd: "someone should drive a truck into that march"
        "ramming_crowd_rule", (VI,),
        r"\b(?P<v>drive|plow|plough|ram|run|steer) (?:a |my |the |his |her |their |your |ur |this |that )?(?:truck|car|van|lorry|suv|bus)"
        r" (?:into|through) (?:the |that |those |these |a |this )?(?:\w+ )?(?:crowd|crowds|parade|protest|protesters|protestors|"
        r"march|marchers|rally|demonstrators|demonstration|vigil|festival|pride)\b",
        0.8, SPEECH | {"news", "history", "fiction"}, keywords=frozenset({"drive", "plow", "plough", "ram", "run", "steer"}),
    ),
    PatternRule(
        "glorification_attacker_rule", (VI,),
        rf"\b(?:the |that |those |this )?(?:\w+ )?{_SHOOTERS} (?:is|are|was|were) (?:\w+ )?(?P<v>{_PRAISE})\b"
        r"|\b(?:shooting|massacre|attack|bombing|genocide|school shooting|mass shooting)s? (?:was|were|is) (?:so )?(?:beautiful|glorious|based|awesome|epic|hilarious|deserved|a good thing)\b"
        r"|\bwe need more (?:school |mass )?(?:shootings|massacres|bombings|of them)\b"
        r"|\bfinish(?:es)? (?:what|the job) (?:he|they|she) started\b"
        rf"|\bthe (?:man|guy|woman|person|kid|boy|dude|lad|men|guys) who (?:{_ATTACKED}) {_VICTIM_OR_THE}(?: \w+){{0,3}}? "
        r"(?:is|was|are|were) "
        rf"(?:\w+ )?(?P<w>{_PRAISE})\b",
        0.8, SPEECH | {"news"},
        requires=(rf"\b{_SHOOTERS}|\b(?:shooting|massacre|attack|bombing|genocide|we need more|finish|{_ATTACKED})",),
        keywords=first_words(*_ATTACKED_WORDS) | frozenset({'shooter', 'shooters', 'gunman', 'gunmen', 'bomber', 'bombers', 'attacker', 'attackers', 'killer', 'killers', 'terrorist', 'terrorists', 'shooting', 'shootings', 'massacre', 'massacres', 'attack', 'bombing', 'bombings', 'genocide', 'more', 'finish', 'finishes'}),
    ),
    PatternRule(
        "glorification_hate_attack_rule", (HC,),
        rf"\b{_HATE_ATTACKS} (?:{_SHOOTERS}|shooting|massacre|attack) (?:is|are|was|were) (?:\w+ )?(?P<v>{_PRAISE}|beautiful|glorious|based)\b",
        0.8, SPEECH | {"news"}, requires=(rf"\b{_HATE_ATTACKS}\b",), keywords=frozenset({'christchurch', 'paso', 'pittsburgh', 'tree', 'buffalo', 'charleston', 'utoya', 'halle', 'poway', 'pulse', 'vista'}),
    ),
))
