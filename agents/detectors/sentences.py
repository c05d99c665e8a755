"""A post cut into sentences, each normalised on its own: context applies per sentence.

"Police arrested him. I will kill you." holds a news sentence and a threat; whole-post
context let the first clear the second. Rules and the classifier's verdicts are judged
against the sentence that carries them (and, for a few cues, its neighbours: see
`context`).

Sentences end at . ! ? ; runs followed by a space, and at line breaks, never inside a
quotation; a run of over 2,000 characters with no end is cut at a space. A fragment of
fewer than 3 words ("lol", "Disgusting.", "Mr.", "U.S.") joins the sentence before it (the first one joins the next), so a trailing "lol" or a one-word
verdict stays with the words it is about.

Each run of sentences is normalised and then respelled (`spelling.respell`: "muslms" and
"allmuslims" read as the lexicon's words). The skeleton of the post is the sentences' skeletons joined by newlines, so no pattern
matches across a sentence end, and a skeleton position maps back to its sentence by
bisection. Linear in the post's length.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from agents.detectors.normalize import Normalized, normalize
from agents.detectors.spelling import respell

_QUOTE = re.compile(
    "[\"\u201c\u201d\u00ab\u00bb\u201e][^\"\u201c\u201d\u00ab\u00bb\u201e\n]{1,240}[\"\u201c\u201d\u00ab\u00bb\u201e]"
    "|(?<![^\\W_])['\u2018\u2019](?:[^'\u2018\u2019\n]|(?<=[^\\W\\d_])['\u2019](?=[^\\W\\d_])){1,240}['\u2018\u2019](?![^\\W_])"
)
_QUOTE_CHARS = "\"\u201c\u201d\u00ab\u00bb\u201e'\u2018\u2019"  #: every _QUOTE match starts with one
#: A run of marks then a space, or a line break. Matched from a run's start, possessively: a run of 24,000 dots
#: with no space after is one pass (a match from every dot in it was quadratic).
_END = re.compile(r"(?<![.!?;\u3002\uff01\uff1f])[.!?;\u3002\uff01\uff1f]++(?=\s)|\n\s*")
#: MIN_WORDS words (an apostrophe splits one: fine). Matches start only at a word's start and the runs are
#: possessive (words and gaps are disjoint classes, so none is lost): a 2,000-letter word is one pass, not 2,000.
_WORDS = re.compile(r"(?<![^\W_])[^\W_]++(?:[\W_]++[^\W_]++){2}")
_NEWLINE = re.compile("\n")
MIN_WORDS = 3  #: shorter fragments join a neighbour (see _WORDS)
MAX_CHARS = 2_000  #: a longer run without a sentence end is cut at a space


def split(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence in `text`, whitespace trimmed, in order."""
    ends = list(_END.finditer(text))
    if len(text) <= MAX_CHARS and not ends:  # one sentence
        a, b = _trim(text, 0, len(text))
        return [(a, b)] if a < b else []
    quotes = [m.span() for m in _QUOTE.finditer(text)] if any(map(text.__contains__, _QUOTE_CHARS)) else []
    cuts, q = [], 0
    for m in ends:
        while q < len(quotes) and quotes[q][1] <= m.start():
            q += 1
        if q < len(quotes) and quotes[q][0] < m.start():
            continue  # inside a quotation
        cuts.append(m.end())
    pieces: list[tuple[int, int]] = []
    start = 0
    for end in [*cuts, len(text)]:
        a, b = _trim(text, start, end)
        while b - a > MAX_CHARS:  # not a sentence: cut at a space so context and offsets stay local
            cut = text.rfind(" ", a + MAX_CHARS // 2, a + MAX_CHARS)
            cut = cut if cut > a else a + MAX_CHARS
            pieces.append(_trim(text, a, cut))
            a = _trim(text, cut, b)[0]
        if a < b:
            pieces.append((a, b))
        start = end
    return _join_fragments(text, pieces)


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    piece = text[a:b]
    stripped = piece.lstrip()
    a += len(piece) - len(stripped)
    return a, a + len(stripped.rstrip())


def _join_fragments(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pending: int | None = None  # start of leading fragments waiting for a sentence
    for a, b in pieces:
        if _WORDS.search(text[a:b]):  # a slice: the lookbehind must not see a word a hard cut ran through
            out.append((a if pending is None else pending, b))
            pending = None
        elif out:
            out[-1] = (out[-1][0], b)
        elif pending is None:
            pending = a
    if pending is not None:  # nothing but fragments
        out.append((pending, pieces[-1][1]))
    return out


CHUNK = 4096  #: sentences are normalised in runs of about this many characters
_SEP = "\x00"  #: joins sentences for one normalize call: no normalisation pass reads or crosses it
#: Regex source: where a subject may open a clause in skeleton text, a sentence's start (the text's, or after the
#: "\n" that joins sentences in `Sentences.text`, or _SEP in one chunk) or after a mark and a space, then any
#: non-letters (quotes, emoji).
CLAUSE_START = r"(?:(?<![^\x00\n])|(?<=[.!?;:] ))[^a-z\x00\n]*"


@dataclass(frozen=True, slots=True)
class _Chunk:
    """Consecutive sentences normalised in one call, joined by _SEP."""

    first: int  #: index of its first sentence
    norm: Normalized  #: skeleton of the joined sentences; `norm.span` maps into the joined text
    joined: tuple[int, ...]  #: where each of its sentences starts in the joined text


@dataclass(frozen=True, slots=True)
class Sentences:
    """A post as normalised sentences; `text`/`span`/`original` stand in for a `Normalized`."""

    original: str
    bounds: tuple[tuple[int, int], ...]  #: [start, end) of each sentence in `original`
    chunks: tuple[_Chunk, ...]
    text: str  #: the sentences' skeletons joined by "\n"
    starts: tuple[int, ...]  #: where each sentence's skeleton starts in `text`
    _chunk_starts: tuple[int, ...]  #: where each chunk's skeleton starts in `text`

    @property
    def count(self) -> int:
        return len(self.bounds)

    def index(self, pos: int) -> int:
        """The sentence holding skeleton position `pos`."""
        return max(bisect_right(self.starts, pos) - 1, 0)

    def index_of_original(self, pos: int) -> int:
        """The sentence holding (or last before) original position `pos`."""
        return max(bisect_right(self.bounds, (pos, len(self.original) + 1)) - 1, 0)

    def skeleton_bounds(self, k: int) -> tuple[int, int]:
        end = self.starts[k + 1] - 1 if k + 1 < len(self.starts) else len(self.text)
        return self.starts[k], end

    def sentence(self, k: int) -> str:
        """The original text of sentence k."""
        a, b = self.bounds[k]
        return self.original[a:b]

    def _original(self, pos: int, end: bool) -> int:
        """Original offset of skeleton position `pos` (a start, or the end of the character before)."""
        c = max(bisect_right(self._chunk_starts, pos - 1 if end else pos) - 1, 0)
        chunk, base = self.chunks[c], self._chunk_starts[c]
        size = len(chunk.norm.text)
        if not size:
            return self.bounds[chunk.first][0]
        local = min(max(pos - base, 1), size) if end else min(max(pos - base, 0), size - 1)
        a, b = chunk.norm.span(local - 1, local) if end else chunk.norm.span(local, local + 1)
        j = b if end else a  # in the joined text
        k = max(bisect_right(chunk.joined, j - 1 if end else j) - 1, 0)
        return self.bounds[chunk.first + k][0] + j - chunk.joined[k]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original-text span covered by skeleton characters [start, end)."""
        if not self.text or end <= start:
            return (0, 0)
        return self._original(start, False), self._original(end, True)

    def excerpt(self, start: int, end: int) -> str:
        a, b = self.span(start, end)
        return self.original[a:b]


def segment(text: str) -> Sentences:
    """`text` split into sentences and normalised, a few thousand characters per call."""
    bounds = tuple(split(text)) or ((0, 0),)
    chunks: list[_Chunk] = []
    k = 0
    while k < len(bounds):
        first, size, pieces, joined = k, 0, [], []
        while k < len(bounds) and (not pieces or size < CHUNK):
            a, b = bounds[k]
            joined.append(size)
            pieces.append(text[a:b].replace(_SEP, " "))
            size += b - a + 1
            k += 1
        chunks.append(_Chunk(first, respell(normalize(_SEP.join(pieces))), tuple(joined)))
    skeletons = [c.norm.text.replace(_SEP, "\n") for c in chunks]
    full = "\n".join(skeletons)
    starts = [0, *(m.end() for m in _NEWLINE.finditer(full))]
    chunk_starts, pos = [], 0
    for sk in skeletons:
        chunk_starts.append(pos)
        pos += len(sk) + 1
    return Sentences(text, bounds, tuple(chunks), full, tuple(starts), tuple(chunk_starts))
