"""The review queue's logic, on the in-memory store (the lead adds Redis integration tests)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from agents.caps import apply_caps
from agents.policy import Policy
from agents.records import Account, Appeal, Case, Designation, Post, Violation
from agents.review import Reviewer, decision_summary, review_escalation, escalation_from_dict
from agents.router import decide
from streams.infra.review_queue import MemoryReviewQueue, ReviewItem, ReviewQueueError

POLICY = Policy()
T0 = "2026-11-20T12:00:00Z"
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=timezone.utc)
SENATOR = Designation("100", "elected_or_appointed_official", "US Senate", "national", "US-VT", "registry:test",
                      valid_from="2025-01-03", valid_until="2031-01-03", person="A Senator")


def analyst(rid="rev-1"):
    return Reviewer(rid, frozenset({"analyst"}))


def senior(rid="lead-1"):
    return Reviewer(rid, frozenset({"senior"}))


def run(coro):
    return asyncio.run(coro)


def routed(post_id="p1", author=Account("100", followers=500_000, verified=True), code="hateful_conduct", at=T0):
    post = Post(post_id, author.account_id, "The Senate must vote no on this bill, these people are vermin", at)
    return decide(Case(post, author), [Violation(code, 0.95, ("slur list: vermin",), "rules.hate@1")],
                  {"100": (SENATOR,)}, POLICY)


@pytest.fixture
def queue():
    return MemoryReviewQueue(clock=lambda: NOW)


def add(queue, decision=None):
    d = decision or routed()
    return run(queue.add_escalation(d.escalation.to_dict()))


def test_escalation_becomes_a_pending_public_interest_item(queue):
    item = add(queue)
    assert (item.kind, item.state, item.post_id, item.author_id) == ("public_interest", "pending", "p1", "100")
    assert item.allowed == ("notice", "remove", "no_violation") and item.recommendation == "notice"
    assert item.age_seconds(NOW) == 3 * 3600


def test_adding_twice_keeps_the_first(queue):
    first = add(queue)
    run(queue.claim(first.item_id, "rev-1"))
    again = add(queue)
    assert again.state == "claimed" and again.claimed_by == "rev-1"


def test_batch_add_files_new_items_and_leaves_filed_ones(queue):
    first = add(queue)
    run(queue.claim(first.item_id, "rev-1"))
    other = routed(post_id="p2").escalation.to_dict()
    run(queue.add_escalations([first.escalation, {**other, "post_text": "the post"}]))
    assert run(queue.get(first.item_id)).state == "claimed"
    assert (run(queue.get(other["escalation_id"])).state, run(queue.get(other["escalation_id"])).post_text) == \
        ("pending", "the post")


def test_cap_hold_is_its_own_kind_without_the_notice(queue):
    d = routed(author=Account("1", followers=10), code="violence")
    item = add(queue, apply_caps(d, {"remove": 10**9}, POLICY, post_created_at=T0))
    assert item.kind == "cap_hold" and item.allowed == ("remove", "no_violation")
    with pytest.raises(ReviewQueueError, match="not allowed"):
        run(queue.decide(item.item_id, senior("rev-1"), "notice", "why"))


def test_claim_is_exclusive_and_idempotent(queue):
    item = add(queue)
    assert run(queue.claim(item.item_id, "rev-1")).claimed_by == "rev-1"
    assert run(queue.claim(item.item_id, "rev-1")).claimed_at == NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
    with pytest.raises(ReviewQueueError, match="claimed by rev-1"):
        run(queue.claim(item.item_id, "rev-2"))
    with pytest.raises(ReviewQueueError, match="no review item"):
        run(queue.claim("nope", "rev-1"))


def test_decide_returns_the_review_and_does_not_mark_decided(queue):
    item = add(queue)
    review = run(queue.decide(item.item_id, analyst("rev-1"), "remove", "calls a group vermin", policy="hateful_conduct"))
    assert (review.decision_id, review.post_id, review.outcome, review.reviewer_id) == (item.item_id, "p1", "remove",
                                                                                         "rev-1")
    assert review.decided_at == "2026-11-20T15:00:00Z" and review.policy == "hateful_conduct"
    stored = run(queue.get(item.item_id))
    assert stored.state == "claimed" and stored.claimed_by == "rev-1"  # claimed, not decided
    again = run(queue.decide(item.item_id, analyst("rev-1"), "remove", "calls a group vermin"))
    assert again.review_id == review.review_id  # a retry produces the same id: downstream dedupes


@pytest.mark.parametrize("kwargs, message", [
    (dict(rationale="  "), "rationale"),
    (dict(outcome="maybe"), "not allowed"),
    (dict(reviewer=analyst("rev-2")), "claimed by rev-1"),
])
def test_decide_validates(queue, kwargs, message):
    item = add(queue)
    run(queue.claim(item.item_id, "rev-1"))
    args = dict(item_id=item.item_id, reviewer=analyst("rev-1"), outcome="remove", rationale="why")
    with pytest.raises(ReviewQueueError, match=message):
        run(queue.decide(**{**args, **kwargs}))


def test_mark_decided_is_idempotent_and_final(queue):
    item = add(queue)
    review = run(queue.decide(item.item_id, analyst("rev-1"), "remove", "why"))
    done = run(queue.mark_decided(item.item_id, review))
    assert done.state == "decided" and done.review["review_id"] == review.review_id
    assert run(queue.mark_decided(item.item_id, review)) == done
    with pytest.raises(ReviewQueueError, match="already decided"):
        run(queue.decide(item.item_id, analyst("rev-1"), "no_violation", "why"))
    with pytest.raises(ReviewQueueError, match="already decided"):
        run(queue.claim(item.item_id, "rev-2"))


def test_non_senior_notice_goes_back_to_pending_for_a_senior(queue):
    item = add(queue)
    rec = run(queue.decide(item.item_id, analyst("rev-1"), "notice", "public debate"))
    back = run(queue.mark_decided(item.item_id, rec))
    assert back.state == "pending" and back.claimed_by is None and back.needs_senior
    assert back.recommendation == "notice (awaiting senior)"
    with pytest.raises(ReviewQueueError, match="only a senior"):
        run(queue.decide(item.item_id, analyst("rev-2"), "remove", "why"))
    final = run(queue.decide(item.item_id, senior("lead-1"), "notice", "public debate, senior call"))
    assert final.review_id != rec.review_id
    done = run(queue.mark_decided(item.item_id, final))
    assert done.state == "decided" and len(done.recommendations) == 1


def test_the_review_agent_flow_applies_a_decision_from_the_stored_item(queue):
    item = add(queue)
    review = run(queue.decide(item.item_id, senior("lead-1"), "notice", "public debate"))
    stored = run(queue.get(review.decision_id))
    decision = review_escalation(review, escalation_from_dict(stored.escalation), (), POLICY)
    assert not decision.errors and decision.route == "notice"


def appeal_of(decision, appeal_id="a1", appellant="1"):
    return Appeal(appeal_id, decision.decision_id, decision.post_id, "2026-11-20T13:00:00Z", appellant, "a joke")


def test_appeal_goes_to_a_different_reviewer(queue):
    original = routed(author=Account("1", followers=10), code="violence")
    item = run(queue.add_appeal(appeal_of(original), decision_summary(original, decided_by="rev-1")))
    assert item.item_id == "appeal:a1" and item.kind == "appeal" and item.excluded_reviewers == ("rev-1",)
    assert item.allowed == ("remove", "no_violation") and item.recommendation == "appeal of remove"
    with pytest.raises(ReviewQueueError, match="another reviewer"):
        run(queue.claim(item.item_id, "rev-1"))
    with pytest.raises(ReviewQueueError, match="another reviewer"):
        run(queue.decide(item.item_id, analyst("rev-1"), "no_violation", "why"))
    review = run(queue.decide(item.item_id, analyst("rev-2"), "no_violation", "a quote, not a threat"))
    assert review.decision_id == "appeal:a1"


def test_appeal_of_an_automated_decision_excludes_nobody(queue):
    original = routed(author=Account("1", followers=10), code="violence")
    item = run(queue.add_appeal(appeal_of(original), decision_summary(original)))
    assert item.excluded_reviewers == ()


def test_pending_decisions_cannot_be_appealed(queue):
    with pytest.raises(ReviewQueueError, match="awaiting review"):
        run(queue.add_appeal(appeal_of(routed()), decision_summary(routed())))


def test_list_open_items_oldest_first_and_by_state(queue):
    late = add(queue, routed("p2", at="2026-11-20T14:00:00Z"))
    early = add(queue, routed("p1", at="2026-11-20T10:00:00Z"))
    assert [i.item_id for i in run(queue.list())] == [early.item_id, late.item_id]
    run(queue.claim(late.item_id, "rev-1"))
    assert [i.item_id for i in run(queue.list("pending"))] == [early.item_id]
    assert [i.item_id for i in run(queue.list("claimed"))] == [late.item_id]
    assert len(run(queue.list(limit=1))) == 1
    with pytest.raises(ReviewQueueError):
        run(queue.list("weird"))


def test_items_round_trip_through_json(queue):
    item = run(queue.claim(add(queue).item_id, "rev-1"))
    assert ReviewItem.from_json(item.to_json()) == item


def test_clock_moves_age():
    now = [NOW]
    q = MemoryReviewQueue(clock=lambda: now[0])
    item = add(q)
    now[0] += timedelta(hours=1)
    assert item.age_seconds(now[0]) == 4 * 3600


# --- the review CLI functions --------------------------------------------------------------


def test_list_items_table(queue):
    from streams.commands.review_cli import list_items

    item = add(queue)
    run(queue.claim(item.item_id, "rev-1"))
    table = run(list_items(queue, now=NOW)).splitlines()
    assert table[0].split() == ["id", "kind", "post", "recommendation", "age", "state"]
    assert table[1].split() == [item.item_id, "public_interest", "p1", "notice", "3h00m", "claimed", "by", "rev-1"]
    assert run(list_items(queue, "decided", now=NOW)) == "no decided review items"


def test_show_item_has_everything_for_one_decision(queue):
    from streams.commands.review_cli import show_item

    d = routed()
    run(queue.add_escalation(d.escalation.to_dict(), post_text="The Senate must vote no, these people are vermin"))
    screen = run(show_item(queue, d.decision_id, now=NOW))
    for needle in ("these people are vermin", "hateful_conduct", "evidence: slur list: vermin", "A Senator",
                   "US Senate", "registry:test", "RECOMMENDATION: notice", *d.escalation.reasons,
                   *d.escalation.political.reasons, "notice is final only from a senior"):
        assert needle in screen, needle


def test_show_appeal_names_the_excluded_reviewer(queue):
    from streams.commands.review_cli import show_item

    original = routed(author=Account("1", followers=10), code="violence")
    item = run(queue.add_appeal(appeal_of(original), decision_summary(original, decided_by="rev-1")))
    screen = run(show_item(queue, item.item_id, now=NOW))
    assert "statement: a joke" in screen and "may not decide: rev-1" in screen and "actions remove" in screen


def test_decide_item_produces_with_the_given_send_and_leaves_the_item_open(queue):
    from streams.commands.review_cli import decide_item

    sent = []
    item = add(queue)
    review = run(decide_item(queue, lambda k, v: sent.append((k, v)), item.item_id, senior("lead-1"), "notice",
                             "debate"))
    assert sent == [("p1", review.to_dict())] and run(queue.get(item.item_id)).state == "claimed"

    async def async_send(k, v):
        sent.append((k, v))

    other = add(queue, routed("p2"))
    run(decide_item(queue, async_send, other.item_id, analyst("rev-1"), "remove", "vermin"))
    assert sent[-1][0] == "p2"
    with pytest.raises(ReviewQueueError):
        run(decide_item(queue, async_send, other.item_id, analyst("rev-2"), "remove", "vermin"))
    assert len(sent) == 2


def test_everyone_who_took_part_is_excluded_from_the_appeal(queue):
    original = routed(author=Account("1", followers=10), code="violence")
    item = run(queue.add_appeal(appeal_of(original), decision_summary(original, "lead-1", ("rev-1", "lead-1"))))
    assert item.excluded_reviewers == ("lead-1", "rev-1")
