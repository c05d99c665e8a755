"""Redis-backed state: the account registry, report sets and decided-post summaries.

Keys (one builder, `key()` in streams/infra/slots.py, so every reader and writer agrees; the braces are
the hash tag: a script over one post's or one account's keys touches one Redis Cluster slot):
- `ms:acct:{id}`    JSON Account snapshot (latest by observed_at wins)
- `ms:desig:{id}`   JSON list of Designations (from the shipped seed and importers)
- `ms:reports:{post_id}`  hash reporter -> JSON Report (one per reporter: duplicates don't count twice)
- `ms:reportsz:{post_id}` sorted set reporter -> report time, for report velocity
- `ms:raised:{escalation_id}` set once a report-raised re-review was raised (raised once per decision)
- `ms:decided:{post_id}`  JSON summary of the post's standing decision (no text), for late reporters,
                          appeals, legal requests and report-raised re-review (`Retention.decided_seconds`)
- `ms:posttext:{post_id}` the decided post's text, for re-review: personal data, kept shorter
- `ms:deleted:{post_id}`  set when the post was deleted at the source
- `ms:{capres}:capres:{day}:{type}` set of automated action ids reserved against the day's cap (one slot
                          for all days and types: the reservation script spans the day's types)
Every key but the registry's has a TTL (`Retention`). Scripts over many posts are `SlotScript`s: one
call per slot group on a Redis Cluster, one call on a single Redis.

Writes are idempotent (faust's delivery guarantee does not cover Redis). Reads go
through a small in-process cache with bounded staleness; a miss costs one pipelined
round trip for all ids of an event.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

import redis.asyncio as aioredis
from redis.exceptions import WatchError

from agents.records import Account, Designation, Report
from streams.infra import slots
from streams.infra.config import Settings
from streams.infra.slots import PREFIX, SlotScript, key  # noqa: F401 (PREFIX, key: this module's interface)


@dataclass
class AccountView:
    """What the registry knows about one account at lookup time."""

    account: Account | None
    designations: tuple[Designation, ...]


CAS_TRIES = 50  #: optimistic retries of one account write under contention before giving up


class ConcurrentWriteError(RuntimeError):
    """An account kept changing under CAS_TRIES compare-and-sets in a row: contention that high is a bug."""


def observed_epoch(account: Account) -> float | None:
    """observed_at as a number (seconds, UTC; a time without zone read as UTC): never compared as text,
    where "12:00:00.500Z" sorts before "12:00:00Z"."""
    if not account.observed_at:
        return None
    at = datetime.fromisoformat(account.observed_at.replace("Z", "+00:00").replace("z", "+00:00"))
    return (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).timestamp()


def _newer_or_same(new: Account, stored: Account | None) -> bool:
    if stored is None:
        return True
    new_at, old_at = observed_epoch(new), observed_epoch(stored)
    return new_at is None or old_at is None or new_at >= old_at


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
        if missing:  # one MGET (per node on a cluster): a pipeline of two GETs an account cost ~10x more to pack
            raw = await slots.mget(self.client, [k for i in missing for k in (key("acct", i), key("desig", i))])
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
        """Store a snapshot unless a newer one (by observed_at, as numbers) is already there. True when stored."""
        return await self.update_account(account.account_id,
                                         lambda cur: account if _newer_or_same(account, cur) else None) is not None

    async def update_account(self, account_id: str,
                             change: Callable[[Account | None], Account | None]) -> Account | None:
        """Atomic read-modify-write of one snapshot (WATCH/MULTI): `change(stored)` is the new snapshot, or None
        to leave it. A concurrent write in between (a full snapshot racing a patch) makes it read and merge
        again, so neither overwrites the other. Returns what was written, or None."""
        k = key("acct", account_id)
        try:
            async with self.client.pipeline(transaction=True) as pipe:
                for _ in range(CAS_TRIES):
                    try:
                        await pipe.watch(k)
                        raw = await pipe.get(k)
                        new = change(Account.from_dict(json.loads(raw), f"redis {k}") if raw else None)
                        if new is None:
                            await pipe.unwatch()
                            return None
                        pipe.multi()
                        pipe.set(k, json.dumps(new.to_dict()))
                        await pipe.execute()
                        return new
                    except WatchError:
                        continue
            raise ConcurrentWriteError(f"{k} changed under {CAS_TRIES} compare-and-set attempts")
        finally:
            self.forget(account_id)

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


#: One round trip for a whole batch: the reports of many posts, and many decided summaries
#: (SlotScripts: one call per slot group on a Redis Cluster).
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
#: Per post: KEYS decided, text; ARGV summary, standing, automated (1/0), text ('' = none), then the two TTLs.
#: Automation never replaces a human's summary, nor a stronger automated one (agents.effects.standing).
_MARK_DECIDED = """
local n = #KEYS / 2
local decided_ttl, text_ttl = ARGV[4 * n + 1], ARGV[4 * n + 2]
local written = {}
for i = 1, n do
  local summary, standing, automated, text = ARGV[4 * i - 3], tonumber(ARGV[4 * i - 2]), ARGV[4 * i - 1], ARGV[4 * i]
  local keep = false
  local cur = redis.call('GET', KEYS[2 * i - 1])
  if cur and automated == '1' then
    local old = cjson.decode(cur)
    local by = old['decided_by']
    keep = (by ~= nil and by ~= cjson.null and by ~= 'automation') or (tonumber(old['standing']) or 0) > standing
  end
  if keep then
    written[i] = 0
  else
    redis.call('SET', KEYS[2 * i - 1], summary, 'EX', decided_ttl)
    if text ~= '' then redis.call('SET', KEYS[2 * i], text, 'EX', text_ttl) end
    written[i] = 1
  end
end
return written
"""
DAY = 24 * 3600


@dataclass(frozen=True)
class Retention:
    """How long post state is kept (Settings: MODSTREAM_*_RETENTION_DAYS).

    Decided summaries (ids, route, actions: no text) as long as appeals and legal requests come
    (DSA complaints run at least six months); the post text, personal data, apart and shorter;
    report sets (reporter contacts) likewise. Every key the stores write has one of these TTLs.
    """

    decided_seconds: int
    text_seconds: int
    reports_seconds: int

    @classmethod
    def of(cls, settings: Settings) -> "Retention":
        return cls(settings.decided_retention_days * DAY, settings.post_text_retention_days * DAY,
                   settings.report_retention_days * DAY)


@dataclass
class RedisReports:
    """Reports per post (first per reporter), their velocity, and the raised flag of each re-review."""

    client: aioredis.Redis
    retention: Retention = field(default_factory=lambda: Retention.of(Settings()))

    def __post_init__(self) -> None:
        self._hvals_many = SlotScript(self.client, _HVALS_MANY)

    async def add(self, reports: Sequence[Report], window_seconds: float = 3600) -> list[tuple[bool, int]]:
        """Record reports, in order, in one round trip. Per report: (new: False when this reporter
        already reported this post, distinct reporters within `window_seconds` before this report:
        the report velocity)."""
        if not reports:
            return []
        ttl = self.retention.reports_seconds
        pipe = self.client.pipeline(transaction=False)
        for report in reports:
            who = report.reporter_key
            at = datetime.fromisoformat(report.created_at.replace("Z", "+00:00")).timestamp()
            pipe.hsetnx(key("reports", report.post_id), who, json.dumps(report.to_dict()))
            pipe.zadd(key("reportsz", report.post_id), {who: at}, nx=True)
            pipe.zcount(key("reportsz", report.post_id), at - window_seconds, at)
            pipe.expire(key("reportsz", report.post_id), ttl)
            pipe.expire(key("reports", report.post_id), ttl)
        raw = await pipe.execute()
        return [(bool(raw[i]), int(raw[i + 2])) for i in range(0, len(raw), 5)]

    async def for_posts(self, post_ids: Sequence[str]) -> dict[str, tuple[Report, ...]]:
        raw = await self._hvals_many([((key("reports", p),), ()) for p in post_ids])
        return {p: tuple(Report.from_dict(json.loads(v)) for v in vals) for p, vals in zip(post_ids, raw)}

    async def raise_once(self, escalation_ids: Sequence[str]) -> set[str]:
        """Set the raised flag of each report-raised escalation; returns the ids raised before (skip them)."""
        if not escalation_ids:
            return set()
        pipe = self.client.pipeline(transaction=False)
        for e in escalation_ids:
            pipe.set(key("raised", e), 1, nx=True, ex=self.retention.reports_seconds)
        return {e for e, fresh in zip(escalation_ids, await pipe.execute()) if not fresh}

    async def raised(self, escalation_ids: Sequence[str]) -> set[str]:
        flags = await slots.mget(self.client, [key("raised", e) for e in escalation_ids])
        return {e for e, f in zip(escalation_ids, flags) if f}


#: `json.dumps(..., sort_keys=True)`, built once (dumps builds an encoder each call): a summary a decided post
_SORTED_JSON = json.JSONEncoder(sort_keys=True)


@dataclass
class RedisDecisions:
    """Each post's standing decided summary, and its text apart (kept shorter: personal data)."""

    client: aioredis.Redis
    retention: Retention = field(default_factory=lambda: Retention.of(Settings()))

    def __post_init__(self) -> None:
        self._mark_decided = SlotScript(self.client, _MARK_DECIDED)

    async def mark_decided(self, summaries: dict[str, dict]) -> dict[str, bool]:
        """Remember each post's outcome (post id -> summary; a `post_text` in it goes to its own key, kept
        shorter), so late reporters, appeals and legal requests find it. An automated summary never
        replaces a human's or a stronger one (a benign edit of a removed post). Returns post id -> written."""
        if not summaries:
            return {}
        items = []
        for p, summary in summaries.items():
            rest = {k: v for k, v in summary.items() if k != "post_text"}
            automated = rest.get("decided_by", "automation") == "automation"
            items.append(((key("decided", p), key("posttext", p)),
                          (_SORTED_JSON.encode(rest), int(rest.get("standing") or 0), int(automated),
                           summary.get("post_text") or "")))
        written = await self._mark_decided(items, extra=(self.retention.decided_seconds, self.retention.text_seconds))
        return {p: bool(w) for p, w in zip(summaries, written)}

    async def decided(self, post_ids: Sequence[str]) -> dict[str, dict]:
        """The decided summaries of those posts that have one, with `post_text` while it is kept."""
        if not post_ids:
            return {}
        raw = await slots.mget(self.client, [k for p in post_ids for k in (key("decided", p), key("posttext", p))])
        out = {}
        for n, p in enumerate(post_ids):
            summary, text = raw[2 * n], raw[2 * n + 1]
            if summary:
                out[p] = {**json.loads(summary), **({"post_text": text} if text is not None else {})}
        return out


@dataclass
class RedisDeletions:
    """Posts deleted at the source: one not yet decided needs no action."""

    client: aioredis.Redis
    retention: Retention = field(default_factory=lambda: Retention.of(Settings()))

    def __post_init__(self) -> None:
        self._set_many_ex = SlotScript(self.client, _SET_MANY_EX)

    async def mark_deleted(self, post_ids: Sequence[str]) -> None:
        """Posts deleted at the source."""
        await self._set_many_ex([((key("deleted", p),), (1,)) for p in post_ids], extra=(self.retention.decided_seconds,))

    async def deleted(self, post_ids: Sequence[str]) -> set[str]:
        flags = await slots.mget(self.client, [key("deleted", p) for p in post_ids])
        return {p for p, f in zip(post_ids, flags) if f}


#: Reserve the capped actions of decisions, in order, atomically: a decision gets all its actions or none.
#: KEYS: the day's reservation set per capped type; ARGV[1]: {"caps": [cap per key], "ttl": s,
#: "decisions": [[[key index, action_id], ...], ...]}. An action id already reserved (a redelivery) is granted
#: again without counting twice. Returns JSON [[granted 1/0, [reserved per key before this decision]], ...].
_RESERVE = """
local req = cjson.decode(ARGV[1])
local out = {}
for d, acts in ipairs(req.decisions) do
  local need = {}
  for _, a in ipairs(acts) do
    if redis.call('SISMEMBER', KEYS[a[1]], a[2]) == 0 then need[a[1]] = (need[a[1]] or 0) + 1 end
  end
  local ok, counts = 1, {}
  for t = 1, #KEYS do
    counts[t] = redis.call('SCARD', KEYS[t])
    if need[t] and counts[t] + need[t] > req.caps[t] then ok = 0 end
  end
  if ok == 1 then
    for _, a in ipairs(acts) do redis.call('SADD', KEYS[a[1]], a[2]) end
  end
  out[d] = {ok, counts}
end
for t = 1, #KEYS do redis.call('EXPIRE', KEYS[t], req.ttl) end
return cjson.encode(out)
"""


@dataclass
class RedisDailyCaps:
    """Automated capped actions reserved per UTC day (`ms:capres:{day}:{type}`: a set of action ids).

    Reserved before the actions are produced, in one atomic script for a batch, so N workers never
    overshoot a cap, and idempotent per action id, so a redelivered batch never charges twice.
    """

    client: aioredis.Redis

    def __post_init__(self) -> None:
        self._reserve = self.client.register_script(_RESERVE)

    async def reserve(self, wanted: Sequence[Sequence[tuple[str, str]]], caps: Mapping[str, int],
                      day: str) -> list[tuple[bool, dict[str, int]]]:
        """Per decision, its (action type, action id) pairs to reserve: (granted, counts before it)."""
        if not wanted:
            return []
        types = sorted(caps)
        index = {t: n + 1 for n, t in enumerate(types)}
        request = {"caps": [caps[t] for t in types], "ttl": 2 * DAY,
                   "decisions": [[[index[t], action_id] for t, action_id in acts] for acts in wanted]}
        raw = await self._reserve(keys=[key("capres", f"{day}:{t}") for t in types], args=[json.dumps(request)])
        return [(bool(ok), dict(zip(types, counts))) for ok, counts in json.loads(raw)]

    async def today(self, types: Sequence[str], day: str) -> dict[str, int]:
        pipe = self.client.pipeline(transaction=False)
        for t in types:
            pipe.scard(key("capres", f"{day}:{t}"))
        return dict(zip(types, await pipe.execute())) if types else {}


def connect(url: str) -> aioredis.Redis | aioredis.RedisCluster:
    """A client for MODSTREAM_REDIS_URL: `redis+cluster://host:port` is a Redis Cluster (streams/infra/slots.py)."""
    return slots.connect(url, health_check_interval=30)
