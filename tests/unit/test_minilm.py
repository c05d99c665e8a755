"""The second-stage trial's encoder parts that need no weights: the safetensors reader and WordPiece."""

from __future__ import annotations

import json
import struct

import numpy as np

from ops.minilm import WordPiece, load_safetensors


def test_load_safetensors_reads_f32_tensors_at_their_offsets(tmp_path):
    a = np.arange(6, dtype="<f4").reshape(2, 3)
    b = np.array([1.5, -2.0], dtype="<f4")
    header = {"__metadata__": {"format": "pt"},
              "a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
              "b": {"dtype": "F32", "shape": [2], "data_offsets": [24, 32]},
              "ids": {"dtype": "I64", "shape": [1], "data_offsets": [32, 40]}}
    blob = json.dumps(header).encode()
    path = tmp_path / "m.safetensors"
    path.write_bytes(struct.pack("<Q", len(blob)) + blob + a.tobytes() + b.tobytes() + np.int64(7).tobytes())
    t = load_safetensors(path)
    assert sorted(t) == ["a", "b"]  # only F32 tensors; the metadata entry and I64 are skipped
    np.testing.assert_array_equal(t["a"], a)
    np.testing.assert_array_equal(t["b"], b)


def test_wordpiece_lowercases_strips_accents_splits_punctuation_and_takes_longest_pieces(tmp_path):
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##believ", "##able", "unbeliev", "!", "cafe", "x"]
    path = tmp_path / "vocab.txt"
    path.write_text("\n".join(vocab), encoding="utf-8")
    tok = WordPiece(path)
    ids = {t: i for i, t in enumerate(vocab)}
    assert tok.encode("Unbelievable! Café") == [ids["[CLS]"], ids["unbeliev"], ids["##able"], ids["!"],
                                                 ids["cafe"], ids["[SEP]"]]
    assert tok.encode("xyz") == [ids["[CLS]"], ids["[UNK]"], ids["[SEP]"]]  # no piece for "yz": the word is unknown
