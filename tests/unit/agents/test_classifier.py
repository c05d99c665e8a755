"""The committed classifier artifact loads offline and scores with numpy only; the featuriser is vectorised and exact."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, strategies as st

from agents.classifier import BITS, DEFAULT_ARTIFACT, FEATURES_VERSION, TextClassifier, featurise, row_scale

HEADS = ("hateful_conduct", "abuse_harassment", "violence", "self_harm")


@pytest.fixture(scope="module")
def clf() -> TextClassifier:
    return TextClassifier.load()


def test_artifact_is_small_and_committed() -> None:
    assert DEFAULT_ARTIFACT.exists()
    assert DEFAULT_ARTIFACT.stat().st_size < 50 * 1024 * 1024


def test_loads_with_four_heads_version_thresholds(clf: TextClassifier) -> None:
    assert clf.labels == HEADS
    assert clf.version
    assert set(clf.thresholds) == set(clf.labels)
    assert all(0.0 < t < 1.0 for t in clf.thresholds.values())
    assert clf.weights.shape == (1 << BITS, len(HEADS))


def test_the_taggers_sentence_thresholds_were_chosen_for_this_artifact(clf: TextClassifier) -> None:
    """A retrained artifact needs `python -m ops.tagger_vs_model --choose` too; otherwise the Tagger
    silently falls back to the model's whole-post thresholds on sentences."""
    from agents.tagger import chosen_sentence_thresholds

    chosen = chosen_sentence_thresholds(clf.version)
    assert set(chosen) == set(clf.labels), f"no sentence thresholds for classifier {clf.version}: run --choose"
    assert all(clf.thresholds[h] <= t <= 1.0 for h, t in chosen.items())


def test_predict_batch_shape_range_and_order(clf: TextClassifier) -> None:
    texts = ["have a lovely day", "you are a stupid worthless idiot", "", "I will shoot you tomorrow", "kill yourself"]
    out = clf.predict_batch(texts)
    assert len(out) == len(texts)
    assert all(set(p) == set(clf.labels) and all(0.0 <= v <= 1.0 for v in p.values()) for p in out)
    assert out == [clf.predict_batch([t])[0] for t in texts]  # batching changes nothing
    assert out[1]["abuse_harassment"] > out[0]["abuse_harassment"]
    assert out[3]["violence"] > out[0]["violence"]
    assert out[4]["self_harm"] > out[0]["self_harm"]
    assert clf.predict_batch([]) == []


def test_a_text_repeated_in_the_batch_gets_the_very_same_logits(clf: TextClassifier) -> None:
    """Repeats are scored once: the rows must be bit for bit what scoring every copy gives."""
    texts = ["you are an idiot", "Héllo wörld", "", "you are an idiot", "kill yourself", "", "Héllo wörld"]
    for batch in (texts, texts[:4], [texts[0]] * 3, ["plain ascii", "plain ascii", "x"]):
        got = clf.logits(batch)
        assert got.shape == (len(batch), len(clf.labels))
        assert np.array_equal(got, clf._logits(batch))  # every copy featurised, the plain way


def test_no_scikit_learn_or_torch_at_run_time(clf: TextClassifier) -> None:
    clf.predict_batch(["anything"])
    src = Path(sys.modules[TextClassifier.__module__].__file__ or "").read_text()
    imports = [line for line in src.splitlines() if line.startswith(("import ", "from "))]
    assert not any(m in line for line in imports for m in ("sklearn", "torch", "transformers"))


def _buckets(text: str) -> list[int]:
    rows, buckets = featurise([text])
    assert (rows == 0).all()
    return sorted(buckets.tolist())


def test_features_fold_case_l33t_repeats_mentions_and_urls() -> None:
    assert _buckets("K1LL3R") == _buckets("killer")
    assert _buckets("sooooo baaaad") == _buckets("soo baad")
    assert _buckets("@someone hi") == _buckets("@other hi") == _buckets("<user> hi")
    assert _buckets("see http://x.y/z") == _buckets("see www.example.com")
    assert _buckets("don't") == _buckets("dont")
    assert _buckets("kill") != _buckets("kiss")


def test_featurise_is_per_text_whatever_the_batch() -> None:
    texts = ["first text here", "", "second one, with emoji 🔪", "a\x01b"]
    rows, buckets = featurise(texts)
    assert rows.min() >= 0 and rows.max() < len(texts) and buckets.max() < (1 << BITS)
    for i, text in enumerate(texts):
        assert sorted(buckets[rows == i].tolist()) == _buckets(text)


def test_logit_is_the_scaled_sum_of_bucket_weights() -> None:
    """What the trainer's sparse matrix computes (X @ w + b) is what scoring computes."""
    rng = np.random.default_rng(0)
    weights = rng.normal(size=(1 << BITS, 2)).astype(np.float32)
    tiny = TextClassifier("t", ("hateful_conduct", "violence"), weights, np.array([0.5, -0.5], np.float32),
                          {"hateful_conduct": 0.5, "violence": 0.5})
    texts = ["some words", "other words and more words"]
    rows, buckets = featurise(texts)
    scale = row_scale(rows, len(texts))
    want = np.array([[weights[buckets[rows == i], j].sum() * scale[i] + tiny.bias[j] for j in range(2)]
                     for i in range(len(texts))])
    assert np.allclose(tiny.logits(texts), want, atol=1e-4)


def test_round_trip_is_byte_stable_and_feature_version_guarded(tmp_path: Path) -> None:
    weights = np.zeros((1 << BITS, 1), np.float32)
    tiny = TextClassifier("t1", ("hateful_conduct",), weights, np.array([-1.0], np.float32), {"hateful_conduct": 0.5})
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    tiny.save(a)
    tiny.save(b)
    assert a.read_bytes() == b.read_bytes()  # no timestamps: retraining reproduces the file
    loaded = TextClassifier.load(a)
    assert loaded.predict_batch(["good"])[0]["hateful_conduct"] == pytest.approx(1 / (1 + np.exp(1.0)), abs=1e-6)
    tiny.save(a, features_version=FEATURES_VERSION + 1)
    with pytest.raises(ValueError, match="retrain"):
        TextClassifier.load(a)


def test_fold_replaces_exactly_what_the_translation_table_does() -> None:
    """`_fold` is the fast form of `str.translate(_FOLD)`: every folded character, and others beside them."""
    from agents.classifier import _FOLD, _fold

    every = "".join(chr(k) for k in sorted(_FOLD))
    text = f"plain ascii `x` {every} é ß 😀 \u0430\u0435 {every[::-1]} k\u200bill"
    assert _fold(text) == text.translate(_FOLD)
    assert _fold(text) != text  # the sample holds characters that fold


_URLISH = "hHtTpPsSſwWuUrRlLeE:/.[]<>@_ \t0é😀\u212a\u0130"


@given(st.text(alphabet=_URLISH, max_size=60))
def test_url_and_mention_subs_match_their_ignorecase_patterns(text: str) -> None:
    """`_lower_sub` replaces exactly what the IGNORECASE pattern does, on lower-case and on ASCII text."""
    from agents.classifier import _MENTION, _MENTION_LOWER, _URL, _URL_LOWER, _lower_sub

    for lower, flagged, repl in ((_URL_LOWER, _URL, " url "), (_MENTION_LOWER, _MENTION, " user ")):
        low = text.lower()
        assert _lower_sub(lower, flagged, repl, low, True) == flagged.sub(repl, low)
        if text.isascii():
            assert _lower_sub(lower, flagged, repl, text, False) == flagged.sub(repl, text)
