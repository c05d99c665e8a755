"""Civic integrity: misleading people about when, where or how to vote, false eligibility
claims, voter intimidation, and calls to vote twice or to buy and sell votes.

The rules look for the structure of the deception, not for phrases: a group told it votes on
another day; a method that does not exist (text, phone, tweet, e-mail, online) offered as a way
to vote; a condition claimed to bar people ("you can't vote if you have unpaid tickets"); a
ballot said to be void for a trivial reason (ink, pen); polls said to be closed with a
redirect elsewhere; police, ICE or armed men announced at the polls. Accurate reminders
("polls are open until 8pm on Tuesday"), contests and TV votes ("text VOTE to 55555 for your
favourite contestant"), a legislature voting on a bill on Thursday, surveys ("polls show"),
school or union votes, corrections ("False: you cannot vote by text"), reporting that names
its source, and jokes are left alone.
"""

from __future__ import annotations

from agents.detectors.lexicon import alt
from agents.detectors.rules import PatternRule, RuleSet

EL = "election_integrity"
_CLEARED = frozenset({"negation", "correction", "quotation", "counter_speech", "attributed", "joking"})
_PARTY = alt("democrats", "democrat", "dems", "republicans", "republican", "gop", "conservatives", "liberals",
             "progressives", "trump supporters", "biden supporters", "harris supporters", "maga", "labour voters",
             "tories", "tory voters", "independents", "black voters", "latino voters", "hispanic voters",
             "asian voters", "young voters", "students", "women", "immigrants", "seniors", "veterans", "voters",
             "lefties", "right wingers", "libs", "patriots")
_WEEKDAY = r"(?:wednesday|thursday|friday|saturday|sunday|monday|wed|thu|thur|thurs|fri|sat|sun|mon)"
_WRONG_DAY = (rf"(?:{_WEEKDAY}|the (?:next|following) day|next week|next month|nov(?:ember)? (?:[6-9]|[6-9]th|[12][0-9]|[12][0-9]th)"
              r"|the (?:[6-9]|[12][0-9])(?:th)?)")
#: Civic-election context: what separates "vote by text" from a TV contest.
_CIVIC = (r"\b(?:elections?|ballots?|polls|polling|precincts?|candidates?|president|presidential|senate race|senator|"
          r"governor|mayor|congress(?:man|woman)?|midterms?|primary|primaries|electoral|voters?|registered|register|"
          r"democrats?|republicans?|gop|dems|party|parties|absentee|mail-?in|#vote\w*|vote ?(?:blue|red)|"
          r"trump|biden|harris|election day|no lines|the lines|in line)\b")
_METHOD = alt("text", "texting", "sms", "a text", "text message", "phone", "the phone", "calling", "a call", "twitter",
              "tweet", "tweeting", "email", "e-mail", "dm", "a dm", "direct message", "hashtag", "replying", "reply",
              "instagram", "facebook", "whatsapp", "an app", "the app", "app", "online", "the internet", "this link",
              "the link", "a link", "retweeting", "retweet", "liking")
_AT_POLLS = (r"\b(?:(?:at|to|near|outside|around|by) (?:the |your )?polls|polling (?:place|station|location|site|booth)s?|"
             r"voting (?:site|booth|location|center|centre|station)s?|precincts?|"
             r"poll(?:ing)? (?:workers?|watchers?|stations?|staff|officials?|clerks?|volunteers?|judges?)|"
             r"election (?:officials?|staff|workers?|judges?|clerks?)|"
             r"(?:when|if) you (?:go to )?vote|who shows up to vote|on election day|where (?:you|we|they|people|u) vote|"
             r"(?:the )?polls (?:are|will be|have been) (?:closed|shut|shut down|cancell?ed))\b")
_BARS = (r"(?:can't|cant|cannot|can not|won't be able to|aren't allowed to|are not allowed to|not allowed to|"
         r"won't be allowed to|will not be allowed to|are not eligible to|aren't eligible to|not eligible to|"
         r"are banned from|is banned from|no longer|can no longer|are barred from)")
_BARRED = alt("non-?citizens", "noncitizens", "green card holders", "immigrants(?: with green cards)?", "illegals",
              "students", "college students", "felons", "ex-?felons", "people on (?:\\w+ )?(?:welfare|food stamps|parole|probation)",
              "renters", "homeless people", "people with (?:unpaid|outstanding) \\w+", "anyone with (?:unpaid|outstanding) \\w+",
              "independents", "unaffiliated voters", "first-time voters", "new voters", "naturali[sz]ed citizens", "dual citizens",
              "people who (?:have )?moved", "anyone who (?:has )?moved", "seniors", "disabled voters", "military voters")

#: Conditions that really do bar voting: "you can't vote if you're not registered" is true.
_NOT_TRUE = (r"(?! (?:you(?:'re| are) |u r |ur )?(?:not (?:registered|a citizen|a us citizen|18|eighteen|yet 18)|under (?:18|eighteen)|"
             r"a non-?citizen|not on the (?:voter )?(?:roll|list|register)))")

RULES = RuleSet("rules.election", 9, (
    PatternRule(
        "method_vote_rule", (EL,),
        rf"\b(?P<v>vote|voting|votes|cast (?:your|a|their) (?:vote|ballot)|submit (?:your )?(?:vote|ballot)|register your vote|"
        rf"send (?:in )?your (?:vote|ballot))(?: [\w']+){{0,3}}? (?:by|via|through|over|using|with|on|from home by) {_METHOD}\b"
        rf"|\b(?:you|u) (?:can|may|could) (?:now |also |just )?(?P<w>vote) (?:online|from home)\b"
        r"|\b(?:dm|text|tweet|email|e-mail|reply with|message) (?:us |me )?your (?:vote|ballot|pick)\b"
        r"|\btext (?:[\w']+ ){0,6}to \d{4,6}\b"
        r"|\b(?:reply|text|send|dm|message)(?: [\w']+){0,6}? to (?:this|that|our|the) (?:number|account|shortcode|post|thread)\b"
        r"|\bvote online at\b|\bno need to go to the polls\b"
        r"|\b(?:it|that|this|the (?:post|photo|picture|pic|tweet|like|share|reply)) (?:counts|will count|is counted|gets counted) as "
        r"(?:your|a|an official) (?:vote|ballot)\b"
        r"|\b(?:the )?(?:ballot box|voting|the vote|ballots?) (?:is|are) (?:now )?(?:online|on (?:twitter|instagram|facebook))\b"
        rf"|\b(?:ballots?|votes?) (?:must|can|should|will|may|have to|need to) (?:now |only )?be (?:submitted|cast|sent|returned|counted|accepted)"
        rf" (?:by|via|through|over|using) {_METHOD}\b",
        0.85, _CLEARED, requires=(_CIVIC,), reach=1, keywords=frozenset({"vote", "voting", "votes", "ballot", "text", "polls"}),
    ),
    PatternRule(  # a claim that voting by text/phone/e-mail exists needs no civic word: contests say "text X to N"
        "method_claim_vote_rule", (EL,),
        r"\b(?:you|u|voters|everyone|people) (?:can|may|could|are allowed to) (?:now |also |just |even )?(?P<v>vote) "
        r"(?:by|via|over|through) (?:text|texting|sms|phone|the phone|email|e-mail|dm|twitter|tweet)\b"
        r"|\b(?:vote|voting) (?:online|by text|by phone|by email|by e-mail) (?:is|are) (?:now )?(?P<w>allowed|accepted|legal|valid)\b"
        r"|\b(?:call|phone|ring)(?: [\w'-]+){0,4}? (?:and |to )(?P<x>give|cast|register|leave|record|place) your (?:vote|ballot)\b"
        r"|\b(?:we|i)(?:'ll| will) (?P<y>cast|submit|send in) (?:it|your (?:vote|ballot)) for (?:you|u)\b",
        0.85, _CLEARED, requires=(r"\b(?:vote|voting|ballot|polls|polling)\b",), reach=1,
    ),
    PatternRule(
        "date_vote_rule", (EL,),
        rf"\b{_PARTY}(?: (?:voters|supporters|only))?,?(?: [\w']+){{0,2}}? (?P<v>vote|votes|voting|can vote|should vote|will vote|"
        rf"are voting|cast their ballots|your voting day is|your election day is|voting day is|election day is|go to the polls)"
        rf"(?: [\w']+){{0,2}}? (?:on )?{_WRONG_DAY}\b"
        r"|\b(?:voters|people|those) (?:whose|with|named|from)(?: [\w'-]+){1,6}? (?P<w>vote|votes|can vote) (?:on )?(?:tomorrow|"
        + _WRONG_DAY + r")\b"
        r"|\b(?<!class )(?<!student )(?<!school )(?<!club )(?<!union )(?<!board )(?<!council )(?<!hoa )"
        r"(?:general |presidential |federal |national |the |local |state )?election(?: day)? "
        r"(?:has been|is|was|will be|got|have been|had been|'s been|is being) (?:officially )?(?P<x>moved|postponed|rescheduled|"
        r"delayed|cancelled|canceled|extended|pushed back|called off)\b"
        r"|\belection(?: day)? (?P<p>postponed|moved|cancelled|canceled|rescheduled|delayed|pushed back) (?:to|until|till)\b"
        r"|\b(?:you|u) (?:all )?(?P<n>vote|will vote|can vote|should vote|are voting) (?:on )?(?:nov(?:ember)? (?:[6-9]|[12][0-9])(?:th)?"
        r"|the (?:[6-9]|[12][0-9])th|the next day|the day after|next week)\b"
        r"|\b(?:(?:voting|polls|polling)(?: [\w',]+){0,6}?|the vote) (?:(?:has been|have been|is|are|will be|were|was) )?"
        r"(?P<y>extended|moved|postponed|pushed)"
        rf" (?:to|until|till) {_WRONG_DAY}\b"
        rf"|\b(?:your|their) (?:voting|election) day (?P<z>is|has been moved to|is now|moved to) (?:on )?{_WRONG_DAY}\b"
        rf"|\b(?:your|ur|their|our) (?:party|side|precinct|district|county)(?: [\w']+){{0,2}}? (?P<g>votes|is voting|will vote|can vote|"
        rf"goes to the polls|casts (?:its|their) ballots)(?: [\w']+){{0,2}}? (?:on )?{_WRONG_DAY}\b"
        rf"|\b(?P<m>moved|switched|assigned|rescheduled) (?:you|your vote|your voting day|your election day|voters)(?: [\w']+){{0,2}}? to {_WRONG_DAY}\b"
        r"|\b(?:voting|polls?|polling (?:places|stations)) (?P<c>ends?|close[sd]?|closing|will close|shut) (?:early |today )?(?:at|by) "
        r"(?:noon|midday|(?:1[01]|[1-4])(?::\d\d)? ?(?:am|pm)?|12(?::00)? ?pm)\b"
        r"|\b(?:voting|polls|polling (?:places?|stations?|locations?|sites?))(?: [\w',]+){0,10}? (?:is |are )?only (?P<o>open) "
        r"(?:until|till|til|to) (?:noon|midday|(?:1[01]|[1-4])(?::\d\d)? ?(?:am|pm)?|12(?::00)? ?pm)\b",
        0.85, _CLEARED | {"legislative"}, requires=(r"\b(?:vote|votes|voting|election|cast|polls|polling)\b",),
    ),
    PatternRule(
        "intimidation_polls_rule", (EL,),
        r"\b(?P<v>arrest(?:ed|ing)?|detain(?:ed|ing)?|deport(?:ed|ing)?|checking (?:papers|ids|immigration|status|warrants)|"
        r"check (?:immigration|papers|status|warrants)|warrants?|unpaid (?:parking )?tickets|ice (?:agents|officers|will be)|"
        r"(?:ice|immigration|cops|police|deputies|feds|federal agents|border patrol|the national guard|troops)(?: \w+)? "
        r"(?:is|are|will be|'ll be|gonna be) (?:parked|waiting|stationed|posted|camped|lined up|checking)|"
        r"armed (?:patriots|guards|volunteers|men)|(?:bring|with|carrying|armed with) (?:their |our |your )?(?:guns|rifles)|"
        r"we(?:'ll| will) be watching|we(?:'re| are) watching|watching who|better stay home|stay home if you know|"
        r"(?:filming|photographing|recording|videoing) (?:everyone|every voter|voters|people|who|anyone|faces)|"
        r"(?:taking|writing) down (?:names|plates|license plates|licence plates)|follow(?:ing)? (?:voters|people|them) home|"
        r"asking for (?:papers|ids?|documents|status|citizenship|proof of citizenship)|national guard|troops|militias?|"
        r"federal agents|border patrol|immigration (?:officers|agents)|"
        r"if you know what's good)\b",
        0.85, _CLEARED, requires=(_AT_POLLS,), reach=1,
        keywords=frozenset({'polls', 'poll', 'polling', 'voting', 'precinct', 'precincts', 'vote', 'election'}),
    ),
    PatternRule(
        "eligibility_false_claim_rule", (EL,),
        rf"\b(?:you|u|people|anyone|voters?|nobody)(?: [\w']+){{0,2}}? {_BARS} (?P<v>vote|register|cast a ballot)(?: [\w']+){{0,6}}? if\b{_NOT_TRUE}"
        rf"|\bif (?:you|u|your)(?: [\w',]+){{1,10}}? (?:you|u) (?:'re |are )?{_BARS} (?P<w>vote|register)\b"
        r"|\bif (?:you|u)(?: [\w',]+){1,8}? (?:you|u)(?:'ll| will)? (?P<l>lose|forfeit) (?:your |the )?(?:right to vote|vote|registration)\b"
        rf"|\b(?P<r>turn (?:you|u) away|won'?t let (?:you|u) vote|refuse (?:you|u)|deny (?:you|u) a ballot)(?: [\w']+){{0,2}}? if (?:you|u)\b{_NOT_TRUE}"
        r"|\b(?:voting|if you vote)(?: [\w']+){0,5}? (?:means|will mean|could mean|means you'?ll|will get you|gets you) (?:\w+ )?"
        r"(?P<q>losing|lose|deported|arrested|fined|audited|jailed|evicted|cut off)\b"
        rf"|\b(?P<x>{_BARRED})(?: [\w']+){{0,5}}? (?:{_BARS}|can now|can also|are allowed to|are now allowed to|may now) (?:legally )?vote\b"
        rf"|\b(?P<x3>{_BARRED})(?: [\w']+){{0,5}}? can vote (?:this year|now|too|again|this time)\b"
        rf"|\b(?P<x4>{_BARRED}) (?:can|may|are allowed to) only (?:vote|register) (?:in|at|by|if|from|where)\b"
        rf"|\b(?P<x2>{_BARRED}) can vote (?:in|for) (?:the )?(?:presidential|federal|general|national|this|president)"
        r"|\bif (?:you|u) (?:vote|register|cast a ballot)(?: [\w']+){0,6}? (?:you|u)(?:'ll| will| could| would| may| can)? "
        r"(?P<b>lose|forfeit|be deported|get deported|be arrested|get arrested|be fined|get fined|be audited|get audited|"
        r"go to jail|be jailed|be evicted|get evicted|be cut off|get cut off)"
        r"(?: (?:your|their|the|all))?(?: [\w']+){0,2}? (?:benefits|aid|financial aid|scholarships?|tax (?:benefits|credits|breaks)|"
        r"pensions?|social security|medicaid|medicare|food stamps|snap|housing|visas?|green cards?|status|citizenship|"
        r"license|licence|insurance|deported|arrested|fined|audited|jail|jailed|evicted|cut off)\b"
        r"|\bvoting is (?:a crime|illegal|a felony) (?:for|if)\b|\b(?:voting|to vote) (?:is|will be) (?:a crime|illegal|a felony) for\b"
        r"|\bvoting is a crime and\b"
        r"|\b(?:need|must|have|required|requires you) to (?:show|bring|present|have) (?:your |a |an )?(?:\w+ )?(?:passport|birth certificate|"
        r"proof of citizenship|citizenship papers|naturalization papers|social security card)\b",
        0.85, _CLEARED - {"negation"}, requires=(r"\b(?:vote|voting|register|ballot|polls|poll)\b",), reach=1,
    ),
    PatternRule(
        "ballot_void_claim_rule", (EL,),
        r"\b(?:ballots?|votes?)(?: [\w']+){0,6}? (?:in|with|using) (?:a |an )?(?:blue|black|red|green|pen|pencil|ink|marker|sharpie|gel pen)"
        r"(?: [\w']+){0,3}? (?:(?P<v>won't|will not|wont|don't|do not|doesn't|does not) (?:be )?(?:count|counted|valid|accepted)"
        r"|(?P<u>will be|are|get|gets) (?:thrown out|rejected|discarded|void|voided|invalid|invalidated))\b"
        r"|\b(?:ballots?|votes?) (?:is|are|will be|gets?|becomes?) (?:\w+ )?(?P<i>invalid|void|voided|rejected|thrown out|not counted|"
        r"disqualified|spoiled|spoilt) (?:if|when|unless) (?:[\w']+ ){0,6}?(?:blue|black|red|green|pen|pencil|ink|marker|sharpie|gel)\b"
        r"|\b(?:blue|black|red|green) (?:pen|ink|marker)s? only\b"
        r"|\b(?:ballots?|votes?)(?: [\w-]+){0,3}? (?:only|never) (?:get|gets|are|is|will be|even get) (?P<f>counted|opened|read|tallied)"
        r" (?:if|when|unless) (?!(?:they|it|yours) (?:arrive|are received|is received|are postmarked|are signed|is signed))"
        r"(?:[\w',]+ ){0,10}?(?:so |just )?(?:honestly |really )?(?:don't|do not|no need to|no point|why) (?:even )?"
        r"(?:bother|send|mail|return|vote)\b"
        r"|\b(?:your|their|the|my) (?:mail-?in |absentee )?(?:vote|ballot)s? (?:won'?t|will not|doesn'?t|does not|wouldn'?t|won'?t even) "
        r"(?P<c>count|be counted|matter),?(?: [\w',]+){0,6}? (?:so |just )?(?:don'?t|do not|no need to|no point|why) (?:even )?"
        r"(?:bother|waste|go|vote|send|try)\b"
        r"|\buse (?:a )?pencil only\b|\buse (?:only )?(?:a )?pencil\b(?: [\w']+){0,3}? (?:ballot|vote)"
        # a lawful way to vote said to void the ballot: "ballots in the drop boxes won't be counted this year"
        r"|\b(?:ballots?|votes?) (?:in|at|from|through|via|by|left in) (?:the |a )?(?:drop ?box(?:es)?|mail|post|early voting)"
        r"(?: [\w']+){0,3}? (?P<d>won't|will not|wont|aren't|are not|don't|do not) (?:be )?(?:count|counted|valid|accepted)\b"
        r"(?! (?:until|till|before|after|on|tonight|tomorrow|if|unless))"
        r"|\b(?:ballots?|votes?)(?: [\w']+){0,6}? (?:are|will be|get|gets) (?:all )?(?P<t>thrown out|rejected|discarded|voided|not counted)"
        r"(?! (?:if|when|unless) (?:they |it |the |your )?(?:arrive|are late|is late|come in late|aren't signed|are not signed|lack|"
        r"signatures?|unsigned|postmarked|damaged|torn))\b"
        r"|\b(?:(?:don't|do not) bother (?:going out|voting|to vote|going to the polls|registering|to register|showing up|"
        r"(?:sending|mailing|returning|posting|turning in) (?:it|yours|them|your (?:mail-?in |absentee )?ballot)|"
        r"filling (?:it|them|your ballot|in your ballot) (?:in|out))"
        r"|(?:don't|do not) waste (?:your )?(?:time|breath|energy|gas) (?:voting|on voting|going to the polls|registering)),?"
        r"(?: [\w',]+){0,12}? (?:already|decided|called|certified|won't count|won't be counted|cancelled|canceled|over|rigged|can't vote)\b"
        r"|\bpolling (?:places?|stations?|locations?|sites?)(?: [\w']+){0,4}? (?:are|is|have been|has been|has|have|were|was) "
        r"(?:\w+ )?(?P<w>closed|moved|changed|relocated|cancelled|canceled)\b",
        0.85, _CLEARED, requires=(r"\b(?:ballot|ballots|vote|votes|voting|polls|polling|election|register)\b",
                                  r"\b(?:count|counted|valid|accepted|thrown|rejected|discarded|void|invalid|pencil|"
                                  r"already|decided|called|certified|cancelled|canceled|over|rigged|instead|vote at|"
                                  r"new location|only valid|across town|downtown|vote downtown|miles away|now at|"
                                  r"(?:didn't|did not|won't|haven't|hasn't|never) (?:announce|tell|post|publish|publicise|publicize|"
                                  r"notify|update)\w*|not (?:announced|official|on the website)|keeping (?:it|this) quiet|"
                                  r"don't want (?:you|people|us) to know|(?:don't|do not) bother|stay home|no point)\b"),
        reach=1,
    ),
    PatternRule(
        "multiple_voting_rule", (EL,),
        r"(?:(?:^|(?<=\n))|\b(?:you can|u can|you could|just|go|and|then|so|everyone|always|you should|we should|let's|lets|"
        r"make sure to|remember to) )(?P<v>vote) (?:twice|more than once|multiple times|two times|again in|at two|in two)\b"
        r"|\bvote early,? (?:and )?vote often\b"
        r"|\b(?P<w>vote|voted|voting) (?:twice|at two|in two|more than once)(?: [\w',]+){0,5}? (?:they|nobody|no one|noone)(?: \w+)?"
        r" (?:never|won't|don't|doesn't|can't|will never) (?:check|notice|catch|know|find out)\b"
        r"|\b(?:fill out|fill in|mail in|send in|submit) (?:two|multiple|extra|both|a second|another|your dead \w+'?s?) (?:\w+ )?ballots?\b"
        r"|\b(?:count|counts) (?:double|twice)\b|\b(?:and )?then mail in your (?:absentee |mail-in )?ballot too\b"
        r"|\b(?:get|request) a second ballot\b"
        r"|\b(?P<p>vote|voting|cast (?:a )?ballots?) (?:in|at) (?:both|two|multiple|several|each|all) (?:\w+ )?(?:places|states|precincts|"
        r"counties|addresses|locations|districts|polling (?:places|stations))\b",
        0.85, _CLEARED, requires=(r"\b(?:vote|votes|voting|voted|ballot|ballots)\b",), reach=1,
    ),
    PatternRule(
        "vote_buying_rule", (EL,),
        r"\b(?:pay|paying|i'll pay|give you|i'll give you|get) (?:you )?(?:[$\u00a3\u20ac]\d+|\d+ (?:dollars|bucks|quid)|cash|money)"
        r"(?: [\w']+){0,3}? if (?:you|u) (?P<i>vote|register)\b"
        r"|\b(?P<v>pay|paying|i'll pay|give you|i'll give you)(?: [\w']+){0,3}? (?:\$\d+|cash|money|\d+ (?:dollars|bucks))"
        r"(?: [\w']+){0,4}? (?:for|per) (?:your|every|each|a|their) (?:[\w-]+ )?(?:vote|ballot)s?\b"
        r"|\b(?:selling|sell|buying|buy) (?:my|your|their)(?: [\w']+)?? (?P<w>vote|votes|ballot|ballots)\b"
        r"|(?:[$\u00a3\u20ac]\d+|\b\d+ (?:dollars|bucks)|\bcash|\bmoney|\b(?:gift|gas|grocery|visa) cards?|\bfree \w+)"
        r"(?: [\w']+){0,6}? (?:for|to) (?:anyone|everyone|whoever|each person|people|voters|you)(?: who)? "
        r"(?P<x>votes? for|shows? (?:me |us )?(?:a )?(?:photo|pic|picture|selfie|proof) of (?:their|your|a|his|her) (?:marked )?(?:ballot|vote)|"
        r"proves? (?:they|you) voted|sends? (?:me |us )?(?:a )?(?:photo|pic|picture) of (?:their|your) ballot)\b",
        0.85, _CLEARED, requires=(r"\b(?:vote|votes|ballot|ballots)\b",), reach=1,
    ),
))
