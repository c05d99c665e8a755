"""The eval library: readers, scoring, report; and the held-out quality gates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agents.classifier import TextClassifier
from agents.policy import Policy
from agents.tagger import Tagger
from streams.evaluate import (Counts, EvalInputError, Example, evaluate, evaluate_file, format_report,
                              read_examples)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "eval"
HELDOUT = FIXTURES / "heldout.jsonl"
LOOKALIKE_TAGS = {"counter_speech", "quote", "negation", "non_protected"}


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(Policy())


def test_counts_metrics() -> None:
    c = Counts(tp=3, fp=1, fn=2, tn=4)
    assert (c.precision, c.recall, round(c.f1, 4), c.accuracy) == (0.75, 0.6, 0.6667, 0.7)
    assert Counts().f1 == 0.0


def test_evaluate_counts_and_confusion(tagger: Tagger) -> None:
    examples = [Example("I will kill you", frozenset({"violence"})), Example("nice day", frozenset()),
                Example("kys", frozenset({"violence"})), Example("we killed it", frozenset({"violence"}))]
    r = evaluate(examples, tagger)
    assert r.categories["violence"] == Counts(tp=1, fp=0, fn=2, tn=1)
    assert r.categories["self_harm"] == Counts(tp=0, fp=1, fn=0, tn=3)
    assert r.exact == 2
    assert r.confusion == {"none": {"none": 1}, "violence": {"none": 1, "self_harm": 1, "violence": 1}}
    d = r.to_dict()
    assert json.loads(json.dumps(d))["categories"]["violence"]["fn"] == 2
    report = format_report(r)
    assert "violence" in report and "gold \\ predicted" in report


def test_read_jsonl_csv_davidson(tmp_path: Path) -> None:
    j = tmp_path / "a.jsonl"
    j.write_text('{"text": "x", "labels": ["violence"], "tags": ["t"]}\n\n{"text": "y", "labels": []}\n')
    assert read_examples(j) == [Example("x", frozenset({"violence"}), ("t",)), Example("y", frozenset())]
    c = tmp_path / "b.csv"
    c.write_text("text,labels\nhello,\nbye,violence;self_harm\n")
    assert read_examples(c)[1].labels == {"violence", "self_harm"}
    d = tmp_path / "d.csv"
    d.write_text(",count,hate_speech,offensive_language,neither,class,tweet\n0,3,3,0,0,0,a\n1,3,0,3,0,1,b\n2,3,0,0,3,2,c\n")
    assert [e.labels for e in read_examples(d)] == [{"hateful_conduct"}, {"abuse_harassment"}, set()]


def test_bad_input_names_the_line(tmp_path: Path) -> None:
    j = tmp_path / "bad.jsonl"
    j.write_text('{"text": "x"}\n{"labels": []}\n')
    with pytest.raises(EvalInputError, match=":2:"):
        read_examples(j)
    with pytest.raises(EvalInputError, match="unknown format"):
        read_examples(j, "xml")


def test_fixture_sets_are_disjoint_and_cover_every_text_category() -> None:
    dev = read_examples(FIXTURES / "dev.jsonl")
    held = read_examples(HELDOUT)
    assert not {e.text for e in dev} & {e.text for e in held}
    covered = {c for e in held for c in e.labels}
    assert covered >= {"hateful_conduct", "abuse_harassment", "violence", "terrorism", "self_harm",
                       "election_integrity", "illegal_goods", "private_info", "child_sexual_exploitation"}


@pytest.mark.parametrize("with_classifier", [False, True], ids=["rules", "rules+classifier"])
def test_heldout_quality_gates(with_classifier: bool) -> None:
    """Honest gates on data the detectors were not tuned on (tests/fixtures/eval/heldout.jsonl)."""
    tagger = Tagger(Policy(), classifier=TextClassifier.load() if with_classifier else None)
    result = evaluate_file(HELDOUT, tagger)
    assert result.categories["hateful_conduct"].accuracy >= 0.80
    for code in ("violence", "abuse_harassment", "self_harm"):
        assert result.categories[code].f1 >= 0.60, (code, result.categories[code])
    examples = read_examples(HELDOUT)
    lookalikes = [e for e in examples if LOOKALIKE_TAGS & set(e.tags) and "hateful_conduct" not in e.labels]
    r = evaluate(lookalikes, tagger)
    hc = r.categories.get("hateful_conduct", Counts(tn=len(lookalikes)))
    assert len(lookalikes) >= 15
    assert hc.tn / len(lookalikes) >= 0.70  # look-alikes kept untagged as hateful conduct
