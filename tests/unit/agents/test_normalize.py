"""Normalisation folds evasions to one skeleton and maps spans back to the original."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from agents.detectors.normalize import _mapped, compile_skeleton, normalize, skeleton_pattern


@pytest.mark.parametrize(
    ("raw", "skeleton"),
    [
        ("KILL", "kil"),  # lowercase + squeeze
        ("kiiiiilllll", "kil"),  # repeated letters
        ("k.i.l.l you", "kil you"),  # inserted symbols
        ("k i l l him", "kil him"),  # inserted spaces
        ("ki11 y0u", "kil you"),  # l33t, doubled 1 reads as l
        ("k1ll", "kil"),
        ("h4t3", "hate"),
        ("$h1t", "shit"),
        ("Кill yоu", "kil you"),  # Cyrillic К and о
        ("mμslims", "muslims"),  # Greek mu
        ("ᴋɪʟʟ ʏᴏᴜ", "kil you"),  # small capitals
        ("mսrder", "murder"),  # Armenian u
        ("k\u200bill", "kil"),  # zero-width space
        ("ki*ll", "kil"),  # masking symbol inside a word
        ("café", "cafe"),  # accent strip
        ("ﬁne", "fine"),  # NFKC ligature
        ("don’t “x”", "don't \"x\""),  # typographic quotes
        ("u r a dumb", "u r a dumb"),  # text-speak is not spaced-out evasion
        ("meet at 5pm on Nov 5th, $20", "met at 5pm on nov 5th, $20"),  # numbers stay numbers
        ("@user hi", "@user hi"),  # mentions keep their @
        ("a  \n b", "a b"),  # whitespace runs
    ],
)
def test_skeleton(raw: str, skeleton: str) -> None:
    assert normalize(raw).text == skeleton


@pytest.mark.parametrize(
    ("raw", "word", "original"),
    [
        ("well K.I.L.L you now", "kil", "K.I.L.L"),
        ("I will Кiiill you", "kil", "Кiiill"),
        ("ok ki11 y0u", "you", "y0u"),
    ],
)
def test_span_maps_back_to_original(raw: str, word: str, original: str) -> None:
    norm = normalize(raw)
    start = norm.text.index(word)
    assert norm.excerpt(start, start + len(word)) == original


def test_skeleton_pattern_squeezes_literals_not_escapes() -> None:
    assert skeleton_pattern(r"\bbitter\b") == r"\bbiter\b"
    assert skeleton_pattern(r"\s+kill\w") == r"\s+kil\w"
    assert compile_skeleton(r"\bkill you\b").search(normalize("KIIILLL YOU").text)


@given(st.text(max_size=80))
def test_offset_map_covers_every_skeleton_char(raw: str) -> None:
    norm = normalize(raw)
    starts, ends = _mapped(raw)
    assert len(starts) == len(ends) == len(norm.text)
    assert all(0 <= a < b <= len(raw) for a, b in zip(starts, ends))


#: Letters, l33t and separator characters, every kind of ASCII whitespace and a few non-ASCII
#: spaces: the characters the passes and their gates look at.
_GATE_TEXT = st.text(alphabet="ab z1$!|.-_*/,+~^ \t\n\x0b\x0c\r\x1c\x1f\x85\xa0\u2003", max_size=40)


@given(_GATE_TEXT)
def test_a_pass_whose_gate_fails_changes_nothing(text: str) -> None:
    from agents.detectors.normalize import _GATES, _PASSES

    for (rx, repl), gate in zip(_PASSES, _GATES):
        if gate is not None and not gate(text):
            assert rx.sub(repl, text) == text, (rx.pattern, text)


@given(_GATE_TEXT)
def test_whitespace_gate_is_the_regex(text: str) -> None:
    from agents.detectors.normalize import _SPACES, _has_spaces

    assert _has_spaces(text) == (_SPACES.search(text) is not None)
