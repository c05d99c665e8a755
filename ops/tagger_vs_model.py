"""Whole Tagger vs the model alone, per head, on the validation splits, and why they differ.

Usage (from the repo root): `python -m ops.tagger_vs_model [--data DIR] [--examples N] [--source] [--choose]`

Rows: the val split of every public set (`streams.commands.public_sets`, carved from training
data; the test splits are never read here) plus the val fifth of `models/own-train.jsonl`
(the trainer's own split). The model alone tags a head when the whole post's probability
reaches the artifact's threshold; the Tagger is `modstream eval`'s (rules, sentence-level
context, the model judged per sentence).

Every row and head where the two disagree is put down to the component that made the
difference, and counted as a gain (the Tagger right, the model wrong) or a loss:
- Tagger yes, model no: `rule:<id>` (a standing rule hit leads), `sentence-max` (a sentence
  reached the threshold, the post did not);
- Tagger no, model yes: `veto:<check>` (a sentence context check cleared the model),
  `rule-cleared:<check>` (a cleared rule hit on the sentence vetoed it), `lowered:<check>`
  (a lowering cue took it under the floor).
Used to find what to fix; the fixes themselves are general rules (see the commits).

`--choose` picks, per head, the threshold a single sentence must reach to carry the head
(`agents/sentence_thresholds.json`, read by the Tagger for this classifier version): the
value in GRID (never below the model's own) with the best F1 of the whole Tagger on these
val rows. Rerun it whenever the model is retrained.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Sequence

from agents.classifier import TextClassifier
from agents.detectors import Scan, segment
from agents.records import Post
from agents.tagger import SENTENCE_THRESHOLDS, Tagger, chosen_sentence_thresholds
from streams.commands.evaluate import Counts
from streams.commands.public_sets import DEFAULT_DIR, HEADS, Row, hashed_split, load
from streams.infra.config import Settings

GRID = [round(0.50 + 0.02 * i, 2) for i in range(25)]
OWN_TRAIN = Path(__file__).resolve().parent.parent / "models" / "own-train.jsonl"
_RULE = re.compile(r"\((\w+_rule)\)$")
_CHECK = re.compile(r"context: ([a-z/ -]+?)(?: \(|$)")


def val_rows(base: Path) -> list[Row]:
    """Public val rows, and the val fifth of our own training examples (the trainer's split)."""
    own = []
    for line in OWN_TRAIN.read_text(encoding="utf-8").splitlines():
        if line.strip() and hashed_split((d := json.loads(line))["text"]) != "train":
            own.append(Row(d["text"], "own", "val", {h: int(v) for h, v in d["labels"].items()}))
    return [r for r in load(base) if r.split == "val"] + own


def _cause(tagger: Tagger, post: Post, head: str, tagged: bool, model_p: float) -> str:
    """The component that made the Tagger differ from the model on `head` (see the docstring)."""
    scan = Scan(segment(post.text))
    [score] = tagger._score([scan])
    signals = [s for s in tagger._signals(post, scan, score) if s.policy == head]
    floor = tagger.policy.min_for(head)
    if tagged:
        lead = max(signals, key=lambda s: (s.confidence, -s.rank))
        if lead.rank == 1:
            return "rule:" + (m.group(1) if (m := _RULE.search(lead.evidence[0])) else lead.source)
        return "sentence-max" if lead.rank == 3 else f"rank{lead.rank}"
    clf = [s for s in signals if s.source.startswith("clf.")]
    lowered = [s for s in clf if s.rank == 3 and s.confidence < floor]
    if lowered:
        return "lowered:" + lowered[0].evidence[0].split("lowered by ")[1].split(" (")[0].split(",")[0]
    notes = [s for s in clf if s.rank == 9]
    if notes:
        check = (m.group(1) if (m := _CHECK.search(notes[0].evidence[0])) else notes[0].evidence[0]).strip()
        hits = tagger._detectors.detect(scan, region=post.country)
        cleared = any(h.policy == head and h.suppressed for h in hits)
        return ("rule-cleared:" if cleared else "veto:") + check
    return "other"


def compare(rows: Sequence[Row], tagger: Tagger, clf: TextClassifier, examples: int = 0, per_source: bool = False) -> str:
    from streams.commands.evaluate import predict
    texts = [r.text for r in rows]
    tagged = predict(texts, tagger)
    probs = [p for i in range(0, len(texts), 1024) for p in clf.predict_batch(texts[i:i + 1024])]
    cells: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)  # (head, source, who) -> tp/fp/fn/tn
    causes: dict[str, Counter[tuple[str, str]]] = {h: Counter() for h in HEADS}
    shown: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for i, row in enumerate(rows):
        for head, gold in row.labels.items():
            t, m = head in tagged[i], probs[i][head] >= clf.thresholds[head]
            for who, got in (("tagger", t), ("model", m)):
                cell = Counts.cell(gold, got)
                cells[(head, "all", who)][cell] += 1
                cells[(head, row.source, who)][cell] += 1
            if t != m:
                post = Post(f"val-{i}", "val", row.text, "2026-01-01T00:00:00Z")
                cause = _cause(tagger, post, head, t, probs[i][head])
                effect = "gain" if t == bool(gold) else "loss"
                causes[head][(cause, effect)] += 1
                if len(shown[(head, cause, effect)]) < examples:
                    shown[(head, cause, effect)].append(" ".join(row.text.split())[:160])
    lines = ["head / source                    tagger P    R   F1   model P    R   F1   pos      n"]
    keys = sorted({(h, s) for h, s, _ in cells}, key=lambda hs: (HEADS.index(hs[0]), hs[1] != "all", hs[1]))
    for head, source in keys:
        if source != "all" and not per_source:
            continue
        t, m = Counts.of(cells[(head, source, "tagger")]), Counts.of(cells[(head, source, "model")])
        lines.append(f"{head + ' / ' + source:32} {t.precision:6.3f} {t.recall:4.3f} {t.f1:4.3f}"
                     f"  {m.precision:6.3f} {m.recall:4.3f} {m.f1:4.3f} {t.tp + t.fn:5} {t.tp + t.fp + t.fn + t.tn:6}")
    f1s = {who: sum(Counts.of(cells[(h, "all", who)]).f1 for h in HEADS) / len(HEADS) for who in ("tagger", "model")}
    lines.append(f"macro-F1: tagger {f1s['tagger']:.3f}, model alone {f1s['model']:.3f}")
    for head in HEADS:
        lines.append(f"\n{head}: where the Tagger differs (cause: gains / losses)")
        by_cause = sorted({c for c, _ in causes[head]}, key=lambda c: -(causes[head][(c, 'loss')] + causes[head][(c, 'gain')]))
        for c in by_cause:
            lines.append(f"  {c:48} +{causes[head][(c, 'gain')]:<4} -{causes[head][(c, 'loss')]}")
            for effect in ("loss", "gain"):
                lines += [f"      {effect}: {x}" for x in shown[(head, c, effect)]]
    return "\n".join(lines)


def choose(rows: Sequence[Row], clf: TextClassifier, policy) -> dict[str, object]:
    """Per head, the sentence threshold in GRID with the best whole-Tagger F1 on `rows` (ties: the lower)."""
    from streams.commands.evaluate import predict
    multi = [i for i, r in enumerate(rows) if segment(r.text).count > 1]  # one sentence: the post's threshold decides
    fixed = predict([r.text for r in rows], Tagger(policy, classifier=clf, sentence_thresholds={h: 1.0 for h in HEADS}))
    best: dict[str, tuple[float, float]] = {}
    for value in GRID:
        tagged = list(fixed)
        for i, p in zip(multi, predict([rows[i].text for i in multi],
                                       Tagger(policy, classifier=clf, sentence_thresholds={h: value for h in HEADS}))):
            tagged[i] = p
        for head in HEADS:
            f1 = Counts.of(Counter(Counts.cell(g, head in p)
                                   for r, p in zip(rows, tagged) if (g := r.labels.get(head)) is not None)).f1
            at = max(value, clf.thresholds[head])
            if head not in best or f1 > best[head][1] + 1e-9:
                best[head] = (at, round(f1, 4))
    return {clf.version: {"chosen_on": "val splits of the public sets + val fifth of models/own-train.jsonl "
                                       "(python -m ops.tagger_vs_model --choose)",
                          "thresholds": {h: best[h][0] for h in HEADS}, "val_f1": {h: best[h][1] for h in HEADS}}}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(DEFAULT_DIR))
    ap.add_argument("--examples", type=int, default=0, help="texts shown per cause and effect")
    ap.add_argument("--source", action="store_true", help="a row per head per source too")
    ap.add_argument("--choose", action="store_true", help="choose the sentence thresholds and write " + SENTENCE_THRESHOLDS.name)
    args = ap.parse_args(argv)
    clf, policy, rows = TextClassifier.load(), Settings().policy(), val_rows(Path(args.data))
    if args.choose:
        chosen = json.loads(SENTENCE_THRESHOLDS.read_text()) if SENTENCE_THRESHOLDS.exists() else {}
        chosen.update(choose(rows, clf, policy))
        SENTENCE_THRESHOLDS.write_text(json.dumps(chosen, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(json.dumps(chosen[clf.version], indent=2))
        chosen_sentence_thresholds.cache_clear()
    print(compare(rows, Tagger(policy, classifier=clf), clf, args.examples, args.source))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
