"""Illegal and regulated goods: a drug, weapon, fake document or stolen-data term next to
a transaction cue (selling, DM to order, prices, shipping, payment apps) in the same
sentence. Mentions without a sale ("my doctor switched me from xanax"), pharmacy talk
("the pharmacy raised the price of my adderall") and arrests/seizures (news) do not count.
"""

from __future__ import annotations

from agents.detectors.lexicon import alt, first_words
from agents.detectors.rules import SPEECH, PatternRule, RuleSet

IG = "illegal_goods"
_CLEARED = SPEECH | {"news"}
_SALE = (
    r"\b(?:for sale|selling|sell|sale|buying|buy|in stock|available|dm(?: me)?(?: for| to order)?|hmu|hit me up|plug|"
    r"delivery|deliver|shipping|ships?|discreet|prices?|menu|order|each|per (?:g|gram|oz|pill|tab)|cash ?app|btc|"
    r"bitcoin|crypto|telegram|wickr|whatsapp|snap me|no (?:serial|background check|prescription|script))\b|\$\d+"
)
_DRUG_WORDS = ("cocaine", "heroin", "meth", "methamphetamine", "fentanyl", "fent", "mdma", "molly", "ecstasy",
             "xanax", "xans", "xanax bars", "xan bars", "percs", "percocet", "percocets", "oxy", "oxys",
             "oxycodone", "oxycontin", "adderall", "lsd", "shrooms", "ketamine", "dmt", "crack", "coke")
_DRUGS = alt(*_DRUG_WORDS)
_WEAPONS = alt("ghost guns?", "auto sears?", "glock switch(?:es)?", "full auto conversions?",
               "unregistered (?:guns|firearms)", "untraceable (?:guns|firearms)", "bump stocks? no serial")
_PAPERS = alt("fake (?:ids?|passports?|licen[cs]es|driver'?s licen[cs]es|documents|diplomas|ssn cards?|social security cards?)",
              "counterfeit (?:money|bills|notes|cash|passports?)", "fullz", "cvv dumps", "cloned cards",
              "stolen (?:credit )?cards?")

_WEAPON_KEYWORDS = frozenset({"ghost", "sear", "sears", "switch", "switches", "conversion", "conversions",
                              "unregistered", "untraceable", "bump"})
_PAPER_KEYWORDS = frozenset({"fake", "counterfeit", "fullz", "cvv", "cloned", "stolen"})

RULES = RuleSet("rules.goods", 1, (
    PatternRule("sale_drugs_rule", (IG,), rf"\b(?P<v>{_DRUGS})\b", 0.75, _CLEARED | {"medical"}, requires=(_SALE,),
                keywords=first_words(*_DRUG_WORDS)),
    PatternRule("sale_weapons_rule", (IG,), rf"\b(?P<v>{_WEAPONS})\b", 0.8, _CLEARED, requires=(_SALE,),
                keywords=_WEAPON_KEYWORDS),
    PatternRule("sale_documents_rule", (IG,), rf"\b(?P<v>{_PAPERS})\b", 0.8, _CLEARED, requires=(_SALE,),
                keywords=_PAPER_KEYWORDS),
))
