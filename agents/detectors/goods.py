"""Illegal and regulated goods: an offer to sell or a request to buy, not a mention.

A violation is a goods term (drugs, weapons without checks, fake documents, stolen data and
cards, counterfeit money, wildlife parts, organs, hacking for hire) with a transaction cue in
its sentence or the next: a price, a contact or payment channel, delivery, availability, a
sale or buying request ("selling", "who needs", "where can I buy", "looking for a plug").
Words that are also everyday words ("snow", "blues", "tabs", "candy", "carts", "coke") count
only with a drug-trade cue too (a quantity such as "an eighth", a plug or menu, a pill or
snowflake emoji). Guns are lawful goods: only with "no background check" or "untraceable".
Mentions without a transaction (news of a seizure, a prescription, harm reduction, a TV plot),
warnings about scams, negations and reported speech do not count.
"""

from __future__ import annotations

from agents.detectors.lexicon import DRUG_WORDS, alt, first_words
from agents.detectors.rules import SPEECH, PatternRule, RuleSet

IG = "illegal_goods"
_CLEARED = SPEECH | {"news", "warning", "fiction", "recovery"}

#: A transaction: price, channel, payment, delivery, availability, or a sale/buy request.
_OFFER = (
    r"\b(?:for sale|selling|sell|sells|i sell|we sell|buying|buy|wtb|in stock|restock(?:ed)?|available|"
    r"taking orders|order now|orders? open|wholesale|bulk|serious buyers|buyers only|plug|connect|vendor|supplier|"
    r"cash ready|cash waiting|who can (?:hook me up|sort me out|help me out)|"
    r"menu|prices?|pricing|\d+ (?:each|a pop|apiece|a pill|a tab|a bar|a gram|a g|an eighth|a piece)|"
    r"per (?:g|gram|oz|ounce|pill|tab|bar|unit)|face value|"
    r"dm(?: me)?|dms|inbox me|pm me|message me|hmu|hit me up|hit me|hit my line|text me|contact me|link in bio|"
    r"telegram|wickr|on signal|signal me|snap me|on snap|my snap|snapchat|whatsapp|kik|"
    r"cash ?app|venmo|zelle|paypal|btc|bitcoin|crypto|monero|xmr|cash only|pay in|paying|i'll pay|will pay|"
    r"ship|ships|shipping|shipped|deliver|delivery|delivered|delivering|delivers|deliveries|drop off|drop it off|"
    r"same day|overnight|discreet|runners?|(?:i|we|(?:my|our|a) (?:guy|boy|man|driver|runner))(?:'ll| can| will| could) come to (?:you|u)|pull(?:ing)? up to (?:you|u)|"
    r"(?:half |50% )?upfront|rest after|deposit first|serious (?:only|inquiries|enquiries)|"
    r"stealth|tracking|worldwide|nationwide|meet ?up|pick ?up|ready to ship|who needs|who wants|anyone need|"
    r"who'?s selling|who has|anyone (?:selling|got|have|has)|looking for (?:a )?(?:plug|connect|supplier)|"
    r"need (?:a )?(?:plug|connect)|where (?:can|do|could) (?:i|u|you|we|someone) (?:buy|get|cop|find|score|order)|"
    r"who'?s holding|anyone holding|who'?s got|tryna cop|looking to cop)\b"
    r"|[$\u00a3\u20ac]\d+|\b\d+ ?(?:\$|usd|dollars|bucks|quid)|\bfor \d+\b|\bescrow\b|\b\d+% valid\b"
    r"|\b(?:text|txt|call|msg|ring|hmu|hit me)(?: me)?(?: (?:at|on))? \(?\d{3}\b"
)
_DRUGS = alt(*DRUG_WORDS)
#: A plug that is a thing ("the bath plug is back in stock"), not the dealer.
_THING_PLUG = "".join(f"(?<!{w} )" for w in ("bath", "sink", "tub", "basin", "drain", "spark", "glow", "wall", "power",
                                             "ear", "butt", "usb", "charger"))
_PLUG_BACK = ("plug'?s back", "plug is back", "plug'?s open", "plug (?:got|has|is) (?:[\\w']+ ){0,3}?back")
#: Everyday words that name drugs only in trade talk.
_SLANG_WORDS = ("coke", "snow", "blow", "white", "green", "exotic", "crystal", "ice", "glass", "blues", "tabs", "caps", "bars",
                "pills", "carts", "dabs", "wax", "loud", "gas", "bud", "weed", "pot", "edibles", "mushrooms", "beans",
                "rolls", "dope", "tina", "addies", "acid", *_PLUG_BACK)
_SLANG = alt(*(_THING_PLUG + w if w in _PLUG_BACK else w for w in _SLANG_WORDS))
#: What makes a slang word a drug: quantities, trade roles, pill/snow/leaf/plug emoji.
_DRUG_TRADE = (
    r"\b(?:grams?|\d+ ?g|a g|eighths?|an eighth|qp|zips?|8 ?balls?|half (?:a )?zip|baggies|plug|connect|menu|pressed|"
    r"uncut|re-?up|a pop|real m(?:30|eo)s?|what (?:you|u) need|whatever (?:you|u) need|no id(?: needed| required)?|"
    r"to your school|underage ok|new batch|fresh batch|just landed|\d+ ?(?:pounds|lbs?|oz|ounces|p's)|"
    r"(?:got|have|holding|selling) (?:that|the|some) (?:gas|loud|za|zaza|pack|exotic|white|snow|blow|ice|tina|dope|fire|good stuff|good good)|"
    r"half (?:o|oz|an o))\b|[\U0001F48A\U0001F344\u2744\U0001F343\U0001F33F\U0001F50C]"
)
#: Quantities only drug sales use, joined to a price ("zips 200", "eighths for 40"); sewing zips come in packs.
_QUANTITY_PRICE = (r"\b(?P<v>zips?|qps?|half (?:a )?zips?|eighths?|8 ?balls?|half (?:an )?eighths?)(?: (?:for|@|at|are|go for|only))? "
                   r"?[$\u00a3\u20ac]?\d+(?![\d]|[.,]\d)(?! ?(?:pack|pcs|pieces|cm|mm|inch|in\b))"
                   r"|[$\u00a3\u20ac]?\d+ (?:for |a |per )(?P<w>zip|qp|eighth|8 ?ball)\b")
#: Killing or hurting someone as a paid service: the target named as a person, the job in euphemism.
_HARM_SERVICE = (r"\b(?:need|want|got)(?: (?:a|an))? (?P<v>someone|somebody|a person|(?:your|ur|an?) (?:ex|husband|wife|boss|partner|"
                 r"business partner|problem|snitch)|him|her|them) (?:gone|dealt with|taken care of|handled|out of the picture|"
                 r"disappeared|to disappear|removed|erased|silenced|put down|whacked|hurt|roughed up)\b")
_BRANDS = alt("rolex", "rolexes", "gucci", "louis vuitton", "lv", "prada", "chanel", "dior", "hermes", "cartier", "nike",
              "jordans", "yeezys?", "airpods", "designer (?:bags|watches|clothes)", "watches", "handbags", "sneakers")
_KNOCKOFF = alt(f"(?:fake|replica|counterfeit|knockoff|rep|aaa) (?:[\\w']+ (?:and )?){{0,2}}?{_BRANDS}", "1:1 replicas?", "1:1 reps",
                "replica (?:watches|handbags|bags|designer \\w+)")
#: Prescription medicines: sold without a prescription they are illegal sales.
_RX_WORDS = ("ozempic", "semaglutide", "wegovy", "mounjaro", "tirzepatide", "viagra", "cialis", "antibiotics", "insulin",
             "modafinil", "gabapentin", "ritalin", "vyvanse", "ambien", "soma", "phentermine", "accutane", "clonazepam",
             "alprazolam", "diazepam", "lorazepam", "ativan")
_RX = alt(*_RX_WORDS)
_NO_SCRIPT = (r"\b(?:without (?:a |any )?(?:prescription|script|rx|doctor)|no (?:prescription|script|rx|doctor)|"
              r"prescription not (?:needed|required)|no questions asked)\b")
_WEAPON_WORDS = ("ghost guns?", "ghost (?:gun )?kits?", "auto sears?", "80% (?:kits?|frames?|receivers?)",
                 "(?:unserialized|unserialised|serial-?less|no-serial) (?:guns?|pistols?|rifles?|frames?|receivers?|lowers?|kits?)",
                 "(?:polymer ?80|p80) (?:kits?|frames?|lowers?)",
                 "(?:glocks?|pistols?|guns?|handguns?|rifles?|ars?|ar-?15s?) with (?:an? |the )?(?:switch|auto sear|sear|bump stock|"
                 "suppressor|silencer)(?:es)?", "glock switch(?:es)?", "switches for glocks",
                 "full auto conversions?(?: kits?)?", "conversion kits?", "bump stocks?", "80% lowers?",
                 "unregistered (?:guns|firearms|pistols|rifles)", "untraceable (?:guns?|firearms?|pistols?|rifles?)",
                 "pipe bombs?", "grenades?", "explosives", "c4", "silencers?", "suppressors?", "solvent trap kits?")
_WEAPONS = alt(*_WEAPON_WORDS)
_GUNS = alt("guns?", "pistols?", "rifles?", "firearms?", "handguns?", "shotguns?", "glocks?", "ar", "ar-?15s?", "ak",
            "ak-?47s?", "ammo", "strap", "straps", "burner", "piece", "heater", "gat", "9mm")
_NO_CHECKS = (r"\b(?:no (?:background check|paperwork|papers|serial|serials|questions|id|ffl|transfer)|"
              r"without (?:a |any )?(?:background check|paperwork|serial)|felons? (?:ok|okay|welcome)|off the books|"
              r"untraceable|unregistered|no questions asked)\b")
_DOC_WORDS = ("ids?", "passports?", "licen[cs]es?", "driver'?s licen[cs]es?", "driving licen[cs]es?",
              "documents?", "diplomas?", "degrees?", "ssn cards?", "social security cards?", "birth certificates?",
              "vaccine cards?", "vaccination cards?", "doctor'?s notes?", "sick notes?", "visas?", "green cards?",
              "residence permits?", "papers", "work permits?", "insurance cards?")
_DOC = alt(*_DOC_WORDS)
_FORGED = r"(?:fake|counterfeit|forged|novelty|replica|real[- ]looking|scannable|false|bogus|cloned)"
#: A document offered as passing for real ("that scan", "look 100% real", "any country").
_PASSING = (r"(?:that scan|scannable|scan(?:s)? (?:fine|perfectly)|real[- ]looking|looks? (?:100% )?(?:real|legit)|any (?:state|country)|"
            r"registered in the database|pass(?:es)? (?:any |every |the )?(?:bouncers?|bars?|clubs?|scanners?|scans?|"
            r"blacklights?|uv|id checks?|airport security))")
_MONEY = alt(f"{_FORGED} (?:money|bills|notes|cash|currency|euros?|dollars|pounds|twenties|fifties|hundreds|\\$?\\d+s?|\\$?\\d+ bills)", "fullz", "cvv", "cvvs",
             "cc dumps", "dumps with pin", "bank logs?", "cloned cards?", "cards? with (?:a |high )?balance",
             "carding", "cash ?outs?", "stolen (?:\\w+ ){0,3}(?:cards?|accounts?|logins?|identities|data)",
             "hacked (?:\\w+ ){0,3}(?:accounts?|logins?)",
             "stolen (?:\\w+ ){0,2}(?:phones?|iphones?|laptops?|electronics|goods|bikes?|cars?|merch(?:andise)?|"
             "catalytic converters?|jewelry|jewellery|tools|gift cards?)", "cracked (?:\\w+ ){0,3}(?:accounts?|logins?)",
             "prop money")
_WILDLIFE = alt("(?:real|raw|elephant|genuine|antique) ivory", "ivory (?:carvings?|tusks?|pieces|figurines?|statues?|jewelry|bangles|chopsticks)", "rhino horns?", "tiger (?:bones?|skins?|parts|teeth|claws|pelts?)", "pangolins?(?: scales)?",
                "bear (?:paws?|gall ?bladders?|claws)",
                "bear bile", "shark fins?", "elephant tusks?", "turtle shells?",
                "(?:tiger|lion|cheetah|leopard|jaguar|bear|wolf) cubs?", "slow loris(?:es)?", "lorises",
                "baby (?:monkeys?|chimps?|chimpanzees?|orangutans?|gorillas?|tigers?|lions?|cheetahs?|pangolins?|sloths?)")
_ORGANS = alt("kidneys?", "human organs?", "corneas?")
_HACKING = (r"\b(?P<v>(?:get|break|hack) into|hack|recover|unlock|access) (?:any(?:one'?s)?|your|their|someone'?s|people'?s|his|her|"
            r"(?:my|your|his|her|their) \w+'s) "
            r"(?:\w+ )?(?:accounts?|instagram|snapchat|facebook|phone|email|icloud|whatsapp)\b|\bhackers? for hire\b"
            r"|\b(?:need|want|looking for|hire) (?:a )?hacker\b"
            r"|\bhitm[ae]n (?:available|for hire|services?)\b|\bmurder for hire\b|\bcontract killings?\b")

#: Weapons whose making is taught: explosives, poisons, untraceable or converted guns ("bath bomb" is none of them).
_MADE_WEAPON_WORDS = ("pipe bombs?", "car bombs?", "nail bombs?", "pressure cooker bombs?", "dirty bombs?",
                      "fertili[sz]er bombs?", "ieds?", "explosives", "explosive devices?", "molotovs?", "molotov cocktails?",
                      "napalm", "tatp", "thermite", "ricin", "sarin", "nerve (?:gas|agents?)", "ghost guns?", "untraceable guns?",
                      "3d[- ]printed guns?", "auto sears?", "glock switch(?:es)?", "silencers?", "suppressors?",
                      "suicide vests?")
_WEAPON_HOWTO = (r"\b(?:how to|how (?:do|can|could) (?:i|you|we|one)|here'?s how to|step[- ]by[- ]step(?: guide)?(?: to| for)?|"
                 r"instructions (?:for|on|to)|guide (?:to|for|on)|tutorial (?:on|for)|recipe for|easy way to|"
                 r"learn (?:how )?to)(?: \w+){0,2}? (?:make|making|build|building|assemble|assembling|print|printing|cook|"
                 r"mix|convert) (?:a |an |your own |my own |our own |some |homemade )?(?P<v>"
                 + alt(*_MADE_WEAPON_WORDS) + r")\b"
                 r"|\b(?P<i>make|build|assemble) (?:a |an |your own )?(?:" + alt(*_MADE_WEAPON_WORDS) + r") "
                 r"(?:with|using|from|out of) (?:these|this|the following|household|common)\b")

_FORGED_WORDS = frozenset({"fake", "counterfeit", "forged", "novelty", "replica", "real", "scannable", "false", "bogus",
                           "cloned"})

RULES = RuleSet("rules.goods", 9, (
    PatternRule("sale_drugs_rule", (IG,), rf"\b(?P<v>{_DRUGS})\b", 0.85, _CLEARED | {"medical"}, requires=(_OFFER,),
                reach=1, keywords=first_words(*DRUG_WORDS) | {"meos", "meo"}),
    PatternRule("sale_drug_slang_rule", (IG,), rf"\b(?P<v>{_SLANG})\b", 0.75, _CLEARED | {"medical"},
                requires=(_OFFER, _DRUG_TRADE), reach=1, keywords=first_words(*_SLANG_WORDS)),
    PatternRule("sale_prescription_drugs_rule", (IG,), rf"\b(?P<v>{_RX})\b", 0.8, _CLEARED, requires=(_OFFER, _NO_SCRIPT),
                reach=1, keywords=first_words(*_RX_WORDS)),
    PatternRule("sale_counterfeit_goods_rule", (IG,), rf"\b(?P<v>{_KNOCKOFF})(?!\w)", 0.75, _CLEARED, requires=(_OFFER,), reach=1,
                keywords=frozenset({"fake", "replica", "replicas", "counterfeit", "knockoff", "knockoffs", "reps", "1", "aaa"})),
    PatternRule("sale_weapons_rule", (IG,), rf"\b(?P<v>{_WEAPONS})(?!\w)", 0.85, _CLEARED, requires=(_OFFER,), reach=1,
                keywords=frozenset({"glock", "glocks", "pistol", "pistols", "gun", "guns", "handgun", "handguns", "rifle",
                                    "rifles", "ars", "ar15", "ar15s", "ghost", "sear", "sears", "switch", "switches", "conversion", "conversions", "kit",
                                    "unserialized", "unserialised", "serialless", "serial", "polymer", "polymer80", "p80",
                                    "frame", "frames", "receiver", "receivers",
                                    "kits", "bump", "lower", "lowers", "unregistered", "untraceable", "pipe", "grenade",
                                    "grenades", "explosives", "c4", "silencer", "silencers", "suppressor",
                                    "suppressors", "trap"})),
    PatternRule("sale_unchecked_guns_rule", (IG,), rf"\b(?P<v>{_GUNS})\b", 0.8, _CLEARED, requires=(_OFFER, _NO_CHECKS),
                reach=1, keywords=frozenset({"gun", "guns", "pistol", "pistols", "rifle", "rifles", "firearm", "firearms",
                                             "handgun", "handguns", "shotgun", "shotguns", "glock", "glocks", "ar",
                                             "ar15", "ar15s", "ak", "ak47", "ak47s", "ammo", "strap", "straps",
                                             "burner", "piece", "heater", "gat", "9mm"})),
    PatternRule("sale_documents_rule", (IG,),
                rf"\b(?P<n>(?:new|full|complete|fresh) identit(?:y|ies) (?:packages?|kits?|sets?|combos?)|identity (?:packages?|kits?|combos?))\b"
                rf"|\b{_FORGED} (?:\w+ ){{0,2}}?(?P<v>{_DOC})\b|\b(?P<w>{_DOC}|cards?|(?:new )?identit(?:y|ies))\b.{{0,60}}?{_PASSING}",
                0.85, _CLEARED, requires=(_OFFER,), reach=1,
                keywords=_FORGED_WORDS | {"scan", "looking", "look", "looks", "any", "registered", "pass", "passes", "identity",
                                          "identities"}),
    PatternRule("sale_financial_fraud_rule", (IG,), rf"\b(?P<v>{_MONEY})(?!\w)", 0.85, _CLEARED, requires=(_OFFER,),
                reach=1, keywords=_FORGED_WORDS | {"fullz", "cvv", "cvvs", "dumps", "logs", "log", "card", "cards",
                                                   "carding", "cash", "cashout", "cashouts", "stolen", "hacked",
                                                   "cracked", "prop"}),
    PatternRule("sale_wildlife_organs_rule", (IG,),
                rf"\b(?P<v>{_WILDLIFE}|{_ORGANS})\b", 0.8, _CLEARED,
                requires=(r"\b(?:for sale|selling|sell|buying|buy|buyers|wholesale|prices?|shipping|ship|ships|"
                          r"dm|\$\d+|per (?:kg|gram|piece))\b",),
                keywords=frozenset({"pangolins", "paw", "paws", "gall", "gallbladder", "gallbladders", "bear", "cub", "cubs", "loris", "lorises", "baby", "ivory", "rhino", "horn", "horns", "tiger", "pangolin", "bile", "shark", "tusk",
                                    "tusks", "turtle", "kidney", "kidneys", "liver", "livers", "organ", "organs",
                                    "cornea", "corneas"})),
    PatternRule("sale_drug_quantity_rule", (IG,), _QUANTITY_PRICE, 0.75, _CLEARED | {"medical"},  # the price is the offer
                keywords=frozenset({"zip", "zips", "qp", "qps", "eighth", "eighths", "8ball", "8balls", "ball", "balls"})),
    PatternRule("hire_harm_service_rule", (IG,), _HARM_SERVICE, 0.75, _CLEARED | {"joking"},
                requires=(r"\b(?:discreet|discretion|upfront|half now|rest after|deposit|serious only|no questions|untraceable|"
                          r"service|services|price|rates?|btc|bitcoin|crypto|cash)\b",), reach=1,
                keywords=frozenset({"need", "want", "got"})),
    PatternRule("sale_hacking_service_rule", (IG,), _HACKING, 0.75, _CLEARED, requires=(_OFFER,), reach=1,
                keywords=frozenset({"into", "hack", "recover", "unlock", "access", "hacker", "hackers", "hire", "hitman",
                                    "hitmen", "murder", "contract"})),
    # instructions on making weapons are regulated goods too (bombs, 3D-printed guns)
    PatternRule("weapon_instructions_rule", (IG,), _WEAPON_HOWTO, 0.8, _CLEARED | {"fiction", "history"},
                keywords=frozenset({"bomb", "bombs", "ied", "ieds", "explosive", "explosives", "molotov", "molotovs", "napalm",
                                    "tatp", "thermite", "ricin", "sarin", "nerve", "gun", "guns", "sear", "sears", "switch",
                                    "switches", "silencer", "silencers", "suppressor", "suppressors", "vest", "vests"})),
))
