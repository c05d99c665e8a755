"""Regenerate `agents/detectors/known_words.txt`: the everyday words the spelling pass never respells.

Usage (from the repo root): `python -m ops.known_words [--data DIR] [--min-rows N]`

A word is known when it occurs, in skeleton spelling (`normalize`, before the spelling pass), in
at least N benign rows (every head it is labelled for is 0) of the public training splits
(`streams.commands.public_sets`; val and test are not read). Benign rows, because the hateful
rows spell slurs and group words wrong often enough to make the misspellings look common.
Each line is a word and that count of rows (the spelling pass weighs a target against the everyday
words one edit from a misspelling with it). Deterministic: the same data gives the same file, sorted.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from agents.detectors.normalize import normalize
from agents.detectors.spelling import KNOWN_WORDS, MAX_WORD
from streams.commands import public_sets

MIN_ROWS = 3
_LETTERS = re.compile(r"[a-z]+")


def known_words(rows: list[public_sets.Row], min_rows: int = MIN_ROWS) -> list[tuple[str, int]]:
    """(word, rows) for words of 2..MAX_WORD letters in at least `min_rows` benign training rows, sorted."""
    seen: Counter[str] = Counter()
    for r in rows:
        if r.split == "train" and r.labels and not any(r.labels.values()):
            seen.update(set(_LETTERS.findall(normalize(r.text).text)))
    return sorted((w, n) for w, n in seen.items() if n >= min_rows and 2 <= len(w) <= MAX_WORD)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", type=Path, default=public_sets.DEFAULT_DIR)
    p.add_argument("--min-rows", type=int, default=MIN_ROWS)
    args = p.parse_args()
    words = known_words(public_sets.load(args.data), args.min_rows)
    header = f"# python -m ops.known_words --min-rows {args.min_rows}: words in that many benign training rows, and how many\n"
    KNOWN_WORDS.write_text(header + "".join(f"{w} {n}\n" for w, n in words), encoding="utf-8")
    print(f"{len(words)} words -> {KNOWN_WORDS}")


if __name__ == "__main__":
    main()
