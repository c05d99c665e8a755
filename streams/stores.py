"""Redis-backed state: the account registry, report sets and decided-post summaries.

Keys (one builder, `key()`, so every reader and writer agrees):
- `ms:acct:{id}`    JSON Account snapshot (latest by observed_at wins)
- `ms:desig:{id}`   JSON list of Designations (from the shipped seed and importers)
- `ms:reports:{post_id}`  hash reporter -> JSON Report (one per reporter: duplicates don't count twice)
- `ms:reportsz:{post_id}` sorted set reporter -> report time, for report velocity
- `ms:decided:{post_id}`  JSON summary of the latest decision (30 days), for late reporters, appeals,
                          legal requests and report-raised re-review (so it holds the post text: personal data)
- `ms:deleted:{post_id}`  set when the post was deleted at the source

Writes are idempotent (faust's delivery guarantee does not cover Redis). Reads go
through a small in-process cache with bounded staleness; a miss costs one pipelined
round trip for all ids of an event.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import redis.asyncio as aioredis

from agents.records import Account, Designation, Report

PREFIX = "ms"


def key(kind: str, ident: str) -> str:
    return f"{PREFIX}:{kind}:{ident}"


@dataclass
class AccountView:
    """What the registry knows about one account at lookup time."""

    account: Account | None
    designations: tuple[Designation, ...]


# Compare-and-set on observed_at so a replayed older snapshot never overwrites a newer one.
_PUT_ACCOUNT = """
local cur = redis.call('GET', KEYS[1])
if cur then
  local old = cjson.decode(cur)['observed_at']
  if old ~= cjson.null and ARGV[2] ~= '' and old > ARGV[2] then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
"""


@dataclass
class RedisRegistry:
    client: aioredis.Redis
    cache_seconds: float = 5.0
    _cache: dict[str, tuple[float, AccountView]] = field(default_factory=dict)
    _cache_limit: int = 200_000

    async def lookup(self, ids: Iterable[str]) -> dict[str, AccountView]:
        now = time.monotonic()
        out: dict[str, AccountView] = {}
        missing = []
        for i in dict.fromkeys(ids):
            hit = self._cache.get(i)
            if hit and now - hit[0] < self.cache_seconds:
                out[i] = hit[1]
            else:
                missing.append(i)
        if missing:
            pipe = self.client.pipeline(transaction=False)
            for i in missing:
                pipe.get(key("acct", i))
                pipe.get(key("desig", i))
            raw = await pipe.execute()
            if len(self._cache) > self._cache_limit:
                self._cache.clear()
            for n, i in enumerate(missing):
                acct, desig = raw[2 * n], raw[2 * n + 1]
                view = AccountView(
                    Account.from_dict(json.loads(acct), f"redis {key('acct', i)}") if acct else None,
                    tuple(Designation.from_dict(d) for d in json.loads(desig)) if desig else (),
                )
                self._cache[i] = (now, view)
                out[i] = view
        return out

    def forget(self, account_id: str) -> None:
        self._cache.pop(account_id, None)

    async def put_account(self, account: Account) -> bool:
        """Store a snapshot unless a newer one is already there. True when stored."""
        stored = await self.client.eval(_PUT_ACCOUNT, 1, key("acct", account.account_id),
                                        json.dumps(account.to_dict()), account.observed_at or "")
        self.forget(account.account_id)
        return bool(stored)

    async def put_designations(self, designations: Sequence[Designation]) -> int:
        """Replace the designations of every account named (idempotent). Returns accounts written."""
        by_account: dict[str, list[dict]] = {}
        for d in designations:
            by_account.setdefault(d.account_id, []).append(d.to_dict())
        pipe = self.client.pipeline(transaction=False)
        for aid, ds in by_account.items():
            pipe.set(key("desig", aid), json.dumps(ds, sort_keys=True))
            self.forget(aid)
        await pipe.execute()
        return len(by_account)


#: One round trip for a whole batch: the reports of many posts, and many decided summaries.
#: (Multi-key scripts need every key in one slot on Redis Cluster; this is single-node Redis.)
_HVALS_MANY = """
local out = {}
for i, k in ipairs(KEYS) do out[i] = redis.call('HVALS', k) end
return out
"""
_SET_MANY_EX = """
local ttl = ARGV[#KEYS + 1]
for i, k in ipairs(KEYS) do redis.call('SET', k, ARGV[i], 'EX', ttl) end
return #KEYS
"""
KEEP_SECONDS = 30 * 24 * 3600  #: report sets, decided summaries and deletion flags: long enough for any backlog


@dataclass
class RedisReports:
    client: aioredis.Redis

    def __post_init__(self) -> None:
        self._hvals_many = self.client.register_script(_HVALS_MANY)
        self._set_many_ex = self.client.register_script(_SET_MANY_EX)

    async def add(self, reports: Sequence[Report], window_seconds: float = 3600) -> list[tuple[bool, int]]:
        """Record reports, in order, in one round trip. Per report: (new: False when this reporter
        already reported this post, distinct reporters within `window_seconds` before this report:
        the report velocity)."""
        if not reports:
            return []
        pipe = self.client.pipeline(transaction=False)
        for report in reports:
            who = report.reporter_key
            at = datetime.fromisoformat(report.created_at.replace("Z", "+00:00")).timestamp()
            pipe.hsetnx(key("reports", report.post_id), who, json.dumps(report.to_dict()))
            pipe.zadd(key("reportsz", report.post_id), {who: at}, nx=True)
            pipe.zcount(key("reportsz", report.post_id), at - window_seconds, at)
            pipe.expire(key("reportsz", report.post_id), KEEP_SECONDS)
        raw = await pipe.execute()
        return [(bool(raw[i]), int(raw[i + 2])) for i in range(0, len(raw), 4)]

    async def for_posts(self, post_ids: Sequence[str]) -> dict[str, tuple[Report, ...]]:
        raw = await self._hvals_many(keys=[key("reports", p) for p in post_ids]) if post_ids else []
        return {p: tuple(Report.from_dict(json.loads(v)) for v in vals) for p, vals in zip(post_ids, raw)}

    async def _set_all(self, values: dict[str, str | int]) -> None:
        """SET key value EX KEEP_SECONDS for every item, in one round trip."""
        if values:
            await self._set_many_ex(keys=list(values), args=[*values.values(), KEEP_SECONDS])

    async def mark_decided(self, summaries: dict[str, dict]) -> None:
        """Remember each post's automated outcome (post id -> summary), so late reporters hear it."""
        await self._set_all({key("decided", p): json.dumps(v, sort_keys=True) for p, v in summaries.items()})

    async def mark_deleted(self, post_ids: Sequence[str]) -> None:
        """Posts deleted at the source."""
        await self._set_all({key("deleted", p): 1 for p in post_ids})

    async def deleted(self, post_ids: Sequence[str]) -> set[str]:
        flags = await self.client.mget([key("deleted", p) for p in post_ids]) if post_ids else []
        return {p for p, f in zip(post_ids, flags) if f}

    async def decided(self, post_ids: Sequence[str]) -> dict[str, dict]:
        """The decided summaries of those posts that have one."""
        raw = await self.client.mget([key("decided", p) for p in post_ids]) if post_ids else []
        return {p: json.loads(v) for p, v in zip(post_ids, raw) if v}


@dataclass
class RedisDailyCounters:
    """Automated actions applied per UTC day (`ms:cap:{day}:{type}`), for the daily caps."""

    client: aioredis.Redis

    async def today(self, types: Sequence[str], day: str) -> dict[str, int]:
        values = await self.client.mget([key("cap", f"{day}:{t}") for t in types]) if types else []
        return {t: int(v or 0) for t, v in zip(types, values)}

    async def add(self, counts: dict[str, int], day: str) -> None:
        if not counts:
            return
        pipe = self.client.pipeline(transaction=False)
        for t, n in counts.items():
            pipe.incrby(key("cap", f"{day}:{t}"), n)
            pipe.expire(key("cap", f"{day}:{t}"), 2 * 24 * 3600)
        await pipe.execute()


def connect(url: str) -> aioredis.Redis:
    return aioredis.Redis.from_url(url, decode_responses=True, health_check_interval=30)
