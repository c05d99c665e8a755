"""Detector time grows linearly with the post: worst-case inputs, and what they still find.

The scaling check compares CPU time on an adversarial text and on one 4x longer: linear work
gives ~4x, the quadratic context rescans and e-mail pattern these inputs used to hit gave
~16x. The bound (8x) is generous so load on the machine does not flake it; absolute speed
lives in `modstream bench`, not here.
"""

from __future__ import annotations

import gc
import random
import time
from typing import Callable

import pytest

from agents.detectors import TextDetectors, spelling
from agents.detectors.normalize import normalize
from agents.detectors.pii import PiiDetector
from agents.detectors.rules import HITS_PER_RULE

N = 6_000  #: characters in the shorter text; the longer is 4N
#: one letter changed in spelling targets: each a distinct word the spelling pass weighs (`spelling._near`)
_NEAR_TARGET = [t[:i] + c + t[i + 1:] for t in sorted(spelling.EDIT_TARGETS) for i in range(len(t)) for c in "aeiou"]
#: a fixed shuffle of every 7th: the short and the long text hold the same mix of targets (in sorted order the
#: long one's later words respell into targets other rules read, extra work that is not superlinear: ~6x, up to 8.7)
_NEAR_MIXED = _NEAR_TARGET[::7]
random.Random(13).shuffle(_NEAR_MIXED)

ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "many threats": lambda n: "I will kill you " * (n // 16),
    "many insults": lambda n: "you idiot " * (n // 10),
    "many threats, one line each": lambda n: "I will kill you\n" * (n // 16),
    "many dehumanising claims": lambda n: "muslims are vermin " * (n // 19),
    "many quoted threats": lambda n: "he said 'I will kill you' " * (n // 26),
    "many negated threats": lambda n: "I would never hurt you " * (n // 23),
    "many sale offers": lambda n: "selling xanax " * (n // 14),
    "many poll threats": lambda n: "polls arrest " * (n // 13),
    "e-mail run with no @ after": lambda n: "a." * (n // 2) + "@x",
    "long run of @": lambda n: "@" * n,
    "a then @ alternating": lambda n: "a@" * (n // 2),
    "long single word": lambda n: "a" * n,
    "letters then one digit": lambda n: "a" * (n - 1) + "1",
    "many quotes": lambda n: "'a \"b " * (n // 6),
    "many negations": lambda n: "not " * (n // 4),
    "many frames": lambda n: "saying " * (n // 7) + "muslims are vermin",
    "digit groups": lambda n: "1 " * (n // 2) + "street",
    "phone numbers": lambda n: "202-555-0110 " * (n // 13),
    "spaced letters": lambda n: "a." * (n // 2) + "ab",
    "many offers, one sentence": lambda n: "percs molly fake ids dm $20 " * (n // 28),
    "many recruitment calls": lambda n: "join isis, support hamas, fund the mujahideen " * (n // 46),
    "many voting claims": lambda n: "democrats vote on wednesday, you can vote by text " * (n // 50),
    "many exposure threats": lambda n: "I'll post your address. anyone know where he lives? " * (n // 52),
    "many grooming asks": lambda n: "how old are you? send me a pic, our little secret. " * (n // 51),
    "id words without numbers": lambda n: "passport license plate apartment " * (n // 33) + "1",
    "long gaps of words": lambda n: "isis " + "word " * (n // 5) + "are heroes",
    "many misspelt group words": lambda n: "i hate all mulsims " * (n // 19),
    "many glued threats": lambda n: "i will killallmuslims " * (n // 22),
    "many spaced-out group words": lambda n: "kill all mus lims " * (n // 18),
    "many veiled threats": lambda n: "i will find you and your family. say that again and see what happens " * (n // 70),
    "many finds, no end": lambda n: "we will find you " * (n // 17),
    "many bounties": lambda n: "whoever kills the man who shot the " * (n // 35) + "deserves a medal",
    "many weapon how-tos": lambda n: "how to make a how to build your own " * (n // 36) + "pipe bomb",
    "long run of dots": lambda n: "." * n,
    "dots then one space": lambda n: "." * (n - 1) + " ",
    "masked word run": lambda n: "*" * n,
    "combining marks": lambda n: "a\u0301" * (n // 2),
    "emoji run": lambda n: "\U0001f52a" * n,
    "spaced one letters": lambda n: "k " * (n // 2),
    "underscored words": lambda n: "a_" * (n // 2),
    "one long line of words": lambda n: "word " * (n // 5),
    "many distinct near-target words": lambda n: " ".join(f"the cat sat on {w}" for w in (_NEAR_MIXED * 4)[:n // 25]),
}


def _ratio(long: Callable[[], object], short: Callable[[], object], rounds: int = 5) -> float:
    """Best CPU time of `long` over best of `short`, rounds interleaved and GC off: a burst of load on the
    machine or a collection lands in one round, not in every round of one side."""
    best = [float("inf"), float("inf")]
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(rounds):
            for side, fn in enumerate((long, short)):
                started = time.process_time()
                fn()
                best[side] = min(best[side], time.process_time() - started)
    finally:
        if enabled:
            gc.enable()
    return best[0] / max(best[1], 1e-4)


@pytest.fixture(scope="module")
def detectors() -> TextDetectors:
    return TextDetectors()


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_detector_time_is_linear_in_the_text(detectors: TextDetectors, name: str) -> None:
    make = ADVERSARIAL[name]
    short, long = make(N), make(4 * N)
    detectors.detect(short)  # warm caches (folding, compiled patterns)
    ratio = _ratio(lambda: detectors.detect(long), lambda: detectors.detect(short))
    assert ratio < 8, f"{name}: 4x the text took {ratio:.1f}x the time (quadratic is ~16x)"


def test_spelling_time_is_linear_in_distinct_near_target_words() -> None:
    words = _NEAR_TARGET * 2
    short, long = " ".join(words[:N // 8]), " ".join(words[:N // 2])

    def respell(text: str) -> object:
        for cached in (spelling.near, spelling.clear, spelling.split):
            cached.cache_clear()  # every word weighed afresh: the cost a cache cannot hide
        return spelling.fixes(text)
    ratio = _ratio(lambda: respell(long), lambda: respell(short))
    assert ratio < 8


def test_normalize_time_is_linear_on_letter_runs() -> None:
    short, long = "ab" * N + "1", "ab" * (4 * N) + "1"
    ratio = _ratio(lambda: normalize(long), lambda: normalize(short))
    assert ratio < 8


def test_hits_capped_per_rule_but_a_late_standing_match_is_found(detectors: TextDetectors) -> None:
    hits = detectors.detect("I will kill you. " * 5_000)
    assert 1 <= len([h for h in hits if h.rule == "threat_person_rule"]) <= HITS_PER_RULE
    late = detectors.detect("I would never hurt you. " * 2_000 + "I will kill you")
    standing = [h for h in late if h.policy == "violence" and not h.suppressed]
    cleared = [h for h in late if h.policy == "violence" and h.suppressed]
    assert len(standing) == 1 and "kill you" in standing[0].excerpt  # the credible threat after 2,000 cleared
    assert len(cleared) == HITS_PER_RULE


def test_email_found_after_long_runs_and_overlong_local_part_is_not_one() -> None:
    pii = PiiDetector()
    found = pii.find("a" * 50_000 + " write to bob.smith@example.com " + "@" * 50_000)
    assert [(i.kind, i.masked) for i in found] == [("email", "b***@example.com")]
    assert pii.find("x" * 65 + "@example.com") == []  # local part over 64 characters (RFC 5321)
    leading = pii.find("see ..jane@mail.example.org")
    assert [(i.kind, i.masked) for i in leading] == [("email", "j***@mail.example.org")]


def test_phone_after_many_digit_groups_in_window(detectors: TextDetectors) -> None:
    text = "call this guy: 202-555-0156 " + "12 34 " * 20_000
    assert {h.policy for h in detectors.detect(text) if not h.suppressed} == {"private_info"}


def test_spans_still_point_at_the_original_after_many_squeezed_letters(detectors: TextDetectors) -> None:
    text = "see the tall tree, " * 20_000 + "ok so I'll K.I.L.L you"
    hit = next(h for h in detectors.detect(text) if h.policy == "violence")
    assert text[hit.start:hit.end] == hit.excerpt and "K.I.L.L" in hit.excerpt


def test_sentence_split_is_linear_within_one_piece() -> None:
    """A piece is at most MAX_CHARS, but a 2,000-letter word used to cost 2,000 rescans of itself."""
    from agents.detectors.sentences import MAX_CHARS, split
    short, long = "a" * (MAX_CHARS // 4) + ". ok", "a" * MAX_CHARS + ". ok"
    ratio = _ratio(lambda: [split(long) for _ in range(50)], lambda: [split(short) for _ in range(50)])
    assert ratio < 8
    assert split(long) == [(0, MAX_CHARS + 4)]  # "ok" is a fragment: it joins the sentence before it
