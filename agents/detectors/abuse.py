"""Abuse and harassment: insults aimed at a person, directed profanity, brigading, denial
of mass-casualty events. Criticism of ideas ("dumbest take") and undirected profanity
("fuck yeah") do not match: every rule needs a person target.
"""

from __future__ import annotations

from agents.detectors.lexicon import INSULT, INSULT_ADJ, INSULT_KEYWORDS, INSULT_WORDS, NOBODY_AT_FUNERAL, alt, first_words
from agents.detectors.rules import SPEECH, PatternRule, RuleSet
from agents.detectors.sentences import CLAUSE_START

AB = "abuse_harassment"
_EVENTS = r"(?:sandy hook|parkland|uvalde|columbine|las vegas shooting|christchurch|manchester arena|bataclan|9/11|the holodomor|srebrenica|the rwandan genocide|the armenian genocide)"

_INSULT_CONTEXTS = SPEECH | {"affection"}  #: insults also cleared by affection beside them ("... I love you")
_BODY = r"(?:boobs|tits|titties|breasts|ass|arse|butt|body|chest|pussy|dick|cock|bits|thighs)"

#: Insults that are nouns for a person ("a moron"), not adjectives ("pathetic") a thing can be too.
_INSULT_NOUN = alt(*(w for w in INSULT_WORDS if w not in ("worthless", "pathetic", "disgusting", "trash", "garbage")))
#: Sentence-start subjects that are not a person's name: "life is a bitch", "this is a joke", "karma's a bitch";
#: a gerund ("flying", "parenting") is an activity, but a few names end in -ing too
_ING_NAMES = alt("sterling", "irving", "manning", "channing", "fleming", "browning", "ewing", "king", "ming")
_NOT_A_NAME = alt("life", "karma", "revenge", "payback", "love", "reality", "winter", "monday",
                  "mondays", "this", "that", "it", "what", "which", "who", "there", "here", "mine", "yours", "nature",
                  "mother nature", "time", "death", "fate", "luck", "gravity", "hindsight", "irony", "the", "she", "he",
                  "you", "today", "tomorrow", "traffic", "work", "school", "homework", "weather", "rain",
                  "everything", "everyone", "nobody", "nothing", "someone", "anyone", "one", "justice",
                  "man", "bro", "dude", "god", rf"(?!{_ING_NAMES}\b)[a-z]+ing")

_SUPERLATIVES = ("ugliest", "dumbest", "stupidest", "fattest", "most pathetic", "most disgusting", "most annoying",
                 "worst person", "biggest loser", "biggest idiot", "biggest joke", "biggest waste", "most useless",
                 "weirdest", "creepiest", "smelliest", "grossest")
_SUPERLATIVE = alt(*_SUPERLATIVES)

RULES = RuleSet("rules.abuse", 5, (
    PatternRule(
        "insult_person_rule", (AB,),
        # "if anyone calls you a freak": someone else's words, told of
        rf"(?<!\bcalls )(?<!\bcalled )(?<!\bcalling )\b(?:you|u|ya|ur)(?: are|'re| r|re| is)?(?:,? {INSULT_ADJ})* (?P<v>{INSULT})\b",
        0.75, _INSULT_CONTEXTS, keywords=INSULT_KEYWORDS,
    ),
    PatternRule(  # about a person, to others: "she's a total moron", "@dana is such a loser"
        "insult_third_person_rule", (AB,),
        rf"(?:(?<![\w@])@\w+|\bhe|\bshe)(?:'s| is)(?:,? {INSULT_ADJ})* (?P<v>{INSULT})\b"
        rf"|\b(?:hes|shes)(?:,? {INSULT_ADJ})* (?P<w>{INSULT})\b",
        0.65, _INSULT_CONTEXTS, keywords=INSULT_KEYWORDS,
    ),
    PatternRule(  # a person named at a sentence's start: "Kevin is a total moron", "Dana's such a liar" (not "life is a bitch")
        "insult_named_rule", (AB,),
        rf"{CLAUSE_START}(?!{_NOT_A_NAME}\b)[a-z]{{3,}}(?:'s| is)(?: such| a| an| just| such a| such an)"
        rf"(?:,? {INSULT_ADJ})* (?P<v>{_INSULT_NOUN})\b",
        0.65, _INSULT_CONTEXTS, keywords=INSULT_KEYWORDS,
    ),
    PatternRule(  # unwanted sexual demands and remarks aimed at the addressee
        "sexual_harassment_rule", (AB,),
        rf"\b(?P<v>send|show|post|dm|drop)(?: me| us)? (?:some |a few |more |a )?(?:pics?|pictures?|photos?|vids?|videos?|nudes)"
        rf" of (?:your|ur|ya) {_BODY}\b"
        r"|\b(?P<n>send)(?: me| us) (?:some |your |ur )?(?:nudes|noods|n00ds)\b"
        r"|\b(?P<u>send|show|post|dm)(?: me| us)? (?:some |a few |more |a )?(?:pics?|pictures?|photos?|vids?|videos?) of what'?s "
        r"under (?:that|your|ur|ya|those) (?:\w+ )?(?:bra|shirt|top|skirt|dress|shorts|towel|clothes|jeans|hoodie|bikini)\b"
        r"|\b(?:you'd|youd|you would|u would|ud|you'll|you will) look (?:so )?(?:better|hotter|prettier|sexier|nicer) "
        r"(?P<l>naked|topless|on your knees|with(?:out)? (?:your|ur|that) (?:top|shirt|bra|clothes)(?: off| on)?"
        r"|with your mouth shut)\b",
        0.7, keywords=frozenset({"send", "show", "post", "dm", "drop", "look"}),
    ),
    PatternRule(
        "insult_vocative_rule", (AB,),
        # "off" only after its verb: folded, "son of a bitch" and "type of bitch" read "off a bitch"
        rf"\b(?:yourself|urself|(?:fuck|piss|back|buzz|bugger|sod|get) off|up|already|now|what)(?:[,!.]+)? (?:you )?(?:{INSULT_ADJ} )*(?P<v>{INSULT})\b",
        0.65, _INSULT_CONTEXTS, keywords=INSULT_KEYWORDS,
    ),
    PatternRule(
        "profanity_directed_rule", (AB,),
        # "what the fuck you ..." is an intensifier, not said to anyone
        r"(?<!\bthe )(?<!\btf )\b(?:go )?(?P<v>fuck|screw) (?:you|u|off|yourself|urself|ya)\b|\bstfu\b"
        r"|\bshut (?:the fuck|the hell|your (?:fucking|stupid|ugly) mouth) up\b",
        0.7, requires=(r"\b(?:fuck|screw|stfu|shut)\b",),
    ),
    PatternRule(  # "you're officially the ugliest girl in year 10"; "you're the worst" is banter, not listed
        "insult_superlative_rule", (AB,),
        rf"\b(?:you're|youre|you are|ur|u r|you|u)(?: (?:officially|literally|easily|honestly|by far|seriously|still))? "
        rf"the (?P<v>{_SUPERLATIVE})\b",
        0.7, SPEECH | {"hyperbole"}, keywords=first_words(*_SUPERLATIVES),
    ),
    PatternRule(  # mockery with no insult noun: "imagine being this dumb", "your game is trash and so are you"
        "insult_mockery_rule", (AB,),
        r"\bimagine being (?:this|that|so) (?P<v>dumb|stupid|ugly|fat|pathetic|braindead|brain dead|brain-dead|thick|"
        r"dense|useless|worthless|desperate|insecure|talentless|clueless|lonely)\b"
        r"|\b(?:is|are|'s|'re) (?:\w+ )?(?:trash|garbage|a joke|pathetic|worthless|disgusting|ugly|stupid|dumb|a disgrace|"
        r"an embarrassment|cringe|a mess|shit|crap|awful|terrible|a waste of \w+) (?P<s>and so (?:are|r|is) (?:you|u))\b",
        0.7, _INSULT_CONTEXTS, keywords=frozenset({"imagine", "so"}),
    ),
    PatternRule(
        "rejection_person_rule", (AB,),
        r"\b(?:nobody|no one|noone) (?:\w+ )?(?P<v>likes|loves|wants|cares about|would (?:even )?miss) (?:you|u)\b"
        r"|\byour (?:mother|mom|mum|parents) should have (?:aborted|drowned) (?:you|u)\b"
        rf"|{NOBODY_AT_FUNERAL}",
        0.65, requires=(r"\b(?:nobody|no one|noone|should have)\b",),
    ),
    PatternRule(
        "brigading_person_rule", (AB,),
        r"\b(?:everyone|everybody|y'all|yall|guys|let's|lets|we should|go|all of you) (?:go )?(?P<v>report|spam|flood|harass|"
        r"brigade|dogpile|mass report|raid|swarm|bombard|pile on|ratio)"
        r"(?: and (?:report|spam|flood|harass))? (?:@\w+|him|her|them|this account|his|her)\b"
        r"|\bmake (?:@\w+|his|her|their)(?:'s| 's)? (?:life|lives|notifications|mentions|dms|inbox|replies|timeline|feed|"
        r"day|week|night|time here) (?:a )?(?:living )?hell\b"
        # bidden with no subject ("Raid @bea's stream tonight"), or a reply campaign ("everyone reply to @tina with ...")
        rf"|{CLAUSE_START}(?P<i>raid|spam|flood|dogpile|mass report|swarm|brigade) @\w+"
        r"|\b(?:everyone|everybody|y'all|yall|all of you|let's all|lets all) (?:go )?(?P<r>reply to|comment on|quote|spam|"
        r"message|dm|tag) @\w+(?:'s \w+)? (?:with|and|saying|until|till)\b",
        0.75, requires=(r"\b(?:report|spam|flood|harass|brigade|dogpile|hell|raid|swarm|bombard|pile|ratio|reply|comment|"
                        r"quote|message|dm|tag)\b",),
    ),
    PatternRule(  # a pile-on kept up until the person leaves: "let's keep reminding her daily until she deletes"
        "campaign_until_gone_rule", (AB,),
        # the leaving ends the clause, or names the platform ("until she quits smoking" is not it)
        r"\b(?:until|till|til|untill) (?:she|he|they|@\w+) (?P<v>deletes?|quits?|leaves?|logs? off|goes private|deactivates?)"
        r"(?: (?:her|his|their) (?:account|page|profile)| (?:twitter|x|the app|this app|the internet|social media|this site|here))?"
        r"(?= ?(?:[.!?,;)]|$|\x00))",
        0.7, requires=(r"\b(?:let's|lets|keep|everyone|everybody|all of you|y'all|yall|don't stop|dont stop|every day|daily)\b",
                       r"\b(?:tag|tagging|remind|reminding|message|messaging|dm|dming|reply|replying|post|posting|spam|"
                       r"spamming|call|calling|harass|harassing|mention|mentioning|quote|quoting|report|reporting|flood|"
                       r"flooding|text|texting|roast|roasting)\b"),
        keywords=frozenset({"until", "till", "til", "untill"}),
    ),
    PatternRule(
        "denial_atrocity_rule", (AB,),
        rf"\b{_EVENTS} (?:was|is) (?:a |an )?(?:total |complete )?(?P<v>hoax|fake|staged|false flag|lie|myth|inside job)\b"
        rf"|\b{_EVENTS} (?:never happened|didn't happen)\b|\bcrisis actors\b",
        0.75, SPEECH | {"news"}, requires=(rf"{_EVENTS}|crisis actors",), keywords=frozenset({'hook', 'parkland', 'uvalde', 'columbine', 'vegas', 'christchurch', 'arena', 'bataclan', '11', 'holodomor', 'srebrenica', 'genocide', 'actors'}),
    ),
))
