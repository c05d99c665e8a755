"""Private information (doxxing): a private person's identifiers (phone, e-mail, street address,
flat number, licence plate, government ID numbers) aimed at them, their home or routine given
away with a call to act on it, threats to expose someone, and requests or bounties for
someone's details.

Items are found on the original text (phone numbers with `phonenumbers`, libphonenumber, plus
the 7-digit local form it leaves out; ID numbers keep their letters) and street addresses on
the skeleton too ("12 W1llow L4ne"). An item counts when a pointer aims it at someone ("her
number is", "call him", "the mod's phone number", "go pay her a visit") in its sentence or a
neighbour, with no business, public-office or own-contact cue there ("call us", "the
senator's DC office", "our front office"). A business's own number in an ad is not doxxing.
Threats, requests and whereabouts are pattern rules (`RULES`), so negation, quotation, news
and fiction clear them. Evidence masks the values: reviewers see the post.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

import phonenumbers

from agents.detectors import literals
from agents.detectors.context import Scan
from agents.detectors.normalize import compile_skeleton
from agents.detectors.rules import HITS_PER_RULE, SPEECH, Hit, PatternRule, RuleSet

PI = "private_info"
RULE_NAMES = ("exposure_gov_id_rule", "exposure_personal_rule")  #: the item hits' rule names (the rest: RULES)

#: Anchored at the start of a run of address characters, local part <= 64 and labels <= 63
#: (RFC 5321): unanchored, a long run with no "@" is rescanned from each word in it (quadratic).
#: Leading ".+-" are trimmed in `_emails` (an address starts at a word character).
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b")
_SSN = re.compile(r"\b(?!000|666|9\d\d)\d{3}[- ](?!00)\d{2}[- ](?!0000)\d{4}\b|\bssn:? ?\d{9}\b", re.IGNORECASE)
_STREETS = (r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|ter|crescent|cres|"
            r"circle|cir|highway|hwy|parkway|pkwy)\b")
_STREET = re.compile(r"\b" + _STREETS)  #: gate on the lowercased text: tried at every number, the address is costly
_ADDRESS = re.compile(r"\b\d{1,6}\s+(?:[A-Za-z0-9][\w'.-]*\s+){1,4}" + _STREETS + r"\.?", re.IGNORECASE)
_ADDRESS_SKELETON = compile_skeleton(r"\b\d{1,6} (?:[a-z][\w'.-]* ){1,4}" + _STREETS)  #: "12 W1llow L4ne", folded
_UNIT = re.compile(r"\b(?:apartment|apt|unit|flat)\.? ?#? ?\d{1,5}[A-Za-z]?\b", re.IGNORECASE)
#: A passport, licence or ID number named as such (letters and digits; "my" before it: one's own).
_ID_NUMBER = re.compile(
    r"\b(?:passport|driver'?s licen[cs]e|driving licen[cs]e|licen[cs]e|national id|id card|social insurance|tax id)"
    r"(?: (?:number|no\.?|#))?[^\n.!?\d]{0,40}?[:#]? ?(?=[A-Z0-9-]*\d)([A-Z]{0,3}\d[\dA-Z-]{5,16})\b", re.IGNORECASE)
_PLATE = re.compile(r"\b(?:licen[cs]e plate|plate)(?: number)?(?: is|:)? ?(?=[A-Z0-9 -]*\d)([A-Z0-9]{2,4}[ -]?[A-Z0-9]{2,5})\b",
                    re.IGNORECASE)
_OWN = re.compile(r"\b(?:my|our)\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
#: In every match of _SSN's first branch (its second holds "ssn"): the case-insensitive patterns
#: cost ~5-7 µs a post each, most of it on posts they cannot match.
_SSN_DIGITS = re.compile(r"\d[- ]\d\d[- ]\d")
#: A run of digits and separators that may hold a phone number. libphonenumber runs only on a
#: window around each of the first PHONE_CANDIDATES runs: over a whole post of digit groups it
#: costs ~50 us per group, so an adversarial megabyte of "12 main" would take seconds.
_PHONEISH = re.compile(r"\+?\d[\d\s().\-]{5,40}\d")
#: What libphonenumber leaves out: a 7-digit local number ("555-0148"), an invalid exchange ("(555) 010-7734").
_LOCAL_PHONE = re.compile(r"(?<![\d-])(?:\(\d{3}\) ?|\d{3}[-. ])?\d{3}[-. ]\d{4}(?![\d-])")
#: A phone number spelled out with spaces to dodge matching ("5 5 5 - 0 1 8 8"): 7, 10 or 11 digits.
_SPACED_PHONE = re.compile(r"(?<![\d-])\d(?:[ .-]{1,3}\d|\d){6,13}(?![\d-])")
_PHONE_DIGITS = frozenset({7, 10, 11})
PHONE_CANDIDATES = 64
_PHONE_PAD = 16  #: context either side of a run: the matcher checks the characters around a number
ITEMS_PER_KIND = HITS_PER_RULE  #: a few pointers are evidence enough
_POINTER = compile_skeleton(
    r"\b(?:his|her|their|this (?:guy|girl|woman|man|bitch|idiot|dude|chick|teacher|nurse|cop)'?s?|@\w+'?s?|[a-z]+'s)"
    r"(?: [\w']+){0,2}? (?:address|@dres|addy|number|phone|cell|email|e-mail|ssn|social security|social|home|location|workplace|"
    r"plate|license|licence|passport|info|details)\b"
    r"|\b(?:lives|live|living|stays) (?:at|on)\b|\bhere'?s where (?:he|she|they) (?:lives?|works?|sleeps?|stays?)\b"
    r"|\b(?:call|text|email|e-mail|spam|flood|message|visit|ring) (?:this|that|him|her|them|his|her)\b"
    r"|\b(?:dox|doxx|doxxed|doxed|leaked|leak|real name is)\b|\bpay (?:him|her|them) a visit\b|\bshow up at\b"
    r"|\b(?:here'?s|this is|posting|found) (?:his|her|their)\b|\bgo say hi\b|\blet (?:him|her|them) (?:know|have it)\b"
    r"|\byou know what to do\b|\bdo what you want with\b|\bspread (?:it|this|the word)\b|\bmake (?:his|her|their) life\b"
    r"|\bhere(?:'s| is) the (?:home |real )?(?:address|number|phone number|email|name) of\b"
    r"|\b(?:tell|give) (?:him|her|them) (?:what|hell)\b|\bexpos(?:ing|e) (?:this|that|him|her|them)\b|\bgo wild\b"
    r"|\b(?:knock|bang|pound) on (?:his|her|their) door\b|\bblow (?:it|him|her|them|(?:his|her|their) phone) up\b"
)
_BUSINESS = compile_skeleton(
    r"\b(?:call us|text us|email us|contact us|our (?:office|store|shop|team|address|number|hours|clinic|salon)|"
    r"book (?:now|an appointment|online|today|to)|to book|open (?:daily|mon\w*|now|24)|visit us|we're located|we are located|"
    r"free (?:quote|estimate|consultation)|for (?:delivery|deliveries|reservations|orders|bookings|absences|appointments)|"
    r"customer (?:service|support)|appointments?|"
    r"hours|support@|info@|sales@|we'll help|we will help|order online|new address|call now|call today|"
    r"(?:is|are|we're|now) located|headquartered|opening hours|reservations?|menu|offices?|hotline|helpline|\.gov|"
    r"(?:call|contact|email|write to) (?:your|the) (?:representative|senator|rep|mp|congressman|congresswoman|council|mayor)|"
    r"(?:store|shop|restaurant|bakery|cafe|bar|pub|salon|clinic|office|hotel|museum|library|gym|venue|gallery|"
    r"theater|theatre|church|mosque|synagogue|temple|school|campus|hq|headquarters|branch|studio|market)s? "
    r"(?:is |are )?(?:at|on|located))\b"
)

_CLEARED = SPEECH | {"news", "fiction"}
_SUBJECT = r"(?:your|ur|his|her|their)"
_DETAIL_WORDS = ("address", "addresses", "number", "numbers", "phone", "info", "information", "details", "location", "ssn",
                 "real name", "name", "workplace", "job", "employer", "nudes", "pics", "photos", "identity", "family", "kids",
                 "school", "socials", "face", "id", "ids", "screenshots")
_DETAIL = "(?:" + "|".join(_DETAIL_WORDS) + ")"  # in the order above (not `alt`'s longest first): matches stay as they were
_TARGET = r"(?:him|her|them|this \w+|that \w+|@\w+)"
#: An imperative: sentence start, after a clause break, or after a call word ("everyone", "go").
_IMPERATIVE = r"(?:(?:^|(?<=\n))|(?<=[,:;!.] )|\b(?:everyone|guys|y'all|yall|let's|lets|go|someone|somebody|please|so) )"
#: A call to act on a person's whereabouts ("let her know how we feel", "just saying", "spread it").
_ACT = (r"\b(?:let (?:him|her|them) know|pay (?:him|her|them) a visit|go say hi|you know what to do|just saying|just so "
        r"(?:you|everyone) knows?|remember that|spread (?:it|this|the word)|do what you want|make (?:his|her|their) life|"
        r"show up|go visit|visit (?:him|her|them)|real name|the snitch|that's where|with (?:her|his|their) (?:\w+ )?kids|"
        r"how we feel|deserves? a visit|pull up|everyone knows|keep (?:that|this) in mind|think about (?:that|it)|"
        r"be careful|(?:you|u)(?: all| guys| lot)? know what to do|y'?all know what to do|everyone knows what to do|"
        r"(?:might|may|would|will) (?:want|like|love) to know|have at it|do (?:your|ur|yer) (?:thing|worst)|"
        r"go (?:ask|tell|confront|find|see|visit|remind) (?:him|her|them)|"
        r"(?:thought|figured) (?:his|her|their|you|y'?all|everyone|people|folks|the world|everybody) (?:\w+ )?"
        r"(?:might|would|should|may)|(?:knock|bang|pound) on (?:his|her|their) door|blow (?:it|him|her|them) up|"
        r"give (?:him|her|them) hell|let (?:him|her|them) have it|(?:go )?make some noise|"
        r"give (?:him|her|them) a (?:\w+ )?(?:welcome|visit|surprise|warm welcome)|have fun with (?:it|this|that|him|her|them)|"
        r"posting (?:this|it) (?:since|because|cause|cuz|so)|(?:since|because|cause|cuz) (?:she|he|they) blocked me|"
        r"(?:someone|somebody|anyone|anybody) (?:should|could|needs to|ought to) (?:wait for|visit|find|pay|teach|show|follow|"
        r"go|have a word|talk to|deal with|confront)|"
        r"if (?:anyone|anybody|someone|you|u|y'?all) wants? to (?:have a word|talk to|visit|find|see|meet|confront|deal with))\b")
#: Someone else, named as the one whose home, routine or family is given away (not "my mom", not "the bus").
_PERSON3 = (r"(?:he|she|they|@\w+|(?:his|her|their) (?:\w+ )?(?:wife|husband|kids?|son|daughter|children|girlfriend|boyfriend|"
            r"partner|mum|mom|dad|sister|brother)(?:'s)?|(?:the|this|that) (?:guy|girl|woman|man|dude|chick|bitch|idiot|creep|"
            r"teacher|nurse|streamer|mod|reviewer|snitch|juror|cop|officer|landlord|barista|cashier|driver|neighbou?r|"
            r"journalist|reporter|witness|judge|boss|manager|ex|coworker|co-worker|kid|lady|bloke))")
#: Where someone lives, as a place: a street, a dwelling, a floor.
_DWELLING = (r"(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|court|ct|way|terrace|place|boulevard|blvd|circle|crescent|close|"
             r"route|rte|highway|hwy|apartments?|apt|building|complex|house|flat|floor|block|estate|cul-de-sac|trailer|dorm|"
             r"halls|tower|condo|bungalow|cottage)")
#: A time of day or of the week someone can be found ("at 7", "around 5:30", "every morning").
_WHEN = (r"(?:at|around|by|after|before|every|until|till|from)(?: about)? (?:\d{1,2}(?::\d\d)?(?: ?[ap]m)?(?![\w-])|noon|midnight|"
         r"dawn|(?:every )?(?:morning|evening|night|day|weekday|weekend|monday|tuesday|wednesday|thursday|friday|saturday|"
         r"sunday)s?\b)")
#: Private facts about someone's health, status or past: exposing them needs no number.
_SENSITIVE = (r"(?:medical|health|therapy|therapist'?s?|psychiatric|psych|mental health|hiv|std|sti|immigration|criminal|"
              r"rehab|abortion|pregnancy|drug test|test|lab|bank|tax) (?:records?|history|results?|status|files?|notes|diagnosis|"
              r"papers|statements?|reports?)")
#: Spreading it: attaching it, screenshots, so that everyone knows.
_BROADCAST = (r"\b(?:attach\w*|screenshots?|so (?:everyone|everybody|the world|you all|y'?all|all of you) (?:knows?|can see|sees)|"
              r"(?:everyone|everybody|people) (?:should|deserves? to|needs? to) know|for (?:everyone|all) to see|"
              r"(?:posting|sharing|leaking|spreading|sending) (?:it|them|this|these|that)|go(?:ing)? viral|spread (?:it|this|the word))\b")

RULES = RuleSet("rules.pii", 7, (
    PatternRule(
        "threat_expose_rule", (PI,),
        r"\b(?:i'?ll|i will|i'?m (?:going to|gonna|about to)|im (?:going to|gonna|about to)|gonna|going to|about to|we'?ll|"
        r"we will|we'?re (?:going to|gonna)|next time i|watch me|i can|i could|or (?:else )?(?:i|we))(?: (?:just|gladly|happily|also|literally|soon))? "
        r"(?P<v>dox|doxx|post|leak|publish|share|expose|release|drop|spread|send out|put out|find and post|tweet|broadcast|"
        r"send|give|dm|pass on)"
        rf"(?: [\w']+){{0,3}}? {_SUBJECT}(?: [\w']+){{0,2}}? {_DETAIL}\b"
        rf"|\b(?:i'?ll|i will|gonna|going to|about to|we'?ll|we will) (?P<w>dox|doxx|expose) (?:you|u|{_TARGET})\b"
        rf"|\b(?:i know|i found|we know|i've found|i have found|we found) (?:where (?:you|u) (?:live|work|sleep)|{_SUBJECT} (?:home )?address)"
        r"(?: [\w',]+){0,8}? (?P<x>post|share|leak|publish|spread|send|tweet|expose) (?:it|them|that)\b"
        rf"|\b(?:shame|pity) if (?:[\w']+ ){{0,4}}(?P<y>found out|knew|learned|got|saw|had) {_SUBJECT} (?:[\w']+ )?"
        r"(?:address|number|location|real name|identity)\b"
        rf"|\b(?:i'?ve got|i got|i have|i found|i know|we have|we know|we'?ve got) (?P<z>{_SUBJECT}) (?:home )?address,? (?:and )?{_SUBJECT}\b"
        r"|\b(?:i'?ve got|i got|i have|got|i found|we have|we'?ve got) (?:his|her|their|this \w+'s|that \w+'s) (?:new |home |real |"
        r"personal |private |work )?(?P<n>number|address|phone number|location|email|socials|info|details|ssn)"
        r"(?: [\w',]+){0,3}?,? (?:anyone|anybody|who|whoever|dm me|dm if|if (?:you|u|anyone)) (?:wants?|needs?|else)\b"
        rf"|(?:(?:^|(?<=\n))|\b(?:i'?m|im|we'?re|now|currently) )(?P<p>posting|leaking|dropping|sharing|exposing|publishing)"
        r"(?: [\w']+){0,2}? (?:your|ur|his|her|their|the \w+'s|this \w+'s|@\w+'s?)(?: [\w']+){0,2}? (?:home |full |real )?"
        r"(?:address|number|phone number|real name|name|ssn|location|workplace|details|info)\b"
        r"|\b(?:found|got|have|i have|i found)(?: (?:the|this|that) \w+'s| (?:his|her|their)) (?:real |full )?(?:name|address|number|identity|"
        r"workplace)(?: and [\w' ]{0,30}?)?,? (?P<d>dropping|posting|leaking|sharing) (?:it|them|both|everything|all)\b"
        r"|\b(?P<l>leaked|leaking|here'?s|here is|posting|found|dropping)[:,]? (?:the |their |his |her )?(?:full |real |legal )?"
        r"(?:name|identity|address|number|workplace|school|home ?town)(?: and (?:the |her |his |their )?(?:\w+ )?(?:name|identity|address|"
        r"number|workplace|school|home ?town))? of (?:the|this|that) (?:girl|guy|woman|man|kid|lady|dude|person|teen|streamer|nurse|"
        r"teacher|driver|cop|mod|reviewer)\b"
        rf"|\b{_SUBJECT} {_DETAIL}(?: and (?:{_SUBJECT} )?{_DETAIL})? (?P<o>go|goes|will go|get|gets|will get|are going|is going) "
        r"(?:out|public|posted|leaked|sent|shared|online|to everyone|viral)\b"
        rf"|\b{_SUBJECT} (?:[\w']+ ){{0,2}}{_DETAIL}(?: [\w',]+){{0,6}}? (?:i'?ll|i will|gonna|i'?m going to) "
        r"(?P<u>post|leak|share|publish|send|expose) (?:it|them|that)\b",
        0.8, _CLEARED,
        requires=(r"\b(?:dox|doxx|post|leak|publish|share|expose|release|drop|spread|send|put|tweet|broadcast|shame|pity|"
                  r"address|posting|leaking|dropping|sharing|exposing|publishing|want|wants|need|needs|else|leaked|here's|heres|"
                  r"here|found)\b",),
        keywords=frozenset(d.split()[-1] for d in _DETAIL_WORDS) | {"dox", "doxx", "expose", "where", "town", "hometown"},
    ),
    PatternRule(
        "threat_expose_location_rule", (PI,),
        r"\b(?P<v>post|share|leak|publish|spread|tweet|drop) (?:it|them|that|this) (?:publicly|online|everywhere|"
        r"with (?:everyone|all|my \w+|the world)|for (?:everyone|all|the world)|on here)\b"
        r"|\b(?:shame|pity) if (?:everyone|everybody|people|the world|others|your \w+)(?: else)? (?P<w>did|knew|found out|saw)\b",
        0.8, _CLEARED,
        requires=(r"\bwhere (?:you|u|your \w+) (?:live|lives|work|sleep)\b|\b(?:your|ur) (?:home )?(?:address|location|number)\b",),
        reach=1, keywords=frozenset({"post", "share", "leak", "publish", "spread", "tweet", "drop", "shame", "pity"}),
    ),
    PatternRule(
        "solicit_exposure_rule", (PI,),
        r"\b(?:anyone|anybody|who|whoever|someone|somebody|y'all|yall)(?: [\w']+){0,2}? (?P<v>know|knows|has|have|got|find|finds|found|"
        r"get|gets|post|drop|dig up|track down)(?: [\w']+){0,2}? (?:where (?:he|she|they|this \w+|that \w+|the \w+|@\w+) "
        r"(?:lives?|works?|sleeps?|stays?)|(?:his|her|their|this \w+'?s|that \w+'?s|the \w+'s|@\w+'?s?)(?: [\w']+)?? "
        r"(?:home )?(?:address|number|phone number|phone|location|real name|workplace|ssn|info|details|socials|identity)"
        r"|the (?:home )?(?:address|number|real name|identity|location) of)\b"
        r"|(?:\$\d+|\b\d+ (?:dollars|bucks)|\ba reward|\breward|\bbounty)(?: [\w']+){0,3}? (?:to|for) (?:whoever|anyone|the first "
        r"(?:person|one)|someone|anybody)(?: [\w']+){0,2}? (?P<w>finds|gets|posts|has|sends|drops|tracks down|digs up|can find)\b"
        rf"|{_IMPERATIVE}(?P<x>find|get|dig up|track down|look up|find out|post|drop|leak|spread|publish|screenshot|send me|grab) "
        r"(?:his|her|their|this \w+'?s|that \w+'?s) (?:home )?"
        r"(?:[\w]+'s )?(?:address|number|phone|location|real name|workplace|family|kids|school|info|id|ids|passport|licen[cs]e|ssn|"
        r"medical records|records)\b"
        rf"|{_IMPERATIVE}(?P<q>find out|figure out|work out|dig up|get|look up) (?:where|which \w+|what \w+) "
        r"(?:he|she|they|his \w+|her \w+|their \w+|this \w+|that \w+)(?: \w+)? (?:lives?|works?|go(?:es)? to|attends?|stays?|"
        r"drives?|parks?|sleeps?)\b"
        rf"|{_IMPERATIVE}(?P<y>dox|doxx) {_TARGET}\b"
        r"|\b(?:whoever|anyone who|the first (?:person|one) (?:who|to)) (?P<b>finds|gets|posts|drops|digs up|tracks down|sends|find|get|post)"
        r"(?: me| us)? (?:his|her|their|this \w+'?s|that \w+'?s|the \w+'s)(?: [\w']+)?? (?:home )?(?:address|number|phone|location|"
        r"real name|workplace|school|info|details|identity)(?: [\w']+){0,3}? (?:gets|wins|earns|receives|will get)\b",
        0.8, _CLEARED,
        requires=(r"\b(?:know|knows|has|have|got|find|finds|found|get|gets|post|drop|dig|track|reward|bounty|sends|posts|"
                  r"look|dox|doxx|screenshot|send|grab|figure|work)\b",),
        keywords=frozenset({"address", "number", "phone", "location", "name", "workplace", "ssn", "info", "details",
                            "socials", "identity", "family", "kids", "school", "id", "ids", "passport", "licence",
                            "license", "records", "live", "lives", "work", "works", "sleep", "sleeps", "stay", "stays",
                            "go", "goes", "attend", "attends", "drive", "drives", "park", "parks", "whoever", "anyone",
                            "someone", "anybody", "first", "dox", "doxx"}),
    ),
    PatternRule(
        "exposure_location_rule", (PI,),
        r"\b(?:that'?s|thats|this is|here'?s|heres) where (?:he|she|they|the \w+|this \w+|that \w+|@\w+) "
        r"(?P<v>lives?|sleeps?|stays?|works?|parks?|drinks|eats|trains|hangs out|goes to school)\b"
        r"|(?<!\bmy )(?<!\bour )(?:\b[a-z']+|(?<=,)) (?P<w>lives|stays|sleeps|living) "
        r"(?:at|on|in|with|near|behind|above|below|by|across from|opposite|next to) (?:the )?(?:[\w'.-]+ ){0,7}?"
        rf"{_DWELLING}\b"
        rf"|\b{_PERSON3}(?: [\w']+){{0,2}}? (?P<r>works?|leaves?|gets? off|finishes|walks?|jogs?|runs?|parks?|drives?|lets? out|"
        rf"gets? out|comes? home|gets? home|arrives?|clocks? (?:in|out)|takes? the (?:bus|train|tube)|drinks|eats|shops|trains|"
        rf"lifts|studies)(?: [\w',-]+){{0,10}}? (?:{_WHEN}|(?:on|off) (?:[\w'.-]+ ){{0,3}}?(?:{_DWELLING}|\d+(?:st|nd|rd|th))\b)"
        rf"|(?<=, )(?P<c>works|worked) (?:at|for|in) (?:[\w'&.-]+ ){{1,4}}?(?:on|off) (?:[\w'.-]+ ){{0,3}}?(?:{_DWELLING}|\d+(?:st|nd|rd|th))\b"
        rf"|\b{_PERSON3}(?P<a>'s| is|'re| are| will be) (?:always |usually |normally )?at(?: [\w',-]+){{1,8}}? {_WHEN}"
        rf"|\b(?:his|her|their) (?:[\w']+ )?(?P<s>shift|class|classes|lectures?|commute|workout|run|practice|lunch break|school run)"
        rf" (?:ends|starts|begins|finishes|is|lets out)(?: [\w',-]+){{0,4}}? {_WHEN}"
        rf"|\b(?:(?:his|her|their) (?:\w+'s )?|the \w+'s |@\w+'s )(?:new |current |actual |real )?(?P<h>place|home|house|flat|apartment|apt|room|dorm)"
        rf" (?:is|'s) (?:at |on |in |the |a |above |behind |next to |opposite |near |across from )(?:[\w'.-]+ ){{0,8}}?{_DWELLING}\b"
        r"|\b(?:your|his|her|their|the \w+'s) (?:\w+ )?(?:kids?|children|daughter|son|wife|husband|family)(?:'s?)?(?: [\w']+){0,3}? "
        r"(?P<x>go to|goes to|attends?|walks? home|gets? picked up|get out|gets out|lets? out)\b"
        r"|\b(?:the )?(?:school|daycare) (?:his|her|their) (?:\w+ )?(?:kids?|daughter|son|children) (?P<y>attends?|goes? to)\b",
        0.8, _CLEARED, requires=(_ACT,), reach=1,
        keywords=frozenset({"where", "lives", "stays", "sleeps", "living", "kids", "kid", "children", "daughter", "son",
                            "wife", "husband", "family", "school", "daycare", "work", "works", "leave", "leaves", "off",
                            "finishes", "walk", "walks", "jog", "jogs", "run", "runs", "park", "parks", "drive", "drives",
                            "let", "lets", "out", "home", "arrive", "arrives", "clock", "clocks", "take", "takes", "place",
                            "house", "flat", "apartment", "apt", "room", "dorm", "shift", "class", "classes", "lecture",
                            "lectures", "commute", "workout", "practice", "lunch", "he's", "she's", "they're"}),
    ),
    PatternRule(  # finding someone's home, told with where it is ("found where she lives. Third floor, blue door")
        "exposure_found_home_rule", (PI,),
        rf"\b(?P<v>found|find|figured out|worked out|tracked down|located|know)(?: out)? where {_PERSON3} (?:actually |really )?"
        r"(?:lives?|sleeps?|stays?|is staying|moved to)\b"
        r"|\b(?P<w>know|found|found out|figured out) (?:which|what) (?:house|flat|apartment|building|door|car|room|street) "
        r"(?:is (?:yours|his|hers|theirs)|(?:you|u|he|she|they) (?:lives?|sleeps?|stays?) (?:in|on|at))\b",
        0.8, _CLEARED, requires=(rf"\b{_DWELLING}\b|\b(?:balcony|window|door|curtains|buzzer|gate|driveway|porch)\b",), reach=1,
        keywords=frozenset({"found", "find", "figured", "worked", "tracked", "located", "know"}),
    ),
    PatternRule(  # a private fact about someone's health, status or past, spread: "her medical records ... so everyone knows"
        "exposure_sensitive_rule", (PI,),
        rf"\b(?:his|her|their|[a-z]+'s) (?:\w+ )?(?P<v>{_SENSITIVE})\b",
        0.8, _CLEARED, requires=(_BROADCAST,), reach=1,
        keywords=frozenset({"records", "record", "history", "results", "result", "status", "files", "file", "notes",
                            "diagnosis", "papers", "statement", "statements", "report", "reports"}),
    ),
))


@dataclass(frozen=True, slots=True)
class PiiItem:
    """One piece of private information in the ORIGINAL text, with a masked rendering."""

    kind: str  #: "phone" | "email" | "address" | "gov_id" | "plate"
    start: int
    end: int
    masked: str


def _mask(value: str, keep: int = 2) -> str:
    return "".join("*" if c.isalnum() else c for c in value[:-keep]) + value[-keep:]


def _emails(text: str) -> list[PiiItem]:
    items = []
    for m in _EMAIL.finditer(text):
        value = m.group().lstrip(".+-")
        if not value.startswith("@"):
            items.append(PiiItem("email", m.end() - len(value), m.end(), value[0] + "***@" + value.split("@", 1)[1]))
            if len(items) == ITEMS_PER_KIND:
                break
    return items


def _phones(text: str, region: str, taken: list[tuple[int, int]]) -> list[PiiItem]:
    """Phone numbers not inside another item, from windows around digit runs (see _PHONEISH)."""
    items: list[PiiItem] = []
    for run in islice(_PHONEISH.finditer(text), PHONE_CANDIDATES):
        offset = max(0, run.start() - _PHONE_PAD)
        found = [(offset + m.start, offset + m.end, m.raw_string)
                 for m in phonenumbers.PhoneNumberMatcher(text[offset:run.end() + _PHONE_PAD], region)]
        if not found:
            found = [(m.start(), m.end(), m.group()) for m in _LOCAL_PHONE.finditer(text, run.start(), run.end())]
        for a, b, raw in found:
            if not any(x < b and a < y for x, y in taken):
                items.append(PiiItem("phone", a, b, _mask(raw)))
                taken.append((a, b))
                if len(items) == ITEMS_PER_KIND:
                    return items
    return items


def _spaced_phones(text: str, taken: list[tuple[int, int]]) -> list[PiiItem]:
    """Phone numbers with spaces inside digit groups, which libphonenumber and _LOCAL_PHONE leave out."""
    items: list[PiiItem] = []
    for m in islice(_SPACED_PHONE.finditer(text), PHONE_CANDIDATES):
        raw = m.group()
        if " " in raw and sum(c.isdigit() for c in raw) in _PHONE_DIGITS and not any(x < m.end() and m.start() < y for x, y in taken):
            items.append(PiiItem("phone", m.start(), m.end(), _mask(raw)))
            if len(items) == ITEMS_PER_KIND:
                break
    return items


def _may_match(rx: re.Pattern[str], lowered: str, ascii_: bool) -> bool:
    """False only when case-insensitive `rx` cannot match: an ASCII text without any of its literals."""
    return not ascii_ or not literals.absent(literals.of(rx, folded=True), lowered)


SOURCE = RULES.source  #: item hits and pattern rules are versioned together


class PiiDetector:
    """Finds private information and decides whether a post points it at a person."""

    def __init__(self, region: str = "US"):
        self._region = region

    def find(self, text: str, region: str | None = None) -> list[PiiItem]:
        """The phones, e-mail and street addresses, flat numbers, licence plates and government
        IDs in `text` (the first ITEMS_PER_KIND of each), in order."""
        items = _emails(text) if "@" in text else []
        if not _DIGIT.search(text):
            return items  # every other kind has digits; most posts stop here
        lowered = text.lower()
        ascii_ = text.isascii()  # the literal gates below are exact on ASCII text only (see literals.required)
        if not ascii_ or "ssn" in lowered or _SSN_DIGITS.search(text):
            items += [PiiItem("gov_id", m.start(), m.end(), _mask(m.group(), 4))
                      for m in islice(_SSN.finditer(text), ITEMS_PER_KIND)]
        if _may_match(_ID_NUMBER, lowered, ascii_):
            items += [PiiItem("gov_id", m.start(1), m.end(1), _mask(m.group(1), 2))
                      for m in islice(_ID_NUMBER.finditer(text), ITEMS_PER_KIND)
                      if not _OWN.search(text, max(0, m.start() - 24), m.start(1))]
        if _may_match(_PLATE, lowered, ascii_):
            items += [PiiItem("plate", m.start(1), m.end(1), _mask(m.group(1), 2))
                      for m in islice(_PLATE.finditer(text), ITEMS_PER_KIND)]
        items += [PiiItem("address", m.start(), m.end(), "*** " + m.group().split(None, 1)[1])
                  for m in islice(_ADDRESS.finditer(text), ITEMS_PER_KIND)] if _STREET.search(lowered) else []
        if _may_match(_UNIT, lowered, ascii_):
            items += [PiiItem("address", m.start(), m.end(), _mask(m.group(), 2))
                      for m in islice(_UNIT.finditer(text), ITEMS_PER_KIND)]
        taken = [(i.start, i.end) for i in items]
        items += _phones(text, region or self._region, taken)
        items += _spaced_phones(text, taken)
        return sorted(items, key=lambda i: (i.start, i.kind))

    @staticmethod
    def _folded_addresses(scan: Scan, taken: list[PiiItem]) -> list[PiiItem]:
        """Street addresses spelled to dodge the pattern ("12 W1llow L4ne"), found on the skeleton."""
        sentences, items = scan.sentences, []
        for m in islice(_ADDRESS_SKELETON.finditer(scan.text), ITEMS_PER_KIND):
            a, b = sentences.span(m.start(), m.end())
            if not any(i.start < b and a < i.end for i in taken):
                items.append(PiiItem("address", a, b, "*** " + sentences.original[a:b].split(None, 1)[-1]))
        return items

    def detect(self, scan: Scan, region: str | None = None) -> list[Hit]:
        """private_info hits from items: government IDs, and personal details that a pointer
        ("her address is", "call this guy") in their sentence or a neighbour aims at someone,
        with no business cue ("call us", "our office") there."""
        sentences, hits = scan.sentences, []
        items = self.find(sentences.original, region)
        if _DIGIT.search(scan.text):
            items += self._folded_addresses(scan, items)
        for item in items:
            label = f"{item.kind} {item.masked}"
            if item.kind == "gov_id":
                hits.append(Hit(PI, "exposure_gov_id_rule", SOURCE, 0.9, item.start, item.end, label))
                continue
            near = scan.near(sentences.skeleton_bounds(sentences.index_of_original(item.start))[0])
            pointer = scan.within(_POINTER, *near)
            if pointer and not scan.within(_BUSINESS, *near):
                hits.append(Hit(PI, "exposure_personal_rule", SOURCE, 0.85, item.start, item.end,
                                f"{label} + {pointer.group()!r}"))
        return hits
