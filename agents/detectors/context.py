"""Context checks that clear a verdict: the words are there, the violation is not.

Each check names a classic false positive of keyword moderation:
- counter_speech: condemning or reporting the words ("saying 'X are vermin' is disgusting");
- negation: "I would never ...", "immigrants are not parasites";
- quotation: reporting what someone else said ("he said '...'");
- news: third-person reporting of crimes and arrests;
- reclaimed: a slur used by a member of the group it targets;
- hyperbole: a threat with a trivial condition, laughter, or a sports/gaming frame;
- recovery: talking about one's own recovery or asking for help (self-harm);
- correction: debunking election misinformation ("False: you cannot vote by text");
- legislative: a party voting on a bill on Thursday is not a wrong voting date;
- medical: a prescription or pharmacy next to a drug name is not a sale;
- history: "in 1942 the Nazis began to exterminate the jews" tells history, calls on no one;
- protective: sex education, prevention, reporting or prosecution of child abuse, warning signs;
- warning: a warning about scams or sellers, not an offer ("don't send these sellers money");
- fiction: a plot, a character, a game ("in Breaking Bad Walt sells meth");
- joking: laughter in the sentence (not sports words, which hyperbole takes);
- attributed: reporting that names its source ("the commission announced"; "BREAKING" is none);
and, for the learned heads, which have no matched span:
- non_protected / no_group: hateful conduct needs a protected group; "lawyers are scum" names none;
- own_struggle: "I want to kill myself" is a person's own distress, not encouragement.
- topic: "the film deals with suicide" names self-harm as a work's or study's subject.
- self_directed: "I'm such an idiot" insults the speaker, nobody else.
- received_insult: "my boss called me an idiot" reports an insult, aims none.
- thing: "this printer is garbage" slights a thing, and no person is named or addressed.
- idiom: "shoot the messenger", "lock her up", "hanging out" harm no one (violence and self_harm heads).

Checks look at the sentence that carries the verdict (see `sentences`). Three cues often
sit in the sentence next to it, so they are looked for there too: the condemnation after a
quoted slur ("'X are rats.' Disgusting."), the reporting verb before a quote on its own
line, and a speaker's self-identification, recovery talk or correction. A news sentence,
laughter or a trivial condition clears only its own sentence.

All regexes run on skeleton text (see `normalize`), compiled once at import.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Callable

from agents.detectors import literals
from agents.detectors.lexicon import (IDENTITY_WORDS, INSULT_WORDS, NON_PROTECTED_WORDS, SELF_IDENTIFIERS, SLIGHT_WORDS,
                                     SPEAKER_WILL, THING_WORDS, alt)
from agents.detectors.normalize import compile_skeleton
from agents.detectors.sentences import CLAUSE_START, Sentences


@dataclass(frozen=True, slots=True)
class Span:
    """A match in skeleton text; `trigger` is where the key word starts (negation looks before it)."""

    start: int
    trigger: int
    end: int


#: Where a clause ends: a mark, "but", or a condition put to someone before what the speaker will do ("if you don't
#: stop I'll ..."): its negation is the condition's, not the threat's.
_CLAUSE_END = compile_skeleton(
    r"[,.!?\n;:]|\bbut\b|\b(?:if|unless) (?:you|u|ya|they|he|she|y'all|yall)\b[^,.!?\n;:]{0,80}? "
    rf"(?=(?:i|we)(?:{SPEAKER_WILL})\b)"
)

_FRAME = compile_skeleton(
    r"\b(?:saying|say|says|said|calling|calls|call|called|telling|tell|tells|told|posts? like|tweets? like|"
    r"comments? like|words like|things like|people who|anyone who|those who|someone who|whoever|folks who|"
    r"when (?:people|you|they|someone) (?:say|call|tell|post|tweet)|if you (?:think|believe|say|agree)|"
    r"(?:people|anyone|those|someone|whoever|folks) who (?:think|thinks|believe|believes)|hating|to hate|hatred (?:of|for|towards?))\b"
)
_CONDEMN = compile_skeleton(
    r"\b(?:not (?:ok|okay|acceptable|funny|fine|free speech|a joke|normal)|never (?:ok|okay|acceptable|funny|a joke|fine)|"
    r"disgusting|vile|unacceptable|abhorrent|despicable|appalling|shameful|wrong|hateful|racist|bigoted|bigots?|"
    r"bigotry|antisemitic|antisemitism|islamophobic|islamophobia|homophobic|homophobia|transphobic|xenophobic|"
    r"misogynistic|misogyny|sexist|hate speech|horrible|sick|evil|dangerous|dehumanizing|dehumanising|ashamed|"
    r"the worst|awful|terrible|no place for|condemn|denounce|propaganda|liars|lie about|lying about|murderers|"
    r"racists|bigots|pathetic|cowardly|tired of|sick of|fed up with|unfollow me|block me|knock it off|cut it out|"
    r"log off|touch grass|go outside|grow up|do better|get a grip|"
    r"reported|report (?:them|those|these|him|her|this|it|"
    r"the accounts?)|stand against|call (?:it|this|them) out)\b"
)
_STOP_FRAME = compile_skeleton(r"\bstop (?:saying|calling|telling|posting|tweeting)\b")
#: "wouldn't it be a shame if ...", "isn't it time we ...": a rhetorical question asserts, it negates nothing
_NEGATION = compile_skeleton(
    r"\b(?:never|not(?! gonna lie| going to lie)|no|don't|dont|do not|doesn't|does not|didn't|did not|"
    r"(?:won't|wont|wouldn't|isn't)(?! it\b| that be\b)|will not|would not|can't|cant|cannot|couldn't|shouldn't|"
    r"should not|aren't|ain't|nobody should|no one should|nor)\b"
)
QUOTATION_LABEL = "quotation (reported speech)"
_QUOTED = (re.compile(r'"[^"\n]{1,240}"'), re.compile(r"(?<![a-z0-9])'(?:[^'\n]|(?<=[a-z])'(?=[a-z])){1,240}'(?![a-z0-9])"))
_REPORTING = compile_skeleton(
    r"\b(?:said|says|say|saying|told|tells|tell|wrote|writes|tweeted|tweets|posted|posts|shouted|yelled|screamed|"
    r"chanted|texted|messaged|dm'd|called|calling|quote|quoting|claimed|claims|according to|read|reads|heard|"
    r"repeating|repeated|like)\b"
)
_NEWS = compile_skeleton(
    r"\b(?:police|authorities|officials|prosecutors|court|charged|arrested|arrest|sentenced|convicted|jailed|"
    r"indicted|accused|alleged|allegedly|according to|reportedly|suspect|breaking|investigation|investigators|"
    r"trial|claimed responsibility|airstrike|ministry|documentary|seized|bust|raid)\b"
)
#: laughter and "just kidding" ("not kidding" is none): the joking check, and a cue of hyperbole
_LAUGH = (r"\b(?:lol|lmao|lmfao|rofl|haha\w*|hehe\w*|jk|j/k|just kidding|(?<!not )(?<!n't )(?<!no )kidding)\b|"
          r"[\U0001F602\U0001F923\U0001F480\U0001F62D\U0001F606\U0001F605\U0001F61C]")
#: Who a contest is against: "beat you at chess", "crush them in the final".
_CONTESTANT = r"(?:you|u|ya|him|her|them|y'all|yall)"
_HYPERBOLE = compile_skeleton(
    _LAUGH + r"|"
    # praise: "you killed it", "she kills it every night"
    r"\b(?:kill|kills|killed|killing|killin|slay|slays|slayed|slaying|murdered|murders|smashed|smashes|crushed|crushes|"
    r"nailed|nails) it\b|"
    r"\b(?:burn|burns|burning|rot|rots|rotting|roast|suffer) in hell\b|\bgo to hell\b|"  # damnation, not a physical harm
    r"\b(?:beat|beating|destroy|destroying|crush|crushing|smash|smashing|wreck|wrecking|own|thrash|thrashing) "
    + _CONTESTANT + r" (?:at|in) (?!(?:the|your|ur|his|her|their) (?:head|face|teeth|mouth|"
    r"street|streets|parking lot|car park|alley|ass|sleep|jaw|ribs|stomach|gut|balls)\b)\w+|"  # a contest
    r"\b(?:kill|murder|slaughter|annihilate|demolish|obliterate|bury) " + _CONTESTANT + r" (?:at|in) "
    r"(?:chess|scrabble|mario kart|fifa|madden|poker|pool|darts|trivia|bowling|tennis|golf|cards|monopoly|uno|ping pong|"
    r"karaoke|quiz night|pub quiz|pickleball|basketball|smash bros|catan)\b|"  # a game named, for the strongest verbs
    r"\b(?:if|when|unless|before)\b.{0,60}\b(?:spoil\w*|finale|ending|episode|season|last slice|fries|pizza|snacks?|"
    r"leftovers|chocolate|coffee|charger|hoodie|remote|playlist|netflix)\b|"
    r"\b(?:game|match|playoffs?|finals?|tournament|league|court|field|pitch|ranked|1v1|scrim|fortnite|cod|champions|"
    r"champs|trophy|title|crown|"
    r"warzone|valorant|minecraft|halo|rematch|gg|noobs?|boss|raid|pvp|on (?:saturday|sunday)|team|speedrun\w*|respawn\w*|"
    r"playthrough|boss fight|dark souls|elden ring|skyrim|roblox|gta|rink|goalie|goalkeeper|overtime|innings|scoreboard)\b|"
    r"\b(?:beat|won|lost|crushed|smashed|thrashed|edged|downed|routed)(?: \w+){0,3}? \d{1,3} ?- ?\d{1,3}\b"  # a score
)
_RECOVERY = compile_skeleton(
    r"\b(?:recover\w*|in recovery|clean (?:from|for)|days? clean|years? clean|treatment|therapist|therapy|hotline|"
    r"helpline|988|crisis line|crisis text line|lifeline|samaritans|get help|getting help|reach out|support group|"
    r"prevention|awareness|how (?:do|can|should|could) (?:i|we) (?:help|support)|(?:how|ways?) to (?:help|support)|"
    r"support (?:a friend|my friend|someone|a loved one|loved ones)|"
    r"help (?:him|her|them|a friend|my friend|my (?:son|daughter|sister|brother|kid|child|partner))|warning signs)\b"
)
_CORRECTION = compile_skeleton(
    r"\b(?:false|fake|not true|untrue|myth|misinformation|disinformation|hoax|debunked|scam|fact check|a lie|lies|lying|"
    r"ignore anyone|don't fall for|do not fall for|rumou?r)\b"
)
_LEGISLATIVE = compile_skeleton(
    r"\b(?:bill|bills|budget|amendment|resolution|motion|measure|nominee|nomination|confirmation|legislation|"
    r"senate|house|congress|committee|caucus|parliament|council|impeachment|filibuster|speaker|chamber|floor|"
    r"in the (?:senate|house|legislature|assembly))\b"
)
_MEDICAL = compile_skeleton(
    r"\b(?:pharmacy|pharmacies|pharmacist|prescribed|prescribes|prescription (?:is|was|ran|got|refill)|"
    r"my (?:doctor|doc|psychiatrist|prescription|script|refill|dose|meds)|refills?|insurance|copay|dosage|shortage|"
    r"walgreens|cvs|boots|side effects|withdrawal|overdose|narcan|naloxone|rehab|treatment)\b"
)
#: What no pharmacy says: no prescription needed, a street price per pill, a fresh batch.
_NO_SCRIPT = compile_skeleton(r"\b(?:no|without (?:a |any )?|don't need (?:a )?)(?:prescription|script|rx)\b"
                              r"|\b(?:selling|sell|for sale|wts)(?: [\w']+){0,2}? (?:my|extra|leftover|spare) (?:prescription|script|meds|pills)\b"
                              r"|\b\d+ (?:each|a pop|apiece|a pill|a tab|a bar)\b|\b(?:fresh|new) batch\b")
_HISTORY = compile_skeleton(
    r"\b(?:history|historical|historians?|in (?:1[0-9]|20)[0-9][0-9]|during (?:the )?(?:war|holocaust|genocide|occupation)|"
    r"nazis|nazi germany|hitler|third reich|wwii|ww2|world war|centuries ago|ancient|medieval|textbooks?|"
    r"lesson|museum|memorial|slavery|jim crow|apartheid|colonial|inquisition|crusades)\b"
)
_PRESENT_CALL = compile_skeleton(
    r"\b(?:we|us|let's|lets|i|i'm|im|you|u|should|must|need to|needs to|have to|gotta|ought|deserve|will|gonna|"
    r"right|correct|based|good|great|again|today|now)\b"
)
_PROTECTIVE = compile_skeleton(
    r"\b(?:sex(?:ual)? (?:education|ed|health|abuse|assault|exploitation|predators?|offenders?|offen[cs]es|crimes?)|"
    r"age of consent|protect\w*|prevent\w*|safeguard\w*|child safety|report\w*|ncmec|cybertipline|"
    r"law enforcement|sentenced|convicted|arrested|charged|groomers?|grooming|warning signs|know the signs|"
    r"signs of|trusted adult|talk to your (?:kids|children)|parents(?= ?:)|parents (?:should|can|need to|must)|teach (?:your )?(?:kids|children))\b"
)
_WARNING = compile_skeleton(
    r"\b(?:(?<!no )(?<!not a )scams?|scammers?|scammed|beware|warning|watch out|be careful|stay away|"
    r"don't (?:buy|send|fall|trust|pay|do it)|do not (?:buy|send|fall|trust|pay|do it)|never buy|stop (?:buying|selling)|"
    r"check your|avoid|keeps? (?:thieves|dealers|scammers)|"
    r"should be (?:banned|reported|arrested|removed|shut down|jailed)|report (?:them|these|those|it|the accounts?))\b"
)
_FICTION = compile_skeleton(
    r"\b(?:novel'?s?|book|books|film|movie|tv show|the show|series|episode|season \d+|character|characters|plot|"
    r"fictional|fiction|protagonist|villain|heroine|storyline|screenplay|sitcom|anime|manga|in the game|video game|"
    r"breaking bad|the wire|narcos|sherlock|game of thrones)\b"
)
#: A story named as one, for the learned heads: a rule's "fiction" cue words ("film", "book") are verbs too.
_STORY = compile_skeleton(
    r"\b(?:villain|villains|character|characters|protagonist|antagonist|heroine|plot|storyline|chapter|novel|fictional|"
    r"in (?:the|this|that) (?:movie|film|book|show|game|series|episode|novel|comic|manga|anime))\b"
)
_LAUGHTER = compile_skeleton(_LAUGH)
#: Self-harm as a work's or a study's subject ("the film deals with suicide", "a study of self-harm rates").
_TOPIC = compile_skeleton(
    r"\b(?:film|movie|book|novel|show|series|episode|documentary|article|essay|paper|study|research|report|podcast|"
    r"song|album|lecture|course|class|play|exhibit|exhibition)s? (?:deals?|dealt|dealing|is|are|was|were|about|"
    r"explores?|explored|exploring|depicts?|depicted|discuss(?:es|ed)?|covers?|covered|addresses|addressed|tackles?|"
    r"tackled|looks? at|examines?|examined)\b(?: \w+){0,3}? (?:suicide|self[ -]?harm|eating disorders?|anorexia|"
    r"bulimia|depression|overdoses?)\b"
    r"|\b(?:suicide|self[ -]?harm|overdose) (?:rates?|statistics|figures|numbers|data|research|risk factors)\b"
)
#: Reporting with its source named: officials, courts, police, commissions say so (not "BREAKING").
_ATTRIBUTED = compile_skeleton(
    r"\b(?:officials?|authorities|police|prosecutors|investigators|the court|a court|judge|commission|ministry|"
    r"agency|spokes(?:man|woman|person)|reuters|ap|afp|board|election office|secretary of state|county clerk)"
    r"(?: \w+){0,3}? (?:said|says|say|announced|warned|confirmed|"
    r"reported|charged|found)\b|\b(?:according to|reportedly|was charged|were charged|pleaded guilty|warned of|"
    r"warned that|announced)\b"
)
NEWS_LABEL = "news reporting"  #: the news check's reason label (the check is in HEADS_LOWER_ONLY)
_TRADING = compile_skeleton(r"\b(?:sell\w*|buy\w*|trad\w*|for sale|dm me|hmu|hit me up|send me|swap|price)\b")
_SELF_ID = {
    group: compile_skeleton(
        r"\b(?:as an?|i'm an?|im an?|i am an?|we|us|fellow|my fellow|we're|we are)(?: \w+){0,2}? " + alt(*words) + r"s?\b"
    )
    for group, words in SELF_IDENTIFIERS.items()
}


_ANY_SELF_ID = compile_skeleton(
    r"\b(?:as an?|i'm an?|im an?|i am an?|we|us|fellow|my fellow|we're|we are)(?: \w+){0,2}? "
    + alt(*(w for words in SELF_IDENTIFIERS.values() for w in words)) + r"s?\b"
)
_IDENTITY = compile_skeleton(r"\b" + alt(*IDENTITY_WORDS) + r"\b")
_NON_PROTECTED = compile_skeleton(r"\b" + alt(*NON_PROTECTED_WORDS) + r"\b")
#: "made a mistake", "make stupid choices": what one does, not what one is called
_SLIGHT = compile_skeleton(r"\b(?<!made )(?<!make )(?<!makes )(?<!making )" + alt(*SLIGHT_WORDS) + r"\b")
#: A negation that scopes the next few words of its clause ("are not", "aren't all", "don't hate"),
#: but not a speaker's hedge before a generalisation ("I'm not saying ...", "not racist but").
_NEGATES_NEXT = compile_skeleton(
    r"\b(?:not|never|aren't|arent|isn't|isnt|ain't|wasn't|weren't|don't|dont|doesn't|do not|does not|didn't|"
    r"did not|no longer|nothing like)(?! (?:saying|trying|being|gonna lie|going to lie|to be (?:racist|rude|mean)|be\b))"
    r"(?: (?:all|any|really|just|actually|even|necessarily|inherently|generally|always|so|that|as|such|the|a|an|some|"
    r"more|most|of|them|born|being|automatically|by nature))* ?$"
)
#: A negation of a good word ("not welcome", "never any good", "don't belong"): the slight itself.
_NEGATED_GOOD = compile_skeleton(
    r"\b(?:not|never|aren't|arent|isn't|isnt|ain't|don't|dont|doesn't|do not|does not|shouldn't|should not|"
    r"can't|cannot|no)(?: (?:be|all|any|really|even|ever|truly|fully|real|a|an|the|to|as|of|at))* "
    r"(?:good|welcome|welcomed|human|humans|equal|equals|belong|deserve|trustworthy|trusted|safe|smart|"
    r"intelligent|capable|normal|natural|allowed|wanted|needed|worth|worthy|clean|civilized|civilised|decent|"
    r"right|rights|fit)\b"
)
_SELF_INSULT_WORD = (r"(?: (?:such|so|a|an|the|total|complete|absolute|utter|real|fucking|fking|massive|huge|big|little|bit|of|"
                     r"like))* " + alt(*INSULT_WORDS, "dumb", "stupid", "ugly", "fat", "gross", "useless", "mess", "wreck",
                                        "dork", "nerd") + r"\b")
_SELF_INSULT = compile_skeleton(
    r"\b(?:i'm|im|i am|i was|i've been|ive been|i feel|i felt|i look|i looked|call me)" + _SELF_INSULT_WORD
    + r"|\bwhat an?" + _SELF_INSULT_WORD + r"(?: \w+)?? i (?:am|was)\b"
)
_RECEIVED_INSULT = compile_skeleton(
    r"\b(?:(?:called|calls|calling|call|named) me|(?:said|says|told me|tells me|thinks|thought) (?:that )?"
    r"(?:i was|i'm|i am|im))" + _SELF_INSULT_WORD
)
_SECOND_PERSON = compile_skeleton(r"\b(?:you|u|ur|your|yourself|ya|y'all|yall)\b")
#: A thing, not a person, as the subject of the slight ("this printer is garbage", "what a stupid rule").
_THING = alt(*THING_WORDS)
#: Animals slighted as people are ("my dog is such an idiot"): subjects only, never a threat's object.
_PET = r"(?:dog|dogs|cat|cats|puppy|kitten|parrot|hamster|pet|pets|goat|horse)"
_SLIGHTED = alt(*SLIGHT_WORDS, "shit", "crap", "bullshit", "rubbish")
#: Nouns naming people (or insulting them), so a noun phrase holding one is a person, not a thing.
_PERSONISH = alt(
    "guy", "guys", "man", "men", "woman", "women", "girl", "girls", "boy", "boys", "kid", "kids", "dude", "bro", "lady",
    "people", "person", "folks", "mom", "mum", "mother", "dad", "father", "wife", "husband", "boyfriend", "girlfriend",
    "bf", "gf", "ex", "boss", "sister", "brother", "son", "daughter", "friend", "friends", "teacher", "coworker",
    "neighbour", "neighbor", "ref", "refs", "referee", "coach", "mayor", "president", "senator", "governor", "minister",
    "judge", "cop", "cops", "officer", "player", "players", "captain", "manager", "keeper", "goalie", "driver", "owner",
    "host", "author", "writer", "singer", "actor", "actress", "rapper", "child", "children", "baby", "family", "parents",
    "cousin", "uncle", "aunt", "grandma", "grandpa", "roommate", "classmate", "colleague", "landlord", "tenant",
    "customer", "client", "student", "students", "nurse", "doctor", "priest", "pastor", "imam", "rabbi", "user",
    *INSULT_WORDS, *IDENTITY_WORDS,
)
_THING_SUBJECT = compile_skeleton(
    r"\b(?:this|that|the|my|our)(?: (?:new|old|whole|entire|damn|fucking|stupid|little))* (?:" + _THING + "|" + _PET
    + r") (?:is|was|are|were|looks|sounds|seems|feels)(?: (?:so|such|a|an|total|complete|absolute|utter|fucking|"
    r"fking|pure|just|literally|really|piece of|little|big))* " + _SLIGHTED
    + r"\b|\bwhat an? (?:\w+ )?" + _THING + r"\b"
    + r"|\b(?:stupid|dumb|silly|idiotic|ridiculous|pathetic|trash|garbage|crappy|shitty|useless) " + _THING + r"\b"
    # "this weather sucks", "my dumb cat knocked over my coffee"
    + r"|\b(?:this|that|the|my|our)(?: (?:new|old|whole|entire|damn|fucking|stupid|little))* (?:" + _THING + "|" + _PET
    + r") (?:sucks|sucked|blows|stinks|stank)\b"
    + r"|\b(?:my|our|the|this|that) (?:stupid|dumb|silly|idiot|crazy|derpy) " + _PET + r"\b"
    # any noun phrase that names no person as the subject: "the new tax proposal is stupid", "our defence tonight was
    # pathetic" (the sentence must name or address nobody either: `_PERSON_NAMED`)
    + r"|" + CLAUSE_START + r"(?:the|this|that|these|those|our|my|their|his|her|your) "
    r"(?:(?!" + _PERSONISH + r"\b)[a-z]+ ){1,3}"
    r"(?:is|was|are|were)(?: (?:so|such|a|an|total|complete|absolute|utter|just|literally|really|honestly|pretty|"
    r"beyond))* " + _SLIGHTED + r"\b"
)
#: An insult denied of the addressee ("you're not an idiot", "I'm not calling you stupid"); "don't be stupid" is none.
_DENIED_INSULT = compile_skeleton(
    r"\b(?:(?:you're|youre|you are|ur|u r|you)(?: (?:really|just|honestly))? (?:not|never|aren't|arent|ain't)|"
    r"(?:not|never|n't|wont|won't) (?:be )?(?:calling|call|saying|say|said|called) (?:you|u|him|her|them|my \w+|your \w+|"
    r"anyone|anybody|someone|people)(?:'re| are)?)"
    r"(?: (?:a|an|so|that|such a|being|at all|even|remotely))* " + _SLIGHTED + r"\b"
)
#: Someone told to kill themselves: self-harm encouragement (and abuse), not violence against others, unless
#: the speaker also says what they will do ("kill yourself or I'll do it for you").
_SELF_KILL_TOLD = compile_skeleton(
    r"\b(?:kys|(?:kill|hang|shoot|off|unalive) (?:yourself|urself|yourselves|your self|themselves|himself|herself))\b"
)
_SPEAKER_WILL = compile_skeleton(rf"\b(?:i|we)(?:{SPEAKER_WILL})\b|\bor else\b")
#: Affection beside a mild slight: "my best friend is a total idiot and I love her" is banter, not abuse.
_AFFECTION = compile_skeleton(
    r"\b(?:i love (?:you|u|ya|her|him|them|this \w+|that \w+|my \w+)|love (?:you|u|ya)|luv (?:you|u|ya)|ily|ilysm|"
    r"love (?:her|him|them|you) to bits|bestie|besties)\b|[\u2764\u2665\U0001F970\U0001F618\U0001F495\U0001F496\U0001F60D]"
)
#: Said for a group, not against it: support, sympathy with how it is treated, asking why it is hated.
_SYMPATHETIC = compile_skeleton(
    r"\b(?:deserve|deserves) (?:respect|dignity|rights|equal \w+|better|the same \w+|love|safety|protection|to be safe|"
    r"to be heard|to be happy|to live in peace)\b"
    r"|\b(?:need|needs) (?:our |your |more )?(?:help|support|protection|compassion)\b"
    r"|\bshould (?:be )?(?:paid the same|treated (?:equally|fairly|with respect|the same)|welcomed|protected|respected)\b"
    r"|\b(?:are|is) (?:welcome|valid|loved|wonderful|amazing|beautiful|equal|human too|people too)\b"
    r"|\b(?:stand|standing) (?:with|up for)\b"
    r"|\b(?:hate|hates|sick of|tired of|angry about|upset about) (?:how|the way|that) (?:\w+ ){1,3}(?:are|is|get|gets|were|was)"
    r" (?:being |still |always )?(?:treated|spoken to|talked about|portrayed|attacked|targeted|discriminated against|"
    r"bullied|harassed|mocked|excluded|denied|ignored)\b"
    r"|\bwhy (?:do|does|would|are|is) (?:people|some people|so many people|they|you|anyone|everyone|society) (?:still |so )?"
    r"(?:hate|hating|dislike|attack|attacking|bully|bullying|mock|fear|against)\b"
    r"|\b(?:make|makes|made|making) (?:this|our|the|my|every) (?:country|nation|city|town|community|communities|world|"
    r"society|team|workplace|school|neighbou?rhood) (?:better|stronger|richer|safer|more \w+)\b"
    r"|\b(?:contribute|contributes|contributed) (?:so much|a lot|greatly|enormously|to (?:our|this|the|every))\b"
    # praise that ends the sentence ("immigrants are the best neighbours!"), not "the best at ..."
    r"|\b(?:are|is|were|was) (?:(?:so|such|the|truly|really|honestly|genuinely|always) )*(?:best|greatest|nicest|kindest|"
    r"amazing|brilliant|wonderful|hardworking|hard-working|talented|kind|generous|lovely|awesome|great)"
    r"(?! at\b)(?: (?:people|neighbou?rs|friends|colleagues|workers|parents|cooks|folks))?(?= *(?:[.!\n]|$))"
    # the slight it names is inside the match: "stop treating black people like animals"
    r"|\b(?:stop|quit|no more) (?:treating|calling|portraying|dehumani[sz]ing|blaming|demoni[sz]ing|scapegoating) "
    r"(?:\w+ ){1,3}?(?:like|as)(?: \w+){1,3}"
)
#: A word mentioned, not used: "the word 'idiot' comes from Greek".
_MENTION = compile_skeleton(r"\b(?:the|this|that|a) (?:word|term|slur|phrase|expression|insult)s? [\"']?(?:"
                            + _SLIGHTED + r"|" + alt(*IDENTITY_WORDS) + r")\b|\bthe [nf]-word\b")
#: Violent words in an idiom that harms no one ("shoot the messenger", "lock her up", "this exam will kill me",
#: "a slap on the wrist"), unless the speaker also says what they will do to someone or calls for an execution
#: (_SPEAKER_HARM).
_IDIOM = compile_skeleton(
    r"\bshoot(?:ing)? the messenger\b|\b(?:shoot|shot|shooting|shoots) (?:myself|ourselves|yourself|yourselves|"
    r"themselves|himself|herself|itself) in the foot\b|\bkill(?:ing)? (?:\w+ ){0,2}with kindness\b|"
    r"\block (?:her|him|them|em|'em|you|u|\w+) up\b|\blocked (?:her |him |them |\w+ )?up\b|\block up\b|"
    r"\bslap (?:on|in) the (?:wrist|face)\b|\b(?:kill|kills|killing|killed) me\b|\bover my dead body\b|"
    r"\b(?:bit|bite|biting) the bullet\b|\bdodged? (?:a|that|the) bullet\b|\bjump(?:ed|ing)? the gun\b|"
    r"\bstick(?:ing)? to (?:my|your|our|their|his|her) guns\b|\bguns blazing\b|\btake a stab at\b|"
    r"\bstab in the dark\b|\bstab(?:bed|bing)? (?:me |you |him |her |them |us )?in the back\b|"
    r"\bbeat(?:ing)? (?:a|the) dead horse\b|\bbeat(?:ing)? around the bush\b|\bknock yourself out\b|"
    r"\bbomb(?:ed)? (?:the|my|an?) (?:test|exam|interview|quiz|audition|final)\b|\bdressed to kill\b|"
    r"\bkill(?:ing)? time\b|\bblow (?:your|my|his|her|their) mind\b|\bblew (?:my|your|his|her|their) mind\b|"
    r"\bhang(?:ing|s)? out\b|\bhung out\b|\b(?:die|died|dying|dead) (?:of|from|with) (?:laughter|laughing|embarrassment|"
    r"boredom|cuteness)\b|\bjump(?:ed|ing|s)? (?:off|from) the (?:diving board|high dive|dock|pier|boat|rope swing)\b"
)
_SPEAKER_HARM = compile_skeleton(
    rf"\b(?:i|we)(?:{SPEAKER_WILL}| want to| wanna| could| can| should|'d| would)"
    r"(?: \w+)? (?:kill|shoot|stab|murder|hang|rape|beat|punch|hurt|strangle|choke|burn|bomb|find)\b"
    r"|\b(?:hang|execute|behead) (?:the|that|this|him|her|them|those|these|all|every)\b|\bdeath penalty\b"
)
#: A harm verb whose object is a pest, food, a process or a thing ("kill weeds", "gut a fish", "execute the script").
_HARMLESS_OBJECT = compile_skeleton(
    r"\b(?:kill|killing|kills|gut|gutting|shoot|shooting|stab|stabbing|cut|cuts|cutting|hang|hanging|execute|executing|"
    r"murder|murdering|smash|smashing|slaughter|slaughtering|beat|beating|destroy|destroying|poison|poisoning|"
    r"burn|burning|drown|drowning|choke|choking|slice|slices|slicing|chop|chopping|skin|skinning|blow up|blowing up)"
    r"(?: (?:through|into))?"
    r"(?: (?:a|an|the|my|our|this|that|these|those|some|all|all the|all of the|every|off|off the|down|up))? "
    r"(?:\w+ )?(?:weeds?|fish|bugs?|insects?|pests?|mosquito(?:e?s)?|flies|ants|mice|spiders?|wasps?|termites|germs|"
    r"bacteria|mold|mould|processes|process|tasks?|threads?|servers?|scripts?|commands?|programs?|apps?|engines?|"
    r"lights|music|battery|photos?|pictures?|picture|scenes?|balloons?|time|mood|vibe|buzz|lawn|grass|trees?|steak|"
    r"chicken|turkey|onions?|vegetables|veggies|meat|bread|cake|cheese|pie|loaf|rope|wire|cables?|tape|cardboard|"
    r"deer|hogs?|trout|salmon|tuna|catfish|fabric|paper|wood|budget|clips?|videos?|footage|audio|tracks?|files?|frames?|"
    r"images?|songs?|paragraphs?|sentences?|coupons?|cords?|ribbons?|strings?|"
    r"costs|prices|hair|"
    r"" + _THING + r")\b"
)
_PERSON_NAMED = compile_skeleton(
    r"\b(?:you|u|ur|your|ya|y'all|yall|he|she|they|them|him|her|his|their|guy|guys|man|woman|dude|bro|girl|kid|"
    r"people|person|someone|somebody|whoever|user|idiots?|morons?)\b"
)
_FIRST_PERSON = compile_skeleton(r"\b(?:i|i'm|im|i've|ive|i'd|me|my|myself)\b")
#: Asking for a way to harm oneself, or to hide it ("the most painless way to end my life", "so no one notices"),
#: or weighing one ("which is less painful", "the least calories I need to survive", "will this method work").
#: Words that turn the question to help or meaning ("how can I stop ...", "what is the point of ..."): no method asked.
_HELP_WORDS = (r"stop|quit|avoid|resist|not|never|help|cope|prevent|overcome|talk|tell|recover|heal|survive this|"
               r"get through|deal|support|point|reason|purpose|use")
#: What a method request asks the way to (one's own harm, or its signs: pills, wrists, calories).
_SELF_HARM_ACTS = (
    r"kill myself|killing myself|end my life|end it|die|overdose|od|cut|cutting|slit|slitting|hurt myself|harm myself|"
    r"self[ -]?harm(?:ing)?|(?:commit )?suicide|starve|purge|puke|hang myself|noose|set myself on fire|burn myself|"
    r"burns?|bleed|bleeding|jump off|lethal|fatal|pills|wrists?|calories"
)
_METHOD_REQUEST = compile_skeleton(
    r"\b(?:how (?:can|do|could|should|would|long|much|many|fast|quickly|soon)(?: i| you| one)?|how i (?:can|could|should)|"
    r"how to|(?:best|easiest|quickest|fastest|surest|safest|most painless|least painful|right) way to|ways to|"
    r"methods? (?:to|for|of)|strategies (?:to|for)|(?:tips|suggestions|ideas|advice) (?:to|for|on|about)|"
    r"what(?:'s| is| are| would be)? the (?:best|easiest|quickest|fastest|surest|least|most|minimum|lowest|fewest)|"
    r"is it (?:a )?better(?: idea)? to|which (?:is|would be|one is)? ?(?:less|more|the least|the most))"
    r"(?: (?!" + _HELP_WORDS + r")\S+){0,8}? (?:" + _SELF_HARM_ACTS + r"|hide (?:my|the) (?:cuts|scars|cutting|self[ -]?harm|"
    r"weight loss|not eating))\b"
    r"|\bwithout (?:anyone|anybody|my (?:parents|family|doctor|therapist)|people|no one) (?:noticing|knowing|finding out|"
    r"discovering|seeing)\b|\bso (?:no one|nobody) (?:notices|knows|finds out|discovers)\b|\bno one discovers\b"
    r"|\bpainless (?:ways?|methods?|death|suicide)\b|\blethal dose\b|\b(?:this|that|the) (?:method|way) (?:will |would )?work\b"
    r"|\bsecretly (?:continue|keep|cut|harm|starve|purge)\b"
)
_OTHER_PERSON = compile_skeleton(
    r"\b(?:you|u|ur|your|yourself|urself|yourselves|ya|y'all|yall|he|she|they|them|him|her|his|their|"
    r"themselves|himself|herself|everyone|everybody|people|someone|anyone|girls|guys|others|followers|"
    r"clients|audience|promote|promotes|promoting|encourage|encourages|encouraging|glorify|glorifies|glorifying|"
    r"glamori[sz](?:e|es|ing)|romantici[sz](?:e|es|ing))\b"  # promoting to others is no own struggle
)

class Scan:
    """One post's context matches: each pattern runs at most once per sentence, on demand.

    A check asks "is there a match of X in [a, b)?" (a window of at most a few sentences)
    for every verdict; answering from per-sentence cached scans (sorted, non-overlapping
    matches, found by bisection) keeps a post with many hits linear in its length, and a
    long post with few hits scans only the sentences around them.
    """

    __slots__ = ("text", "sentences", "_found")

    def __init__(self, sentences: Sentences):
        self.sentences = sentences
        self.text = sentences.text
        self._found: dict[tuple[int, int], tuple[list[re.Match[str]], list[int]]] = {}

    def _matches(self, rx: re.Pattern[str], k: int) -> tuple[list[re.Match[str]], list[int]]:
        key = (id(rx), k)  # by id: hashing a Pattern hashes its compiled code
        found = self._found.get(key)
        if found is None:
            a, b = self.sentences.skeleton_bounds(k)
            ms = [] if literals.absent(literals.of(rx), self.text, a, b) else list(rx.finditer(self.text, a, b))
            found = self._found[key] = (ms, [m.start() for m in ms])
        return found

    def within(self, rx: re.Pattern[str], a: int, b: int) -> re.Match[str] | None:
        """The first match lying wholly in [a, b)."""
        index = self.sentences.index
        for k in range(index(a), index(max(b - 1, a)) + 1):
            ms, starts = self._matches(rx, k)
            i = bisect_left(starts, a)
            if i < len(ms):
                return ms[i] if ms[i].end() <= b else None
        return None

    def around(self, rx: re.Pattern[str], a: int, b: int, lo: int, hi: int) -> re.Match[str] | None:
        """A match in [lo, hi) lying wholly before `a` or wholly after `b`."""
        return self.within(rx, lo, a) or self.within(rx, b, hi)

    def containing(self, rx: re.Pattern[str], a: int, b: int) -> re.Match[str] | None:
        """The match that contains [a, b)."""
        ms, starts = self._matches(rx, self.sentences.index(a))
        i = bisect_right(starts, a) - 1
        return ms[i] if i >= 0 and ms[i].end() >= b else None

    def all_within(self, rx: re.Pattern[str], a: int, b: int) -> list[re.Match[str]]:
        """Every match lying wholly in [a, b), one sentence's bounds."""
        ms, starts = self._matches(rx, self.sentences.index(a))
        return [m for m in ms[bisect_left(starts, a):] if m.end() <= b]

    def boundary_before(self, rx: re.Pattern[str], pos: int) -> int:
        """End of the last match ending at or before `pos` in its sentence (else the sentence start)."""
        k = self.sentences.index(pos)
        ms, starts = self._matches(rx, k)
        i = bisect_right(starts, pos) - 1
        while i >= 0 and ms[i].end() > pos:
            i -= 1
        return ms[i].end() if i >= 0 else self.sentences.starts[k]

    def sentence(self, pos: int) -> tuple[int, int]:
        """Skeleton bounds of the sentence holding `pos`."""
        return self.sentences.skeleton_bounds(self.sentences.index(pos))

    def near(self, pos: int, before: int = 1, after: int = 1) -> tuple[int, int]:
        """Skeleton bounds of the sentence holding `pos` and `before`/`after` neighbours."""
        k, last = self.sentences.index(pos), self.sentences.count - 1
        return self.sentences.skeleton_bounds(max(k - before, 0))[0], self.sentences.skeleton_bounds(min(k + after, last))[1]

def _quoted(scan: Scan, span: Span) -> tuple[int, int] | None:
    for rx in _QUOTED:
        m = scan.containing(rx, span.start, span.end)
        if m:
            return m.start(), m.end()
    return None


def counter_speech(scan: Scan, span: Span, group: str) -> str:
    a, _ = scan.sentence(span.start)
    if scan.within(_STOP_FRAME, a, span.start):
        return "counter-speech (stop saying ...)"
    framed = scan.within(_FRAME, a, span.start) or _quoted(scan, span)
    condemn = scan.around(_CONDEMN, span.start, span.end, *scan.near(span.start)) if framed else None
    return f"counter-speech ({condemn.group()!r} about the words)" if condemn else ""


def negation(scan: Scan, span: Span, group: str) -> str:
    a = scan.boundary_before(_CLAUSE_END, span.trigger)
    m = _NEGATION.search(scan.text, max(a, span.trigger - 32), span.trigger)
    return f"negation ({m.group()!r})" if m else ""


def quotation(scan: Scan, span: Span, group: str) -> str:
    q = _quoted(scan, span)
    if q and scan.around(_REPORTING, *q, *scan.near(span.start, after=0)):
        return QUOTATION_LABEL
    return ""


_MENTIONED = compile_skeleton(r"\b(?:the|this|that|a) (?:word|term|slur|insult)s? [\"']?$")


def mention(scan: Scan, span: Span, group: str) -> str:
    """The matched word is talked about ("the word X should never be used"), not said of anyone."""
    m = _MENTIONED.search(scan.text, max(span.start - 24, 0), span.start)
    return f"mention ({m.group().strip()!r})" if m else ""


def reclaimed(scan: Scan, span: Span, group: str) -> str:
    rx = _SELF_ID.get(group)
    return _found(scan, rx, span.start, 1, "reclaimed in-group usage") if rx else ""


def _found(scan: Scan, rx: re.Pattern[str], at: int, neighbours: int, label: str,
           unless: re.Pattern[str] | None = None) -> str:
    """`label (cue)` when `rx` matches the sentence at `at` (and `neighbours` either side), and
    `unless` does not; the one shape of every cue-word check, per span and per sentence."""
    where = scan.near(at, neighbours, neighbours)
    m = scan.within(rx, *where)
    if not m or (unless is not None and scan.within(unless, *where)):
        return ""
    return f"{label} ({m.group()!r})"


def _cue_check(rx: re.Pattern[str], label: str, neighbours: int,
               unless: re.Pattern[str] | None = None) -> Callable[[Scan, Span, str], str]:
    def check(scan: Scan, span: Span, group: str) -> str:
        return _found(scan, rx, span.start, neighbours, label, unless)
    return check


CHECKS: dict[str, Callable[[Scan, Span, str], str]] = {
    "counter_speech": counter_speech,
    "negation": negation,
    "quotation": quotation,
    "news": _cue_check(_NEWS, NEWS_LABEL, 0),
    "reclaimed": reclaimed,
    "mention": mention,
    "hyperbole": _cue_check(_HYPERBOLE, "hyperbole", 0),
    "recovery": _cue_check(_RECOVERY, "recovery/help-seeking", 1),
    "correction": _cue_check(_CORRECTION, "correction", 1),
    "legislative": _cue_check(_LEGISLATIVE, "a vote in a legislature", 0),
    "medical": _cue_check(_MEDICAL, "medical/pharmacy talk", 0, unless=_NO_SCRIPT),
    # past events told as history, with no one here and now being called on
    "history": _cue_check(_HISTORY, "history", 0, unless=_PRESENT_CALL),
    # child-safety talk (education, prevention, reporting, prosecution), with no trade cue
    "protective": _cue_check(_PROTECTIVE, "child-safety talk", 0, unless=_TRADING),
    # a warning about scams or sellers ("fake ID sellers are scammers, avoid them"), not an offer
    "warning": _cue_check(_WARNING, "warning", 0),
    # a plot, a character, a game: "in Breaking Bad Walt sells meth"
    "fiction": _cue_check(_FICTION, "fiction", 0),
    # laughter in the sentence: "this lasagna is a blessed operation lol" (sports words are hyperbole's)
    "joking": _cue_check(_LAUGHTER, "joking", 0),
    # "you absolute clown, I love you": banter between friends
    "affection": _cue_check(_AFFECTION, "affection", 0),
    # reporting that names its source ("the commission announced", "prosecutors said")
    "attributed": _cue_check(_ATTRIBUTED, "attributed reporting", 0),
}


#: checks that clear a rule hit but only lower a learned head (HEAD_CONTEXTS): a bare news word
HEADS_LOWER_ONLY = frozenset({"news"})
_STANDS = ("", False)


def suppression(scan: Scan, span: Span, checks: frozenset[str], group: str = "") -> tuple[str, bool]:
    """(the first context reason that clears this hit, whether that check only lowers a learned head
    on the sentence, `HEADS_LOWER_ONLY`), or ("", False) when it stands."""
    for name, check in CHECKS.items():
        if name in checks:
            reason = check(scan, span, group)
            if reason:
                return reason, name in HEADS_LOWER_ONLY
    return _STANDS


# --- learned heads: a verdict on a whole sentence, no matched span -------------------------


def _sentence_counter_speech(scan: Scan, a: int, b: int) -> str:
    framed = scan.within(_STOP_FRAME, a, b) or scan.within(_FRAME, a, b) or any(scan.within(rx, a, b) for rx in _QUOTED)
    condemn = scan.within(_CONDEMN, *scan.near(a)) if framed else None
    return f"counter-speech ({condemn.group()!r} about the words)" if condemn else ""


def _sentence_quotation(scan: Scan, a: int, b: int) -> str:
    q = next((m for rx in _QUOTED if (m := scan.within(rx, a, b))), None)
    if q and scan.around(_REPORTING, q.start(), q.end(), scan.near(a, after=0)[0], b):
        return QUOTATION_LABEL
    return ""


def outside_quotes(text: str) -> str:
    """`text` without its quoted passages: what the speaker says in their own words."""
    text = text.lower()
    for rx in _QUOTED:
        text = rx.sub(" ", text)
    return text


def _sentence_non_protected(scan: Scan, a: int, b: int) -> str:
    target = scan.within(_NON_PROTECTED, a, b)
    if target and not scan.within(_IDENTITY, *scan.near(a)):
        return f"non-protected target ({target.group()!r}, no protected group named)"
    return ""


#: Words any self-harm verdict needs near it: dying, the acts, their tools, eating and the body's weight.
_SELF_HARM_WORD = compile_skeleton(
    r"\b(?:die|dies|dying|died|dead|death|deaths|kill\w*|suicid\w*|unalive\w*|sewer ?slide|self[ -]?harm\w*|"
    r"selfharm\w*|end (?:it|my|your|their|his|her|this)|ending (?:it|my|your)|cut|cuts|cutting|cutter|scars?|blades?|"
    r"razors?|wrists?|bleed\w*|blood|hurt\w*|harm\w*|overdos\w*|od|pills?|tablets?|meds|jump\w*|bridge|roof|ledge|"
    r"hang\w*|rope|noose|starv\w*|fast\w*|eat\w*|food|meals?|calories|cals|purg\w*|throw up|thin|skinny|weight|fat|"
    r"ana|mia|thinspo\w*|bones?|burn\w*|live|living|alive|life|exist\w*|gone|breathe|breathing|wake up|grave|"
    r"funeral|poison\w*|bleach|gun|shoot\w*|drown\w*|pain\w*|punish\w*|worthless|ctb|yourself|urself|myself|"
    r"themselves|himself|herself)\b"
    "|[\U0001F52A\U0001FA78\U0001F48A\u26B0\U0001FAA6\U0001F480\u2620\U0001FAA2\U0001F489]"  # knife, blood, pills, coffin, noose
)


#: Words any violence verdict needs near it: harm verbs and their outcomes, weapons, blood and death.
_VIOLENCE_WORD = compile_skeleton(
    r"\b(?:kill\w*|murder\w*|die|dies|dying|died|dead|death|deaths|shoot\w*|shot|stab\w*|beat\w*|hit|hits|hitting|"
    r"punch\w*|slap\w*|kick\w*|hurt\w*|harm\w*|attack\w*|fight\w*|assault\w*|rape\w*|raping|torture\w*|"
    r"execut\w*|lynch\w*|hang\w*|hung|burn\w*|bomb\w*|blow up|explod\w*|gun|guns|rifle\w*|pistol\w*|knife|knives|"
    r"machete|bullets?|blood\w*|bleed\w*|chok\w*|strangl\w*|drown\w*|poison\w*|smash\w*|break|broke|"
    r"broken|snap|crush\w*|stomp\w*|destroy\w*|slaughter\w*|massacre\w*|genocide|exterminat\w*|behead\w*|"
    r"gas|gassed|nuke\w*|war|violence|violent|weapon\w*|bat|hammer|crowbar|grave|coffin|body bag|hospital|"
    r"wheelchair|pain|suffer\w*|jump\w*|run over|hunt\w*|bury|buried|throat|skull|neck|head|face|teeth|jaw|"
    r"legs?|arms?|knees?|fist\w*|bruise\w*|injur\w*|wound\w*|threat\w*|revenge|pay|regret|watch|coming|find|"
    r"visit|wait|see|happen\w*|rip|ripped|tear|cut|cuts|slit|gut|gutted|fire|torch\w*|molotov|arson|starv\w*|rope|"
    r"noose|lethal|deadly|wipe out|wiped out|eradicat\w*|purge\w*|lock and load|locked and loaded)\b"
    # weapons, blows, blood and death as emoji ("🔪 the travellers", "i want to 🔫 them"): Hatemoji's violence
    "|[\U0001F52A\U0001F5E1\u2694\U0001F52B\U0001F4A3\U0001F4A5\U0001F9E8\u2620\U0001F480\u26B0\U0001FAA6\U0001FA78"
    "\U0001F489\U0001FA93\U0001F44A\U0001F91C\U0001F91B\U0001F94A\U0001F525\U0001FAA2\U0001F691\U0001F3F9]"
)


def _sentence_own_struggle(scan: Scan, a: int, b: int) -> str:
    """Talk of one's own struggle, to nobody else; asking for a method or how to hide it is no struggle told."""
    me = scan.within(_FIRST_PERSON, a, b)
    if not me or scan.within(_OTHER_PERSON, a, b) or scan.within(_METHOD_REQUEST, a, b):
        return ""
    return f"own struggle ({me.group()!r}, nobody else addressed)"


def _sentence_negated_slight(scan: Scan, a: int, b: int) -> str:
    """A sentence that only denies slights: every slight word in it is negated in its own clause."""
    slights = scan.all_within(_SLIGHT, a, b)
    for m in slights:
        lo = max(scan.boundary_before(_CLAUSE_END, m.start()), m.start() - 48)
        if not _NEGATES_NEXT.search(scan.text, lo, m.start()):
            return ""
    return f"negated slight ({slights[0].group()!r})" if slights else ""


def _sentence_negation(scan: Scan, a: int, b: int) -> str:
    return _found(scan, _NEGATION, a, 0, "negation", unless=_NEGATED_GOOD)


def _sentence_denied_insult(scan: Scan, a: int, b: int) -> str:
    """Every slight in the sentence denied of the addressee ("you're not worthless")."""
    slights, denied = scan.all_within(_SLIGHT, a, b), scan.all_within(_DENIED_INSULT, a, b)
    if not denied or any(not any(d.start() <= m.start() < d.end() for d in denied) for m in slights):
        return ""
    return f"insult denied ({denied[0].group()!r})"


def _sentence_sympathetic(scan: Scan, a: int, b: int) -> str:
    """For the group, with no slight of it in the sentence ("refugees need our help", "why do people hate trans people?")."""
    m = scan.within(_SYMPATHETIC, a, b)
    if not m or any(not m.start() <= w.start() < m.end() for w in scan.all_within(_SLIGHT, a, b)):
        return ""  # none, or a slight outside what it says ("why do people hate muslims? because they are terrorists")
    return f"sympathetic to the group ({m.group()!r})"


def _sentence_cue(rx: re.Pattern[str], label: str, neighbours: int) -> Callable[[Scan, int, int], str]:
    def check(scan: Scan, a: int, b: int) -> str:
        return _found(scan, rx, a, neighbours, label)
    return check


def _alone(rx: re.Pattern[str], label: str, unless: re.Pattern[str]) -> Callable[[Scan, int, int], str]:
    """`label (cue)` when `rx` matches the sentence and `unless` (someone named or addressed) does not."""
    def check(scan: Scan, a: int, b: int) -> str:
        m = scan.within(rx, a, b)
        return f"{label} ({m.group()!r})" if m and not scan.within(unless, a, b) else ""
    return check


def _missing(rx: re.Pattern[str], label: str) -> Callable[[Scan, int, int], str]:
    """`label` when `rx` matches neither the sentence nor its neighbours: the verdict names nothing of its kind."""
    def check(scan: Scan, a: int, b: int) -> str:
        return "" if scan.within(rx, *scan.near(a)) else label
    return check


SENTENCE_CHECKS: dict[str, Callable[[Scan, int, int], str]] = {
    "counter_speech": _sentence_counter_speech,
    "quotation": _sentence_quotation,
    "news": _sentence_cue(_NEWS, NEWS_LABEL, 0),
    "attributed": _sentence_cue(_ATTRIBUTED, "attributed reporting", 0),
    "reclaimed": _sentence_cue(_ANY_SELF_ID, "reclaimed in-group usage", 1),
    "hyperbole": _sentence_cue(_HYPERBOLE, "hyperbole", 0),
    "affection": _sentence_cue(_AFFECTION, "affection", 0),
    # "go kill yourself": the harm told is to oneself (self_harm's), nobody else threatened
    "self_harm_told": _alone(_SELF_KILL_TOLD, "self-harm told, no one else threatened", _SPEAKER_WILL),
    # a story's character or plot, with nobody here addressed ("the villain is a cowardly rat")
    "fiction": _alone(_STORY, "fiction", _SECOND_PERSON),
    "recovery": _sentence_cue(_RECOVERY, "recovery/help-seeking", 1),
    # self-harm as a work's or a study's subject, with nobody here addressed
    "topic": _alone(_TOPIC, "a work's or study's subject", _SECOND_PERSON),
    "own_struggle": _sentence_own_struggle,
    # "I'm such an idiot": the speaker's insult is of themself, and nobody else is addressed
    "self_directed": _alone(_SELF_INSULT, "self-directed", _OTHER_PERSON),
    # "my boss called me an idiot": an insult told of, to nobody addressed here
    "received_insult": _alone(_RECEIVED_INSULT, "reported insult received", _SECOND_PERSON),
    # the slight is of a thing: a thing is its subject and no person is named or addressed
    "thing": _alone(_THING_SUBJECT, "aimed at a thing", _PERSON_NAMED),
    # a harm verb on a thing, pest or food, no person named or addressed ("kill weeds")
    "harmless_object": _alone(_HARMLESS_OBJECT, "harm to a thing", _PERSON_NAMED),
    # a violent word in an idiom, and the speaker says no harm they will do ("shoot the messenger")
    "idiom": _alone(_IDIOM, "idiom", _SPEAKER_HARM),
    "denied_insult": _sentence_denied_insult,
    # a word talked about, to nobody addressed ("the word 'idiot' comes from Greek")
    "mention": _alone(_MENTION, "mention", _SECOND_PERSON),
    "sympathetic": _sentence_sympathetic,
    "non_protected": _sentence_non_protected,
    "negation": _sentence_negation,
    "negated_slight": _sentence_negated_slight,
    # a learned verdict on words that name nothing of its kind is lowered
    "no_group": _missing(_IDENTITY, "no protected group named"),
    "no_self_harm_word": _missing(_SELF_HARM_WORD, "no self-harm word"),
    "no_violence_word": _missing(_VIOLENCE_WORD, "no violence word"),
}

#: Per learned head: the checks that veto its verdict on a sentence, and those that only
#: lower it (by LOWERED: a borderline verdict drops under the floor, a strong one stays at
#: a milder severity). Negation is only a lowering cue here: without a matched span it
#: cannot be tied to the words that carry the verdict; it does not lower when it negates a good
#: word ("not welcome"), and vetoes hateful conduct when every slight in the sentence is denied
#: ("muslims are not terrorists"; abuse keeps it a lowering: "don't be stupid", "at least I'm not
#: stupid" insult on the public val splits). So is a bare news word ("police",
#: "arrested", "trial"): opinions about the news use them as much as reports do; reporting
#: that names its source ("police said", "according to") vetoes. Heads not listed get DEFAULT_HEAD.
HEAD_CONTEXTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "hateful_conduct": (("counter_speech", "quotation", "attributed", "reclaimed", "non_protected", "negated_slight",
                         "mention", "sympathetic"),
                        ("negation", "no_group", "news")),
    "abuse_harassment": (("counter_speech", "quotation", "attributed", "self_directed", "received_insult", "thing",
                          "denied_insult", "mention", "affection", "fiction"),
                         ("negation", "hyperbole", "news")),
    "violence": (("counter_speech", "quotation", "attributed", "hyperbole", "harmless_object", "idiom", "fiction",
                  "self_harm_told"),
                 ("negation", "news", "no_violence_word")),
    "self_harm": (("counter_speech", "quotation", "attributed", "recovery", "own_struggle", "harmless_object", "topic",
                   "idiom"),
                  ("negation", "news", "no_self_harm_word")),
}
DEFAULT_HEAD: tuple[tuple[str, ...], tuple[str, ...]] = (("counter_speech", "quotation", "attributed"), ("negation", "news"))
LOWERED = 0.75


def sentence_context(scan: Scan, k: int, head: str, skip: tuple[str, ...] = ()) -> tuple[str, str]:
    """(veto reason, lowering reason) for a learned head's verdict on sentence k; "" when none.
    `skip` names checks not to apply (the Tagger's: a quotation when the words outside it carry the verdict)."""
    a, b = scan.sentences.skeleton_bounds(k)
    veto, lower = HEAD_CONTEXTS.get(head, DEFAULT_HEAD)
    reason = _first(scan, a, b, tuple(n for n in veto if n not in skip))
    return (reason, "") if reason else ("", _first(scan, a, b, lower))


def _first(scan: Scan, a: int, b: int, names: tuple[str, ...]) -> str:
    return next((reason for name in names if (reason := SENTENCE_CHECKS[name](scan, a, b))), "")
