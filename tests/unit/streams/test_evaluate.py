"""The eval library: readers, scoring, reports; and the development set's regression gates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agents.classifier import TextClassifier
from agents.policy import Policy
from agents.tagger import Tagger
from streams.commands.evaluate import (Counts, EvalInputError, Example, Share, evaluate, evaluate_file, evaluate_functional,
                              evaluate_public, format_functional, format_public, format_report, read_examples)
from streams.commands.public_sets import HEADS, Row, read_excerpt

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "eval"
DEV = FIXTURES / "dev.jsonl"  #: development set: written beside the rules, not held out
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
    # "kys" is self_harm and abuse_harassment (told to someone), equally sure: the confusion counts the first
    assert r.confusion == {"none": {"none": 1}, "violence": {"none": 1, "abuse_harassment": 1, "violence": 1}}
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


def test_development_set_has_no_repeats_and_covers_every_text_category() -> None:
    dev = read_examples(DEV)
    assert len({e.text for e in dev}) == len(dev)
    covered = {c for e in dev for c in e.labels}
    assert covered >= {"hateful_conduct", "abuse_harassment", "violence", "terrorism", "self_harm",
                       "election_integrity", "illegal_goods", "private_info", "child_sexual_exploitation"}


@pytest.mark.parametrize("with_classifier", [False, True], ids=["rules", "rules+classifier"])
def test_development_set_gates(with_classifier: bool) -> None:
    """Regression gates on the development set (it was written beside the rules, so these show
    regressions, not generalisation: that is what `modstream eval`'s public and functional tables are for)."""
    tagger = Tagger(Policy(), classifier=TextClassifier.load() if with_classifier else None)
    result = evaluate_file(DEV, tagger)
    assert result.categories["hateful_conduct"].accuracy >= 0.80
    for code in ("violence", "abuse_harassment", "self_harm"):
        assert result.categories[code].f1 >= 0.60, (code, result.categories[code])
    examples = read_examples(DEV)
    lookalikes = [e for e in examples if LOOKALIKE_TAGS & set(e.tags) and "hateful_conduct" not in e.labels]
    r = evaluate(lookalikes, tagger)
    hc = r.categories.get("hateful_conduct", Counts(tn=len(lookalikes)))
    assert len(lookalikes) >= 15
    assert hc.tn / len(lookalikes) >= 0.70  # look-alikes kept untagged as hateful conduct


class KeywordClassifier:
    """Stands in for `TextClassifier`: p=0.99 for a head when its keyword is in the text."""

    version = "test.kw"
    thresholds = {"violence": 0.5, "self_harm": 0.5}
    keywords = {"zzviolent": "violence", "zzsh": "self_harm"}

    def predict_batch(self, texts: list[str]) -> list[dict[str, float]]:
        return [{h: 0.99 if k in t else 0.01 for k, h in self.keywords.items()} for t in texts]


def test_public_table_counts_only_heads_a_set_labels() -> None:
    rows = [Row("zzviolent words here", "a", "test", {"violence": 1}),
            Row("plain words here", "a", "test", {"violence": 1, "self_harm": 0}),
            Row("zzsh words here", "b", "test", {"violence": 0}),  # self_harm unknown: not counted
            Row("zzviolent and more", "b", "test", {"violence": 0}),
            Row("zzviolent training row", "a", "train", {"violence": 1})]  # not a test row: ignored
    r = evaluate_public(rows, Tagger(Policy(), classifier=KeywordClassifier()))  # type: ignore[arg-type]
    assert r.by_source["violence"] == {"a": Counts(tp=1, fn=1), "b": Counts(fp=1, tn=1)}
    assert r.heads["violence"] == Counts(tp=1, fp=1, fn=1, tn=1)
    assert r.heads["self_harm"] == Counts(tn=1)
    assert r.macro_f1 == pytest.approx(0.5 / 4)
    assert "macro-F1" in format_public(r, per_source=True) and "violence / b" in format_public(r, per_source=True)


def test_functional_table_scores_violations_and_lookalikes_per_category() -> None:
    cases = [Example("zzviolent one", frozenset({"violence"}), category="violence", functionality="plain"),
             Example("calm words", frozenset({"violence"}), category="violence", functionality="plain"),
             Example("zzviolent in a film", frozenset(), category="violence", functionality="hyperbole", lookalike=True),
             Example("a film review", frozenset(), category="violence", functionality="hyperbole", lookalike=True),
             Example("zzsh again", frozenset(), category="self_harm", functionality="support_recovery", lookalike=True)]
    r = evaluate_functional(cases, Tagger(Policy(), classifier=KeywordClassifier()))  # type: ignore[arg-type]
    assert r.found == {"violence": Share(1, 2)}
    assert r.untagged == {"violence": Share(1, 2), "self_harm": Share(0, 1)}
    assert r.functionality == {"hyperbole": Share(1, 2), "plain": Share(1, 2), "support_recovery": Share(0, 1)}
    assert "look-alikes untagged" in format_functional(r)


def test_functional_fields_are_read_from_jsonl(tmp_path: Path) -> None:
    j = tmp_path / "f.jsonl"
    j.write_text('{"text": "x", "labels": [], "category": "violence", "functionality": "negation", "lookalike": true}\n')
    assert read_examples(j) == [Example("x", frozenset(), (), "violence", "negation", True)]


def test_public_excerpt_fixture_covers_every_head() -> None:
    """The excerpt of public test rows the tests use in place of ../shared (which tests never read)."""
    rows = read_excerpt(FIXTURES / "public-test-excerpt.jsonl")
    for head in HEADS:
        assert {r.labels[head] for r in rows if head in r.labels} == {0, 1}, head
    r = evaluate_public(rows, Tagger(Policy(), classifier=TextClassifier.load()))
    assert sum(c.tp + c.fp + c.fn + c.tn for c in r.heads.values()) == sum(len(x.labels) for x in rows)
