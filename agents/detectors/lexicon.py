"""Word lists shared by several rule families, as regex alternations in plain spelling.

Protected characteristics follow the hateful-conduct policy: race, ethnicity, national
origin, caste, religion, sexual orientation, sex, gender, gender identity, age, disability,
serious disease. Professions, fans, politicians, landlords are NOT protected groups.
"""

from __future__ import annotations

import re


def first_words(*phrases: str) -> frozenset[str]:
    """The longest word of each phrase: a post must contain one for a rule on `phrases` to run."""
    return frozenset(max(re.split(r"[^a-z0-9']+", p), key=len) for p in phrases)


#: Regex source: "nobody would come to your funeral", a rejection (abuse), and with "might as well" an urging (self-harm)
NOBODY_AT_FUNERAL = (r"\b(?:nobody|no one|noone) (?:would|will|is gonna|is going to) (?:even )?(?:come to|go to|show up (?:to|at)|"
                     r"attend|cry at|miss you at) (?:your|ur) funeral\b")
#: Regex source: what a speaker says they will do after "i"/"we" ("'ll", " am gonna"); violence adds " gonna"
SPEAKER_WILL = "'ll| will|'m gonna| am gonna|'re gonna| are gonna|'m going to| am going to|'re going to| are going to"


def alt(*words: str) -> str:
    """A non-capturing alternation, longest first so "black people" wins over "black"."""
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


#: Drugs by name, street name and pill press (goods' sale rules; the spelling pass splits run-ons at them).
DRUG_WORDS = (
    "cocaine", "heroin", "meth", "methamphetamine", "fentanyl", "fent", "fetty", "mdma", "molly", "ecstasy",
    "xanax", "xans", "xanny", "xannies", "percs", "perc", "percocet", "percocets", "oxy", "oxys", "oxycodone",
    "oxycontin", "hydrocodone", "vicodin", "tramadol", "codeine", "lean", "promethazine", "adderall", "addy",
    "addys", "lsd", "shrooms", "ketamine", "dmt", "ghb", "crack", "yayo", "smack", "opioids", "opiates",
    "valium", "klonopin", "roxies", "roxys", "dilaudid", "suboxone", "steroids", "tren", "sarms", "mephedrone",
    "zaza", "kush", "acid tabs", "pressed pills", "pressies", "m(?:30|eo)s?",
)


#: Protected groups, by key (the key links slurs to the self-identification that reclaims them).
GROUPS: dict[str, tuple[str, ...]] = {
    "religion": ("muslims", "muslim", "moslems", "islamists", "jews", "jew", "jewish people", "christians",
                 "hindus", "sikhs", "catholics", "buddhists"),
    "race": ("black people", "blacks", "black folks", "black men", "black women", "whites", "white people",
             "asians", "asian people", "arabs", "africans", "latinos", "hispanics", "mexicans", "chinese people",
             "chinese", "indians", "pakistanis", "roma", "gypsies", "aboriginals", "natives", "jews"),
    "origin": ("immigrants", "immigrant", "migrants", "migrant", "refugees", "refugee", "asylum seekers",
               "foreigners", "illegals"),
    "lgbt": ("gays", "gay people", "gay men", "lesbians", "homosexuals", "queers", "trans people",
             "transgender people", "trans women", "trans men", "transgenders", "bisexuals", "lgbt people"),
    "gender": ("women", "woman", "females", "girls", "men", "males"),
    "disability": ("disabled people", "the disabled", "autistic people", "retards", "cripples",
                   "mentally disabled people", "people with disabilities", "people with autism",
                   "people with down syndrome", "people with mental illness", "the mentally ill"),
    "disease": ("people with hiv", "people with aids", "hiv positive people", "people with cancer",
                "people with leprosy"),
    "age": ("old people", "the elderly", "boomers"),
    "nationality": ("somalis", "haitians", "nigerians", "syrians", "afghans", "iraqis", "iranians", "palestinians",
                    "israelis", "ukrainians", "russians", "filipinos", "vietnamese", "koreans", "japanese", "turks",
                    "kurds", "albanians", "romanians", "bulgarians", "puerto ricans", "jamaicans", "ethiopians",
                    "eritreans", "sudanese", "bangladeshis", "sri lankans", "guatemalans", "salvadorans",
                    "hondurans", "venezuelans", "colombians", "cubans", "dominicans", "moroccans", "algerians",
                    "egyptians", "lebanese", "chechens", "uyghurs", "rohingya", "travellers", "travelers"),
}
#: A protected identity said as an adjective of people ("gay teachers", "Somali families").
GROUP_ADJECTIVES: tuple[str, ...] = (
    "gay", "lesbian", "trans", "transgender", "bisexual", "queer", "black", "white", "asian", "jewish", "muslim",
    "christian", "hindu", "sikh", "catholic", "arab", "mexican", "latino", "latina", "hispanic", "african", "indian",
    "pakistani", "chinese", "somali", "haitian", "nigerian", "syrian", "afghan", "roma", "disabled", "autistic",
    "deaf", "blind", "immigrant", "migrant", "refugee", "palestinian", "israeli", "korean", "filipino", "vietnamese",
    "puerto rican", "jamaican", "ethiopian", "romanian", "polish", "irish", "native", "indigenous", "aboriginal",
)
PERSON_NOUNS: tuple[str, ...] = (
    "people", "folks", "men", "women", "guys", "girls", "boys", "kids", "children", "families", "teachers", "doctors",
    "nurses", "students", "couples", "parents", "neighbours", "neighbors", "workers", "voters", "politicians",
    "athletes", "players", "actors", "employees", "patients", "youth", "teens", "communities", "population",
)

_GROUP_WORDS = tuple(sorted({w for words in GROUPS.values() for w in words}))
GROUP = alt(*_GROUP_WORDS, f"{alt(*GROUP_ADJECTIVES)} {alt(*PERSON_NOUNS)}")
GROUP_KEYWORDS = first_words(*_GROUP_WORDS) | first_words(*GROUP_ADJECTIVES)

#: Words a speaker uses to say they belong to a group (reclaimed in-group usage).
SELF_IDENTIFIERS: dict[str, tuple[str, ...]] = {
    "lgbt": ("gay", "queer", "lesbian", "bi", "bisexual", "trans", "transgender", "dyke", "fag", "faggot", "tranny", "homo"),
    "race": ("black", "african american", "asian", "latino", "latina", "mexican", "arab"),
    "religion": ("jewish", "jew", "muslim"),
    "disability": ("disabled", "autistic", "crip", "cripple", "wheelchair user"),
}

#: Slurs (kept to a short, well-known set), by the group they target: nouns, which name people.
#: A slur's adjective ("retarded") is as often said of a phone or an idea as of anyone: it is
#: an insult when aimed at a person (SLUR_ADJECTIVES), not by itself a word about the group.
#: No entry may squeeze (`normalize` folds repeated letters) to an everyday word: "coon" reads
#: as "con" ("Dem/Con", "the cons of ...") and is left to the model.
SLUR_ADJECTIVES: tuple[str, ...] = ("retarded",)
SLURS: dict[str, tuple[str, ...]] = {
    "race": ("nigger", "niggers", "sand nigger", "chink", "chinks", "gook", "gooks", "wetback", "wetbacks",
             "spic", "spics", "beaner", "beaners", "raghead", "ragheads", "towelhead",
             "towelheads", "paki", "pakis"),
    "religion": ("kike", "kikes", "muzzie", "muzzies"),
    "lgbt": ("faggot", "faggots", "fag", "fags", "dyke", "dykes", "tranny", "trannies"),
    "disability": ("retard", "retards"),
}

#: Dehumanising comparisons (vermin, disease, animals) and inferiority claims.
_DEHUMANISING_WORDS = (
    "vermin", "rats", "cockroaches", "roaches", "parasites", "leeches", "animals", "savages", "subhuman",
    "sub-human", "apes", "monkeys", "pigs", "dogs", "filth", "filthy", "a disease", "diseased", "disease",
    "a plague", "plague", "a cancer", "cancer", "scum", "trash", "garbage", "inferior", "mentally ill",
    "freaks", "degenerates", "invaders", "insects", "maggots", "a virus", "a burden", "property", "not human",
    "less than human", "barbarians", "beasts", "abominations", "an abomination", "groomers", "pedophiles",
    "biohazards", "a biohazard", "walking biohazards", "a contagion", "an infestation", "infested",
)
DEHUMANISING = alt(*_DEHUMANISING_WORDS)
DEHUMANISING_KEYWORDS = first_words(*_DEHUMANISING_WORDS)

#: Second-person targets of a threat ("you", "your family", "him").
PERSON = alt("you", "u", "ya", "yall", "y'all", "him", "her", "them", "your \\w+", "ur \\w+", "his \\w+",
             "that \\w+", "this \\w+", "every \\w+", "you all", "all of you", "each of you")

#: Things, not people: the subject of a slight ("this printer is garbage") or the object of a
#: harm verb said in hyperbole ("I'm going to murder this pizza").
THING_WORDS: tuple[str, ...] = (
    "printer", "phone", "laptop", "computer", "pc", "app", "update", "software", "code", "bug", "wifi", "internet",
    "traffic", "weather", "rain", "game", "level", "movie", "film", "show", "episode", "song", "album", "book", "rule",
    "rules", "law", "policy", "idea", "plan", "question", "article", "design", "car", "bus", "train", "flight", "week",
    "day", "monday", "job", "meeting", "exam", "test", "homework", "food", "pizza", "coffee", "website", "site",
    "keyboard", "mouse", "tv", "remote", "headphones", "weekend", "season", "situation", "system", "burger", "burrito",
    "sandwich", "cake", "steak", "tacos", "buffet", "plate", "salad", "workout", "essay", "interview", "presentation",
    "deadline", "exams", "playlist", "karaoke", "dance floor", "stage", "bill", "trend", "franchise", "series", "meme",
    "project", "tradition", "practice", "industry", "company", "account", "thread", "channel", "format", "feature",
    "case", "charge", "charges",
)

#: Insults aimed at a person.
INSULT_WORDS = (
    "idiot", "moron", "loser", "bitch", "slut", "whore", "cunt", "retard", "imbecile", "dumbass", "dipshit",
    "asshole", "arsehole", "prick", "twat", "bastard", "scumbag", "scum", "piece of shit", "piece of trash",
    "waste of space", "waste of oxygen", "cow", "pig", "clown", "freak", "creep", "failure", "skank", "hoe",
    "worthless", "pathetic", "disgusting", "subhuman", "trash", "garbage", "dickhead", "douchebag", "tramp",
    "hag", "wanker", "tosser", "halfwit", "rat", "leech", "parasite", "degenerate", "lowlife", "jackass", "dimwit",
    "bozo",
)
INSULT = alt(*INSULT_WORDS)
INSULT_KEYWORDS = first_words(*INSULT_WORDS)
INSULT_ADJ = alt(
    "such", "a", "an", "so", "the", "fucking", "fuckin", "fking", "effing", "stupid", "dumb", "ugly", "fat",
    "little", "absolute", "total", "complete", "pathetic", "worthless", "disgusting", "useless", "brainless",
    "braindead", "big", "lying", "dirty", "nasty", "utter", "ignorant", "two faced", "two-faced", "filthy", "sad",
    "miserable", "lazy", "manipulative", "balding", "sweaty", "smelly", "brain-dead", "brain dead", "freaking", "freakin",
    "frickin", "spineless", "talentless", "clueless", "creepy", "insufferable",
)

#: What a hateful generalisation says a whole group is ("muslims are terrorists", "women are stupid"):
#: stereotypes and negative attributes, beside the dehumanising words and insults.
NEGATIVE_ATTRIBUTES: tuple[str, ...] = (
    "terrorists", "criminals", "rapists", "thieves", "liars", "murderers", "killers", "pedos", "violent",
    "dangerous", "a threat", "a danger", "a menace", "a disgrace", "a blight", "a curse", "a stain", "evil", "stupid",
    "dumb", "lazy", "dirty", "ugly", "gross", "repulsive", "revolting", "vile", "disgusting", "dishonest", "greedy",
    "useless", "worthless", "pathetic", "second class", "genetically inferior", "too stupid", "too dumb", "unclean",
    "sick in the head", "perverts", "perverted", "unnatural", "wrong in the head", "a mistake", "a waste", "a drain",
)

#: Words that say something bad of whoever they are said of: dehumanising words, insults, and the
#: stereotypes and attributes hateful generalisations use. A sentence whose every such word is
#: negated ("muslims are not terrorists") denies the slight, which vetoes a learned head on it.
SLIGHT_WORDS: tuple[str, ...] = tuple(sorted({
    *(w for w in _DEHUMANISING_WORDS if not w.startswith(("not ", "less "))), *INSULT_WORDS, *NEGATIVE_ATTRIBUTES,
    "terrorist", "criminal", "rapist", "thief", "liar", "a problem", "the problem", "weak", "crazy", "sick", "bad",
    "to blame", "the enemy", "illegal", "hate", "hateful", "despise", "loathe", "detest", "terrible", "awful",
    "horrible",
}))

#: Words that name a protected group or identity, for the learned hateful-conduct head: a
#: verdict on a sentence that names none of these (or a slur) is lowered, and vetoed when
#: the sentence names a non-protected target instead ("lawyers are scum").
IDENTITY_WORDS: tuple[str, ...] = tuple(sorted({
    *(w for words in GROUPS.values() for w in words),
    *GROUP_ADJECTIVES,
    *(w for words in SELF_IDENTIFIERS.values() for w in words),
    *(w for words in SLURS.values() for w in words),
    "islam", "islamic", "judaism", "christianity", "hinduism", "sikhism", "religion", "religious", "church",
    "mosque", "synagogue", "temple", "hijab", "burqa", "kippah", "turban",
    "black", "blacks", "white", "whites", "brown", "asian", "african", "arab", "latina", "latinx", "hispanic",
    "mexican", "chinese", "indian", "pakistani", "jewish", "muslim", "christian", "hindu", "sikh", "race",
    "racial", "ethnic", "ethnicity", "nationality", "foreign", "foreigner", "immigration", "illegal aliens",
    "aliens", "somalis", "somali", "syrians", "afghans", "haitians", "nigerians", "palestinians",
    "israelis", "ukrainians", "russians", "romanians", "poles", "irish", "italians", "filipinos",
    "koreans", "japanese", "vietnamese", "turks", "kurds", "iranians", "iraqis", "gypsy", "native",
    "indigenous", "gay", "gays", "lesbian", "bisexual", "homosexual", "homosexuality", "queer", "trans",
    "transgender", "nonbinary", "non-binary", "lgbt", "lgbtq", "lgbtq+", "woman", "women", "female",
    "females", "girl", "girls", "feminists", "wives", "mothers", "man", "men", "male", "males", "boys",
    "disabled", "disability", "autistic", "autism", "blind", "deaf", "wheelchair", "down syndrome",
    "mentally ill", "elderly", "old people", "boomers", "teenagers", "kids", "children", "hiv", "aids",
    "these people", "those people", "you people", "your kind", "their kind", "that lot",
    "moslem", "moslems", "muzzie", "muzzies", "wypipo", "mex", "transition", "transitioning", "transitioned",
    "femoid", "femoids", "foid", "foids",
}))

#: Targets that are NOT protected characteristics (professions, politics, fandoms, roles).
NON_PROTECTED_WORDS: tuple[str, ...] = (
    "lawyers", "lawyer", "politicians", "politician", "cops", "cop", "police", "landlords", "landlord",
    "bankers", "billionaires", "ceos", "ceo", "journalists", "reporters", "the media", "liberals", "liberal",
    "conservatives", "conservative", "republicans", "republican", "democrats", "democrat", "leftists",
    "lefties", "right wingers", "progressives", "libertarians", "socialists", "communists", "capitalists",
    "fascists", "nazis", "trump supporters", "maga", "fans", "gamers", "vegans", "teachers", "doctors",
    "nurses", "referees", "refs", "umpire", "celebrities", "influencers", "critics", "trolls", "bots",
    "haters", "antivaxxers", "anti-vaxxers", "flat earthers", "karens", "the government", "congress",
    "senators", "managers", "my boss", "my ex", "customers", "drivers", "cyclists", "tourists", "hipsters",
    "lawmakers", "bureaucrats", "executives", "developers", "programmers", "youtubers", "streamers",
    "mods", "moderators", "admins", "corporations", "companies", "the team", "the coach", "the owner",
    "the rich", "rich people", "investors", "bosses", "lobbyists", "wall street", "accountants", "dentists",
    "real estate agents", "car salesmen", "salesmen", "insurance companies", "tech bros", "crypto bros", "finance bros",
    "pedophiles", "paedophiles", "racists", "bigots", "homophobes",
    "incels", "scammers", "spammers", "hackers", "dictators", "cheaters", "drunk drivers", "litterers", "smokers",
    "anti-maskers", "climate deniers", "meat eaters", "tiktokers", "influencer", "referee", "umpires", "fanboys",
    "sports fans", "football fans", "soccer fans", "the opposition", "the cabinet", "the administration", "officials",
)

#: Verbs of killing a group (hateful conduct's violent rules) and what was done ("should be gassed").
KILL_VERBS: tuple[str, ...] = (
    "kill", "shoot", "exterminate", "gas", "hang", "lynch", "burn", "murder", "slaughter", "wipe out", "eradicate",
    "genocide", "euthanize", "euthanise", "put down", "behead", "bomb", "nuke", "massacre",
)
KILLED_WORDS: tuple[str, ...] = (
    "killed", "shot", "gassed", "exterminated", "hanged", "hung", "lynched", "burned", "burnt", "put down",
    "euthanized", "euthanised", "wiped out", "eradicated", "slaughtered", "executed", "die", "dead", "murdered",
    "bombed", "nuked", "beaten", "beaten to death", "stoned", "tortured", "burned alive",
)
#: Verbs of harming a person (the threat and incitement rules).
HARM_VERBS: tuple[str, ...] = (
    "kill", "murder", "shoot", "stab", "strangle", "choke", "behead", "decapitate", "slit", "hang", "lynch", "burn",
    "bomb", "blow up", "beat", "bash", "punch", "hurt", "rape", "torture", "execute", "slaughter", "gut", "butcher",
    "hunt down", "run over", "drown", "poison", "murk", "merk", "curb stomp", "kidnap", "shoot up", "put a bullet in",
    "cut", "break", "smash", "snap", "assassinate", "exterminate", "massacre",
)
