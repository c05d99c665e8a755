"""The learned text classifier: hashed word and character n-grams, one logistic head per policy.

Why this shape: it has to score every post of a firehose in-process, so a batch is
featurised and scored at once with numpy, with no per-n-gram Python loop. The texts are
joined into one byte array; a lookup table folds case, punctuation and l33t digits; runs
are squeezed; polynomial prefix hashes (mod 2**64) give the hash of every character
n-gram and every word in a few vector operations; a mixer maps them to 2**BITS buckets;
each head's logit is the sum of its bucket weights (np.bincount), scaled by
1/sqrt(feature count). Training (`ops/train_classifier.py`, scikit-learn) builds its sparse
matrix from the same `featurise`, so training and scoring cannot drift apart.

The artifact (`models/text-clf.npz`) holds only arrays: weights, biases, thresholds. Run
time needs numpy, nothing is downloaded. Heads are policy codes.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from agents.detectors.normalize import HOMOGLYPHS

FEATURES_VERSION = 2  #: bump when `featurise` changes: every artifact must be retrained
BITS = 20  #: 2**BITS hash buckets per head
CHAR_NGRAMS = (2, 3, 4, 5)
MAX_CHARS = 2000  #: characters scored per text: linear cost, bounded
DEFAULT_ARTIFACT = Path(__file__).resolve().parent.parent / "models" / "text-clf.npz"

_URL = re.compile(r"https?://\S+|www\.\S+|\[url\]|<url>", re.IGNORECASE)
_MENTION = re.compile(r"@\w+|\[user\]|<user>", re.IGNORECASE)
#: the same patterns without IGNORECASE, run on lower-case text: with the flag `re` cannot skip ahead to
#: a first character and tried every position (~16 us a post for _URL alone). On lower-case text they
#: match what the flagged ones match, but for U+017F (long s, which IGNORECASE takes for "s"; NFKC, run
#: before them, turns it into "s"): `_lower_sub` falls back to the flagged pattern when one is there
_URL_LOWER = re.compile(_URL.pattern)
_MENTION_LOWER = re.compile(_MENTION.pattern)
_ENTITY = re.compile(r"&#?\w{1,8};")
_FOLD = str.maketrans({**{k: v for k, v in HOMOGLYPHS.items() if len(k) == 1},
                       "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\u00ad": ""})
#: the characters _FOLD changes, found by one regex scan: str.translate looks every character of a
#: non-ASCII batch up in a dict (~12 us a post); the same replacements this way cost ~1 us
_FOLD_CHARS = re.compile("[" + "".join(re.escape(chr(k)) for k in sorted(_FOLD)) + "]")
_SEP = 1  #: byte between texts
_SPACE = 32
_MASK64 = (1 << 64) - 1
_P = 0x100000001B3  #: odd multiplier: invertible mod 2**64, so any substring's hash is O(1)
_P_INV = pow(_P, -1, 1 << 64)
_MIX1, _MIX2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)
_SALT_WORD, _SALT_BIGRAM = np.uint64(0x5BD1E995), np.uint64(0x27D4EB2F)
_SHIFT = np.uint64(64 - BITS)


def _byte_table() -> tuple[np.ndarray, np.ndarray]:
    """Byte -> folded byte, and which digits/symbols read as letters when beside one (l33t)."""
    table = np.full(256, _SPACE, dtype=np.uint8)  # ASCII punctuation and controls -> space
    table[ord("a"):ord("z") + 1] = np.arange(ord("a"), ord("z") + 1)
    table[ord("A"):ord("Z") + 1] = np.arange(ord("a"), ord("z") + 1)
    table[ord("0"):ord("9") + 1] = np.arange(ord("0"), ord("9") + 1)
    table[128:] = np.arange(128, 256)  # UTF-8 of non-ASCII letters and emoji: kept
    table[_SEP] = _SEP
    table[ord("'")] = 0  # deleted: "don't" -> "dont"
    leet = np.arange(256, dtype=np.uint8)
    for digit, letter in {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}.items():
        leet[ord(digit)] = ord(letter)
        table[ord(digit)] = ord(digit)
    return table, leet


_TABLE, _LEET = _byte_table()
_IS_LETTER = np.zeros(256, dtype=bool)
_IS_LETTER[ord("a"):ord("z") + 1] = True
_IS_LETTER[128:] = True
_LEETABLE = np.zeros(256, dtype=bool)
_LEETABLE[[ord(c) for c in "013457@$"]] = True


class _Powers:
    """P**i and P**-i mod 2**64, grown on demand."""

    def __init__(self) -> None:
        self.fwd = self.inv = np.ones(1, dtype=np.uint64)

    def get(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if self.fwd.size < n:
            size = 1 << max(n - 1, 1).bit_length()
            self.fwd = _pow_table(_P, size)
            self.inv = _pow_table(_P_INV, size)
        return self.fwd[:n], self.inv[:n]


def _pow_table(base: int, n: int) -> np.ndarray:
    out = np.empty(n, dtype=np.uint64)
    out[0] = 1
    if n > 1:
        out[1:] = np.cumprod(np.full(n - 1, base & _MASK64, dtype=np.uint64))
    return out


_POWERS = _Powers()


def _mix(h: np.ndarray) -> np.ndarray:
    h = h * _MIX1
    h ^= h >> np.uint64(29)
    h *= _MIX2
    h >>= _SHIFT
    return h.astype(np.int64)


def _fold(text: str) -> str:
    """`text.translate(_FOLD)`, replacing only the characters it changes."""
    return _FOLD_CHARS.sub(lambda m: _FOLD[ord(m.group())], text)


def _lower_sub(lower: re.Pattern[str], flagged: re.Pattern[str], repl: str, text: str, is_lower: bool) -> str:
    """`flagged.sub(repl, text)` (an IGNORECASE pattern), found with its case-sensitive twin `lower` on
    `text.lower()`; `is_lower`: the text is lower case already. Without it the text must be ASCII, so
    that lowering keeps every offset."""
    if "\u017f" in text:
        return flagged.sub(repl, text)
    if is_lower:
        return lower.sub(repl, text)
    out, last = [], 0
    for m in lower.finditer(text.lower()):
        out += (text[last:m.start()], repl)
        last = m.end()
    return "".join(out) + text[last:] if out else text


def _bytes(texts: Sequence[str]) -> np.ndarray:
    """The batch as folded bytes: ' text ' per text, SEP between, runs squeezed."""
    joined = " \x01 ".join(t[:MAX_CHARS].replace("\x01", " ") for t in texts)
    joined = unicodedata.normalize("NFKC", joined)
    lowered = not joined.isascii()
    if lowered:
        joined = _fold(joined.lower())
    joined = _lower_sub(_URL_LOWER, _URL, " url ", joined, lowered)
    joined = _lower_sub(_MENTION_LOWER, _MENTION, " user ", joined, lowered)
    joined = _ENTITY.sub(" ", joined)
    raw = np.frombuffer((" " + joined + " ").encode("utf-8", "replace"), dtype=np.uint8)
    c = _TABLE.take(raw)  # take: the same lookups as fancy indexing, faster
    # l33t: a digit or @/$ beside a letter reads as a letter ("k1ll", "h8te" stay numbers elsewhere)
    cand = _LEETABLE.take(c)
    if cand.any():
        letter = _IS_LETTER.take(c)
        beside = np.zeros_like(letter)
        beside[1:] |= letter[:-1]
        beside[:-1] |= letter[1:]
        c = np.where(cand & beside, _LEET.take(c), c)
    keep = c != 0
    c = c[keep]
    # squeeze: a run of 3+ of one byte keeps 2 ("soooo" -> "soo"), spaces keep 1
    same1 = np.zeros(c.size, dtype=bool)
    same1[1:] = c[1:] == c[:-1]
    same2 = np.zeros(c.size, dtype=bool)
    same2[2:] = same1[2:] & same1[1:-1]
    return c[~(same2 | (same1 & (c == _SPACE)))]


def featurise(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(rows, buckets): one entry per character n-gram, word and word bigram of each text.
    rows[i] is the text's index in `texts`; buckets[i] is in [0, 2**BITS)."""
    if not texts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    c = _bytes(texts)
    n = c.size
    is_sep = c == _SEP
    fwd, inv = _POWERS.get(n + 1)
    prefix = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(c.astype(np.uint64) * fwd[:n], out=prefix[1:])
    seps = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(is_sep, out=seps[1:])
    text_of = seps[1:]  # row of every byte
    rows, buckets = [], []
    for k in CHAR_NGRAMS:
        if n < k:
            continue
        m = n - k + 1  # n-grams start at 0..m-1: hashed over slices, then the ones within a text kept
        ok = seps[k:] == seps[:m]  # no text boundary inside
        h = prefix[k:] - prefix[:m]
        h *= inv[:m]
        h += np.uint64(k)
        rows.append(text_of[:m][ok])
        buckets.append(_mix(h[ok]))
    word = (c != _SPACE) & ~is_sep
    edge = np.diff(word.astype(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts, ends = np.flatnonzero(edge == 1), np.flatnonzero(edge == -1)
    if starts.size:
        wh = (prefix[ends] - prefix[starts]) * inv[starts]
        wrow = text_of[starts]
        rows.append(wrow)
        buckets.append(_mix(wh ^ _SALT_WORD))
        same = wrow[1:] == wrow[:-1]
        rows.append(wrow[1:][same])
        buckets.append(_mix(wh[:-1][same] * _MIX2 + wh[1:][same] + _SALT_BIGRAM))
    if not rows:  # only empty texts
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows), np.concatenate(buckets)


def row_scale(rows: np.ndarray, n: int) -> np.ndarray:
    """1/sqrt(features of the row): long texts do not score higher for being long."""
    return (1.0 / np.sqrt(np.maximum(np.bincount(rows, minlength=n), 1))).astype(np.float32)


@dataclass(frozen=True)
class TextClassifier:
    """Per-head logistic regressions over one shared hashed feature space."""

    version: str
    labels: tuple[str, ...]
    weights: np.ndarray  #: (2**BITS, n_labels) float32: one row per bucket, so a gather is one read
    bias: np.ndarray  #: (n_labels,) float32
    thresholds: Mapping[str, float]  #: per label, chosen on validation splits carved from training data

    @classmethod
    def load(cls, path: Path | str = DEFAULT_ARTIFACT) -> "TextClassifier":
        """Read an artifact written by `save` (call once at start-up; never per post)."""
        with np.load(Path(path), allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            if meta["features_version"] != FEATURES_VERSION:
                raise ValueError(f"{path}: features v{meta['features_version']}, code v{FEATURES_VERSION}: retrain")
            weights = z["weights"].astype(np.float32)
            if weights.shape != (1 << BITS, len(meta["labels"])):
                raise ValueError(f"{path}: weights {weights.shape}, expected {(1 << BITS, len(meta['labels']))}")
            return cls(meta["version"], tuple(meta["labels"]), weights, z["bias"].astype(np.float32),
                       dict(meta["thresholds"]))

    def save(self, path: Path, **extra_meta: object) -> None:
        """Write the arrays and a sorted-key JSON header: no timestamps, so retraining is byte-identical."""
        meta = {"version": self.version, "labels": list(self.labels), "thresholds": dict(self.thresholds),
                "features_version": FEATURES_VERSION, **extra_meta}
        with open(path, "wb") as f:  # zip entries carry the fixed 1980 date: no timestamp
            np.savez_compressed(f, weights=self.weights.astype(np.float32), bias=self.bias.astype(np.float32),
                                meta=np.array(json.dumps(meta, sort_keys=True)))

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), n_labels) float64 logits: the array API for callers scoring many texts.
        A text repeated in the batch is scored once: a batch's posts and their sentences repeat
        (bench batches: ~47% of texts), and a text's features and sums do not depend on its
        neighbours, so each copy gets the very same row."""
        row = {t: r for r, t in enumerate(dict.fromkeys(texts))}  # in order of first appearance
        if len(row) == len(texts):
            return self._logits(texts)
        return self._logits(list(row))[[row[t] for t in texts]]

    def _logits(self, texts: Sequence[str]) -> np.ndarray:
        n = len(texts)
        rows, buckets = featurise(texts)
        scale = row_scale(rows, n).astype(np.float64)
        gathered = np.take(self.weights, buckets, axis=0)  # the same rows as weights[buckets], ~4x faster
        out = np.empty((n, len(self.labels)), dtype=np.float64)
        for j in range(len(self.labels)):
            out[:, j] = np.bincount(rows, weights=gathered[:, j], minlength=n)
        return out * scale[:, None] + self.bias.astype(np.float64)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), n_labels) probabilities, columns in `labels` order."""
        return 1.0 / (1.0 + np.exp(-self.logits(texts)))

    def predict_batch(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Probability per label for each text, in input order."""
        probs = self.predict_proba(texts).tolist()
        return [dict(zip(self.labels, row)) for row in probs]
