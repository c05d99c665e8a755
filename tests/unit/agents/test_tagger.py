"""Tagger merging: one violation per code, sorted, deterministic; upstream and hash-bank matches kept."""

from __future__ import annotations

import pytest

from agents.detectors import hate
from agents.policy import Policy
from agents.hashbank import Bank, HashBank
from agents.records import Media, Post, Violation
from agents.tagger import TAGGER_VERSION, Tagger

BANKED = "0123456789abcdef0123456789abcdef"
PDQ = "f0" * 32
BANKS = HashBank.build([
    Bank("media-demo", "sensitive_media", md5=frozenset({BANKED})),
    Bank("ncii-demo", "non_consensual_nudity", pdq=frozenset({PDQ})),
    Bank("cse-demo", "child_sexual_exploitation", md5=frozenset({"e" * 32}), pdq=frozenset({PDQ})),
])


def near(hex_hash: str, bits: int) -> str:
    """`hex_hash` with its first `bits` bits flipped: a PDQ hash at that Hamming distance."""
    value = int(hex_hash, 16) ^ (((1 << bits) - 1) << (256 - bits))
    return f"{value:064x}"


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
    return Tagger(Policy(), banks=BANKS)


def test_version_is_set() -> None:
    assert TAGGER_VERSION


def test_one_violation_per_policy_sorted_with_max_confidence(tagger: Tagger) -> None:
    violations = tagger.tag(post("kill all muslims. I will kill you. death to jews"))
    assert [v.policy for v in violations] == ["hateful_conduct", "violence"]
    violence = violations[1]
    assert violence.confidence == 0.9
    assert violence.source == hate.RULES.source  # the hate family's violent-call rule, at its version
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
    media = (Media("m1", "image", md5=BANKED.upper()), Media("m2", "image", md5="f" * 32), Media("m3", "video"))
    (v,) = tagger.tag(post("look", media=media))
    assert (v.policy, v.confidence, v.source) == ("sensitive_media", 1.0, f"hashbank@{BANKS.version}")
    assert v.evidence == ('md5 bank "media-demo" media m1',)


def test_pdq_bank_one_violation_per_policy_with_distance_evidence(tagger: Tagger) -> None:
    media = (Media("m1", "image", pdq=near(PDQ, 12)), Media("m2", "image", pdq=near(PDQ, 3), md5="e" * 32))
    cse, ncii = tagger.tag(post("", media=media))
    assert (cse.policy, cse.confidence, cse.source) == ("child_sexual_exploitation", 1.0, BANKS.source)
    assert cse.evidence == ('md5 bank "cse-demo" media m2', 'pdq bank "cse-demo" distance 3 media m2',
                            'pdq bank "cse-demo" distance 12 media m1')
    assert ncii.policy == "non_consensual_nudity" and ncii.confidence == pytest.approx(1 - 0.2 * 3 / 31, abs=1e-4)
    assert ncii.evidence[0] == 'pdq bank "ncii-demo" distance 3 media m2'


def test_pdq_beyond_threshold_and_no_banks_do_not_tag(tagger: Tagger) -> None:
    assert tagger.tag(post("", media=(Media("m1", "image", pdq=near(PDQ, 32)),))) == []
    assert Tagger(Policy()).tag(post("", media=(Media("m1", "image", md5=BANKED, pdq=PDQ),))) == []


def test_with_banks_swaps_snapshot_only(tagger: Tagger) -> None:
    p = post("I will kill you", media=(Media("m1", "image", md5=BANKED),))
    bare = tagger.with_banks(HashBank.empty())
    assert [v.policy for v in bare.tag(p)] == ["violence"]
    assert [v.policy for v in tagger.tag(p)] == ["sensitive_media", "violence"]  # original untouched


def test_disabled_bank_does_not_tag() -> None:
    banks = HashBank.build([Bank("media-demo", "sensitive_media", enabled=False, md5=frozenset({BANKED}))])
    assert Tagger(Policy(), banks=banks).tag(post("", media=(Media("m1", "image", md5=BANKED),))) == []


def test_banks_reject_unknown_policy(tagger: Tagger) -> None:
    bad = HashBank.build([Bank("x", "not_a_policy", md5=frozenset({BANKED}))])
    with pytest.raises(ValueError, match="not_a_policy"):
        Tagger(Policy(), banks=bad)
    with pytest.raises(ValueError, match="not_a_policy"):
        tagger.with_banks(bad)


def test_empty_post(tagger: Tagger) -> None:
    assert tagger.tag(post("")) == []


def test_classifier_merged_above_threshold_only() -> None:
    clf = FakeClassifier({"hateful_conduct": 0.7, "abuse_harassment": 0.6})
    tagger = Tagger(Policy(), classifier=clf)  # type: ignore[arg-type]
    (v,) = tagger.tag(post("some implicit hate about immigrants the rules miss"))
    assert (v.policy, v.confidence, v.source) == ("hateful_conduct", 0.7, "clf.hateful_conduct@test.1")


def test_classifier_defers_to_counter_speech_context() -> None:
    tagger = Tagger(Policy(), classifier=FakeClassifier({"hateful_conduct": 0.99}))  # type: ignore[arg-type]
    assert tagger.tag(post("saying they are less than us is disgusting")) == []


class WordClassifier(FakeClassifier):
    """Scores abuse high only for texts holding the word "idiot"."""

    def predict_batch(self, texts: list[str]) -> list[dict[str, float]]:
        self.batches.append(len(texts))
        return [{"abuse_harassment": 0.95 if "idiot" in t.lower() else 0.1} for t in texts]


def test_quotation_clears_only_the_quoted_words() -> None:
    tagger = Tagger(Policy(), classifier=WordClassifier({}))  # type: ignore[arg-type]
    assert tagger.tag(post('He told me "you are such an idiot" at lunch and I laughed')) == []
    (v,) = tagger.tag(post('He keeps saying "we will be fine" but he really is an idiot and a liar'))
    assert v.policy == "abuse_harassment" and v.confidence == 0.95


def test_classifier_scored_in_one_batch() -> None:
    clf = FakeClassifier({"hateful_conduct": 0.1})
    tagger = Tagger(Policy(), classifier=clf)  # type: ignore[arg-type]
    results = tagger.tag_batch([post("a"), post("I will kill you"), post("b")])
    assert clf.batches == [3]
    assert [[v.policy for v in r] for r in results] == [[], ["violence"], []]


def test_copies_in_a_batch_are_tagged_once_each_as_alone(tagger: Tagger) -> None:
    """A copy (same text and country) reuses its first post's tags; media or upstream violations make a post its own."""
    up = Violation("copyright", 1.0, ("reviewer note",), "upstream:reviewer")
    kill = "I will kill you"
    posts = [post(kill), post("nice day"), post(kill), post(kill, upstream=(up,)),
             post(kill, media=(Media("m1", "image", md5=BANKED),)), post(kill), post("nice day"),
             Post("p2", "a2", kill, "2026-11-03T12:00:00Z", country="DE")]
    assert tagger.tag_batch(posts) == [tagger.tag(p) for p in posts]
    clf = FakeClassifier({"hateful_conduct": 0.1})
    Tagger(Policy(), classifier=clf).tag_batch([post(kill), post("b"), post(kill)])  # type: ignore[arg-type]
    assert clf.batches == [2]


def test_agents_code_has_no_transport_imports() -> None:
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[3] / "agents"
    files = [root / "tagger.py", root / "classifier.py", root / "hashbank.py", *sorted((root / "detectors").glob("*.py"))]
    for f in files:
        if f.exists():
            src = f.read_text()
            assert not any(f"import {m}" in src or f"from {m}" in src for m in ("faust", "confluent_kafka", "redis")), f
