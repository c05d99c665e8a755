"""Train the text classifier artifact (`models/text-clf.npz`) from ../shared/data/dev-text.

Training-only dependencies: scikit-learn (and numpy, scipy). Usage (from the repo root):

    python -m ops.train_classifier [--data ../shared/data/dev-text] [--out models/text-clf.npz]

Data: every public set `streams.commands.public_sets` reads (its docstring is the label mapping per
set), minus EXCLUDE.sha256, plus the examples written for this project in
`models/own-train.jsonl` (self-harm promotion vs support and recovery, threats vs hyperbole:
the public sets barely cover them). Own evaluation examples live apart in
`models/own-eval.jsonl`: they are scored as a test split ("own held-apart"), never fitted
or thresholded on.

Per head, only rows whose set labels that head are used. Per-source weighting: a set
contributes at most SOURCE_CAP rows' worth of weight to a head (a big set is scaled down,
never repeated), own rows weigh OWN_WEIGHT each; then positives and negatives of the head
get equal total weight. Features are scaled per head by their naive-Bayes log-count ratio
before the logistic fit (NB-LR, Wang & Manning 2012): a feature seen mostly in one class
starts with a large scale, so rare telling n-grams are not regularised away. The scale is
folded into the stored weights, so scoring is unchanged. Splits: train fits, val picks each
head's threshold (the value in THRESHOLD_GRID with the best F1 on the pooled val rows), test
is only reported.

Reproducible byte for byte: fixed row order, deterministic solver (lbfgs), no timestamps
in the artifact. It prints the metrics models/CARD.md records.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Sequence

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from agents.classifier import BITS, TextClassifier, featurise, row_scale
from streams.commands.public_sets import DEFAULT_DIR, HEADS, Row, hashed_split, load

VERSION = "2026.12.2"
C = 4.0
SOURCE_CAP = 6000
OWN_WEIGHT = 3.0
NB_ALPHA = 1.0  #: add-one smoothing of the naive-Bayes counts
THRESHOLD_GRID = np.round(np.arange(0.50, 0.975, 0.01), 2)
ROOT = Path(__file__).resolve().parent.parent
OWN_TRAIN = ROOT / "models" / "own-train.jsonl"
OWN_EVAL = ROOT / "models" / "own-eval.jsonl"  #: held apart: only reported, never fitted or thresholded on
CHUNK = 4096


def own_rows(path: Path = OWN_TRAIN, split: str | None = None) -> list[Row]:
    """Examples written for this project: {"text", "labels": {head: 0|1}}. Training examples go
    1 in 5 to val (by digest); `split` puts every row in one split (the held-apart file: test)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            where = split or ("val" if hashed_split(d["text"]) != "train" else "train")
            out.append(Row(d["text"], "own" if split is None else "own held-apart", where,
                           {h: int(v) for h, v in d["labels"].items()}))
    return out


def matrix(texts: Sequence[str]) -> sparse.csr_matrix:
    """The scoring features of `texts` as a sparse matrix: X @ w equals the classifier's logit sum."""
    blocks = []
    for i in range(0, len(texts), CHUNK):
        chunk = texts[i:i + CHUNK]
        rows, buckets = featurise(chunk)
        scale = row_scale(rows, len(chunk))
        m = sparse.csr_matrix((scale[rows], (rows, buckets)), shape=(len(chunk), 1 << BITS), dtype=np.float32)
        m.sum_duplicates()
        blocks.append(m)
    return sparse.vstack(blocks, format="csr")


def weights(rows: Sequence[Row], head: str, y: np.ndarray) -> np.ndarray:
    sources = np.array([r.source for r in rows])
    w = np.ones(len(rows))
    for source in sorted(set(sources)):
        at = sources == source
        w[at] = OWN_WEIGHT if source == "own" else min(1.0, SOURCE_CAP / at.sum())
    pos, neg = w[y == 1].sum(), w[y == 0].sum()
    w[y == 1] *= (pos + neg) / (2 * pos)
    w[y == 0] *= (pos + neg) / (2 * neg)
    return w


def nb_ratio(x: sparse.csr_matrix, y: np.ndarray, w: np.ndarray, alpha: float = NB_ALPHA) -> np.ndarray:
    """Per feature: log of its (weighted, presence-counted) share among positives over its share among negatives."""
    present = x.copy()
    present.data[:] = 1.0
    p = alpha + np.asarray(present[y == 1].T @ w[y == 1]).ravel()
    q = alpha + np.asarray(present[y == 0].T @ w[y == 0]).ravel()
    return np.log((p / p.sum()) / (q / q.sum()))


def f1(y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    tp = int((pred & (y == 1)).sum())
    fp, fn = int((pred & (y == 0)).sum()), int((~pred & (y == 1)).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3),
            "pos": int((y == 1).sum()), "n": int(y.size), "fp": fp}


def train(base: Path, out: Path) -> dict[str, object]:
    rows = load(base) + own_rows() + own_rows(OWN_EVAL, split="test")
    x = matrix([r.text for r in rows])
    split = np.array([r.split for r in rows])
    sources = np.array([r.source for r in rows])
    coef, bias, thresholds, report, val_f1 = [], [], {}, defaultdict(dict), {}
    probs = {}
    for head in HEADS:
        known = np.array([head in r.labels for r in rows])
        y = np.array([r.labels.get(head, -1) for r in rows])
        fit = known & (split == "train")
        w = weights([rows[i] for i in np.flatnonzero(fit)], head, y[fit])
        scale = sparse.diags(nb_ratio(x[fit], y[fit], w))
        model = LogisticRegression(C=C, max_iter=3000, solver="lbfgs")
        model.fit(x[fit] @ scale, y[fit], sample_weight=w)
        coef.append((model.coef_[0] * scale.diagonal()).astype(np.float32))
        bias.append(np.float32(model.intercept_[0]))
        p = model.predict_proba(x @ scale)[:, 1]
        probs[head] = p
        val = known & (split == "val")
        thresholds[head] = float(max(THRESHOLD_GRID, key=lambda t: (f1(y[val], p[val] >= t)["f1"], -t)))
        val_f1[head] = f1(y[val], p[val] >= thresholds[head])
        test = known & (split == "test")
        public = test & (sources != "own held-apart")
        report[head]["all public test sets"] = f1(y[public], p[public] >= thresholds[head])
        for source in sorted(set(sources[test])):
            at = test & (sources == source)
            report[head][source] = f1(y[at], p[at] >= thresholds[head])
    clf = TextClassifier(VERSION, HEADS, np.stack(coef, axis=1), np.array(bias, dtype=np.float32), thresholds)
    sample = list(range(0, len(rows), max(1, len(rows) // 500)))
    ours = clf.predict_proba([rows[i].text for i in sample])
    theirs = np.stack([probs[h][sample] for h in HEADS], axis=1)
    assert np.allclose(ours, theirs, atol=1e-4), float(np.abs(ours - theirs).max())  # numpy == sklearn
    trained = sorted({r.source for r in rows if r.split == "train"})
    clf.save(out, C=C, nb_alpha=NB_ALPHA, source_cap=SOURCE_CAP, own_weight=OWN_WEIGHT, trained_on=trained)
    macro = round(float(np.mean([report[h]["all public test sets"]["f1"] for h in HEADS])), 3)
    return {"version": VERSION, "thresholds": thresholds, "val": val_f1, "macro_f1_test": macro, "test": report,
            "rows": {s: int((split == s).sum()) for s in ("train", "val", "test")}}


def markdown(result: dict) -> str:
    lines = ["| head | test set | P | R | F1 | positives / n | false positives |", "|---|---|---|---|---|---|---|"]
    for head, sets in result["test"].items():
        for name, m in sets.items():
            cells = f"{m['p']:.2f} | {m['r']:.2f} | {m['f1']:.2f}" if m["pos"] else "- | - | -"
            lines.append(f"| {head} | {name} | {cells} | {m['pos']} / {m['n']} | {m['fp']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "text-clf.npz")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result = train(args.data, args.out)
    print(json.dumps({k: v for k, v in result.items() if k != "test"}, indent=2))
    print(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
