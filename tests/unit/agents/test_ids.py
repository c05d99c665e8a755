"""Decision ids follow the content and the policy: an edit or a changed setting never reuses them."""

from __future__ import annotations

from dataclasses import replace

from agents.policy import Policy
from agents.records import Account, Case, Post, Report, Violation
from agents.router import decide

T0 = "2026-11-20T12:00:00Z"
AUTHOR = Account("1", handle="h1", followers=10, verified=False)
REPORT = Report("r1", "p1", "violence", T0, reporter_id="9")


def decided(text: str, policy: Policy = Policy(), **post):
    p = replace(Post("p1", "1", text, T0, "en", "US"), **post)
    return decide(Case(p, AUTHOR, reports=(REPORT,)), [Violation("violence", 0.95, ("kill",), "rules.test@1")],
                  {}, policy)


def ids(d) -> set[str]:
    return {d.decision_id, *(a.action_id for a in d.actions), *(n.notice_id for n in d.notices)}


def test_same_post_same_policy_same_ids():
    assert ids(decided("I will kill you")) == ids(decided("I will kill you"))


def test_an_edited_post_gets_new_decision_action_and_notice_ids():
    before, after = decided("I will kill you"), decided("I will kill you tomorrow")
    assert before.actions and after.actions and before.notices and after.notices
    assert ids(before).isdisjoint(ids(after))


def test_other_media_or_mentions_are_other_content():
    base = decided("I will kill you")
    assert decided("I will kill you", mentions=("7",)).decision_id != base.decision_id
    assert decided("I will kill you", country="FR").decision_id != base.decision_id


def test_a_changed_threshold_shadow_rule_or_cap_changes_the_fingerprint_and_the_ids():
    live = Policy()
    assert Policy().fingerprint == live.fingerprint and len(live.fingerprint) == 16
    changed = (Policy(follower_threshold=5), Policy(severe_confidence=0.9), Policy(min_confidence=0.6),
               Policy(shadow_policies=frozenset({"abuse_harassment"})), Policy(daily_caps={"remove": 1}),
               replace(live, label="other"))
    prints = {p.fingerprint for p in changed}
    assert len(prints) == len(changed) and live.fingerprint not in prints
    base = decided("I will kill you", live).decision_id
    assert all(decided("I will kill you", p).decision_id != base for p in changed)


def test_replace_recomputes_the_fingerprint():
    assert replace(Policy(), follower_threshold=5).fingerprint == Policy(follower_threshold=5).fingerprint
