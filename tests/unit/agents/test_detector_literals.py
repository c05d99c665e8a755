"""The literal pre-scan is exact: a text without any required literal has no match, and patterns
whose literals are not certain (case-insensitive, a branch without literals) get none."""

from __future__ import annotations

import re

from hypothesis import given, strategies as st

from agents.detectors import RULES, RuleEngine, literals
from agents.detectors.normalize import compile_skeleton


def test_required_literals_of_sequences_branches_and_repeats() -> None:
    assert literals.required(re.compile(r"\bholocaust\b")) == ("holocaust",)
    assert literals.required(re.compile(r"\b(?:sell|buy)s? (?:now|today)\b")) == ("buy", "sell")
    assert literals.required(re.compile(r"\b(?:deport|ban) (?:all )?(?:them|us)+")) == ("ban", "deport")
    assert literals.required(re.compile(r"x{2,}(?:ab|[$€]cd)")) == ("ab", "cd")  # the longer of [$€] and cd
    assert literals.required(re.compile(r"\b(?:kill|\w+ing)\b")) == ("ing", "kill")


def test_no_literals_when_not_certain() -> None:
    assert literals.required(re.compile(r"holocaust", re.IGNORECASE)) is None
    assert literals.required(re.compile(r"(?i:holocaust) denial")) is None
    assert literals.required(re.compile(r"\b(?:kill|\w+)\b")) is None  # one branch has no literal
    assert literals.required(re.compile(r"(?:ab)?\d+")) is None  # optional: not required
    assert literals.required(re.compile(r"a\s?b")) is None  # one character: in nearly every text


def test_absent_means_no_match_for_every_rule() -> None:
    texts = ["i will kill you tomorrow", "holocaust never happened", "selling oxy dm me", "go back to your country",
             "anyone know where she lives", "nothing to see here", "the state of the union", ""]
    checked = 0
    for rule in RULES:
        rx = compile_skeleton(rule.pattern)
        found = literals.required(rx)
        for text in texts:
            if literals.absent(found, text):
                checked += 1
                assert rx.search(text) is None, (rule.name, text)
    assert checked > 100  # the pre-scan does skip most rules on most of these texts


def test_engine_hits_are_the_same_with_and_without_the_prescan(monkeypatch) -> None:
    texts = ["Immigrants are vermin and should be exterminated", "anyone got her home address? $500 reward",
             "selling xanax bars, cash app only", "go back to your own country", "what a lovely day"]
    from agents.detectors import RULE_SETS, Scan, segment

    def hits(engine: RuleEngine) -> list:
        return [list(engine.run(Scan(segment(t)))) for t in texts]

    with_scan = hits(RuleEngine(RULE_SETS))
    monkeypatch.setattr(literals, "required", lambda rx, folded=False: None)
    monkeypatch.setattr(literals, "_OF", {})  # `of` caches by pattern: keep this test's Nones out of the others'
    assert hits(RuleEngine(RULE_SETS)) == with_scan
    assert any(with_scan)


def test_absent_within_bounds_and_once_per_pattern() -> None:
    rx = re.compile(r"\bholocaust\b")
    text = "first holocaust\nsecond line"
    assert not literals.absent(literals.of(rx), text, 0, 15)
    assert literals.absent(literals.of(rx), text, 16, len(text))  # the word is in the other sentence
    assert literals.absent(literals.of(rx), text, 0, 14)  # cut short: not wholly inside
    assert literals.of(rx) is literals.of(rx)
    assert literals.of(re.compile(r"\w+")) is None
    assert not literals.absent(None, "anything", 0, 3)  # unknown literals: the regex must run


def test_context_scan_answers_the_same_with_and_without_the_prescan(monkeypatch) -> None:
    from agents.detectors import Scan, context, segment

    text = "Police say the man told neighbours he hates all jews. I condemn it. Not a joke, lol."
    probes = [v for v in vars(context).values() if isinstance(v, re.Pattern)]

    def answers() -> list:
        scan = Scan(segment(text))
        return [(m.span() if (m := scan.within(rx, 0, len(scan.text))) else None) for rx in probes]

    with_scan = answers()
    monkeypatch.setattr(literals, "of", lambda rx: None)
    assert answers() == with_scan
    assert any(with_scan)


def test_folded_literals_of_case_insensitive_patterns() -> None:
    assert literals.required(re.compile(r"\bPassport (?:no|#)", re.IGNORECASE), folded=True) == ("passport ",)
    assert literals.required(re.compile(r"licen[cs]e|(?i:plate)"), folded=True) == ("licen", "plate")
    assert literals.required(re.compile("\u212aelvin", re.IGNORECASE), folded=True) is None  # not ASCII: no exact gate


@given(st.lists(st.sampled_from(["passport", "PASSPORT no", "Driver's License #", "national ID", "Tax Id", "licence",
                                 "plate", "License Plate is", "apt", "Apartment", "UNIT", "flat", "ssn", "SSN:", "my",
                                 "AB123456", "123-45-6789", "123 45 6789", "123456789", "4B", " ", ": ", "#", ".", "x"]),
                max_size=8))
def test_pii_gates_never_skip_a_match(parts: list[str]) -> None:
    from agents.detectors import pii

    text = " ".join(parts)
    lowered = text.lower()
    for rx in (pii._ID_NUMBER, pii._PLATE, pii._UNIT):
        if not pii._may_match(rx, lowered, True):
            assert rx.search(text) is None, (rx.pattern, text)
    if "ssn" not in lowered and not pii._SSN_DIGITS.search(text):
        assert pii._SSN.search(text) is None, text
