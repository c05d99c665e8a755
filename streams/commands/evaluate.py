"""Score a Tagger on labelled posts: the library behind `modstream eval`.

`modstream eval` without a file prints three tables, most honest first:
(a) `public_report`: the public sets' test splits (streams.commands.public_sets), which the model
    never trained on and no threshold was chosen on: P/R/F1 per head and their macro-F1;
(b) `functional_report`: the functional suite (tests/fixtures/eval/functional.jsonl, written
    before the rules and model it measures): violations found and look-alikes left untagged,
    per category and per functionality;
(c) the development set (tests/fixtures/eval/dev.jsonl): written beside the rules, so it
    shows regressions, not generalisation.

Input formats (`fmt`, guessed from the file when None):
- "jsonl": one object per line, `{"text": str, "labels": [policy codes], "tags": [str]}`;
  `tags` is optional and names slices (e.g. "lookalike", "counter_speech") reported apart;
  the functional suite's `category`, `functionality` and `lookalike` are read when present.
- "davidson": the davidson CSV (`tweet`, `class` columns). class 0 (hate speech) ->
  {hateful_conduct}; 1 (offensive) -> {abuse_harassment} (a proxy: offensive language is
  broader than harassment); 2 (neither) -> {}.
- "csv": a header with `text` and `labels` columns; labels separated by ";" or "|", empty
  for none; an optional `tags` column, same separators.
A post counts as tagged with a policy when the Tagger returns it with confidence at or
at or above the policy's confidence floor (`Policy.min_for`; below that, violations are evidence only).

Output: `EvalResult` with per-category precision/recall/F1/accuracy and TP/FP/FN/TN, exact-
match rate, per-tag slices, and for single-label sets a gold-vs-predicted table;
`format_report` renders it for a terminal and `EvalResult.to_dict()` for `--json`.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from agents.records import Post
from agents.tagger import Tagger
from streams.commands.public_sets import HEADS, Row

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "eval"
FUNCTIONAL = FIXTURES / "functional.jsonl"
DEV = FIXTURES / "dev.jsonl"

FORMATS = ("jsonl", "davidson", "csv")
_SEP = re.compile(r"[;|]")
_DAVIDSON = {0: ("hateful_conduct",), 1: ("abuse_harassment",), 2: ()}
NONE = "none"


class EvalInputError(ValueError):
    """A labelled file that cannot be read; the message names the line."""


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    labels: frozenset[str]
    tags: tuple[str, ...] = ()
    category: str = ""  #: functional suite: the category the case probes
    functionality: str = ""  #: functional suite: what it tests (plain, negation, ...)
    lookalike: bool = False  #: functional suite: must not be tagged with `category`


@dataclass(frozen=True, slots=True)
class Counts:
    """Binary confusion counts of one category over the whole set."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @staticmethod
    def cell(gold: int | bool, got: bool) -> str:
        """Which of the four counts one (gold, predicted) pair adds to."""
        return "tp" if gold and got else "fp" if got else "fn" if gold else "tn"

    @classmethod
    def of(cls, tally: Mapping[str, int]) -> "Counts":
        """From a tally of `cell` names."""
        return cls(tally.get("tp", 0), tally.get("fp", 0), tally.get("fn", 0), tally.get("tn", 0))

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fp + self.fn + self.tn
        return (self.tp + self.tn) / total if total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4), "accuracy": round(self.accuracy, 4)}


@dataclass(frozen=True, slots=True)
class Slice:
    """Examples sharing a tag: how many got exactly the gold set, how many had no false positive."""

    n: int
    exact: int
    no_false_positive: int

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "exact": self.exact, "no_false_positive": self.no_false_positive,
                "exact_rate": round(self.exact / self.n, 4) if self.n else 0.0,
                "no_false_positive_rate": round(self.no_false_positive / self.n, 4) if self.n else 0.0}


@dataclass(frozen=True)
class EvalResult:
    n: int
    exact: int
    categories: dict[str, Counts]
    slices: dict[str, Slice]
    confusion: dict[str, dict[str, int]] | None = None  #: gold -> predicted -> count (single-label sets)
    mistakes: tuple[dict[str, Any], ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "exact": self.exact, "exact_rate": round(self.exact / self.n, 4) if self.n else 0.0,
                "categories": {c: k.to_dict() for c, k in self.categories.items()},
                "slices": {t: s.to_dict() for t, s in self.slices.items()},
                "confusion": self.confusion, "mistakes": list(self.mistakes)}


def _split(value: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in _SEP.split(value or "") if x.strip())


def _guess_format(path: Path) -> str:
    if path.suffix in (".jsonl", ".json", ".ndjson"):
        return "jsonl"
    with open(path, encoding="utf-8", newline="") as f:
        header = next(csv.reader(f), [])
    return "davidson" if {"tweet", "class"} <= set(header) else "csv"


def read_examples(path: Path, fmt: str | None = None) -> list[Example]:
    """Labelled examples from `path` (see the module docstring for formats)."""
    fmt = fmt or _guess_format(path)
    if fmt not in FORMATS:
        raise EvalInputError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "jsonl":
        out = []
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                out.append(Example(str(d["text"]), frozenset(d.get("labels") or ()), tuple(d.get("tags") or ()),
                                   str(d.get("category") or ""), str(d.get("functionality") or ""),
                                   bool(d.get("lookalike", False))))
            except (ValueError, KeyError, TypeError) as e:
                raise EvalInputError(f"{path}:{i}: {e}") from None
        return out
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    try:
        if fmt == "davidson":
            return [Example(r["tweet"], frozenset(_DAVIDSON[int(r["class"])])) for r in rows]
        return [Example(r["text"], frozenset(_split(r["labels"])), _split(r.get("tags", ""))) for r in rows]
    except (KeyError, ValueError) as e:
        raise EvalInputError(f"{path}: {fmt} row without {e}") from None


def predict(texts: Sequence[str], tagger: Tagger, *, batch: int = 256) -> list[dict[str, float]]:
    """What `tagger` tags each text with (confidence at or above the policy's floor)."""
    policy = tagger.policy
    predictions: list[dict[str, float]] = []
    for start in range(0, len(texts), batch):
        chunk = texts[start:start + batch]
        posts = [Post(f"eval-{start + i}", "eval", text, "2026-01-01T00:00:00Z") for i, text in enumerate(chunk)]
        for violations in tagger.tag_batch(posts):
            predictions.append({v.policy: v.confidence for v in violations if v.confidence >= policy.min_for(v.policy)})
    return predictions


def evaluate(examples: Sequence[Example], tagger: Tagger, *, batch: int = 256) -> EvalResult:
    """Run `tagger` over `examples` and score it per category."""
    predictions = predict([ex.text for ex in examples], tagger, batch=batch)
    codes = sorted({c for ex in examples for c in ex.labels} | {c for p in predictions for c in p})
    cells: dict[str, Counter[str]] = {c: Counter() for c in codes}
    slices: dict[str, Counter[str]] = {}
    single_label = all(len(ex.labels) <= 1 for ex in examples)
    confusion: dict[str, Counter[str]] = {}
    exact, mistakes = 0, []
    for ex, pred in zip(examples, predictions):
        got = set(pred)
        for c in codes:
            gold_has, got_has = c in ex.labels, c in got
            cells[c][Counts.cell(gold_has, got_has)] += 1
        is_exact = got == set(ex.labels)
        exact += is_exact
        if not is_exact:
            mistakes.append({"text": ex.text, "gold": sorted(ex.labels), "predicted": sorted(got)})
        for tag in ex.tags:
            s = slices.setdefault(tag, Counter())
            s["n"] += 1
            s["exact"] += is_exact
            s["nofp"] += not (got - ex.labels)
        if single_label:
            gold = next(iter(ex.labels), NONE)
            top = max(sorted(pred), key=pred.__getitem__) if pred else NONE
            confusion.setdefault(gold, Counter())[top] += 1
    return EvalResult(
        n=len(examples),
        exact=exact,
        categories={c: Counts.of(k) for c, k in cells.items()},
        slices={t: Slice(s["n"], s["exact"], s["nofp"]) for t, s in sorted(slices.items())},
        confusion={g: dict(sorted(p.items())) for g, p in sorted(confusion.items())} if single_label else None,
        mistakes=tuple(mistakes),
    )


def evaluate_file(path: Path, tagger: Tagger, *, fmt: str | None = None) -> EvalResult:
    """`evaluate` on a labelled file."""
    return evaluate(read_examples(Path(path), fmt), tagger)


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    rows = [[str(c) for c in r] for r in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in rows)) if rows else len(str(h)) for i, h in enumerate(header)]
    fmt = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))  # noqa: E731
    return [fmt([str(h) for h in header]), *(fmt(r) for r in rows)]


def format_report(result: EvalResult) -> str:
    """A terminal report: per-category table, slices, and the confusion table when there is one."""
    lines = [f"{result.n} examples, exact match {result.exact}/{result.n}"
             + (f" ({result.exact / result.n:.1%})" if result.n else ""), ""]
    lines += _table(("category", "P", "R", "F1", "acc", "TP", "FP", "FN", "TN"), (
        (c, f"{k.precision:.3f}", f"{k.recall:.3f}", f"{k.f1:.3f}", f"{k.accuracy:.3f}", k.tp, k.fp, k.fn, k.tn)
        for c, k in result.categories.items()))
    if result.slices:
        lines += ["", *_table(("slice", "n", "exact", "no FP"), (
            (t, s.n, f"{s.exact / s.n:.0%}", f"{s.no_false_positive / s.n:.0%}") for t, s in result.slices.items()))]
    if result.confusion:
        predicted = sorted({p for row in result.confusion.values() for p in row})
        lines += ["", "gold \\ predicted", *_table(("gold", *predicted), (
            (g, *(row.get(p, 0) for p in predicted)) for g, row in result.confusion.items()))]
    return "\n".join(lines)


@dataclass(frozen=True)
class PublicResult:
    """Table (a): per head over every test split that labels it, and per head per source."""

    heads: dict[str, Counts]
    by_source: dict[str, dict[str, Counts]]  #: head -> source -> counts

    @property
    def macro_f1(self) -> float:
        return sum(self.heads[h].f1 for h in HEADS) / len(HEADS)

    def to_dict(self) -> dict[str, Any]:
        return {"macro_f1": round(self.macro_f1, 4), "heads": {h: c.to_dict() for h, c in self.heads.items()},
                "by_source": {h: {s: c.to_dict() for s, c in v.items()} for h, v in self.by_source.items()}}


def evaluate_public(rows: Sequence[Row], tagger: Tagger) -> PublicResult:
    """Score `tagger` on public test rows; a row counts for a head only if its set labels that head."""
    test = [r for r in rows if r.split == "test"]
    predictions = predict([r.text for r in test], tagger)
    cells: dict[str, dict[str, Counter[str]]] = {h: {} for h in HEADS}
    for row, pred in zip(test, predictions):
        for head, gold in row.labels.items():
            cells[head].setdefault(row.source, Counter())[Counts.cell(gold, head in pred)] += 1
    by_source = {h: {s: Counts.of(k) for s, k in sorted(v.items())}
                 for h, v in cells.items()}
    heads = {h: Counts(*(sum(getattr(c, f) for c in v.values()) for f in ("tp", "fp", "fn", "tn")))
             for h, v in by_source.items()}
    return PublicResult(heads, by_source)


def format_public(result: PublicResult, *, per_source: bool = False) -> str:
    lines = _table(("head", "P", "R", "F1", "positives", "n"), (
        (h, f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", c.tp + c.fn, c.tp + c.fp + c.fn + c.tn)
        for h, c in result.heads.items()))
    lines.append(f"macro-F1 over the {len(HEADS)} heads: {result.macro_f1:.3f}")
    if per_source:
        lines += ["", *_table(("head / source", "P", "R", "F1", "FP rate", "positives", "n"), (
            (f"{h} / {s}", f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}",
             f"{c.fp / (c.fp + c.tn):.3f}" if c.fp + c.tn else "-", c.tp + c.fn, c.tp + c.fp + c.fn + c.tn)
            for h, v in result.by_source.items() for s, c in v.items()))]
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Share:
    """k of n cases went the right way (violation found, or look-alike left untagged)."""

    ok: int = 0
    n: int = 0

    @property
    def rate(self) -> float:
        return self.ok / self.n if self.n else 0.0

    def add(self, ok: bool) -> "Share":
        return Share(self.ok + ok, self.n + 1)

    def cell(self) -> str:
        return f"{self.rate:.0%} ({self.ok}/{self.n})" if self.n else "-"


@dataclass(frozen=True)
class FunctionalResult:
    """Table (b): per category, violations found and look-alikes untagged; per functionality, the same."""

    found: dict[str, Share]  #: category -> violations tagged with their category
    untagged: dict[str, Share]  #: category -> look-alikes not tagged with the category they imitate
    functionality: dict[str, Share]  #: functionality -> right answers

    def to_dict(self) -> dict[str, Any]:
        as_d = lambda d: {k: {"ok": v.ok, "n": v.n, "rate": round(v.rate, 4)} for k, v in d.items()}  # noqa: E731
        return {"violations_found": as_d(self.found), "lookalikes_untagged": as_d(self.untagged),
                "functionality": as_d(self.functionality)}


def evaluate_functional(examples: Sequence[Example], tagger: Tagger) -> FunctionalResult:
    """A violation is found when tagged with its category; a look-alike passes when it is not."""
    found: dict[str, Share] = {}
    untagged: dict[str, Share] = {}
    funcs: dict[str, Share] = {}
    for ex, pred in zip(examples, predict([ex.text for ex in examples], tagger)):
        hit = ex.category in pred
        bucket = untagged if ex.lookalike else found
        ok = not hit if ex.lookalike else hit
        bucket[ex.category] = bucket.get(ex.category, Share()).add(ok)
        funcs[ex.functionality] = funcs.get(ex.functionality, Share()).add(ok)
    return FunctionalResult(dict(sorted(found.items())), dict(sorted(untagged.items())), dict(sorted(funcs.items())))


def format_functional(result: FunctionalResult) -> str:
    categories = sorted(result.found.keys() | result.untagged.keys())
    lines = _table(("category", "violations found", "look-alikes untagged"), (
        (c, result.found.get(c, Share()).cell(), result.untagged.get(c, Share()).cell()) for c in categories))
    lines += ["", *_table(("functionality", "right"), ((f, s.cell()) for f, s in result.functionality.items()))]
    return "\n".join(lines)
