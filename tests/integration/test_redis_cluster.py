"""The Redis state on a real Redis Cluster (3 masters with a replica each, Debian's redis-server):
every store's keys carry hash tags, so each script touches one slot and the batch scripts run
once per slot group. The single-Redis state tests run here again against the cluster, plus the
review queue (WATCH/MULTI), the hash banks (snapshot script) and the registry.
"""

from __future__ import annotations

import asyncio
import importlib.util
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
import redis

from streams.infra import slots, stores
from streams.infra.banks import RedisBankStore, load_file
from streams.infra.review_queue import RedisReviewQueue

pytestmark = pytest.mark.integration
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _tests_of(module_file: str) -> dict:
    spec = importlib.util.spec_from_file_location(f"_cluster_{module_file[:-3]}", Path(__file__).with_name(module_file))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {k: v for k, v in vars(module).items() if k.startswith("test_")}


globals().update(_tests_of("test_state_stores.py"))  # every state-store test, against the cluster (fixture below)


@pytest.fixture(scope="module")
def services(services, redis_cluster):
    """The session's services, with the Redis Cluster in place of the single Redis."""
    return replace(services, redis_url=redis_cluster.url)


def _run(url: str, body):
    async def go():
        client = stores.connect(url)
        try:
            return await body(client)
        finally:
            await client.aclose()
    return asyncio.run(go())


def test_the_url_selects_a_cluster_client_and_keys_spread_over_every_master(redis_cluster):
    ids = [f"post-{uuid.uuid4().hex}" for _ in range(300)]

    async def body(client):
        assert isinstance(client, redis.asyncio.RedisCluster)
        decisions, deletions = stores.RedisDecisions(client), stores.RedisDeletions(client)
        written = await decisions.mark_decided({p: {"decision_id": f"d-{p}", "standing": 1, "post_text": "t"} for p in ids})
        await deletions.mark_deleted(ids[::2])
        return written, await decisions.decided(ids), await deletions.deleted(ids)

    written, decided, deleted = _run(redis_cluster.url, body)
    assert sum(written.values()) == 300 and set(decided) == set(ids) and deleted == set(ids[::2])
    assert decided[ids[0]]["post_text"] == "t"
    holding = [port for port in redis_cluster.masters_now()
               if redis.Redis(port=port).dbsize() > 0]
    assert len(holding) == 3  # 300 posts' slots land on all three masters: the scripts ran per slot group


def test_a_script_item_whose_keys_span_slots_is_refused(redis_cluster):
    async def body(client):
        script = slots.SlotScript(client, "return 1")
        with pytest.raises(ValueError, match="span 2 slots"):
            await script([((stores.key("decided", "a"), stores.key("decided", "b")), ())])
    _run(redis_cluster.url, body)


def test_review_queue_claims_race_under_watch_multi_on_the_cluster(redis_cluster):
    from agents.policy import Policy
    from agents.records import Account, Case, Designation, Post, Violation
    from agents.router import decide
    from streams.infra.review_queue import ReviewQueueError

    senator = Designation("100", "elected_or_appointed_official", "US Senate", "national", "US-VT", "registry:test",
                          valid_from="2025-01-03", valid_until="2031-01-03", person="A Senator")
    post = Post(f"p-{uuid.uuid4().hex}", "100", "The Senate must vote no on this bill, these people are vermin",
                "2026-11-20T12:00:00Z")
    decision = decide(Case(post, Account("100", followers=500_000, verified=True)),
                      [Violation("hateful_conduct", 0.95, ("slur list: vermin",), "rules.hate@1")],
                      {"100": (senator,)}, Policy())

    async def body(client):
        queue = RedisReviewQueue(client)
        item = await queue.add_escalation(decision.escalation.to_dict())
        again = await queue.add_escalation(decision.escalation.to_dict())
        outcomes = await asyncio.gather(queue.claim(item.item_id, "rev-1"), queue.claim(item.item_id, "rev-2"),
                                        return_exceptions=True)
        return item, again, outcomes, await queue.get(item.item_id), [i.item_id for i in await queue.list("claimed")]

    item, again, outcomes, stored, claimed = _run(redis_cluster.url, body)
    assert again == item and item.state == "pending"
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(winners) == 1 and isinstance([o for o in outcomes if o not in winners][0], ReviewQueueError)
    assert stored.state == "claimed" and stored.claimed_by == winners[0].claimed_by and item.item_id in claimed


def test_hash_banks_load_and_snapshot_on_the_cluster(redis_cluster):
    async def body(client):
        store = RedisBankStore(client)
        first = await load_file(store, FIXTURES / "banks" / "demo-banks.csv")
        return first, await store.counter(), await store.snapshot()

    first, counter, snapshot = _run(redis_cluster.url, body)
    assert first.entries > 0 and counter >= 1 and snapshot.version
