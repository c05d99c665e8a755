"""Violent extremism: praise of, support for, recruitment into and funding of violent extremist
organisations and their attacks, calls to attack, and their propaganda.

Each rule needs an extremist object (a named organisation or leader, an attacker, the movement's
own vocabulary: "soldiers of the khilafah", "hijrah to the land of ...", "fight the kuffar")
joined to an act of support (praise, a call to join or fund, a pledge, sharing propaganda).
Naming an organisation is not enough: news ("ISIS claimed responsibility, officials said"),
history ("the Taliban took Kabul in 2021"), research, condemnation ("murderers, not
martyrs"), negation ("I do not support Hamas"), quotation, fiction and games, and the
everyday senses of the words ("my jihad against sugar", "join the fight against cancer",
"long live the king") match nothing or are cleared.
"""

from __future__ import annotations

from agents.detectors.lexicon import alt, first_words
from agents.detectors.rules import SPEECH, PatternRule, RuleSet

TE = "terrorism"
_ORG_WORDS = (
    "isis", "isil", "daesh", "islamic state", "the islamic state", "al qaeda", "al-qaeda", "alqaeda", "al qaida",
    "al-qaida", "al qaeda in the arabian peninsula", "aqap", "aqim", "al shabaab", "al-shabaab", "al shabab",
    "al-shabab", "shabaab", "boko haram", "iswap", "hamas", "al-qassam", "qassam brigades", "hezbollah",
    "hizbullah", "hizballah", "taliban", "the taliban", "ttp", "lashkar-e-taiba", "lashkar e taiba", "jaish-e-mohammed",
    "jaish e mohammed", "hayat tahrir al-sham", "hts", "al-nusra", "al nusra", "jabhat al-nusra", "jnim", "kkk",
    "ku klux klan", "the klan", "atomwaffen", "atomwaffen division", "feuerkrieg division",
    "sonnenkrieg division", "the order of nine angles", "o9a", "the caliphate", "the khilafah",
    "khilafah", "the dawlah", "dawlah", "the mujahideen", "mujahideen", "mujahidin", "the mujahidin",
    "isis-k", "iskp", "islamic state khorasan", "abu sayyaf", "jemaah islamiyah", "ansar al-sharia", "ansar al sharia",
    "palestinian islamic jihad", "al-aqsa martyrs brigade", "al aqsa martyrs brigade", "pkk", "ltte", "tamil tigers",
    "real ira", "continuity ira", "combat 18", "nordic resistance movement",
)
_ORG = alt(*_ORG_WORDS)
#: Leaders and attackers the movements venerate.
_FIGURE = alt("bin laden", "osama bin laden", "osama", "al-baghdadi", "al baghdadi", "baghdadi", "zarqawi", "al-zarqawi",
              "awlaki", "al-awlaki", "zawahiri", "al-zawahiri", "tarrant", "brenton tarrant", "breivik", "dylann roof",
              "mcveigh", "timothy mcveigh", "the unabomber", "anders breivik", "payton gendron", "patrick crusius",
              "the 9/11 hijackers", "the hijackers", "the \\w+ bomber", "the \\w+ bombers", "the \\w+ attackers",
              "sheikh anwar", "anwar al-awlaki", "abdullah azzam", "azzam", "al-adnani", "adnani", "nasrallah", "hassan nasrallah",
              "sinwar", "yahya sinwar", "mohammed deif", "mullah omar", "mohamed atta", "tsarnaev", "the tsarnaev brothers",
              "omar mateen", "nidal hasan", "robert bowers", "john earnest", "elliot rodger",
              "the (?:christchurch|el paso|buffalo|pittsburgh|charleston|utoya|halle|poway) (?:shooter|gunman|attacker|killer|terrorist)")
_ORG_KEYWORDS = first_words(*_ORG_WORDS) | {"mujahid", "shuhada", "qaeda", "qaida", "shabaab", "shabab", "islamic", "nusra", "klan",
                                             "atomwaffen", "mujahideen", "mujahidin", "khilafah", "dawlah", "caliphate", "sayyaf",
                                             "jemaah", "ansar", "aqsa", "ira", "18", "nordic", "isis", "iskp"}
_FIGURE_KEYWORDS = frozenset({"anwar", "azzam", "adnani", "nasrallah", "sinwar", "deif", "omar", "atta", "tsarnaev",
                              "mateen", "hasan", "bowers", "earnest", "rodger", "christchurch", "paso", "buffalo", "pittsburgh", "charleston", "utoya", "halle", "poway", "laden", "osama", "baghdadi", "zarqawi", "awlaki", "zawahiri", "tarrant", "breivik", "roof",
                              "mcveigh", "unabomber", "gendron", "crusius", "hijackers", "bomber", "bombers",
                              "attackers"})
#: Praise said of an organisation, leader or attacker.
_PRAISE = alt("heroes", "hero", "a hero", "martyrs", "a martyr", "martyr", "shaheed", "shuhada", "legends", "a legend",
              "lions", "saints", "a saint", "brave", "right(?! (?:next|there|here|now|behind|across|on|at|in|about the)\\b)",
              "the answer", "glorious", "blessed", "our hope", "the greatest(?![- ](?:threat|danger|evil))",
              "an inspiration", "inspiring", "in paradise", "champions",
              "freedom fighters", "true muslims", "the true muslims", "defenders of islam", "did nothing wrong",
              "doing god's work", "doing allah's work", "justified",
              "the only ones (?:actually |really |still )?(?:fighting|standing up|resisting|doing something)",
              "righteous (?:warriors|fighters|men|soldiers|brothers)", "holy warriors", "soldiers of (?:allah|god)",
              "the only true (?:state|muslims|believers|islam|path|way|defenders)",
              "the (?:pride|best|hope|honou?r|lions|shield|sword) of (?:this|the|our) (?:ummah|muslims|nation|faith|islam)",
              "our pride")
_SUPPORT = alt("long live", "glory to", "victory to", "i support", "we support", "i stand with", "we stand with",
               "stand with", "god bless", "allah bless", "may allah bless", "may allah accept", "may allah protect",
               "may allah grant victory to", "i love", "we love", "salute to", "salute", "hail", "hail to", "proud of",
               "all hail", "praise be to", "respect to", "shout out to", "pray for the victory of", "support")
#: An imperative or a first-person commitment, so "people join ISIS because ..." is not a call.
_CALL = (r"(?:(?:^|(?<=\n))|(?<=[,:;!.-] )|\b(?:and|come|go|must|should|let's|lets|please|now|i will|we will|i'll|"
         r"we'll|i want to|want to|wanna|time to|so|brothers|sisters|you|everyone|muslims|who wants to|anyone want to|"
         r"ready to|you can|real men|true men|true muslims|real muslims|true believers) )")
_JOIN = alt("join", "sign up for", "enlist in", "enlist with", "fight for", "fight with", "fight alongside", "serve",
            "become a soldier of", "become soldiers of", "become a member of", "become a fighter for", "join the ranks of")
_PLEDGE = alt("pledge allegiance to", "pledge my allegiance to", "pledge our allegiance to", "pledge bay'?ah to",
              "give bay'?ah to", "swear bay'?ah to", "i swear bay'?ah to", "swear allegiance to", "bay'?ah to",
              "pledge myself to", "pledge ourselves to", "pledge my life to", "pledge loyalty to", "swear loyalty to")
_FUND = alt("donate to", "donate for", "send money to", "send funds to", "send zakat to", "send your zakat to",
            "send sadaqah to", "fund", "funding", "finance", "support", "send btc to", "send crypto to",
            "send bitcoin to", "give your wealth to", "give your money to")
#: The organisation is not the object of an action against it ("bombing ISIS was justified").
_NOT_ACTED_ON = "".join(f"(?<!{w} )" for w in ("bombing", "fighting", "against", "defeating", "attacking", "killing", "on", "vs",
                                               "destroying", "countering", "combating", "stopping", "banning", "crushing"))
_NOT_VICTIMS = r"(?!(?:the )?(?:victims|survivors|families|refugees|orphans|people fleeing|fight against)\b)"
#: A gap word that is not a turn away from the organisation ("the war on ISIS", "ISIS and ...").
_GAP = (r"(?!(?:and|but|not|victims|survivors|against|on|vs|versus|fight|fighting|battling|defeating|defeat|countering|"
        r"combating|war|troops|veterans)\b)[\w'-]+")
_ENEMY = alt("kuffar", "kuffaar", "kafir", "kafirs", "kuffr", "infidels", "crusaders", "murtadeen", "murtaddin",
             "apostates", "taghut", "tawaghit", "mushrikeen", "zionist occupiers", "the occupiers")
_ENEMY_KEYWORDS = frozenset({"kuffar", "kuffaar", "kafir", "kafirs", "kuffr", "infidels", "crusaders", "murtadeen", "murtaddin",
                             "apostates", "taghut", "tawaghit", "mushrikeen", "occupiers"})
_MOVEMENT = alt("soldiers? of the (?:khilafah|caliphate|islamic state|dawlah)",
                "land of (?:the )?(?:khilafah|caliphate|black (?:flags?|banners?)|tawhid|jihad|mujahideen)",
                "lions of (?:the )?(?:khilafah|caliphate|tawhid|islam)", "the black flags?", "the black banners?",
                "(?:the )?brothers (?:in|on) the (?:frontlines?|battlefield)", "the frontlines? of jihad",
                "our brothers in (?:sham|raqqa|idlib|mosul|somalia|the sahel)",
                "(?:the |our )?(?:lions|mujahideen|mujahidin|fighters|soldiers|brothers) (?:in|of) (?:sham|raqqa|idlib|mosul|somalia|"
                "the sahel|khorasan|waziristan|the mountains)")
_PROPAGANDA = alt("dabiq", "rumiyah", "rumiya", "al-naba", "al naba", "inspire magazine", "amaq", "siege by james mason", "the christchurch manifesto", "the great replacement manifesto",
                  "the turner diaries")

#: Attacks the movements celebrate, by name or place.
_ATTACK = alt("9/11", "9-11", "911", "7/7", "oklahoma city", "the bataclan", "bataclan", "manchester arena", "christchurch",
              "utoya", "charlie hebdo", "the pulse shooting", "el paso", "buffalo", "pittsburgh", "charleston", "halle", "poway",
              "the boston marathon", "october 7", "oct 7", "the twin towers", "the pentagon attack")
#: What an attacker does: said of whoever is praised, so "the man who stopped the shooter" is no attacker.
_PERPETRATION = (rf"\b(?:struck|attacked|bombed|blew up|blew themselves up|carried out|massacred|gunned down|mowed down|"
                 rf"martyred|martyrdom|operations?|saw the truth|did what|{_ATTACK}|{_ORG}|{_FIGURE}|mujahid\w*|"
                 rf"{_ENEMY})\b")
#: Vocabulary of the violent white-supremacist and accelerationist movements.
_ACCEL = (r"(?:coming |upcoming |next |inevitable |holy )?race war|accelerationis[mt]s?|boogaloo|siege culture|day of the rope|"
          r"rahowa|1488|the fourteen words|white jihad")
#: An extremist subject in the sentence or the next: what turns sharing, funding or logistics into support.
_EXTREMIST = (rf"\b(?:{_ENEMY}|jihad\w*|mujahid\w*|martyrs?|shaheed|shuhada|khilafah|caliphate|dawlah|manifesto|"
              rf"sheikh|emir|amir|the cause|the ummah|ummah|legitimate targets?|{_ACCEL}|{_ORG})\b")

RULES = RuleSet("rules.terrorism", 9, (
    PatternRule(
        "praise_extremist_org_rule", (TE,),
        rf"\b(?P<v>{_SUPPORT}) (?:the )?(?:brothers of |soldiers of |fighters of |lions of )?(?:{_ORG}|{_FIGURE})\b"
        rf"|\b{_NOT_ACTED_ON}(?:{_ORG}|{_FIGURE})(?: {_GAP}){{0,8}}? (?:are|is|were|was|=|will always be|remain)"
        rf"(?: (?:the|our|my|true|real|truly|so|such|all|just|a|an|the true|the real))*?(?: {_GAP})?? (?P<w>{_PRAISE})\b"
        rf"|\b(?:{_ORG}) (?:will|shall) (?:rise again|return|win|prevail|conquer|remain|be victorious|never die)\b"
        rf"|\b(?:{_ORG}|{_FIGURE}) (?:did nothing wrong|did what (?:had|needed) to be done)\b"
        rf"|\bwhat (?:{_ORG}|{_FIGURE}) did (?:in \w+ |on \w+ (?:\d+ )?)?(?:was|is|were) (?:so |truly |totally |absolutely )?(?P<d>{_PRAISE}|necessary|needed|righteous)\b"
        rf"|\b{_ORG}(?:'s)? (?:fighters|soldiers|members|brothers|men|militants|operatives|lions|mujahideen)(?: [\w'/-]+){{0,5}}? "
        r"(?:are|were|is|was) (?:(?:the|our|true|real|truly|so|all) )*(?P<f>" + _PRAISE + r")\b"
        rf"|\b{_ORG}\b(?: [\w',]+){{0,8}}? may (?:allah (?:grant|give|make|let) )?(?:they|them|he|him) (?P<m>conquer|prevail|win|be victorious|rule)\b"
        rf"|\b(?:{_ORG}|{_FIGURE})(?: (?:really|honestly|actually|always|clearly))? (?P<r>had|has|have|got) (?:the )?right "
        r"(?:idea|cause|plan|answer)\b"
        rf"|\b(?:{_ORG}|{_FIGURE})(?: (?:really|honestly|actually|always|clearly))? (?P<g>got it right|were right|was right|had a point)\b"
        rf"|\b{_ORG}(?:'s)? victory is (?:allah'?s|god'?s|our|the ummah'?s) victory\b"
        # the organisation's media praised: "Al-Shabaab's latest video is inspiring"
        rf"|\b{_ORG}(?:'s)? (?:latest |newest |new |last )?(?P<p>videos?|message|statement|nasheeds?|speech|release|magazine|"
        r"footage|clip) (?:is|was|are|were) (?:so |truly |really |absolutely )?(?:inspiring|beautiful|powerful|amazing|moving|"
        r"glorious|brilliant|a must watch|must watch)\b"
        r"|\b(?:support|help) (?:them|him|the brothers|our brothers) with your (?:wealth|lives|sons)\b"
        r"|\b(?:brave|blessed|heroic|glorious|noble|beloved) (?:lions of )?(?:the )?(?:mujahideen|mujahidin|mujahid|shuhada)\b"
        rf"|\b{_ORG} (?:forever|4ever|for life|till i die|until i die)(?= ?(?:$|\n|[!.]|[^\w\s]))"
        rf"|\b(?:{_MOVEMENT}|(?:caliphate|khilafah|dawlah|jihadi) (?:soldiers|fighters|brothers|lions|warriors))"
        rf"(?: {_GAP}){{0,4}}? (?:are|is|were|was|=) (?:(?:the|our|true|real|truly|so|all|a|an) )*(?P<u>{_PRAISE})\b",
        0.85, SPEECH | {"news", "history", "joking", "fiction"}, keywords=_ORG_KEYWORDS | _FIGURE_KEYWORDS,
    ),
    PatternRule(
        "recruitment_extremist_org_rule", (TE,),
        rf"{_CALL}(?P<v>{_JOIN}) (?:the )?(?:ranks of |brothers of |fighters of )?{_ORG}\b"
        rf"|\b(?P<p>{_PLEDGE})(?: [\w'-]+){{0,6}}? {_ORG}\b"
        r"|\b(?P<e>pledge|give bay'?ah|swear allegiance)(?: \w+)? to (?:its|their|the|our) (?:emir|amir|caliph|khalifah|khalifa)\b"
        rf"|\b{_ORG}(?: {_GAP}){{0,4}}? (?:needs|need|wants|is recruiting|are recruiting|recruiting|is looking for|"
        rf"are looking for|seeks|calls on|is calling|calls) (?:more |new |young |you |the )?(?:fighters|brothers|recruits|"
        rf"members|men|soldiers|mujahideen|blood|you|volunteers|lions|martyrs)\b"
        rf"|\b{_ORG} is (?:now )?recruiting\b"
        rf"|\b(?:become|be) (?:a |the next )?(?:shaheed|shahid|mujahid|martyr for (?:the )?(?:cause|khilafah|caliphate|islamic state))\b"
        rf"|\b(?:make|making|perform|do) hijrah\b|\bhijrah (?:to the land|is (?:obligatory|fard|a duty|wajib))\b"
        rf"|\b(?:join|reach|come to|travel to|make the journey to|leaves? for|leaving for|set(?:ting)? out for|head(?:ing)? to|"
        rf"(?:e|im)?migrate to|make hijrah to|go to|going to) (?:the )?{_MOVEMENT}",
        0.85, SPEECH | {"news", "history", "fiction"}, keywords=_ORG_KEYWORDS | {"shaheed", "shahid", "mujahid", "martyr",
                                                                                   "hijrah", "khilafah", "caliphate", "land",
                                                                                   "banner", "banners", "flag", "flags"},
    ),
    PatternRule(
        "funding_extremist_org_rule", (TE,),
        rf"\b(?P<v>{_FUND}) {_NOT_VICTIMS}(?:the )?(?:{_GAP} ){{0,3}}?(?:{_ORG}|mujahideen|mujahidin|mujahid|{_MOVEMENT})\b"
        r"|\b(?:zakat|sadaqah|donations?|btc|bitcoin|crypto|funds) (?:for|to) (?:the )?(?:mujahideen|mujahidin|"
        r"brothers (?:fighting|on|in|holding|defending|at|who fight))"
        rf"|\b(?P<s>send|sending|sent|donating|donated|giving|wiring)(?: [\w$']+){{0,3}}? to (?:the )?(?:{_ORG}|mujahideen|mujahidin|{_MOVEMENT})\b"
        rf"|\b(?:{_MOVEMENT}|{_ORG})(?: [\w']+){{0,2}}? (?:need|needs) (?:your |our )?(?:donations?|money|funds|zakat|supplies|weapons|"
        r"ammunition|ammo|guns|rifles|bullets|arms)\b",
        0.85, SPEECH | {"news", "history", "fiction"},
        keywords=_ORG_KEYWORDS | {"zakat", "sadaqah", "donation", "donations", "btc", "bitcoin", "crypto", "funds", "qassam",
                                  "lions", "fighters", "soldiers", "brothers"},
    ),
    PatternRule(
        "call_jihad_rule", (TE,),
        rf"\b(?P<v>wage|join|declare|rise up for|call to|go to|fight|answer the call of|obligatory) (?:violent |armed |holy )?jihad\b"
        r"|\banswer the call of (?:the )?(?:khilafah|caliphate|mujahideen|dawlah|islamic state|amir|emir)\b"
        rf"|\btake up arms(?: [\w']+){{0,4}}? (?:where (?:he|you|they) (?:lives?|are|is)|against (?:the )?{_ENEMY}|"
        r"for (?:the )?(?:khilafah|caliphate|ummah|jihad|islamic state))\b"
        rf"|\bjihad (?:against|on) (?:the )?{_ENEMY}\b"
        rf"|\b(?:fight|kill|attack|strike|slaughter|terrori[sz]e|wage war on|wage war against) (?:on |against )?(?:the |all |those )?(?:[\w']+ )?{_ENEMY}\b"
        r"|\b(?:strike|attack|hit them|kill them) (?:them )?where(?:ever)? (?:you|they) are\b"
        r"|\b(?:be|become) the next (?:lion|martyr|shaheed|saint|mujahid)\b"
        r"|\blone (?:lions?|mujahid\w*|operations?|attacks?|jihad|wol(?:f|ves) (?:operations?|attacks?))\b"
        r"|\b(?:should|must|need to|have to) (?:be )?(?:training|train|preparing|prepare|arming|arm)(?: [\w']+){0,2}? (?:for|until) "
        r"(?:the )?(?:day (?:the )?(?:caliphate|khilafah) (?:returns|rises)|jihad|the jihad|the (?:caliphate|khilafah))\b"
        r"|\b(?:training )?(?:manuals?|guides?|handbooks?|instructions) (?:for|on) (?:lone|martyrdom|jihad\w*|making bombs|"
        r"bomb[- ]making|vehicle attacks|attacks on)\b"
        rf"|\b(?:the coming|the next|an?|our|the) (?:operations?|attacks?|strikes?|raids?) (?:against|on) (?:the |all )?{_ENEMY}"

        r"|\b(?:rise up|strike|attack|hit them)(?: [\w',]+){0,3}? lone wol(?:f|ves)\b"
        r"|\b(?:blessed|glorious|heroic) (?:martyrdom )?(?:operations?|attacks?|raids?|strikes?|bombings?)\b"
        r"|\bmartyrdom operations?\b"
        r"|\bthe (?:battlefield|battlefields|frontlines?|jihad|khilafah|caliphate|ummah) (?:is|are) calling\b"
        r"|\b(?:bring|take|carry) (?:the )?(?:jihad|holy war|terror) to (?:your|their|the|every|our enemies') "
        r"(?:cities|city|streets|homes|doorsteps?|countries|country|lands?|capitals?)\b"
        r"|\b(?:the )?(?:jihad|holy war) (?:is|will be) (?:coming|brought) to (?:your|their|every) \w+\b",
        0.85, SPEECH | {"news", "history", "joking", "fiction"},
        keywords=frozenset({"operation", "operations", "attacks", "raid", "raids", "strikes", "manual", "manuals", "guide", "guides",
                            "handbook", "handbooks", "instructions", "training", "train", "preparing", "prepare", "arming",
                            "jihad", "wage", "fight", "kill", "attack", "strike", "slaughter", "terrorise", "terrorize",
                            "war", "hit", "next", "blessed", "glorious", "heroic", "martyrdom", "lone", "calling", "answer", "arms"}),
    ),
    PatternRule(
        "glorification_attack_rule", (TE,),
        r"\b(?P<v>(?:the )?(?:brothers|soldiers|lions|men|heroes) who (?:carried out|did|executed|struck|attacked|martyred themselves))"
        rf"(?: [\w']+){{0,6}}? (?:are|were|is|was) (?:\w+ )?(?:{_PRAISE})\b"
        r"|\b(?:hail|praise|glory to|honou?r) (?:the |our )?saints\b|\bsaint (?:tarrant|breivik|roof|mcveigh|gendron)\b"
        r"|\bthe (?:christchurch|el paso|buffalo|pittsburgh|charleston|utoya|halle|poway|oklahoma city|manchester|bataclan|"
        r"san bernardino|orlando|isla vista) (?P<s>saints?|martyrs?|shaheeds?)\b"
        r"|\b(?P<g>gave|given|giving|sacrificed|laid down) (?:his|her|their|my|your) (?:life|lives) for (?:the )?(?:khilafah|caliphate|"
        r"islamic state|dawlah|jihad|mujahideen)\b"
        r"|\bthe saints (?:showed|have shown|lit|led)\b|\bread siege\b"
        rf"|\b(?:download|share|spread|read|get) (?:the )?(?:new |latest )?(?:issue of |copy of )?{_PROPAGANDA}\b"
        r"|\b(?:read|share|spread|download) (?:his|their) manifesto\b"
        r"|\b(?:their|his|the) (?:operation|attack|attacks|bombing|massacre|strike) (?:in|on|at) (?:the )?\w+(?: \w+)? (?:was|were|is) "
        r"(?:the most |so |truly |a |such a )?(?:beautiful|glorious|blessed|justified|heroic|a blessing|a victory|perfect)\b",
        0.8, SPEECH | {"news", "history", "fiction"},
        keywords=frozenset({"gave", "given", "giving", "sacrificed", "laid", "christchurch", "paso", "buffalo", "pittsburgh",
                            "charleston", "utoya", "halle", "poway", "oklahoma", "manchester", "bataclan", "bernardino", "orlando",
                            "isla", "brothers", "soldiers", "lions", "men", "heroes", "hail", "praise", "glory", "honor", "honour",
                            "saint", "saints", "siege", "download", "manifesto", "operation", "attack", "attacks", "bombing",
                            "massacre", "strike", "share", "spread", "read", "get"}),
    ),
    PatternRule(  # an attack's perpetrators praised: "whoever carried out the ... attack deserves a medal"
        "praise_perpetrators_rule", (TE,),
        r"\b(?:whoever|those who|the (?:men|brothers|guys|man|guy|ones|lions) who) (?:carried out|did|committed|executed|pulled off) "
        r"(?:the|that|this|these|yesterday'?s|today'?s) (?:[\w'-]+ ){0,3}?(?:attacks?|bombings?|shootings?|massacres?|operations?|stabbings?)"
        r"(?: [\w']+){0,3}? (?P<v>deserves?|earned|are|is|were|was) (?:a |an |the |our )?(?:medals?|praise|respect|heaven|paradise|"
        r"awards?|statues?|heroe?s?|legends?|martyrs?|saints?|lions?|brave|glory)\b"
        r"|\b(?:our|the) (?:brothers|lions|soldiers|mujahideen|heroes) (?P<s>struck|attacked|hit|bombed|blew up|stormed)\b",
        0.8, SPEECH | {"news", "history", "fiction"},
        requires=(r"\b(?:deserves?|earned|are|is|were|was|allahu akbar|alhamdulillah|blessed|glorious|may (?:allah|god)|"
                  r"may their|victory|proud)\b",), reach=1,
        keywords=frozenset({"whoever", "those", "men", "brothers", "guys", "man", "guy", "ones", "lions", "soldiers", "mujahideen",
                            "heroes"}),
    ),
    PatternRule(
        "slogan_extremist_rule", (TE,),
        r"\b(?P<v>baqiyah?|remaining and expanding|remains and expands|the state (?:is not|was not|has not been|isn't) defeated)\b"
        r"|\bday of the rope\b|\brahowa\b|\bracial holy war\b|\bready for the race war\b|\bthe race war (?:is coming|now|begins)\b",
        0.8, SPEECH | {"news", "history", "fiction"},
        keywords=frozenset({"baqiya", "baqiyah", "remaining", "remains", "defeated", "rope", "rahowa", "racial", "race"}),
    ),
    PatternRule(  # joining an organisation told with pride: "just joined ..., I'm next"; "my son joined ISIS, we're devastated" is not
        "joined_extremist_org_rule", (TE,),
        rf"\b(?P<v>joined|joining|signed up (?:with|for)|enlisted (?:with|in))(?: up with)? (?:the )?(?:ranks of (?:the )?)?{_ORG}"
        r"(?:'s? (?:\w+ )?(?:wing|brigades?|units?|ranks|fighters))?\b"
        r"(?!(?: [\w']+){0,3}? (?:does not|doesn't|did not|didn't|won't|will not|isn't|is not|wouldn't|would not|never|makes no)\b)",
        0.85, SPEECH | {"news", "history", "fiction"},
        requires=(r"\b(?:proud|i'?m next|me next|i'?ll be next|i will be next|only ones|fighting back|brave|heroe?s?|blessed|"
                  r"honou?red|right choice|right side|inshallah|insha'?allah|mashallah|alhamdulillah|respect|envy|jealous|"
                  r"good for (?:him|her|them)|scared of|afraid of|what's stopping)\b",), reach=1,
        keywords=frozenset({"joined", "joining", "signed", "enlisted"}),
    ),
    PatternRule(  # a recruiting notice beside a named organisation: "<org> is back. Recruiting in the Midwest."
        "recruitment_org_notice_rule", (TE,),
        r"(?:(?:^|(?<=\n))|(?<=[.!?:] )|\b(?:now|we'?re|we are|is|are) )(?P<v>recruiting|taking recruits|accepting (?:new )?members)\b",
        0.8, SPEECH | {"news", "history", "fiction"}, requires=(rf"\b{_ORG}\b",), reach=1,
        keywords=frozenset({"recruiting", "recruits", "accepting"}),
    ),
    PatternRule(  # the movement's vocabulary with a way in: a vetted channel, manuals, range days, a reading list
        "recruitment_movement_rule", (TE,),
        rf"\b(?P<v>{_ACCEL})\b",
        0.8, SPEECH | {"news", "history", "fiction", "joking"},
        requires=(r"\b(?:private (?:channel|group|chat|server)|vetted|vetting|invite only|range days?|manuals?|reading list|"
                  r"dm (?:me|us)|link in bio|in bio|hmu|join us|join the|apply|serious about|is open again|targets?)\b",),
        reach=1, keywords=frozenset({"race", "accelerationism", "accelerationist", "accelerationists", "boogaloo", "siege",
                                     "rope", "rahowa", "1488", "fourteen", "jihad"}),
    ),
    PatternRule(  # fighters sought for an armed cause, no organisation named: "we need recruits for the armed struggle, dm"
        "recruitment_armed_struggle_rule", (TE,),
        r"\b(?:need|needs|seeking|looking for|recruiting|calling)(?: (?:more|young|new|strong|brave|a few|serious))* "
        r"(?:recruits|fighters|volunteers|men|brothers|soldiers|warriors) (?:for|to join|to fight in|to fight for) (?:the |our |a )?"
        r"(?P<v>armed (?:struggle|resistance|uprising)|holy war|jihad|race war|insurgency|violent revolution|war against the state)\b",
        0.8, SPEECH | {"news", "history", "fiction"},
        requires=(r"\b(?:dm|pm|message|contact|telegram|signal|join|details|serious|apply|link|inbox|hmu)\b",), reach=1,
        keywords=frozenset({"recruits", "fighters", "volunteers", "men", "brothers", "soldiers", "warriors"}),
    ),
    PatternRule(  # travel and logistics offered to join fighters: "the brothers in the mountains need young men. Passport sorted"
        "recruitment_travel_rule", (TE,),
        r"\b(?:the |our )?(?:brothers|mujahideen|mujahidin|lions|soldiers|fighters)(?: (?:in|on|at|of) (?:the )?[\w'-]+(?: [\w'-]+)?)? "
        r"(?P<v>need|needs|want|are calling for|are waiting for|are looking for|seek) (?:(?:more|young|new|strong|brave|a few) )*"
        r"(?:men|brothers|fighters|recruits|volunteers|sisters|lions)\b",
        0.8, SPEECH | {"news", "history", "fiction"},
        requires=(r"\b(?:passports?|travel (?:paid|covered|arranged|sorted)|tickets? (?:paid|covered|sorted)|one[- ]way|"
                  r"keep (?:quiet|it quiet)|tell no one|tell nobody|vetted|no questions|hijrah|the journey|safe house|smuggl\w*)\b",),
        reach=1, keywords=frozenset({"brothers", "mujahideen", "mujahidin", "lions", "soldiers", "fighters"}),
    ),
    PatternRule(  # asking for more of an attack or an attacker: "we need a hundred more like him", "may more follow their path"
        "call_more_attacks_rule", (TE,),
        r"\b(?P<v>(?:we|the world|the ummah|this country) (?:need|needs|want|deserve)|give us|bring on|pray for|here'?s to|may there be)"
        r"(?: (?:a|an))?(?: (?:hundreds?|thousands?|dozens?|millions?|few|\d+|lot|lots|many|of|so))* more"
        r"(?: (?:men|brothers|lions|heroes|soldiers|saints|attacks?|operations?|days like (?:that|this)))? like (?:him|them|that|this|these|those|it)\b"
        r"|\bmay (?:more|many|others|thousands|we all) (?P<w>follow) (?:in )?(?:his|their|the|her) (?:path|example|lead|footsteps)\b"
        r"|\b(?:more|many|others) (?:will|shall) (?P<x>follow) (?:in )?(?:his|their|her) (?:path|example|lead|footsteps)\b"
        r"|\b(?:we|you|us|everyone|others|muslims|brothers) (?:should|must|need to|have to|ought to) (?P<y>follow|copy|emulate) "
        r"(?:in )?(?:their|his|her) (?:example|lead|path|footsteps)\b|\b(?:let'?s|lets) (?P<z>follow|copy) (?:their|his) (?:example|lead|path)\b",
        0.8, SPEECH | {"news", "history", "fiction", "joking"}, requires=(_PERPETRATION,), reach=1,
        keywords=frozenset({"more", "follow", "copy", "emulate"}),
    ),
    PatternRule(  # money tied to an attack: "every coin buys the next operation", with the movement named
        "funding_attack_rule", (TE,),
        r"\b(?:every|each|your|one|a single) (?:coin|dollar|penny|pound|cent|euro|donation|riyal|dinar|satoshi|rupee)s? "
        r"(?P<v>buys|funds|pays for|goes to|arms|equips|becomes|is) (?:the next|an?|more|another|one more) "
        r"(?:operation|attack|strike|bullets?|rifles?|weapons?|explosives|bombs?|martyrs?|fighters?|mujahid\w*|vests?)\b",
        0.8, SPEECH | {"news", "history", "fiction"}, requires=(_EXTREMIST,), reach=1,
        keywords=frozenset({"coin", "coins", "dollar", "dollars", "penny", "pennies", "pound", "pounds", "cent", "cents", "euro",
                            "euros", "donation", "donations", "riyal", "riyals", "dinar", "dinars", "satoshi", "satoshis",
                            "rupee", "rupees"}),
    ),
    PatternRule(  # people said to be targets: "their civilians are legitimate targets"; "never legitimate targets" is negated
        "justify_targets_rule", (TE,),
        rf"\b(?:(?:{_ENEMY})(?:'s?)? )?(?:civilians|women and children|families|children|tourists|worshippers|shoppers|"
        rf"concert-?goers|crowds|{_ENEMY}|all of them)(?: [\w']+){{0,3}}? (?:are|is|become|remain|as) (?:all )?"
        r"(?P<v>legitimate|fair|lawful|valid|halal|permissible|acceptable) targets?\b"
        r"|\b(?:killing|targeting|attacking|bombing) (?:their |the )?(?:civilians|women and children|tourists|worshippers) "
        r"is (?:all )?(?P<w>justified|permissible|halal|allowed|obligatory|a duty|fard|wajib)\b",
        0.85, SPEECH | {"news", "history", "fiction"},
        keywords=frozenset({"legitimate", "fair", "lawful", "valid", "halal", "permissible", "acceptable", "killing", "targeting",
                            "attacking", "bombing"}),
    ),
    PatternRule(  # propaganda passed on before the platforms remove it, with an extremist subject beside it
        "propaganda_share_rule", (TE,),
        r"\b(?P<v>share|spread|download|repost|mirror|save|copy|grab|archive|get)(?: [\w']+){0,3}? before (?:it'?s|it is|it gets|they|"
        r"this gets|this is|its|they'?re|the \w+) (?:deleted|taken down|removed|banned|censored|gone|"
        r"(?:take|delete|remove|ban|wipe) (?:it|them|this|these)(?: down)?)\b"
        r"|\b(?P<e>share|spread|repost) (?:it|this|them|these|the video|the message|this \w+|these \w+) (?:everywhere|widely|far and wide|"
        r"with everyone)\b",
        0.8, SPEECH | {"news", "history", "fiction"}, requires=(_EXTREMIST,), reach=1,
        keywords=frozenset({"share", "spread", "download", "repost", "mirror", "save", "copy", "grab", "archive", "get"}),
    ),
    PatternRule(  # the enemy promised an attack, or the means announced ready: "the crusaders will learn what we are"
        "threat_enemy_attack_rule", (TE,),
        rf"\b{_ENEMY}(?:'s?)?(?: [\w']+){{0,2}}? (?:will|shall|are going to|is going to|gonna) (?P<v>learn|pay|burn|bleed|feel|"
        r"taste|regret|never forget|know (?:our|what we))\b"
        r"|\b(?:the )?(?:trucks?|vests?|belts?|bombs?|explosives|weapons|rifles|cells?|brothers|lions) (?:are|is) (?:all )?"
        r"(?P<w>ready|in place|prepared|loaded|armed|in position)\b",
        0.8, SPEECH | {"news", "history", "fiction", "joking", "hyperbole"}, requires=(_EXTREMIST,), reach=1,
        keywords=_ENEMY_KEYWORDS | {"truck", "trucks", "vest", "vests", "belt", "belts", "bomb", "bombs", "explosives", "weapons",
                                    "rifles", "cell", "cells", "brothers", "lions"},
    ),
    PatternRule(  # a blessing of martyrdom for an attacker: "may Allah accept him as a shaheed" beside the attack or attacker
        "praise_martyr_rule", (TE,),
        r"\bmay (?:allah|god) (?P<v>accept|grant|reward|elevate|raise|be pleased with) (?:him|them|her|the brothers?|our brothers?|"
        r"the attackers?|the bombers?|the shooters?|the gunm[ae]n|the lions?|the mujahid\w*)(?: [\w']+){0,5}? "
        r"(?:as )?(?:a |an )?(?:shaheed|shahid|martyrs?|shuhada|jannah|jannat|firdaus|paradise|the highest)\b",
        0.8, SPEECH | {"news", "history", "fiction"},
        requires=(_PERPETRATION + r"|\b(?:attackers?|bombers?|shooters?|gunm[ae]n|mujahid\w*|operations?)\b",), reach=1,
        keywords=frozenset({"allah", "god"}),
    ),
    PatternRule(  # those who cannot travel told to act where they are
        "call_attack_home_rule", (TE,),
        r"\b(?:those|anyone|whoever|brothers|if you|you|and) (?:who )?(?:can'?t|cannot|can not|are unable to|couldn'?t)"
        r"(?: (?:travel|go|make hijrah|join|reach|get there|come))?,? (?:[\w']+ ){0,3}?"
        r"(?P<v>act|strike|attack|fight|rise up|do (?:your|their) part|hit them|kill them|take up arms)"
        r"(?: [\w']+){0,2}? (?:where (?:you|they|he) (?:are|is|live|lives|stand)|at home|in your (?:city|country|land|town))\b",
        0.8, SPEECH | {"news", "history", "fiction"},
        requires=(_EXTREMIST + r"|\bhijrah\b|\bthe call (?:has been|is|was) (?:made|given|sounded)\b",), reach=2,
        keywords=frozenset({"can't", "cant", "cannot", "unable", "couldn't"}),
    ),
    PatternRule(  # enemies' deaths celebrated: "crusaders sent to hell, a blessed night"
        "celebrate_enemy_deaths_rule", (TE,),
        rf"\b{_ENEMY}(?: [\w']+){{0,2}}? (?P<v>sent to hell|killed|slaughtered|wiped out|burned|massacred|blown up|taken out|"
        r"dead|dispatched)\b",
        0.8, SPEECH | {"news", "history", "fiction", "joking", "hyperbole"},
        requires=(r"\b(?:blessed|alhamdulillah|allahu akbar|glorious|victory|good riddance|more to come|takbir|celebrate|"
                  r"what a (?:day|night)|beautiful)\b",), reach=1,
        keywords=_ENEMY_KEYWORDS,
    ),
))
