"""The context as of a time, rebuilt from the topics (replay), in bounded memory.

What the live hot path reads from Redis, replay reads from account-updates.v1, reports.v1
and post-deletions.v1 up to `as_of_ms` (broker time). Those topics can be far bigger than
memory, so they are streamed once into an on-disk SQLite index (a temporary file, dropped
on close), and each batch looks up only its own posts' authors, reports and deletions:
- the author (and mentioned accounts) is the latest snapshot with `observed_at` <= the
  post's `created_at`, ties to the later log position (the live compare-and-set); a
  snapshot without `observed_at` counts as observed at its broker time; tombstones ignored;
- reports: first per reporter in log order (live: RedisReports.add's HSETNX);
- deletions: a post deleted at the source by `as_of` needs no action (live: the deletions agent);
- designations: the shipped seed plus designation files; banks: the bank files given;
- caps: counted in this process (MemoryCaps), per UTC day of the input's broker time.
"""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from agents.hashbank import HashBank
from agents.records import Account, Designation, Post, RecordError, Report
from streams.engine.context import Context, MemoryCaps, index
from streams.engine.sources import Record, read_ranges, resolve_window
from streams.infra import topics
from streams.infra.codec import Codec, CodecError
from streams.infra.config import Settings

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_ROWS = 5000  #: rows per insert while indexing


def micros(moment: datetime) -> int:
    """Exact microseconds since the epoch (a float would round some apart that differ)."""
    return (moment - _EPOCH) // _MICRO


_MICRO = datetime(1970, 1, 1, 0, 0, 0, 1, tzinfo=timezone.utc) - _EPOCH


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


_SCHEMA = """
CREATE TABLE accounts (account_id TEXT, observed INTEGER, pos INTEGER, value BLOB);
CREATE TABLE reports (post_id TEXT, reporter TEXT, pos INTEGER, value BLOB, PRIMARY KEY (post_id, reporter));
CREATE TABLE deleted (post_id TEXT PRIMARY KEY);
"""


def read_context(settings: Settings, codec: Codec, as_of_ms: int, designations: Sequence[Designation],
                 banks: HashBank) -> "AsOfPort":
    """Index account-updates.v1, reports.v1 and post-deletions.v1 up to `as_of_ms` (see AsOfPort)."""
    return AsOfPort.build(settings, codec, as_of_ms, designations, banks)


@dataclass
class AsOfPort:
    """A ContextPort over the topics as of `as_of_ms`; `close()` drops the index."""

    codec: Codec
    db: sqlite3.Connection
    registry: Mapping[str, tuple[Designation, ...]]
    banks: HashBank
    as_of_ms: int
    skipped: int = 0  #: context records that did not decode (live: dead letters)
    caps: MemoryCaps = field(default_factory=MemoryCaps)
    _dir: tempfile.TemporaryDirectory | None = None

    @classmethod
    def build(cls, settings: Settings, codec: Codec, as_of_ms: int, designations: Sequence[Designation],
              banks: HashBank) -> "AsOfPort":
        tmp = tempfile.TemporaryDirectory(prefix="modstream-replay-")
        port = cls.empty(codec, Path(tmp.name) / "context.db", as_of_ms, designations, banks)
        port._dir = tmp
        port._index(settings)
        return port

    @classmethod
    def empty(cls, codec: Codec, path: Path | str, as_of_ms: int, designations: Sequence[Designation] = (),
              banks: HashBank | None = None) -> "AsOfPort":
        """An index with nothing in it yet, at `path` (":memory:" for tests)."""
        db = sqlite3.connect(path)
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-16384;" + _SCHEMA
                         + "CREATE INDEX accounts_at ON accounts (account_id, observed, pos);")
        return cls(codec, db, index(designations), banks or HashBank.empty(), as_of_ms)

    def close(self) -> None:
        self.db.close()
        if self._dir is not None:
            self._dir.cleanup()

    def _read(self, settings: Settings, spec: topics.TopicSpec) -> Iterator[Record]:
        name = settings.topic(spec)
        return read_ranges(settings, resolve_window(settings, name, None), max_ts=self.as_of_ms)

    def _index(self, settings: Settings) -> None:
        def rows(spec, row):
            for pos, rec in enumerate(self._read(settings, spec)):
                if spec is topics.ACCOUNTS and rec.value is None:
                    continue  # tombstone: the live accounts agent keeps the last snapshot too
                try:
                    yield row(pos, rec, self.codec.decode(rec.value or b"", expect=spec.schema)[1])
                except (CodecError, RecordError):
                    self.skipped += 1

        def report(pos: int, rec: Record, value: dict) -> tuple:
            r = Report.from_dict(value)
            return r.post_id, r.reporter_key, pos, rec.value

        self.add_accounts(rows(topics.ACCOUNTS, lambda pos, rec, value: (pos, rec.timestamp, Account.from_dict(value), rec.value)))
        self._insert("INSERT OR IGNORE INTO reports VALUES (?, ?, ?, ?)", rows(topics.REPORTS, report))
        self._insert("INSERT OR IGNORE INTO deleted VALUES (?)",
                     rows(topics.DELETIONS, lambda _p, _r, v: (v["post_id"],)))
        self.db.commit()

    def add_accounts(self, rows: Iterable[tuple[int, int, Account, bytes]]) -> None:
        """(log position, broker time ms, snapshot, its encoded value) of account-updates.v1 records."""
        def row(pos: int, ts: int, a: Account, raw: bytes) -> tuple:
            observed = _when(a.observed_at) if a.observed_at else datetime.fromtimestamp(ts / 1000, timezone.utc)
            return a.account_id, micros(observed), pos, raw

        self._insert("INSERT INTO accounts VALUES (?, ?, ?, ?)", (row(*r) for r in rows))

    def _insert(self, sql: str, rows: Iterator[tuple]) -> None:
        chunk: list[tuple] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= _ROWS:
                self.db.executemany(sql, chunk)
                chunk = []
        self.db.executemany(sql, chunk)

    def account(self, account_id: str, at: str) -> Account | None:
        """The latest snapshot observed at or before `at` (a post's created_at)."""
        row = self.db.execute("SELECT value FROM accounts WHERE account_id = ? AND observed <= ? "
                              "ORDER BY observed DESC, pos DESC LIMIT 1", (account_id, micros(_when(at)))).fetchone()
        return Account.from_dict(self.codec.decode(row[0], expect=topics.ACCOUNTS.schema)[1]) if row else None

    def load(self, posts: Sequence[Post]) -> Context:
        accounts = {}
        for post in posts:
            for aid in (post.author_id, *post.mentions):
                if (aid, post.created_at) not in accounts and (a := self.account(aid, post.created_at)) is not None:
                    accounts[(aid, post.created_at)] = a
        ids = sorted({p.post_id for p in posts})
        marks = ",".join("?" * len(ids))
        reports: dict[str, list[Report]] = {}
        for post_id, value in self.db.execute(f"SELECT post_id, value FROM reports WHERE post_id IN ({marks}) "
                                              "ORDER BY pos", ids):
            reports.setdefault(post_id, []).append(
                Report.from_dict(self.codec.decode(value, expect=topics.REPORTS.schema)[1]))
        deleted = {r[0] for r in self.db.execute(f"SELECT post_id FROM deleted WHERE post_id IN ({marks})", ids)}
        return Context(self.registry, accounts, {k: tuple(v) for k, v in reports.items()}, frozenset(deleted), {},
                       self.banks, self.caps)
