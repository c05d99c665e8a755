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


def alt(*words: str) -> str:
    """A non-capturing alternation, longest first so "black people" wins over "black"."""
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


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
                   "mentally disabled people"),
    "age": ("old people", "the elderly", "boomers"),
}

_GROUP_WORDS = tuple(sorted({w for words in GROUPS.values() for w in words}))
GROUP = alt(*_GROUP_WORDS)
GROUP_KEYWORDS = first_words(*_GROUP_WORDS)

#: Words a speaker uses to say they belong to a group (reclaimed in-group usage).
SELF_IDENTIFIERS: dict[str, tuple[str, ...]] = {
    "lgbt": ("gay", "queer", "lesbian", "bi", "bisexual", "trans", "transgender", "dyke", "fag"),
    "race": ("black", "african american", "asian", "latino", "latina", "mexican", "arab"),
    "religion": ("jewish", "jew", "muslim"),
    "disability": ("disabled", "autistic"),
}

#: Slurs (kept to a short, well-known set), by the group they target.
SLURS: dict[str, tuple[str, ...]] = {
    "race": ("nigger", "niggers", "sand nigger", "chink", "chinks", "gook", "gooks", "wetback", "wetbacks",
             "spic", "spics", "beaner", "beaners", "coon", "coons", "raghead", "ragheads", "towelhead",
             "towelheads", "paki", "pakis"),
    "religion": ("kike", "kikes", "muzzie", "muzzies"),
    "lgbt": ("faggot", "faggots", "fag", "fags", "dyke", "dykes", "tranny", "trannies"),
    "disability": ("retard", "retards", "retarded"),
}

#: Dehumanising comparisons (vermin, disease, animals) and inferiority claims.
_DEHUMANISING_WORDS = (
    "vermin", "rats", "cockroaches", "roaches", "parasites", "leeches", "animals", "savages", "subhuman",
    "sub-human", "apes", "monkeys", "pigs", "dogs", "filth", "filthy", "a disease", "diseased", "disease",
    "a plague", "plague", "a cancer", "cancer", "scum", "trash", "garbage", "inferior", "mentally ill",
    "freaks", "degenerates", "invaders", "insects", "maggots", "a virus", "a burden", "property", "not human",
    "less than human", "barbarians", "beasts", "abominations", "an abomination", "groomers", "pedophiles",
)
DEHUMANISING = alt(*_DEHUMANISING_WORDS)
DEHUMANISING_KEYWORDS = first_words(*_DEHUMANISING_WORDS)

#: Second-person targets of a threat ("you", "your family", "him").
PERSON = alt("you", "u", "ya", "yall", "y'all", "him", "her", "them", "your \\w+", "ur \\w+", "his \\w+",
             "that \\w+", "this \\w+", "every \\w+", "you all", "all of you", "each of you")

#: Insults aimed at a person.
_INSULT_WORDS = (
    "idiot", "moron", "loser", "bitch", "slut", "whore", "cunt", "retard", "imbecile", "dumbass", "dipshit",
    "asshole", "arsehole", "prick", "twat", "bastard", "scumbag", "scum", "piece of shit", "piece of trash",
    "waste of space", "waste of oxygen", "cow", "pig", "clown", "freak", "creep", "failure", "skank", "hoe",
    "worthless", "pathetic", "disgusting", "subhuman", "trash", "garbage", "dickhead", "douchebag", "tramp",
)
INSULT = alt(*_INSULT_WORDS)
INSULT_KEYWORDS = first_words(*_INSULT_WORDS)
INSULT_ADJ = alt(
    "such", "a", "an", "so", "the", "fucking", "fuckin", "fking", "effing", "stupid", "dumb", "ugly", "fat",
    "little", "absolute", "total", "complete", "pathetic", "worthless", "disgusting", "useless", "brainless",
    "braindead", "big", "lying", "dirty", "nasty", "utter", "ignorant",
)
