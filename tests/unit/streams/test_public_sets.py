"""Public set readers: label mapping, EXCLUDE.sha256 and no test text left in training (on files made here)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from streams.commands.public_sets import BENIGN, exclusion_digest, load


def _tweeteval(base: Path, task: str, split: str, rows: list[tuple[str, int]]) -> None:
    d = base / "tweeteval" / task
    d.mkdir(parents=True, exist_ok=True)
    (d / f"{split}_text.txt").write_text("".join(f"{t}\n" for t, _ in rows))
    (d / f"{split}_labels.txt").write_text("".join(f"{y}\n" for _, y in rows))


def test_exclusion_digest_follows_the_files_normalisation() -> None:
    want = hashlib.sha256("hello world".encode()).hexdigest()
    assert exclusion_digest("  Hello,   WORLD!! ") == want
    assert exclusion_digest("Ｈｅｌｌｏ world.") == want  # NFKC folds full-width letters


def test_load_maps_labels_drops_excluded_and_keeps_test_texts_out_of_training(tmp_path: Path) -> None:
    _tweeteval(tmp_path, "hate", "train", [("they are vermin", 1), ("nice day", 0), ("Shared text!", 0),
                                            ("secret suite text", 1)])
    _tweeteval(tmp_path, "hate", "val", [("val row", 0)])
    _tweeteval(tmp_path, "hate", "test", [("shared text", 1)])
    _tweeteval(tmp_path, "offensive", "train", [("calm words", 0), ("damn it", 1)])
    _tweeteval(tmp_path, "offensive", "val", [])
    _tweeteval(tmp_path, "offensive", "test", [])
    (tmp_path / "EXCLUDE.sha256").write_text(f"# header\n{exclusion_digest('secret suite text')}\n")
    rows = load(tmp_path, names=["tweeteval"])
    got = {(r.text, r.source, r.split): dict(r.labels) for r in rows}
    assert got == {
        ("they are vermin", "tweeteval/hate", "train"): {"hateful_conduct": 1},
        ("nice day", "tweeteval/hate", "train"): {"hateful_conduct": 0},
        ("val row", "tweeteval/hate", "val"): {"hateful_conduct": 0},
        ("shared text", "tweeteval/hate", "test"): {"hateful_conduct": 1},
        ("calm words", "tweeteval/offensive", "train"): dict(BENIGN),  # offensive 1 says nothing about a head
    }
