"""The spelling pass: one-edit misspellings, deleted and added spaces of the lexicon's words, and what stays."""

from __future__ import annotations

import re

import pytest

from agents.detectors import TextDetectors, segment, spelling
from agents.detectors.normalize import normalize
from ops.known_words import known_words
from streams.commands.public_sets import Row


@pytest.fixture(scope="module")
def detectors() -> TextDetectors:
    return TextDetectors()


def _skeleton(text: str) -> str:
    return segment(text).text


@pytest.mark.parametrize("a, b, near", [
    ("muslims", "muslms", True),  # deletion
    ("muslims", "musslims", True),  # insertion (before the squeeze)
    ("muslims", "muzlims", True),  # substitution
    ("muslims", "mulsims", True),  # adjacent transposition
    ("muslims", "mlusims", False),  # two edits
    ("muslims", "muslims", False),  # the same word is no edit
    ("ab", "ba", True),
    ("abc", "cba", False),
])
def test_one_edit(a: str, b: str, near: bool) -> None:
    assert spelling.one_edit(a, b) is near and spelling.one_edit(b, a) is near


@pytest.mark.parametrize("raw, skeleton", [
    ("we all hate muslmis", "we al hate muslims"),  # transposition
    ("we despise jewsih folks", "we despise jewish folks"),
    ("those nigers and wetbaks", "those nigers and wetbacks"),  # deleted letter in a slur
    ("i will strnagle you", "i wil strangle you"),
    ("im gonna exterminat them", "im gona exterminate them"),
    ("i hate alljews", "i hate al jews"),  # deleted space, short target beside a glue word
    ("I will KILLU", "i wil kil u"),
    ("burn allthe refugees", "burn al the refuges"),  # three pieces
    ("shootthem", "shot them"),  # the squeezed double letter at the cut belongs to both
    ("hatelesbians", "hate lesbians"),  # a long target beside any known word
    ("gas all the chri stians", "gas al the christians"),  # added space, one piece unknown
    ("i w1ll p0isen u", "i wil poison u"),  # l33t folded first, then respelled
    ("k i l l y o u r s e l f", "kil yourself"),  # spaced letters joined, then split at a reflexive
    ("go hangyourself", "go hang yourself"),
    ("s e l l i n g x a n a x", "seling xanax"),  # a drug name beside a known word
    ("got fentanil", "got fentanyl"),  # a drug name of 5+ letters at one edit
    ("ur gonna get m*rdered", "ur gona get murdered"),  # a star is one hidden letter
    ("k*ll all j*ws", "kil al jews"),
    ("f**k off", "fuck of"),  # masks hide profanity first
    ("all of them are sh*t", "al of them are shit"),  # shit before shot
    ("ur such a d u m b  b i t c h", "ur such a dumb bitch"),  # a one-letter word swallowed by spaced letters
])
def test_evasions_read_as_the_word(raw: str, skeleton: str) -> None:
    assert _skeleton(raw) == skeleton


@pytest.mark.parametrize("text", [
    "these musings on faith", "mulling it over", "the pottery kilns", "what a skill", "the killer app",
    "flags on the pole", "a pinch of spice", "the sinks are clogged", "kind regards", "a tiger and a lion",
    "we flew from Lynchburg to Niagara via Bombay", "Pakistan and Niger", "Killarney and Scunthorpe", "Essex",
    "the wet back of my shirt", "he will be head coach", "transgender people", "the migrant crisis",
    "muslin curtains", "a whole bunch of lunch", "i will pinch you", "the choir chose a hymn", "a drawn out fight",
    "changed my mind", "therapist appointment", "a stable hangar", "bikes and likes",
    "she wore slacks", "thanks @blacksins and @mulsims", "see mulsims.com/allmuslims", "my grannies", "the goods were transported", "a blackboard", "the punchline", "a chokehold",
    "enjoy yourself", "he did it himself", "behave yourselves", "the crackdown on dealers", "smackdown tonight",
])
def test_everyday_words_stay_themselves(text: str) -> None:
    assert _skeleton(text) == normalize(text).text


def test_no_known_word_is_respelled() -> None:
    words = sorted(spelling.KNOWN)
    for i in range(0, len(words), 500):
        assert spelling.fixes(" ".join(words[i:i + 500])) == ()


def test_short_targets_are_not_matched_at_one_edit() -> None:
    assert all(len(t) >= spelling.MIN_EDIT for t in spelling.EDIT_TARGETS)
    assert spelling.near("flgs") is None and spelling.near("fgs") is None
    assert spelling.split("kiln") is None and spelling.split("kilns") is None  # "kil" + "n(s)": no glue word


def test_over_long_words_are_left_alone() -> None:
    word = "muslims" * 3 + "x"
    assert len(word) > spelling.MAX_WORD and spelling.near(word) is None and spelling.split(word) is None


@pytest.mark.parametrize("text, rule, excerpt", [
    ("honestly i hate all mulsims", "hatred_group_rule", "i hate all mulsims"),
    ("Kill allthe refugess now", "violent_group_rule", "Kill allthe refugess"),
    ("ok. i will strnagle you tonight", "threat_person_rule", "i will strnagle you"),
    ("we should exterminate all the mus lims", "violent_group_rule", "exterminate all the mus lims"),
    ("shut up, f4gg0tz", "slur_lgbt_rule", "f4gg0tz"),
    ("just k i l l y o u r s e l f already", "encouragement_suicide_rule", "just k i l l y o u r s e l f"),
    ("nobody likes you, killurself", "encouragement_suicide_rule", "killurself"),
    ("buyxanax cheap, dm me", "sale_drugs_rule", "buyxanax"),
])
def test_rules_fire_and_spans_map_back(detectors: TextDetectors, text: str, rule: str, excerpt: str) -> None:
    hit = next(h for h in detectors.detect(text) if h.rule == rule)
    assert not hit.suppressed and hit.excerpt == excerpt and text[hit.start:hit.end] == excerpt


@pytest.mark.parametrize("text, reason", [
    ("I do not hate mulsims at all", "negation"),
    ("saying 'i hate all muslmis' is bigotry", "quotation"),
    ("I'll strnagle you if you spoil the finale lol", "hyperbole"),
])
def test_context_still_clears_an_evasion(detectors: TextDetectors, text: str, reason: str) -> None:
    hits = [h for h in detectors.detect(text) if h.policy in ("hateful_conduct", "violence")]
    assert hits and all(h.suppressed for h in hits), hits


@pytest.mark.parametrize("text", [
    "they are all m*ts",  # mats, mots, muts...: no single word
    "5*5 is 25",  # no letters
    "a*b",  # too few letters to read
    "k***",  # more stars than letters
])
def test_masked_words_that_fit_no_single_word_stay_as_they_are(text: str) -> None:
    assert _skeleton(text) == normalize(text).text


def test_masked_words_read_per_text_are_bounded() -> None:
    assert len(spelling.unmasked(" ".join(["m*rder", "k*ll", "j*ws", "sl*ughter"] * 10 + [f"m*rder{i}" for i in range(5)]))) <= spelling.MAX_MASKED
    assert spelling.unmasked("ab*ab " * 8 + "k*ll") == {}  # only the first MAX_MASKED are read


def test_offsets_cover_the_respelled_text() -> None:
    text = "Kill  allthe mus lims, i will strnagle u. ok"
    s = segment(text)
    for k in range(len(s.text)):
        if s.text[k] != "\n":
            a, b = s.span(k, k + 1)
            assert 0 <= a < b <= len(text)
    fixed = s.text.index("muslims")
    assert s.excerpt(fixed, fixed + len("muslims")) == "mus lims"


def test_known_words_file_is_sorted_lowercase_and_small() -> None:
    lines = [x for x in spelling.KNOWN_WORDS.read_text(encoding="utf-8").splitlines() if not x.startswith("#")]
    assert lines == sorted(set(lines)) and all(re.fullmatch(r"[a-z]{2,20} [0-9]+", x) for x in lines)
    assert 5_000 < len(lines) < 40_000 and min(spelling.ROWS.values()) >= 3
    assert {"the", "skil", "regard", "tiger", "flags"} <= spelling.KNOWN  # skeleton spelling ("skill" -> "skil")


def test_known_words_come_from_benign_training_rows_only() -> None:
    rows = [Row("the cat sat", "x", "train", {"hateful_conduct": 0}) for _ in range(5)]
    rows += [Row("muslimes are bad", "x", "train", {"hateful_conduct": 1}) for _ in range(9)]
    rows += [Row("the dog", "x", "val", {"hateful_conduct": 0}) for _ in range(9)]
    assert known_words(rows, min_rows=5) == [("cat", 5), ("sat", 5), ("the", 5)]


@pytest.mark.parametrize("word", ["slacks", "grannies", "transported", "breakups"])
def test_an_everyday_words_inflection_is_left_alone(word: str) -> None:
    sk = normalize(word).text
    assert spelling.fixes(sk) == ()


def test_verbs_split_beside_glue_words_only_names_beside_any_known_word() -> None:
    assert spelling.split("punchline") is None and spelling.split("murderyou") == "murder you"
    assert spelling.split("banmuslims") == "ban muslims" and spelling.split("blackboard") is None


def test_a_common_everyday_word_one_edit_away_keeps_the_misspelling_as_it_is() -> None:
    assert spelling.near("pinch") == "punch" and not spelling.clear("pinch", "punch")  # pitch is common too
    assert not spelling.clear("strangel", "strangle") and not spelling.clear("fagt", "fagot")  # strange; fact
    assert spelling.near("murdr") == "murder" and spelling.clear("murdr", "murder")  # murda is rare beside murder


def test_words_weighed_per_text_are_bounded_in_text_order() -> None:
    words = [f"mu{c}lims" for c in "abcdefghijklmnopqrtuvwxyz"]  # each one edit from "muslims"
    found = dict((w, r) for (_, _, r), w in zip(spelling.fixes(" ".join(words)), words))
    assert len(found) == spelling.MAX_CHECKS and list(found) == words[:spelling.MAX_CHECKS]
