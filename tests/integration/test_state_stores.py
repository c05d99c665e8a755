"""Redis state on a real Redis: automation never overwrites a human decision, retention and TTLs on
every key, raised-once flags and atomic, idempotent daily-cap reservations."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from agents.records import Report
from streams.infra import slots, stores
pytestmark = pytest.mark.integration
DAY = stores.DAY
RETENTION = stores.Retention(decided_seconds=400 * DAY, text_seconds=30 * DAY, reports_seconds=60 * DAY)


def _run(services, body):
    async def go():
        client = stores.connect(services.redis_url)
        try:
            return await body(client)
        finally:
            await client.aclose()
    return asyncio.run(go())


def _summary(post_id: str, route: str, actions: list[str], standing: int, by: str = "automation", **more) -> dict:
    return {"decision_id": f"d-{route}-{by}-{len(actions)}", "route": route, "author_id": "a1", "actions": actions,
            "found": [], "decided_by": by, "reviewers": [], "standing": standing, **more}


def test_automation_never_replaces_a_human_or_a_stronger_decision(services):
    p = f"post-{uuid.uuid4().hex}"

    async def body(client):
        decisions = stores.RedisDecisions(client, RETENTION)
        seen = []
        removed = _summary(p, "enforce", ["remove"], 2, post_text="I will kill you", created_at="2026-11-20T12:00:00Z")
        seen.append(await decisions.mark_decided({p: removed}))
        benign_edit = _summary(p, "no_action", [], 0, post_text="have a nice day")
        seen.append(await decisions.mark_decided({p: benign_edit}))  # weaker automated: refused
        after_edit = (await decisions.decided([p]))[p]
        human = _summary(p, "no_violation", ["restore"], 1, by="lee")
        seen.append(await decisions.mark_decided({p: human}))  # a human: always written
        seen.append(await decisions.mark_decided({p: removed}))  # a redelivery of the automated one: refused
        return seen, after_edit, (await decisions.decided([p]))[p]

    seen, after_edit, final = _run(services, body)
    assert [s[p] for s in seen] == [True, False, True, False]
    assert after_edit["route"] == "enforce" and after_edit["post_text"] == "I will kill you"
    assert final["decided_by"] == "lee" and final["route"] == "no_violation"


def test_a_stronger_automated_decision_replaces_a_weaker_one(services):
    p = f"post-{uuid.uuid4().hex}"

    async def body(client):
        decisions = stores.RedisDecisions(client, RETENTION)
        await decisions.mark_decided({p: _summary(p, "no_action", [], 0)})
        written = await decisions.mark_decided({p: _summary(p, "enforce", ["remove"], 2)})
        return written, (await decisions.decided([p]))[p]

    written, final = _run(services, body)
    assert written[p] and final["actions"] == ["remove"]


def test_summaries_outlive_the_text_and_every_report_key_expires(services):
    p = f"post-{uuid.uuid4().hex}"

    async def body(client):
        reports = stores.RedisReports(client, RETENTION)
        await stores.RedisDecisions(client, RETENTION).mark_decided(
            {p: _summary(p, "enforce", ["remove"], 2, post_text="secret text")})
        await reports.add([Report("r1", p, "violence", "2026-11-20T12:00:00Z", reporter_id="u1"),
                           Report("r2", p, "violence", "2026-11-20T12:01:00Z", reporter_contact="x@example.org")])
        await stores.RedisDeletions(client, RETENTION).mark_deleted([p])
        again = await reports.raise_once(["esc-" + p])
        twice = await reports.raise_once(["esc-" + p])
        raised = await reports.raised(["esc-" + p, "esc-other-" + p])
        raw = await client.get(stores.key("decided", p))
        ttls = {kind: await client.ttl(stores.key(kind, ident))
                for kind, ident in (("decided", p), ("posttext", p), ("reports", p), ("reportsz", p),
                                    ("deleted", p), ("raised", "esc-" + p))}
        return raw, ttls, again, twice, raised

    raw, ttls, again, twice, raised = _run(services, body)
    assert "secret text" not in raw  # the text is kept apart
    assert 399 * DAY < ttls["decided"] <= 400 * DAY and 29 * DAY < ttls["posttext"] <= 30 * DAY
    assert all(0 < ttls[k] <= 60 * DAY for k in ("reports", "reportsz", "raised")), ttls
    assert 0 < ttls["deleted"] <= 400 * DAY
    assert again == set() and twice == {"esc-" + p} and raised == {"esc-" + p}


def test_cap_reservations_are_atomic_across_workers_and_idempotent_per_action(services):
    day = f"test-{uuid.uuid4().hex[:8]}"
    caps = {"remove": 1000, "suspend_account": 10}

    async def worker(n: int):
        client = stores.connect(services.redis_url)
        try:
            counters = stores.RedisDailyCaps(client)
            granted = 0
            for batch in range(8):  # 8 batches of 100 decisions per worker, 3 workers: 2,400 removals asked
                wanted = [[("remove", f"w{n}-b{batch}-d{i}:remove")] for i in range(100)]
                granted += sum(ok for ok, _ in await counters.reserve(wanted, caps, day))
            return granted
        finally:
            await client.aclose()

    async def all_workers():
        return await asyncio.gather(*(worker(n) for n in range(3)))

    granted = asyncio.run(all_workers())

    async def after(client):
        counters = stores.RedisDailyCaps(client)
        replay = await counters.reserve([[("remove", "w0-b0-d0:remove")]], caps, day)  # a redelivery
        whole = await counters.reserve([[("remove", "new:remove"), ("suspend_account", "new:suspend_account")]],
                                       caps, day)  # all or nothing
        return replay, whole, await counters.today(["remove", "suspend_account"], day), \
            await client.ttl(stores.key("capres", f"{day}:remove"))

    replay, whole, today, ttl = _run(services, after)
    assert sum(granted) == 1000  # exactly the cap, never N workers x a batch over it
    assert replay[0][0] is True and whole[0] == (False, {"remove": 1000, "suspend_account": 0})
    assert today == {"remove": 1000, "suspend_account": 0} and 0 < ttl <= 2 * DAY


def test_a_patch_racing_a_full_snapshot_merges_into_it_instead_of_overwriting(services):
    import json

    from agents.records import Account
    from streams.infra.formats.common import AccountUpdate

    aid = f"acct-{uuid.uuid4().hex[:8]}"
    stored = Account(aid, handle="old", followers=10, observed_at="2026-11-20T12:00:00Z")
    racing = Account(aid, handle="old", followers=900_000, verified=True, observed_at="2026-11-20T12:00:02Z")
    patch = AccountUpdate(Account(aid, handle="new", observed_at="2026-11-20T12:00:03Z"), frozenset({"handle"}))
    other = slots.connect_sync(services.redis_url)  # another worker, writing a full snapshot
    seen: list[Account | None] = []

    def merge(current: Account | None) -> Account:
        seen.append(current)
        if len(seen) == 1:  # the full snapshot lands between the patch's read and its write
            other.set(stores.key("acct", aid), json.dumps(racing.to_dict()))
        return patch.merge_into(current)

    async def body(client):
        reg = stores.RedisRegistry(client, cache_seconds=0)
        await reg.put_account(stored)
        written = await reg.update_account(aid, merge)
        return written, (await reg.lookup([aid]))[aid].account

    written, final = _run(services, body)
    other.close()
    assert seen == [stored, racing]  # the first merge was thrown away: the snapshot changed under it
    assert final == written and (final.handle, final.followers, final.verified) == ("new", 900_000, True)
    assert final.observed_at == "2026-11-20T12:00:03Z"


def test_observed_at_is_compared_as_a_time_not_as_text(services):
    from agents.records import Account

    aid = f"acct-{uuid.uuid4().hex[:8]}"

    async def body(client):
        reg = stores.RedisRegistry(client, cache_seconds=0)
        first = await reg.put_account(Account(aid, followers=2, observed_at="2026-11-20T12:00:00.500Z"))
        older = await reg.put_account(Account(aid, followers=1, observed_at="2026-11-20T12:00:00Z"))
        return first, older, (await reg.lookup([aid]))[aid].account.followers

    assert _run(services, body) == (True, False, 2)  # as text "…00Z" > "…00.500Z" and the older one won
