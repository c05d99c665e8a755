"""The one engine: caps through the context port, post text on escalations, `decide` on the same path."""

from __future__ import annotations

import io
import json
from dataclasses import replace

from agents.records import Account, Case, Designation, Post, Violation
from agents.review import escalation_from_dict, escalation_kind
from agents.tagger import Tagger
from streams.drivers import decide
from streams.engine.context import MemoryCaps, MemoryPort, index
from streams.engine.engine import Engine, Input, Rejected
from streams.infra.config import Settings

SETTINGS = Settings()
POLICY = SETTINGS.policy()
T0 = "2026-11-20T12:00:00Z"
THREAT = "I will kill you"


def _line(n: int, text: str = THREAT) -> str:
    aid = f"7770{n}"
    return json.dumps({"post": {"post_id": f"p{n}", "author_id": aid, "text": text, "created_at": T0},
                       "author": {"account_id": aid, "handle": f"h{n}", "display_name": "x", "bio": "",
                                  "followers": 10, "verified": False, "labels": []}})


def test_decide_holds_what_is_over_a_daily_cap_for_a_human():
    tight = replace(POLICY, daily_caps={"remove": 2})
    out = io.StringIO()
    decide.run([_line(n) for n in range(4)], out, Tagger(tight), {}, tight)
    results = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [r["route"] for r in results] == ["enforce", "enforce", "human_review", "human_review"]
    assert results[2]["reasons"][0].startswith("held by daily cap: remove 2 applied today, cap 2")
    assert not [a for a in results[2]["actions"] if a["type"] == "remove"] and results[2]["notices"] == []


def test_memory_caps_are_atomic_per_decision_and_idempotent_per_action_id():
    caps = MemoryCaps()
    limits = {"remove": 2, "suspend_account": 1}
    assert caps.reserve([[("remove", "a")], [("remove", "a")]], limits, "d1") == [
        (True, {"remove": 0, "suspend_account": 0}), (True, {"remove": 1, "suspend_account": 0})]
    # over one cap: nothing of the decision is reserved, not even the type still under its cap
    assert caps.reserve([[("remove", "b"), ("suspend_account", "s1"), ("suspend_account", "s2")]], limits, "d1") == [
        (False, {"remove": 1, "suspend_account": 0})]
    assert caps.reserve([[("remove", "b")], [("remove", "c")]], limits, "d1") == [
        (True, {"remove": 1, "suspend_account": 0}), (False, {"remove": 2, "suspend_account": 0})]
    assert caps.reserve([[("remove", "c")]], limits, "d2") == [(True, {"remove": 0, "suspend_account": 0})]


class _Finds(Tagger):
    """A tagger that finds hateful conduct in every post (routing is under test, not detection)."""

    def tag_batch(self, posts):
        return [[Violation("hateful_conduct", 0.95, ("evidence",), "rules.test@1")] for _ in posts]


def test_escalations_carry_the_post_text_and_their_kind():
    senator = Designation("100", "elected_or_appointed_official", "US Senate", "national", "US-VT",
                          "registry:test", valid_from="2025-01-03", valid_until="2031-01-03", person="A Senator")
    text = "The Senate must vote no on this bill, these people are vermin"
    post = Post("p1", "100", text, T0)
    port = MemoryPort(index([senator]))
    port.cases = {"p1": Case(post, Account("100", handle="h100", followers=500_000, verified=True,
                                           verified_type="blue"))}
    (decision,) = Engine(POLICY, _Finds(POLICY)).decide_batch([Input(post, {}, "2026-11-20")], port.load([post]))
    assert decision.route == "public_interest_review"
    assert decision.escalation.post_text == text and decision.escalation.kind == "public_interest"
    assert escalation_from_dict(decision.escalation.to_dict()).kind == "public_interest"


def test_escalations_written_before_kind_existed_are_told_by_their_first_reason():
    assert escalation_kind({"reasons": ["held by daily cap: remove 3 applied today, cap 3"], "kind": None}) == "cap_hold"
    assert escalation_kind({"reasons": ["raised by reports: 5 distinct reporters"]}) == "reported"
    assert escalation_kind({"reasons": ["author is PIE-eligible"], "kind": None}) == "public_interest"
    # a new record says it outright, whatever its reasons
    assert escalation_kind({"reasons": ["held by daily cap: x"], "kind": "public_interest"}) == "public_interest"


class _Broken(Tagger):
    def tag_batch(self, posts):
        if any("boom" in p.text for p in posts):
            raise RuntimeError("detector bug")
        return super().tag_batch(posts)


def test_a_post_that_breaks_the_tagger_is_rejected_and_the_rest_decided():
    posts = [Post(f"p{n}", f"8{n}", text, T0) for n, text in enumerate(("hello", "boom", THREAT))]
    port = MemoryPort({})
    port.cases = {p.post_id: Case(p, None) for p in posts}
    out = Engine(POLICY, _Broken(POLICY)).decide_batch([Input(p, {}, "d") for p in posts], port.load(posts))
    assert isinstance(out[1], Rejected) and out[1].stage == "tag" and "detector bug" in str(out[1].error)
    assert [out[0].route, out[2].route] == ["no_action", "enforce"]


def test_a_deleted_post_needs_no_action():
    post = Post("p9", "99", THREAT, T0)
    port = MemoryPort({})
    port.cases = {"p9": Case(post, None, deleted=True)}
    (decision,) = Engine(POLICY, Tagger(POLICY)).decide_batch([Input(post, {}, "d")], port.load([post]))
    assert decision.route == "no_action" and decision.actions == ()
