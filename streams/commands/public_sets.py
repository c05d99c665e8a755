"""The public labelled sets in ../shared/data/dev-text: how each maps to the four learned heads.

One reader per set gives `Row`s: the text, its source, its split (train / val / test) and a
label per head it speaks for (1 violates, 0 does not); a head a set says nothing about is
absent, never guessed. The trainer fits on `train`, picks thresholds on `val` and reports on
`test`; `modstream eval` scores `test` only. Sets with an official split keep it; the rest
are split by the digest of their normalised text (10 % test, 10 % val), so repeats of one
text land in one split.

Label mapping (H hateful_conduct, A abuse_harassment, V violence, S self_harm; "benign" = 0
for every head). Only benign rows, AILuminate and our own say anything about S: a
"kill yourself" in an offensive tweet is self-harm encouragement under the policy):
- davidson: class 0 -> H1 (A, V unknown); class 1 (offensive) -> H0, A unknown (profanity
  is not harassment); class 2 -> benign.
- tweeteval/hate: 1 -> H1; 0 -> H0. tweeteval/offensive: 0 -> benign; 1 -> no head.
- hatexplain: hate -> H1; offensive -> H0; normal -> benign.
- hatemoji_build: label 1 -> H1, and V1 when `type` is threateninglanguage, else V0;
  label 0 (the flipped perturbations) -> H0.
- edos: sexist -> H1, category 1 (threats, plans to harm, incitement) -> V1, other
  categories V0; not sexist -> H0.
- convabuse: majority of annotators call the user turn abusive -> A1 when a majority say it
  targets an individual (the agent) or sexual harassment, H1 when a majority name an
  identity type (racist, sexist, homophobic, transphobic, ableist); else H0/A0; not abusive
  by majority -> benign.
- toxic_spans: per comment and span type (Threat V, Identity based Attack H, Insult A):
  marked by two or more annotators -> 1, by none -> 0, by one (of three) -> unknown.
- jigsaw samples: threat V, insult A, identity_hate H; toxic 0 -> benign.
- wiki_toxicity (both files): not toxic -> benign; toxic -> no head.
- jigsaw_bias_madlibs: NOT_BAD -> benign (identity-term negatives; 1 in 10 kept), BAD -> none.
- mlma (en, with stop words): `hateful` in sentiment -> H1; `normal` alone -> benign.
- toxigen_prompts: hate_* statements -> H1, neutral_* -> benign (deduplicated).
- stormfront: hate -> H1, noHate -> benign.
- ailuminate_demo: hazard ssh (suicide and self-harm) -> S1, every other hazard -> S0.
Rows whose normalised text is listed in EXCLUDE.sha256 are dropped (see `exclusion_digest`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import tarfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence

HEADS = ("hateful_conduct", "abuse_harassment", "violence", "self_harm")
H, A, V, S = HEADS
BENIGN: Mapping[str, int] = {h: 0 for h in HEADS}
_ROOT = Path(__file__).resolve().parents[2]
#: ../shared/data/dev-text beside the project (or beside a parent: a git worktree's checkout)
DEFAULT_DIR = next((p / "shared" / "data" / "dev-text" for p in _ROOT.parents
                    if (p / "shared" / "data" / "dev-text").is_dir()), _ROOT.parent / "shared" / "data" / "dev-text")
MAX_TEXT = 4000  #: characters kept per row: a few outliers must not dominate training time

csv.field_size_limit(1 << 24)


@dataclass(frozen=True, slots=True)
class Row:
    text: str
    source: str
    split: str  #: train | val | test
    labels: Mapping[str, int]  #: head -> 0/1, only for heads the source labels


def exclusion_digest(text: str) -> str:
    """The digest EXCLUDE.sha256 lists: NFKC, lower, drop punctuation (P*), collapse spaces."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = "".join(c for c in t if not unicodedata.category(c).startswith("P"))
    return hashlib.sha256(" ".join(t.split()).encode("utf-8")).hexdigest()


def hashed_split(text: str) -> str:
    """10 % test, 10 % val, 80 % train, by the text's exclusion digest (stable across runs)."""
    bucket = int(exclusion_digest(text)[:8], 16) % 10
    return "test" if bucket == 0 else "val" if bucket == 1 else "train"


def _csv(path: Path, delimiter: str = ",") -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f, delimiter=delimiter)


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def davidson(base: Path) -> Iterator[Row]:
    for r in _csv(base / "davidson" / "labeled_data.csv"):
        cls = int(r["class"])
        labels = {H: 1} if cls == 0 else {H: 0} if cls == 1 else BENIGN
        yield Row(r["tweet"], "davidson", hashed_split(r["tweet"]), labels)


def tweeteval(base: Path) -> Iterator[Row]:
    for task in ("hate", "offensive"):
        for split, name in (("train", "train"), ("val", "val"), ("test", "test")):
            texts = _lines(base / "tweeteval" / task / f"{name}_text.txt")
            labels = (base / "tweeteval" / task / f"{name}_labels.txt").read_text().split()
            for text, y in zip(texts, labels, strict=True):
                if task == "hate":
                    yield Row(text, "tweeteval/hate", split, {H: int(y == "1")})
                elif y == "0":
                    yield Row(text, "tweeteval/offensive", split, BENIGN)


def hatexplain(base: Path) -> Iterator[Row]:
    for split, name in (("train", "train"), ("val", "dev"), ("test", "test")):
        for r in _csv(base / "hatexplain" / f"{name}_standard.csv", "\t"):
            label = r["label"]
            labels = {H: 1} if label == "hate" else {H: 0} if label == "offensive" else BENIGN
            yield Row(r["example"], "hatexplain", split, labels)


def hatemoji(base: Path) -> Iterator[Row]:
    for split, name in (("train", "train"), ("val", "validation"), ("test", "test")):
        for r in _csv(base / "hatemoji_build" / f"{name}.csv"):
            if r["label_gold"] == "1":
                labels = {H: 1, V: int(r["type"] == "threateninglanguage")}
            else:
                labels = {H: 0}
            yield Row(r["text"], "hatemoji_build", split, labels)


def edos(base: Path) -> Iterator[Row]:
    splits = {"train": "train", "dev": "val", "test": "test"}
    for r in _csv(base / "edos" / "edos_labelled_aggregated.csv"):
        if r["label_sexist"] == "sexist":
            labels = {H: 1, V: int(r["label_category"].startswith("1."))}
        else:
            labels = {H: 0}
        yield Row(r["text"], "edos", splits[r["split"]], labels)


def _majority(votes: list[bool]) -> bool:
    return sum(votes) * 2 > len(votes)


def convabuse(base: Path) -> Iterator[Row]:
    identity = ("racist", "sexist", "homophobic", "transphobic", "ableist")
    for split, name in (("train", "train"), ("val", "valid"), ("test", "test")):
        for r in _csv(base / "convabuse" / f"ConvAbuseEMNLP{name}.csv"):
            annotators = sorted({k.split("_")[0] for k in r if k.startswith("Annotator") and r[k] != ""})
            if not annotators or not r["user"].strip():
                continue
            flag = lambda a, k: r.get(f"{a}_{k}", "") == "1"  # noqa: E731
            abusive = _majority([any(flag(a, f"is_abuse.{v}") for v in ("-1", "-2", "-3")) for a in annotators])
            if not abusive:
                yield Row(r["user"], "convabuse", split, BENIGN)
                continue
            personal = _majority([flag(a, "target.individual") or flag(a, "sex_harassment") for a in annotators])
            group = _majority([any(flag(a, t) for t in identity) for a in annotators])
            yield Row(r["user"], "convabuse", split, {A: int(personal), H: int(group)})


def toxic_spans(base: Path) -> Iterator[Row]:
    d = base / "toxic_spans"
    workers: dict[str, tuple[str, str]] = {r["annotation"]: (r["comment_id"], r["worker"]) for r in _csv(d / "annotations.csv")}
    marked: dict[tuple[str, str], set[str]] = {}
    for r in _csv(d / "spans.csv"):
        if r["annotation"] in workers:
            comment, worker = workers[r["annotation"]]
            marked.setdefault((comment, r["type"]), set()).add(worker)
    heads = {"Threat": V, "Identity based Attack": H, "Insult": A}
    for r in _csv(d / "comments.csv"):
        votes = {head: len(marked.get((r["comment_id"], kind), ())) for kind, head in heads.items()}
        labels = {head: int(n >= 2) for head, n in votes.items() if n != 1}  # one vote of three: unknown
        yield Row(r["comment_text"], "toxic_spans", hashed_split(r["comment_text"]), labels)


def jigsaw(base: Path) -> Iterator[Row]:
    for path in (base / "jigsaw_toxic_ibm_sample" / "test_examples.csv",
                 base / "jigsaw_toxic_toxiscan_sample" / "jigsaw_sample.csv"):
        for r in _csv(path):
            if r["toxic"] == "0" and r["threat"] == r["insult"] == r["identity_hate"] == "0":
                labels: Mapping[str, int] = BENIGN
            else:
                labels = {V: int(r["threat"]), A: int(r["insult"]), H: int(r["identity_hate"])}
            yield Row(r["comment_text"], "jigsaw", hashed_split(r["comment_text"]), labels)


def wiki_toxicity(base: Path) -> Iterator[Row]:
    d = base / "wiki_toxicity_conversationai"
    for r in _csv(d / "toxicity_debiasing_data.tsv", "\t"):
        if r["is_toxic"] == "False":
            split = {"train": "train", "dev": "val", "test": "test"}.get(r["split"]) or hashed_split(r["comment"])
            yield Row(r["comment"], "wiki_toxicity", split, BENIGN)
    for r in _csv(d / "toxicity_nonfuzzed_testset.csv"):
        if r["toxic"] == "False":
            yield Row(r["comment"], "wiki_toxicity", hashed_split(r["comment"]), BENIGN)


def bias_madlibs(base: Path) -> Iterator[Row]:
    for r in _csv(base / "jigsaw_bias_madlibs" / "bias_madlibs_77k.csv"):
        if r["Label"] == "NOT_BAD" and int(exclusion_digest(r["Text"])[8:12], 16) % 10 == 0:
            yield Row(r["Text"], "bias_madlibs", hashed_split(r["Text"]), BENIGN)


def mlma(base: Path) -> Iterator[Row]:
    with zipfile.ZipFile(base / "mlma_hate_speech" / "hate_speech_mlma.zip") as z:
        raw = z.read("hate_speech_mlma/en_dataset_with_stop_words.csv").decode("utf-8")
    for r in csv.DictReader(io.StringIO(raw)):
        sentiment = set(r["sentiment"].split("_"))
        if "hateful" in sentiment:
            yield Row(r["tweet"], "mlma", hashed_split(r["tweet"]), {H: 1})
        elif sentiment == {"normal"}:
            yield Row(r["tweet"], "mlma", hashed_split(r["tweet"]), BENIGN)


def toxigen(base: Path) -> Iterator[Row]:
    seen: set[str] = set()
    for path in sorted((base / "toxigen_prompts").rglob("*.txt")):
        if path.name.startswith(("hate_", "neutral_")):
            hateful = path.name.startswith("hate_")
            for line in _lines(path):
                for stmt in re.split(r"\\n-|\n-", line):
                    stmt = stmt.strip().lstrip("-").strip()
                    if len(stmt) > 8 and stmt not in seen:
                        seen.add(stmt)
                        yield Row(stmt, "toxigen", hashed_split(stmt), {H: 1} if hateful else BENIGN)


def stormfront(base: Path) -> Iterator[Row]:
    d = base / "stormfront"
    with tarfile.open(d / "all_files.tar.gz") as tar:
        texts = {Path(m.name).stem: tar.extractfile(m).read().decode("utf-8", "replace").strip()  # type: ignore[union-attr]
                 for m in tar.getmembers() if m.isfile() and m.name.endswith(".txt")}
    for r in _csv(d / "annotations_metadata.csv"):
        text = texts.get(r["file_id"])
        if text and r["label"] in ("hate", "noHate"):
            yield Row(text, "stormfront", hashed_split(text), {H: 1} if r["label"] == "hate" else BENIGN)


def ailuminate(base: Path) -> Iterator[Row]:
    for r in _csv(base / "ailuminate_demo" / "airr_official_1.0_demo_en_us_prompt_set_release.csv"):
        yield Row(r["prompt_text"], "ailuminate", hashed_split(r["prompt_text"]), {S: int(r["hazard"] == "ssh")})


READERS: dict[str, Callable[[Path], Iterator[Row]]] = {
    "davidson": davidson, "tweeteval": tweeteval, "hatexplain": hatexplain, "hatemoji_build": hatemoji,
    "edos": edos, "convabuse": convabuse, "toxic_spans": toxic_spans, "jigsaw": jigsaw,
    "wiki_toxicity": wiki_toxicity, "bias_madlibs": bias_madlibs, "mlma": mlma, "toxigen": toxigen,
    "stormfront": stormfront, "ailuminate": ailuminate,
}


def excluded(base: Path) -> frozenset[str]:
    lines = (base / "EXCLUDE.sha256").read_text().splitlines()
    return frozenset(x.strip() for x in lines if x.strip() and not x.startswith("#"))


def load(base: Path = DEFAULT_DIR, names: Sequence[str] = tuple(READERS)) -> list[Row]:
    """Every row of the `names` sets, EXCLUDE.sha256 dropped, texts capped at MAX_TEXT, in a fixed
    order. A text in some test split is taken out of every train and val split (no leak across sets)."""
    drop = excluded(base)
    rows = [Row(r.text[:MAX_TEXT], r.source, r.split, dict(r.labels))
            for name in names for r in READERS[name](base) if r.text.strip()]
    digests = [exclusion_digest(r.text) for r in rows]
    tested = {d for d, r in zip(digests, rows) if r.split == "test"}
    return [r for d, r in zip(digests, rows) if d not in drop and (r.split == "test" or d not in tested)]


def read_excerpt(path: Path) -> list[Row]:
    """Test rows saved as JSON lines ({"text", "source", "labels": {head: 0|1}}), e.g. the fixture
    excerpt the tests use in place of ../shared."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out.append(Row(d["text"], d["source"], "test", {h: int(v) for h, v in d["labels"].items() if h in HEADS}))
    return out
