"""The shape of the functional eval suite (tests/fixtures/eval/functional.jsonl).

The suite was written from the policy texts before the rules and model it measures; these checks keep it
well-formed (so a scoring run means what it says) without looking at what any detector answers.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from agents.policy import CATEGORIES

SUITE = Path(__file__).resolve().parents[2] / "fixtures" / "eval" / "functional.jsonl"
#: Codes a text alone can carry (the media-only categories need media).
TEXT_CODES = {"hateful_conduct", "abuse_harassment", "violence", "self_harm", "terrorism", "election_integrity",
              "private_info", "illegal_goods", "child_sexual_exploitation", "sensitive_media"}
#: category -> minimum number of cases probing it.
CATEGORY_MIN = {"hateful_conduct": 30, "abuse_harassment": 30, "violence": 30, "self_harm": 30,
                "terrorism": 25, "election_integrity": 25, "private_info": 25, "illegal_goods": 25,
                "child_sexual_exploitation": 25}
VIOLATION_FUNCS = {"plain", "evasion", "implicit"}
LOOKALIKE_FUNCS = {"counter_speech", "negation", "quotation_reporting", "reclaimed", "non_protected_target",
                   "hyperbole", "support_recovery", "benign_topic"}
KEYS = {"text", "labels", "category", "functionality", "lookalike"}


def _cases() -> list[dict]:
    lines = SUITE.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_every_line_is_a_well_formed_case() -> None:
    cases = _cases()
    assert len(cases) >= 400
    assert TEXT_CODES <= set(CATEGORIES)
    for i, c in enumerate(cases, 1):
        assert set(c) == KEYS, f"line {i}: keys {sorted(c)}"
        assert isinstance(c["text"], str) and c["text"].strip() and len(c["text"]) <= 400, f"line {i}: text"
        assert isinstance(c["labels"], list) and set(c["labels"]) <= TEXT_CODES, f"line {i}: labels {c['labels']}"
        assert len(set(c["labels"])) == len(c["labels"]), f"line {i}: repeated label"
        assert c["category"] in CATEGORY_MIN, f"line {i}: category {c['category']}"
        assert isinstance(c["lookalike"], bool), f"line {i}: lookalike"
        assert c["functionality"] in VIOLATION_FUNCS | LOOKALIKE_FUNCS, f"line {i}: {c['functionality']}"


def test_violations_carry_their_category_and_lookalikes_do_not() -> None:
    for i, c in enumerate(_cases(), 1):
        if c["lookalike"]:
            assert c["functionality"] in LOOKALIKE_FUNCS, f"line {i}"
            assert c["category"] not in c["labels"], f"line {i}: a look-alike labelled with what it imitates"
        else:
            assert c["functionality"] in VIOLATION_FUNCS, f"line {i}"
            assert c["category"] in c["labels"], f"line {i}: a violation without its own category"


def test_coverage_per_category_and_functionality() -> None:
    cases = _cases()
    per_category = Counter(c["category"] for c in cases)
    for category, minimum in CATEGORY_MIN.items():
        assert per_category[category] >= minimum, (category, per_category[category])
        kinds = Counter(c["lookalike"] for c in cases if c["category"] == category)
        assert kinds[True] and kinds[False], f"{category}: needs both violations and look-alikes"
        assert min(kinds.values()) * 2 >= max(kinds.values()), f"{category}: violations vs look-alikes {kinds}"
    per_func = Counter(c["functionality"] for c in cases)
    for func in VIOLATION_FUNCS | LOOKALIKE_FUNCS:
        assert per_func[func] >= 20, (func, per_func[func])


def test_no_duplicate_texts() -> None:
    texts = Counter(" ".join(c["text"].lower().split()) for c in _cases())
    assert [t for t, n in texts.items() if n > 1] == []
