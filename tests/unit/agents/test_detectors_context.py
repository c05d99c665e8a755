"""Context handling: one parametrized block per classic false positive, each case asserting
the exact policy set the tagger produces (and its true-positive twin)."""

from __future__ import annotations

import pytest

from agents.policy import Policy
from agents.records import Post
from agents.tagger import Tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(Policy())


def tags(tagger: Tagger, text: str) -> set[str]:
    return {v.policy for v in tagger.tag(Post("p", "a", text, "2026-11-03T12:00:00Z"))}


COUNTER_SPEECH = [
    ("saying muslims are vermin is disgusting", set()),
    ("Posts like 'jews are rats' are antisemitic and I reported them", set()),
    ("people who tell others to kys are the worst", set()),
    ("telling someone to kill themselves is never ok", set()),
    ("stop saying immigrants are parasites", set()),
    ("muslims are vermin and it's disgusting they are here", {"hateful_conduct"}),  # no frame: not counter-speech
]
NEGATION = [
    ("I would never hurt you", set()),
    ("I'm not going to kill you", set()),
    ("immigrants are not parasites", set()),
    ("I don't hate muslims", set()),
    ("don't kill yourself, please talk to someone", set()),
    ("you cannot vote by text", set()),
    ("not gonna lie, jews are rats", {"hateful_conduct"}),  # "not gonna lie" is no negation
]
QUOTATION = [
    ('he said "I will kill you" and walked off', set()),
    ("The MP tweeted 'refugees are parasites' then deleted it", set()),
    ('my neighbour shouted "go back to your country" at us', set()),
    ('"I will kill you"', {"violence"}),  # quotes alone, nobody reported: stands
]
NEWS = [
    ("Man charged after telling neighbours jews are vermin, police say", set()),
    ("man arrested for selling fentanyl pills", set()),
    ("ISIS claimed responsibility for the attack, officials said", set()),
]
RECLAIMED = [
    ("as a gay man I call my friends fags all the time", set()),
    ("you fag", {"hateful_conduct", "abuse_harassment"}),
]
HYPERBOLE = [
    ("I'm going to kill you if you spoil the finale", set()),
    ("I'll kill you if you eat the last slice lmao", set()),
    ("gonna kill them in the finals", set()),
    ("this song kills", set()),
    ("we killed it at the show", set()),
    ("my mom is going to kill me", set()),
    ("I'm going to kill you tonight", {"violence"}),  # credible: no trivial frame
]
NON_PROTECTED = [
    ("lawyers are scum", set()),
    ("politicians are parasites", set()),
    ("cops are pigs", set()),
    ("jews are scum", {"hateful_conduct"}),
    ("you are scum", {"abuse_harassment"}),
]
HELP_SEEKING = [
    ("I want to kill myself", set()),
    ("I've been thinking about ending it, where can I get help?", set()),
    ("3 years in recovery from anorexia, skipping meals is not the answer", set()),
    ("kill yourself", {"self_harm", "abuse_harassment"}),
]
BUSINESS_PII = [
    ("Call us today at 202-555-0110 for a free quote!", set()),
    ("call this guy and tell him what you think: 202-555-0156", {"private_info"}),
    ("her address is 12 Elm Street, go pay her a visit", {"private_info"}),
    ("I'm going to dox you", {"private_info"}),
]


@pytest.mark.parametrize(("text", "expected"), COUNTER_SPEECH)
def test_counter_speech(tagger: Tagger, text: str, expected: set[str]) -> None:
    assert tags(tagger, text) == expected


@pytest.mark.parametrize(("text", "expected"), NEGATION)
def test_negation(tagger: Tagger, text: str, expected: set[str]) -> None:
    assert tags(tagger, text) == expected


@pytest.mark.parametrize(("text", "expected"), QUOTATION)
def test_quotation_and_reporting(tagger: Tagger, text: str, expected: set[str]) -> None:
    assert tags(tagger, text) == expected


@pytest.mark.parametrize(("text", "expected"), NEWS)
def test_news_reporting(tagger: Tagger, text: str, expected: set[str]) -> None:
    assert tags(tagger, text) == expected


@pytest.mark.parametrize(("text", "expected"), RECLAIMED)
def test_reclaimed_in_group_usage(tagger: Tagger, text: str, expected: set[str]) -> None:
    assert tags(tagger, text) == expected


@pytest.mark.parametrize(("text", "expected"), HYPERBOLE)
def test_hyperbole_versus_credible_threat(tagger: Tagger, text: str, expected: set[str]) -> None:
    assert tags(tagger, text) == expected


@pytest.mark.parametrize(("text", "expected"), NON_PROTECTED)
def test_abuse_of_non_protected_targets(tagger: Tagger, text: str, expected: set[str]) -> None:
    assert tags(tagger, text) == expected


@pytest.mark.parametrize(("text", "expected"), HELP_SEEKING)
def test_self_help_is_not_promotion(tagger: Tagger, text: str, expected: set[str]) -> None:
    assert tags(tagger, text) == expected


@pytest.mark.parametrize(("text", "expected"), BUSINESS_PII)
def test_business_contact_is_not_doxxing(tagger: Tagger, text: str, expected: set[str]) -> None:
    assert tags(tagger, text) == expected


def test_suppressed_match_is_cited_next_to_a_standing_verdict(tagger: Tagger) -> None:
    post = Post("p", "a", "I will kill you. I would never hurt her though", "2026-11-03T12:00:00Z")
    (violation,) = tagger.tag(post)
    assert violation.policy == "violence"
    assert any(e.startswith("context: negation") for e in violation.evidence)
