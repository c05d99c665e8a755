"""Tagger merging: one violation per code, sorted, deterministic; upstream and md5 bank kept."""

from __future__ import annotations

import pytest

from agents.policy import Policy
from agents.records import Media, Post, Violation
from agents.tagger import MD5_SOURCE, TAGGER_VERSION, Tagger

BANKED = "0123456789abcdef0123456789abcdef"


class FakeClassifier:
    """Stands in for `TextClassifier`: fixed scores, records batch sizes."""

    version = "test.1"
    thresholds = {"hateful_conduct": 0.5, "abuse_harassment": 0.9}

    def __init__(self, scores: dict[str, float]):
        self.scores = scores
        self.batches: list[int] = []

    def predict_batch(self, texts: list[str]) -> list[dict[str, float]]:
        self.batches.append(len(texts))
        return [dict(self.scores) for _ in texts]


def post(text: str = "", *, media: tuple[Media, ...] = (), upstream: tuple[Violation, ...] = ()) -> Post:
    return Post("p1", "a1", text, "2026-11-03T12:00:00Z", media=media, upstream_violations=upstream)


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(Policy(), md5_bank={BANKED.upper(): "sensitive_media"})


def test_version_is_set() -> None:
    assert TAGGER_VERSION


def test_one_violation_per_policy_sorted_with_max_confidence(tagger: Tagger) -> None:
    violations = tagger.tag(post("kill all muslims. I will kill you. death to jews"))
    assert [v.policy for v in violations] == ["hateful_conduct", "violence"]
    violence = violations[1]
    assert violence.confidence == 0.9
    assert violence.source == "rules.hate@1"
    assert 1 <= len(violence.evidence) <= 4
    assert all(len(e) <= 80 for e in violence.evidence)
    assert violence.evidence[0].startswith("span ")


def test_deterministic(tagger: Tagger) -> None:
    p = post("you stupid bitch, I will kill you, kys")
    assert tagger.tag(p) == tagger.tag(p) == Tagger(Policy()).tag(p)


def test_upstream_violations_kept_with_source(tagger: Tagger) -> None:
    up = Violation("copyright", 1.0, ("reviewer note",), "upstream:reviewer")
    assert tagger.tag(post("nice song", upstream=(up,))) == [up]


def test_upstream_wins_merge_when_strongest(tagger: Tagger) -> None:
    up = Violation("violence", 1.0, ("reviewer",), "upstream:reviewer")
    (v,) = tagger.tag(post("I will kill you", upstream=(up,)))
    assert v.source == "upstream:reviewer" and v.confidence == 1.0
    assert "reviewer" in v.evidence and any(e.startswith("span ") for e in v.evidence)


def test_md5_bank_match_case_insensitive(tagger: Tagger) -> None:
    media = (Media("m1", "image", md5=BANKED), Media("m2", "image", md5="f" * 32), Media("m3", "video"))
    (v,) = tagger.tag(post("look", media=media))
    assert (v.policy, v.confidence, v.source) == ("sensitive_media", 1.0, MD5_SOURCE)
    assert v.evidence == ("media m1 (image) md5 bank match",)


def test_md5_bank_rejects_unknown_policy() -> None:
    with pytest.raises(ValueError, match="not_a_policy"):
        Tagger(Policy(), md5_bank={BANKED: "not_a_policy"})


def test_empty_post(tagger: Tagger) -> None:
    assert tagger.tag(post("")) == []


def test_classifier_merged_above_threshold_only() -> None:
    clf = FakeClassifier({"hateful_conduct": 0.7, "abuse_harassment": 0.6})
    tagger = Tagger(Policy(), classifier=clf)  # type: ignore[arg-type]
    (v,) = tagger.tag(post("some implicit hate the rules miss"))
    assert (v.policy, v.confidence, v.source) == ("hateful_conduct", 0.7, "clf.hateful_conduct@test.1")


def test_classifier_defers_to_counter_speech_context() -> None:
    tagger = Tagger(Policy(), classifier=FakeClassifier({"hateful_conduct": 0.99}))  # type: ignore[arg-type]
    assert tagger.tag(post("saying they are less than us is disgusting")) == []


def test_classifier_scored_in_one_batch() -> None:
    clf = FakeClassifier({"hateful_conduct": 0.1})
    tagger = Tagger(Policy(), classifier=clf)  # type: ignore[arg-type]
    results = tagger.tag_batch([post("a"), post("I will kill you"), post("b")])
    assert clf.batches == [3]
    assert [[v.policy for v in r] for r in results] == [[], ["violence"], []]


def test_agents_code_has_no_transport_imports() -> None:
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[3] / "agents"
    files = [root / "tagger.py", root / "classifier.py", *sorted((root / "detectors").glob("*.py"))]
    for f in files:
        if f.exists():
            src = f.read_text()
            assert not any(f"import {m}" in src or f"from {m}" in src for m in ("faust", "confluent_kafka", "redis")), f
