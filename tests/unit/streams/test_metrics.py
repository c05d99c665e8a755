"""Metric hooks: bounded labels, the right counters for a decision, cap holds by type."""

from __future__ import annotations

from dataclasses import replace

from prometheus_client import REGISTRY, generate_latest

from agents.caps import apply_caps
from agents.policy import Policy
from agents.records import Post
from agents.router import route as route_decision
from agents.tagger import Tagger
from streams.infra import metrics
from streams.engine.apply import decision_records


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_violation_sources_are_a_bounded_set():
    assert metrics.violation_source("rules.violence@1") == "rules"
    assert metrics.violation_source("hashbank@abc123") == "bank"
    assert metrics.violation_source("clf.hate@2026.11") == "classifier"
    assert metrics.violation_source("upstream partner 7, reviewer ana") == "upstream"  # free text: one label


def _decision(text: str, post_id: str = "p1", counts: dict | None = None):
    policy = Policy()
    post = Post.from_dict({"post_id": post_id, "author_id": "a1", "text": text, "created_at": "2026-11-20T12:00:00Z"})
    from agents.records import Case

    violations = tuple(Tagger(policy).tag(post))
    return route_decision(Case(post, None, (), ()), violations, {}, policy, counts or {}), policy


def test_a_decision_counts_route_actions_and_violations():
    d, _ = _decision("I will kill you tomorrow")
    before = (sample("modstream_posts_decided_total", route=d.route, kind="post_decision"),
              sample("modstream_violations_total", policy="violence", source="rules"))
    decision_records(d, [], {})
    assert sample("modstream_posts_decided_total", route=d.route, kind="post_decision") == before[0] + 1
    assert sample("modstream_violations_total", policy="violence", source="rules") == before[1] + 1
    for a in d.actions:
        assert sample("modstream_actions_total", type=a.type, policy=a.policy, decided_by="automated") >= 1


def test_a_cap_hold_counts_per_held_action_type():
    d, policy = _decision("I will kill you tomorrow", counts={"remove": 10**9, "suspend_account": 0})
    assert d.escalation is not None, d.route  # held: over the remove cap
    before = sample("modstream_cap_holds_total", action="remove")
    metrics.decision(d, "post_decision")
    assert sample("modstream_cap_holds_total", action="remove") == before + 1


def test_cap_holds_count_the_typed_field_not_the_reason_wording():
    d, _ = _decision("I will kill you tomorrow", counts={"remove": 10**9, "suspend_account": 10**9})
    reworded = replace(d, reasons=("a cap said no",), cap_held=("suspend_account",))
    before = {t: sample("modstream_cap_holds_total", action=t) for t in ("remove", "suspend_account")}
    metrics.decision(reworded, "post_decision")
    assert sample("modstream_cap_holds_total", action="suspend_account") == before["suspend_account"] + 1
    assert sample("modstream_cap_holds_total", action="remove") == before["remove"]


def test_exposition_carries_no_ids_or_text():
    d, _ = _decision("I will kill you tomorrow, canary-text-4711", post_id="canary-post-0815")
    decision_records(d, [], {})
    text = generate_latest(REGISTRY).decode()
    assert "canary" not in text and "a1" not in text.split('"')
