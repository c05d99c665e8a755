"""The account registry on the real broker and Redis: threshold crossings and seeds."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from agents.records import Account
from streams.commands import ingest
from streams.infra import stores, topics
pytestmark = pytest.mark.integration

OFFICIAL = "900000001"  # designated below; not in the shipped seed
T0 = "2026-11-20T12:00:00Z"


def _line(post_id: str, followers: int, observed: str) -> bytes:
    return json.dumps({
        "post": {"post_id": post_id, "author_id": OFFICIAL, "text": "Immigrants are vermin, vote no on this bill",
                 "created_at": observed, "mentions": [], "media": []},
        "author": {"account_id": OFFICIAL, "handle": "mayor_x", "followers": followers, "verified": True,
                   "verified_type": "blue", "observed_at": observed},
    }).encode()


def test_crossing_the_follower_threshold_changes_the_next_posts_route(stack, codec, worker, wait_records):
    def audit(post_id: str) -> dict:
        found = wait_records(stack, codec, topics.AUDIT, lambda v: v["post_id"] == post_id)
        assert found, f"no decision for {post_id}"
        return found[0]

    from agents.records import Designation

    mayor = Designation(OFFICIAL, "elected_or_appointed_official", "City of Springfield", "local", "US-IL-SPR",
                        "test:city-records", valid_from="2025-01-01", valid_until="2029-01-01", person="A Mayor")

    async def seed():
        client = stores.connect(stack.redis_url)
        await stores.RedisRegistry(client).put_designations([mayor])
        await client.aclose()

    asyncio.run(seed())
    ingest.run(stack, codec, [_line("before", 99_000, "2026-11-20T12:00:00Z")], "t", progress=None)
    before = audit("before")
    assert before["route"] == "enforce"
    assert before["political"]["role"] == "elected_or_appointed_official" and not before["political"]["high_profile"]

    # The account update alone crosses the threshold; the next post must see it.
    update = json.dumps({"account": {"account_id": OFFICIAL, "handle": "mayor_x", "followers": 150_000,
                                     "verified": True, "verified_type": "blue",
                                     "observed_at": "2026-11-20T12:05:00Z"}}).encode()
    ingest.run(stack, codec, [update], "t", progress=None)
    time.sleep(stack.registry_cache_seconds + 1)  # the worker's bounded-staleness cache
    post = json.dumps({"post": {"post_id": "after", "author_id": OFFICIAL, "created_at": "2026-11-20T12:06:00Z",
                                "text": "Immigrants are vermin, vote no on this bill"}}).encode()
    ingest.run(stack, codec, [post], "t", progress=None)
    after = audit("after")
    assert after["route"] == "public_interest_review"
    assert after["political"]["eligible"] and after["political"]["designation"]["source"] == "test:city-records"


def test_an_older_snapshot_never_overwrites_a_newer_one(stack):
    async def run():
        client = stores.connect(stack.redis_url)
        reg = stores.RedisRegistry(client, cache_seconds=0)
        assert await reg.put_account(Account("555", followers=200, observed_at="2026-11-20T12:00:00Z"))
        assert not await reg.put_account(Account("555", followers=100, observed_at="2026-11-19T12:00:00Z"))
        view = (await reg.lookup(["555"]))["555"]
        await client.aclose()
        return view

    assert asyncio.run(run()).account.followers == 200


def test_the_worker_loads_the_shipped_seed(stack, worker):
    from streams.infra.registry_import import load_seed

    seed = load_seed(stack.registry_seed)

    async def count():
        client = stores.connect(stack.redis_url)
        views = await stores.RedisRegistry(client).lookup([d.account_id for d in seed])
        await client.aclose()
        return sum(1 for v in views.values() if v.designations)

    deadline = time.monotonic() + 30
    while (found := asyncio.run(count())) < len({d.account_id for d in seed}) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert found == len({d.account_id for d in seed})


def test_reports_count_once_per_reporter_and_measure_velocity(stack):
    from agents.records import Report

    async def run():
        client = stores.connect(stack.redis_url)
        reports = stores.RedisReports(client)
        batch = [Report(f"rv{i}", "velocity-post", "abuse_harassment", f"2026-11-20T12:{minute % 60:02d}:00Z"
                        if minute < 60 else f"2026-11-20T13:{minute - 60:02d}:00Z", reporter_id=who)
                 for i, (who, minute) in enumerate([("u1", 0), ("u1", 1), (None, 2), ("u2", 30), ("u3", 90)])]
        out = await reports.add(batch[:2], window_seconds=3600) + await reports.add(batch[2:], window_seconds=3600)
        stored = (await reports.for_posts(["velocity-post"]))["velocity-post"]
        await client.aclose()
        return out, stored

    results, stored = asyncio.run(run())
    assert [new for new, _ in results] == [True, False, True, True, True]
    # distinct reporters within the hour before each report: u1, (u1 again), anon, u2, then u3 with u2 only
    assert [n for _, n in results] == [1, 1, 2, 3, 2]
    assert len(stored) == 4
