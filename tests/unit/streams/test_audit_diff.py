"""audit diff: post-by-post comparison of recorded and replayed audit records."""

from __future__ import annotations

from agents.policy import Policy
from agents.records import Account, Case, Post, Violation
from agents.router import decide
from streams.commands.audit_diff import diff, format_diff
from streams.drivers.decide import index
from streams.infra.registry_import import load_seed
from streams.infra.config import Settings

SEED = load_seed(Settings().registry_seed)
OFFICIAL = SEED[0].account_id
T = "2026-11-20T12:00:00Z"


def _audit(post_id: str, author: Account, violations: tuple[Violation, ...], policy: Policy, kind: str = "post_decision"):
    post = Post(post_id, author.account_id, "some text", T, country="US")
    d = decide(Case(post, author), violations, index(SEED), policy)
    return d.audit([{"topic": "x", "partition": 0, "offset": 1, "digest": "0" * 64}], {"policy": policy.version}, kind=kind)


OFFICIAL_ACCT = Account(OFFICIAL, followers=2_000_000, verified=True, verified_type="blue", observed_at=T)
USER = Account("900", followers=10, observed_at=T)
HATE = (Violation("hateful_conduct", 0.95, ("x",), "rules"),)
THREAT = (Violation("violence", 0.95, ("x",), "rules"),)


def _side(policy: Policy):
    return [_audit("p1", OFFICIAL_ACCT, HATE, policy), _audit("p2", USER, THREAT, policy), _audit("p3", USER, (), policy)]


def test_same_policy_has_no_changes_and_no_id_mismatches():
    d = diff(_side(Policy()), _side(Policy()))
    assert d.matched == 3 and d.changed == () and d.id_mismatches == ()
    assert d.routes_before == d.routes_after == {"enforce": 1, "no_action": 1, "public_interest_review": 1}
    assert d.actions_before == d.actions_after == {"remove": 1}


def test_threshold_change_reports_exactly_the_official_post_with_both_sides():
    strict = Policy(label="test-strict", follower_threshold=10_000_000)
    d = diff(_side(Policy()), _side(strict))
    assert [c.post_id for c in d.changed] == ["p1"]
    (c,) = d.changed
    assert (c.before.route, c.after.route) == ("public_interest_review", "enforce")
    assert c.before.recommendation in ("notice", "remove") and c.after.recommendation is None
    assert c.before.action_types == () and "remove" in c.after.action_types
    assert any("PIE-eligible" in r for r in c.before.reasons) and any("not PIE-eligible" in r for r in c.after.reasons)
    assert d.routes_after == {"enforce": 2, "no_action": 1}
    assert d.id_mismatches == ()  # other version: ids differ by design, not a mismatch
    assert d.policy_versions == ((Policy().version,), (strict.version,)) and strict.version.startswith("test-strict+")
    text = format_diff(d)
    assert "p1: public_interest_review -> enforce" in text and "1 decided differently" in text
    body = d.to_dict()
    assert body["changed"] == 1 and body["changes"][0]["after"]["route"] == "enforce"


def test_same_version_with_different_ids_is_flagged():
    recorded = _side(Policy())
    replayed = [dict(a) for a in recorded]
    replayed[1] = {**replayed[1], "action_ids": [i.replace(":", "X:", 1) for i in replayed[1]["action_ids"]]}
    d = diff(recorded, replayed)
    assert d.changed == () and d.id_mismatches == ("p2",)
    assert "not deterministic" in format_diff(d)


def test_last_post_decision_wins_other_kinds_and_unmatched_are_reported():
    recorded = _side(Policy()) + [_audit("p2", USER, (), Policy(), kind="review_decision")]
    recorded = [_audit("p2", USER, (), Policy())] + recorded  # an older, superseded decision first
    replayed = _side(Policy())[:2] + [_audit("p9", USER, (), Policy())]
    d = diff(recorded, replayed)
    assert d.matched == 2 and d.changed == ()
    assert d.only_recorded == ("p3",) and d.only_replayed == ("p9",)
    assert "1 posts only in the replay: p9" in format_diff(d)
