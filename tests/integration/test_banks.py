"""Hash banks in the real Redis: load a bank file, snapshot, match, disable, detect changes.

The banks are `tests/fixtures/banks/demo-banks.csv` (synthetic hashes; names are labels).
Near-duplicates are made at the hash level (flipped bits), so no images are needed here.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Awaitable, Callable, TypeVar

import pytest

from agents.hashbank import HashBank
from agents.records import Media
from streams.infra import stores
from streams.infra.banks import BankCache, BankEntry, RedisBankStore, describe, load_file, read_file, to_banks

pytestmark = pytest.mark.integration

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "banks" / "demo-banks.csv"
ENTRIES = read_file(FIXTURE)
CSE_PDQ = next(e.hash for e in ENTRIES if e.bank == "cse-demo" and e.kind == "pdq")
T = TypeVar("T")


def near(hex_hash: str, bits: int) -> str:
    return f"{int(hex_hash, 16) ^ ((1 << bits) - 1):064x}"


def run(stack, body: Callable[[RedisBankStore], Awaitable[T]]) -> T:
    """Run `body` against a store over a fresh client, with no banks in Redis beforehand."""

    async def go() -> T:
        client = stores.connect(stack.redis_url)
        try:
            async for k in client.scan_iter(match=stores.key("bank", "*")):
                await client.delete(k)
            return await body(RedisBankStore(client))
        finally:
            await client.aclose()

    return asyncio.run(go())


def test_load_is_idempotent_and_snapshot_matches_like_the_file(stack) -> None:
    async def body(store: RedisBankStore):
        first = await load_file(store, FIXTURE)
        again = await load_file(store, FIXTURE)
        return first, again, await store.snapshot()

    first, again, snap = run(stack, body)
    assert (first.entries, first.added, first.counter) == (16, 16, 1)
    assert (again.added, again.counter) == (0, 1)  # nothing new: the counter stays
    assert sorted(first.banks) == ["copyright-demo", "cse-demo", "ncii-demo", "terror-demo"]
    assert snap.version == HashBank.build(to_banks(ENTRIES)).version  # same digest as the file offline
    (m,) = snap.match(Media("m1", "image", pdq=near(CSE_PDQ, 12)))
    assert (m.bank, m.policy, m.kind, m.distance, m.hash) == ("cse-demo", "child_sexual_exploitation", "pdq", 12, CSE_PDQ)
    assert m.evidence == 'pdq bank "cse-demo" distance 12 media m1'


def test_disable_and_enable_change_matching_and_version(stack) -> None:
    async def body(store: RedisBankStore):
        await load_file(store, FIXTURE)
        before = await store.snapshot()
        assert await store.disable("cse-demo") is True
        assert await store.disable("cse-demo") is False  # already off: no change, no bump
        off_counter, off = await store.snapshot_counted()
        listing = await describe(store)
        with pytest.raises(KeyError, match="known banks: copyright-demo"):
            await store.disable("nope")
        assert await store.enable("cse-demo") is True
        return before, off, off_counter, listing, await store.snapshot()

    before, off, off_counter, listing, on = run(stack, body)
    probe = Media("m1", "image", pdq=CSE_PDQ)
    assert before.match(probe) and off.match(probe) == []
    assert off_counter == 2 and off.version != before.version and on.version == before.version
    assert [b.name for b in off.banks if not b.enabled] == ["cse-demo"]
    row = next(line for line in listing.splitlines() if line.startswith("cse-demo"))
    assert "child_sexual_exploitation" in row and " no " in row and "synthetic" in row
    assert listing.splitlines()[-1].startswith(f"hashbank@{off.version}")


def test_bank_keeps_one_policy_and_merges_sources(stack) -> None:
    extra = BankEntry("ab" * 16, "md5", "copyright", "copyright-demo", "second list")

    async def body(store: RedisBankStore):
        await load_file(store, FIXTURE)
        with pytest.raises(ValueError, match="new bank name"):
            await store.load([BankEntry("cd" * 16, "md5", "terrorism", "copyright-demo")])
        result = await store.load([extra])
        infos = {b.name: b for b in await store.banks()}
        await store.drop("terror-demo")
        return result, infos, await store.snapshot()

    result, infos, snap = run(stack, body)
    assert result.added == 1 and infos["copyright-demo"].md5 == 3
    assert infos["copyright-demo"].source.startswith("second list; synthetic")
    assert "terror-demo" not in {b.name for b in snap.banks}
    assert snap.match(Media("m1", "image", md5="AB" * 16))[0].bank == "copyright-demo"


def test_cache_rereads_only_when_the_counter_moves(stack) -> None:
    now = [0.0]

    async def body(store: RedisBankStore):
        cache = BankCache(store, refresh_seconds=10, clock=lambda: now[0])
        await load_file(store, FIXTURE)
        first = await cache.get()
        now[0] = 11
        unchanged = await cache.get()  # counter checked, same: same snapshot object
        await store.disable("ncii-demo")
        now[0] = 15
        stale = await cache.get()  # inside the refresh window: not checked yet
        now[0] = 22
        fresh = await cache.get()
        return first, unchanged, stale, fresh

    first, unchanged, stale, fresh = run(stack, body)
    assert unchanged is first and stale is first
    assert fresh is not first and fresh.version != first.version
    assert [b.name for b in fresh.banks if not b.enabled] == ["ncii-demo"]


def test_cache_serves_last_snapshot_when_redis_fails(stack) -> None:
    async def body(store: RedisBankStore):
        await load_file(store, FIXTURE)
        cache = BankCache(store, refresh_seconds=0)
        good = await cache.get()
        await store.client.aclose()
        broken = RedisBankStore(stores.connect("redis://127.0.0.1:1/0"))  # nothing listens on port 1
        cache.store = broken
        served = await cache.get()
        await broken.client.aclose()
        return good, served, cache.last_error

    good, served, error = run(stack, body)
    assert served is good and error is not None
