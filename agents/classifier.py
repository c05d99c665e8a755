"""A light learned text classifier: TF-IDF n-grams + logistic regression, scored with numpy.

It catches what the rule lexicons miss (implicit hate, varied insults). Training is done
offline by `ops/train_classifier.py` with scikit-learn; the shipped artifact (`models/*.npz`)
holds only arrays (vocabulary, idf, weights, thresholds), so run time needs numpy, not
scikit-learn or torch, and nothing is downloaded. `features` is the single featuriser used
by both training and scoring, so the two cannot drift apart.

Labels are policy codes. Meant to run batched in its own agent; the Tagger takes it optionally.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from agents.detectors.normalize import normalize

FEATURES_VERSION = 1  #: bump when `features` changes: every artifact must be retrained
DEFAULT_ARTIFACT = Path(__file__).resolve().parent.parent / "models" / "text-clf.npz"

_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+")
_ENTITY = re.compile(r"&#?\w+;")
_TOKEN = re.compile(r"[a-z0-9']+|[^\sa-z0-9']")


def features(text: str) -> list[str]:
    """Word 1-2 grams and in-word char 2-4 grams of the skeleton text (evasion-folded)."""
    skeleton = normalize(_ENTITY.sub(" ", _MENTION.sub(" @user ", _URL.sub(" url ", text)))).text
    words = [w for w in _TOKEN.findall(skeleton) if w.strip()]
    out = [f"w:{w}" for w in words]
    out += [f"b:{a} {b}" for a, b in zip(words, words[1:])]
    for w in words:
        if w.isalpha() and len(w) > 1:
            padded = f"<{w}>"
            out += [f"c:{padded[i:i + n]}" for n in (2, 3, 4) for i in range(len(padded) - n + 1)]
    return out


@dataclass(frozen=True)
class TextClassifier:
    """Per-label logistic regressions over one shared TF-IDF vocabulary."""

    version: str
    labels: tuple[str, ...]
    vocab: Mapping[str, int]
    idf: np.ndarray  #: (n_features,) float32
    weights: np.ndarray  #: (n_labels, n_features) float32
    bias: np.ndarray  #: (n_labels,) float32
    thresholds: Mapping[str, float]  #: per label, chosen on the validation split

    @classmethod
    def load(cls, path: Path | str = DEFAULT_ARTIFACT) -> "TextClassifier":
        """Read an artifact written by `save` (call once at start-up; never per post)."""
        with np.load(Path(path), allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            if meta["features_version"] != FEATURES_VERSION:
                raise ValueError(f"{path}: features v{meta['features_version']}, code v{FEATURES_VERSION}: retrain")
            vocab = {term: i for i, term in enumerate(z["vocab"].tolist())}
            return cls(meta["version"], tuple(meta["labels"]), vocab, z["idf"], z["weights"], z["bias"],
                       dict(meta["thresholds"]))

    def save(self, path: Path, **extra_meta: object) -> None:
        meta = {"version": self.version, "labels": list(self.labels), "thresholds": dict(self.thresholds),
                "features_version": FEATURES_VERSION, **extra_meta}
        terms = sorted(self.vocab, key=self.vocab.__getitem__)
        np.savez_compressed(path, vocab=np.array(terms), idf=self.idf.astype(np.float32),
                            weights=self.weights.astype(np.float32), bias=self.bias.astype(np.float32),
                            meta=np.array(json.dumps(meta, sort_keys=True)))

    def _vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        counts = Counter(i for f in features(text) if (i := self.vocab.get(f)) is not None)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float32, count=len(counts))
        values = tf * self.idf[idx]
        return idx, values / np.linalg.norm(values)

    def predict_batch(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Probability per label for each text, in input order."""
        logits = np.tile(self.bias.astype(np.float64), (len(texts), 1))
        for row, text in enumerate(texts):
            idx, values = self._vector(text)
            if idx.size:
                logits[row] += self.weights[:, idx].astype(np.float64) @ values
        probs = 1.0 / (1.0 + np.exp(-logits))
        return [{label: float(p) for label, p in zip(self.labels, row)} for row in probs]
