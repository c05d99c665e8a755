"""Media hash banks on disk and in Redis, and the worker-side cache of their snapshot.

Bank files (CSV with the header `hash,kind,policy,bank,source`, or JSONL objects with the
same fields): one hash a row; kind md5|pdq (32 / 64 hex chars); policy a policy code; every
row of a bank names the same policy. Errors name the file, line and field, and how to fix.

Redis keys (all through `stores.key("bank", ...)`, so all in the Redis Cluster slot of the tag
{bank}: the snapshot script and the MULTI blocks span them):
- `ms:{bank}:bank:<name>`      hash: policy, enabled ("1"/"0"), source
- `ms:{bank}:bank:<name>:md5`  set of md5 hex;  `ms:{bank}:bank:<name>:pdq`  set of pdq hex
- `ms:{bank}:bank:_index`      set of bank names (names never start with "_")
- `ms:{bank}:bank:_version`    counter, bumped by every load/enable/disable/drop that changes something
Workers keep a `BankCache`: it checks the counter at most every N seconds and re-reads the
banks (one Lua call, atomic) only when it moved. The snapshot's own `version` is a digest
of what it matches, recorded with every decision.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, TextIO

import redis.asyncio as aioredis

from agents.hashbank import KINDS, Bank, HashBank, hash_problem, name_problem
from agents.policy import CATEGORIES
from streams.infra.stores import key

FIELDS = ("hash", "kind", "policy", "bank", "source")
BANK_POLICIES = ("child_sexual_exploitation", "non_consensual_nudity", "terrorism", "copyright")  #: the usual ones
_CHUNK = 5_000  #: SADD / SMISMEMBER batch size


class BankFileError(ValueError):
    """A bank file row that cannot be loaded; names where and how to fix it."""

    def __init__(self, path: str | Path, line: int, fld: str, problem: str, fix: str):
        super().__init__(f"{path}:{line}: field {fld!r}: {problem}. Fix: {fix}")
        self.path, self.line, self.field = str(path), line, fld


@dataclass(frozen=True, slots=True)
class BankEntry:
    """One row of a bank file."""

    hash: str  #: lower-case hex
    kind: str  #: "md5" | "pdq"
    policy: str
    bank: str
    source: str = ""

    def to_dict(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in FIELDS}


@dataclass(frozen=True, slots=True)
class BankInfo:
    """A bank as `modstream banks list` shows it."""

    name: str
    policy: str
    enabled: bool
    source: str
    md5: int
    pdq: int


# ---- files ----------------------------------------------------------------------------


def _rows(path: Path) -> Iterable[tuple[int, Any]]:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        if tuple(reader.fieldnames or ()) != FIELDS:
            raise BankFileError(path, 1, "header", f"header is {reader.fieldnames}", f"make the first line exactly {','.join(FIELDS)}")
        for row in reader:
            yield reader.line_num, row
    elif path.suffix.lower() in (".jsonl", ".ndjson"):
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    yield n, json.loads(line)
                except json.JSONDecodeError as e:
                    raise BankFileError(path, n, "line", f"not JSON ({e.msg})", 'write one object per line: {"hash": ..., "kind": ..., ...}') from None
    else:
        raise BankFileError(path, 0, "file", f"unknown file type {path.suffix!r}", "use a .csv or .jsonl file")


def _entry(path: Path, line: int, row: Any) -> BankEntry:
    if not isinstance(row, dict):
        raise BankFileError(path, line, "line", "expected an object", f"give the fields {', '.join(FIELDS)}")
    values = {}
    for f in FIELDS:
        v = row.get(f)
        if v is None or not isinstance(v, str) or (f != "source" and not v.strip()):
            raise BankFileError(path, line, f, "missing or not a string", f"give a {f} on every row (source may be empty)")
        values[f] = v.strip()
    kind = values["kind"] = values["kind"].lower()
    if kind not in KINDS:
        raise BankFileError(path, line, "kind", f"{kind!r} is not a hash kind", f"use one of {', '.join(KINDS)}")
    values["hash"] = values["hash"].lower()
    if problem := hash_problem(kind, values["hash"]):
        raise BankFileError(path, line, "hash", problem, "check the kind column matches the hash; hash files with ops.hash_media")
    if values["policy"] not in CATEGORIES:
        raise BankFileError(path, line, "policy", f"{values['policy']!r} is not a policy code",
                            f"use a code from `modstream policy`, e.g. {', '.join(BANK_POLICIES)}")
    if problem := name_problem(values["bank"]):
        raise BankFileError(path, line, "bank", problem, "rename the bank")
    return BankEntry(**values)


def read_file(path: str | Path) -> list[BankEntry]:
    """Every row of a bank file, validated. Raises BankFileError at the first bad row."""
    path = Path(path)
    entries: list[BankEntry] = []
    policy_of: dict[str, tuple[str, int]] = {}
    for line, row in _rows(path):
        e = _entry(path, line, row)
        first = policy_of.setdefault(e.bank, (e.policy, line))
        if first[0] != e.policy:
            raise BankFileError(path, line, "policy", f"bank {e.bank!r} is {first[0]} on line {first[1]} but {e.policy} here",
                                "one bank, one policy: split the rows into two banks")
        entries.append(e)
    return entries


def write_entries(entries: Iterable[BankEntry], out: TextIO, fmt: str = "csv", header: bool = True) -> None:
    """Write entries in the bank file format ("csv" or "jsonl")."""
    if fmt == "jsonl":
        for e in entries:
            out.write(json.dumps(e.to_dict()) + "\n")
        return
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    if header:
        writer.writeheader()
    writer.writerows(e.to_dict() for e in entries)


def to_banks(entries: Iterable[BankEntry]) -> list[Bank]:
    """Group file entries into (enabled) banks, for tests and offline use without Redis."""
    grouped: dict[str, list[BankEntry]] = defaultdict(list)
    for e in entries:
        grouped[e.bank].append(e)
    mixed = sorted(name for name, es in grouped.items() if len({e.policy for e in es}) > 1)
    if mixed:
        raise ValueError(f"banks with rows under more than one policy: {', '.join(mixed)} (one bank, one policy)")
    return [
        Bank(name, es[0].policy, True, _sources(e.source for e in es),
             frozenset(e.hash for e in es if e.kind == "md5"), frozenset(e.hash for e in es if e.kind == "pdq"))
        for name, es in grouped.items()
    ]


def _sources(sources: Iterable[str]) -> str:
    """Distinct provenance notes, merged: loading a second file into a bank keeps the first's."""
    return "; ".join(sorted({part for s in sources for part in s.split("; ") if part}))


# ---- Redis ------------------------------------------------------------------------------

INDEX = key("bank", "_index")
VERSION = key("bank", "_version")


def _set_key(bank: str, kind: str) -> str:
    return key("bank", f"{bank}:{kind}")


# Counter and the enabled banks' contents in one atomic call, so the two always agree.
_SNAPSHOT = """
local out = {redis.call('GET', KEYS[2]) or '0'}
for _, name in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local meta = redis.call('HGETALL', ARGV[1] .. name)
  local md5, pdq = {}, {}
  if redis.call('HGET', ARGV[1] .. name, 'enabled') == '1' then
    md5 = redis.call('SMEMBERS', ARGV[1] .. name .. ':md5')
    pdq = redis.call('SMEMBERS', ARGV[1] .. name .. ':pdq')
  end
  table.insert(out, {name, meta, md5, pdq})
end
return out
"""


def _s(v: Any) -> str:
    return v.decode() if isinstance(v, bytes) else str(v)


@dataclass(frozen=True, slots=True)
class LoadResult:
    entries: int  #: rows read
    added: int  #: hashes not already in their bank
    banks: tuple[str, ...]
    counter: int  #: the store's change counter after the load


def _build(raw: list) -> HashBank:
    banks = []
    for name, meta, md5, pdq in raw:
        m = dict(zip(map(_s, meta[::2]), map(_s, meta[1::2])))
        banks.append(Bank(_s(name), m.get("policy", ""), m.get("enabled") == "1", m.get("source", ""),
                          frozenset(map(_s, md5)), frozenset(map(_s, pdq))))
    return HashBank.build(banks)


@dataclass
class RedisBankStore:
    """Banks in Redis. Writes are idempotent and bump the version counter only on a change."""

    client: aioredis.Redis

    async def load(self, entries: Iterable[BankEntry]) -> LoadResult:
        """Add entries to their banks (created enabled; an existing bank keeps its enabled flag).

        Raises ValueError when a bank already exists under another policy."""
        entries = list(entries)
        banks = to_banks(entries)
        pipe = self.client.pipeline(transaction=False)
        for b in banks:
            pipe.hgetall(key("bank", b.name))
        metas = [{_s(k): _s(v) for k, v in m.items()} for m in await pipe.execute()]
        for b, meta in zip(banks, metas):
            if meta and meta.get("policy") != b.policy:
                raise ValueError(f"bank {b.name!r} is {meta.get('policy')} in Redis, not {b.policy}: "
                                 f"load these hashes under a new bank name, or `drop` the old bank first")
        new = {(b.name, kind): await self._missing(b.name, kind, getattr(b, kind)) for b in banks for kind in KINDS}
        sources = {b.name: _sources([meta.get("source", ""), b.source]) for b, meta in zip(banks, metas)}
        changed_meta = [b for b, meta in zip(banks, metas) if not meta or meta.get("source", "") != sources[b.name]]
        if any(new.values()) or changed_meta:
            pipe = self.client.pipeline(transaction=True)
            for b in changed_meta:
                pipe.hset(key("bank", b.name), mapping={"policy": b.policy, "source": sources[b.name]})
                pipe.hsetnx(key("bank", b.name), "enabled", "1")
                pipe.sadd(INDEX, b.name)
            for (name, kind), hashes in new.items():
                for at in range(0, len(hashes), _CHUNK):
                    pipe.sadd(_set_key(name, kind), *hashes[at : at + _CHUNK])
            pipe.incr(VERSION)
            await pipe.execute()
        return LoadResult(len(entries), sum(map(len, new.values())), tuple(b.name for b in banks), await self.counter())

    async def _missing(self, bank: str, kind: str, hashes: frozenset[str]) -> list[str]:
        ordered = sorted(hashes)
        missing: list[str] = []
        for at in range(0, len(ordered), _CHUNK):
            part = ordered[at : at + _CHUNK]
            present = await self.client.smismember(_set_key(bank, kind), part)
            missing += [h for h, p in zip(part, present) if not int(p)]
        return missing

    async def set_enabled(self, bank: str, enabled: bool) -> bool:
        """Turn a bank on or off. True when that changed something. Raises KeyError for unknown banks."""
        await self._require(bank)
        flag = "1" if enabled else "0"
        if _s(await self.client.hget(key("bank", bank), "enabled")) == flag:
            return False
        pipe = self.client.pipeline(transaction=True)
        pipe.hset(key("bank", bank), "enabled", flag)
        pipe.incr(VERSION)
        await pipe.execute()
        return True

    async def disable(self, bank: str) -> bool:
        return await self.set_enabled(bank, False)

    async def enable(self, bank: str) -> bool:
        return await self.set_enabled(bank, True)

    async def drop(self, bank: str) -> None:
        """Delete a bank and its hashes (to reload it under another policy, or retire it)."""
        await self._require(bank)
        pipe = self.client.pipeline(transaction=True)
        pipe.delete(key("bank", bank), *(_set_key(bank, k) for k in KINDS))
        pipe.srem(INDEX, bank)
        pipe.incr(VERSION)
        await pipe.execute()

    async def _require(self, bank: str) -> None:
        if not await self.client.sismember(INDEX, bank):
            known = sorted(_s(n) for n in await self.client.smembers(INDEX))
            raise KeyError(f"no bank named {bank!r}; known banks: {', '.join(known) or '(none)'}")

    async def counter(self) -> int:
        """The change counter: cheap to poll, moves whenever the banks change."""
        return int(_s(await self.client.get(VERSION) or 0))

    async def snapshot_counted(self) -> tuple[int, HashBank]:
        """The counter and the matching snapshot, read atomically in one round trip."""
        raw = await self.client.eval(_SNAPSHOT, 2, INDEX, VERSION, key("bank", ""))
        return int(_s(raw[0])), await asyncio.to_thread(_build, raw[1:])  # ~0.4 s for 100k+100k: off the loop

    async def snapshot(self) -> HashBank:
        return (await self.snapshot_counted())[1]

    async def banks(self) -> list[BankInfo]:
        names = sorted(_s(n) for n in await self.client.smembers(INDEX))
        pipe = self.client.pipeline(transaction=False)
        for n in names:
            pipe.hgetall(key("bank", n))
            pipe.scard(_set_key(n, "md5"))
            pipe.scard(_set_key(n, "pdq"))
        raw = await pipe.execute()
        out = []
        for i, n in enumerate(names):
            m = {_s(k): _s(v) for k, v in raw[3 * i].items()}
            out.append(BankInfo(n, m.get("policy", ""), m.get("enabled") == "1", m.get("source", ""),
                                int(raw[3 * i + 1]), int(raw[3 * i + 2])))
        return out


@dataclass
class BankCache:
    """A worker's current HashBank: checks the counter at most every `refresh_seconds`,
    re-reads only when it moved, and keeps serving the last good snapshot if Redis fails."""

    store: RedisBankStore
    refresh_seconds: float = 30.0
    clock: Callable[[], float] = time.monotonic
    banks: HashBank | None = None
    counter: int | None = None
    last_error: Exception | None = None  #: the latest failed refresh, for the caller to log; None after a good one
    _checked: float = field(default=float("-inf"), repr=False)

    async def get(self) -> HashBank:
        """The current snapshot. Raises only when there is none yet and Redis cannot be read."""
        now = self.clock()
        if self.banks is not None and now - self._checked < self.refresh_seconds:
            return self.banks
        self._checked = now
        try:
            if self.banks is None or await self.store.counter() != self.counter:
                self.counter, self.banks = await self.store.snapshot_counted()
            self.last_error = None
        except Exception as e:  # noqa: BLE001 - a Redis hiccup must not stop tagging with the banks we have
            self.last_error = e
            if self.banks is None:
                raise
        return self.banks


# ---- CLI helpers (`modstream banks load|list|disable`) -----------------------------------


async def load_file(store: RedisBankStore, path: str | Path) -> LoadResult:
    """Validate a bank file and load it (idempotent)."""
    return await store.load(read_file(path))


async def describe(store: RedisBankStore) -> str:
    """A table of the banks for `modstream banks list`, with the matching snapshot's version."""
    infos = await store.banks()
    counter, snap = await store.snapshot_counted()
    if not infos:
        return f"no hash banks loaded (load one with `modstream banks load FILE`); counter {counter}"
    rows = [("bank", "policy", "enabled", "md5", "pdq", "source")]
    rows += [(b.name, b.policy, "yes" if b.enabled else "no", str(b.md5), str(b.pdq), b.source) for b in infos]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[5] for r in rows]
    return "\n".join(lines + [f"{snap.source} (counter {counter})"])
