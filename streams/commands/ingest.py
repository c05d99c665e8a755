"""`modstream ingest`: the platform's firehose onto the input topics.

`--format x-v2` and `--format jetstream` take the X API v2 stream and Bluesky Jetstream as
they come (mapped by `streams/infra/formats/`): posts, account snapshots (partial ones, such as a
handle change, go to account-patches.v1), account status changes and deletions.

In our own contract (the default), each line is one of:
- a decide-contract object `{"post": ..., "author": ..., "mentioned_accounts": [...],
  "violations": [...], "reports": [...]}`: the author and mentioned accounts go to
  account-updates.v1 first, then the post to posts.v1, then the reports to reports.v1;
- `{"account": {...}}`: a profile snapshot alone;
- `{"report": {...}}`: a report alone (with its `post_id`).

Lines that are not valid JSON or break the contract go to dead-letters.v1 with the line
number and the reason; the run goes on. Producers use the murmur2 partitioner, so keys
land on the partitions faust (aiokafka, Java) expects.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Iterable

from agents.records import MAX_LINE_BYTES, Account, Case, LineError, RecordError, Report, load_line
from streams.infra import topics
from streams.infra.clients import producer
from streams.infra.codec import Codec, CodecError
from streams.infra.config import Settings
from streams.engine.deadletter import dead_letter
from streams.infra.formats import FORMATS, map_line
from streams.infra.formats.common import Mapped, MappingError
from streams.infra.topics import TopicSpec


@dataclass
class IngestStats:
    lines: int = 0
    posts: int = 0
    accounts: int = 0  #: full snapshots and partial updates
    reports: int = 0
    deletions: int = 0
    statuses: int = 0
    dead_letters: int = 0
    upstream_errors: int = 0  #: error objects the source attached to events that still had data
    unmapped: Counter = field(default_factory=Counter)  #: what native events held that we could not map, by field
    errors: list[str] = field(default_factory=list)  #: the first few reasons, for the summary

    def count(self, spec: TopicSpec) -> None:
        name = {topics.POSTS: "posts", topics.ACCOUNTS: "accounts", topics.PATCHES: "accounts",
                topics.REPORTS: "reports", topics.DELETIONS: "deletions", topics.ACCOUNT_STATUS: "statuses"}[spec]
        setattr(self, name, getattr(self, name) + 1)

    def summary(self) -> str:
        text = (f"{self.lines} lines: {self.posts} posts, {self.accounts} account updates, {self.reports} reports, "
                f"{self.dead_letters} to dead-letters")
        if self.deletions or self.statuses or self.upstream_errors:
            text += (f"; {self.deletions} deletions, {self.statuses} account status changes, "
                     f"{self.upstream_errors} upstream errors")
        if self.unmapped:
            text += "; not mapped: " + ", ".join(f"{k} x{n}" for k, n in self.unmapped.most_common(8))
        return text


class Ingestor:
    """Validates lines (our contract, or a native firehose format) and produces them; one per run."""

    def __init__(self, settings: Settings, codec: Codec, source: str, fmt: str = "contract"):
        if fmt != "contract" and fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}: contract, {', '.join(FORMATS)}")
        self.settings, self.codec, self.source, self.fmt = settings, codec, source, fmt
        self.producer = producer(settings)
        self.stats = IngestStats()
        self._failed: list[str] = []

    def produce(self, spec: TopicSpec, key: str, data: bytes) -> None:
        while True:
            try:
                self.producer.produce(self.settings.topic(spec), key=key.encode(), value=data, on_delivery=self._delivered)
                break
            except BufferError:  # local queue full: let it drain, never drop
                self.producer.poll(0.5)
        self.producer.poll(0)

    def _delivered(self, err, msg) -> None:
        if err is not None:
            self._failed.append(f"{msg.topic()}: {err}")

    def line(self, number: int, raw: bytes) -> None:
        self.stats.lines += 1
        raw = raw.rstrip(b"\r\n")
        if not raw.strip():
            return
        try:
            records = self.records(load_line(raw)) if self.fmt == "contract" else self._native(raw)
        except MappingError as exc:
            return self._dead(number, raw, exc.error_type, exc.reason)
        except LineError as exc:
            return self._dead(number, raw, "invalid_json", exc.problem)
        except json.JSONDecodeError as exc:
            return self._dead(number, raw, "invalid_json", f"not valid JSON ({exc.msg} at column {exc.colno}); "
                                                            "each line must be one JSON object")
        except RecordError as exc:
            return self._dead(number, raw, "invalid_record", f"{exc}; see the contract in README 'Input contract'")
        except CodecError as exc:
            return self._dead(number, raw, exc.error_type, str(exc))
        except (RecursionError, UnicodeDecodeError) as exc:  # nested deeper than the parser goes, or not UTF-8
            return self._dead(number, raw, "invalid_json", f"not readable JSON ({type(exc).__name__}); "
                                                            "each line must be one UTF-8 JSON object")
        except (AttributeError, TypeError, ValueError) as exc:  # a gap in the contract checks must not stop the run
            return self._dead(number, raw, "invalid_record", f"the line breaks the contract ({type(exc).__name__}); "
                                                              "see the contract in README 'Input contract'")
        for spec, key, value in records:
            self.produce(spec, key, value)
            self.stats.count(spec)

    def _native(self, raw: bytes) -> list[tuple[TopicSpec, str, bytes]]:
        """A native event, mapped and encoded (see `mapped_records`)."""
        if len(raw) > MAX_LINE_BYTES:
            raise LineError("$", f"the line is {len(raw):,} bytes, over the {MAX_LINE_BYTES:,}-byte limit")
        m = map_line(self.fmt, raw)
        self.stats.upstream_errors += m.upstream_errors
        self.stats.unmapped.update(note.split(":", 1)[0] for note in m.unmapped)
        return [(spec, key, self.codec.encode(spec.schema, value)) for spec, key, value in mapped_records(m)]

    def records(self, obj: object) -> list[tuple[TopicSpec, str, bytes]]:
        """Validate and encode the whole line first, so a bad line produces nothing at all."""
        if isinstance(obj, dict) and "account" in obj and "post" not in obj:
            a = Account.from_dict(obj["account"], "account")
            out = [(topics.ACCOUNTS, a.account_id, a.to_dict())]
        elif isinstance(obj, dict) and "report" in obj and "post" not in obj:
            r = Report.from_dict(obj["report"], "report")
            out = [(topics.REPORTS, r.post_id, r.to_dict())]
        else:
            case = Case.from_dict(obj)
            seen = case.post.created_at
            out = [(topics.ACCOUNTS, a.account_id, {**a.to_dict(), "observed_at": a.observed_at or seen})
                   for a in ((case.author,) if case.author else ()) + case.mentioned_accounts]
            out.append((topics.POSTS, case.post.post_id, case.post.to_dict()))
            out += [(topics.REPORTS, r.post_id, r.to_dict()) for r in case.reports]
        return [(spec, key, self.codec.encode(spec.schema, value)) for spec, key, value in out]

    def _dead(self, number: int, raw: bytes, error_type: str, reason: str) -> None:
        self.stats.dead_letters += 1
        message = f"{self.source} line {number}: {reason}"
        if len(self.stats.errors) < 5:
            self.stats.errors.append(message)
        self.produce(topics.DEAD_LETTERS, self.source, self.codec.encode(topics.DEAD_LETTERS.schema, dead_letter(
            raw, source=f"ingest:{self.source}", offset=number, stage="ingest", reason=message, error_type=error_type)))

    def close(self, timeout: float = 30.0) -> None:
        remaining = self.producer.flush(timeout)
        if remaining or self._failed:
            hint = ("a topic is missing: run `modstream topics apply`" if any("UNKNOWN_TOPIC" in e for e in self._failed)
                    else "is the broker up (modstream local status)?")
            raise RuntimeError(f"{remaining + len(self._failed)} records not delivered to "
                               f"{self.settings.kafka_bootstrap}; first errors: {self._failed[:3]}; {hint}")


def mapped_records(m: Mapped) -> list[tuple[TopicSpec, str, dict]]:
    """Where a mapped native event goes: accounts first (partial ones as patches), statuses, posts, deletions."""
    out: list[tuple[TopicSpec, str, dict]] = [
        (topics.PATCHES, u.account.account_id, u.to_dict()) if u.partial
        else (topics.ACCOUNTS, u.account.account_id, u.account.to_dict()) for u in m.accounts]
    out += [(topics.ACCOUNT_STATUS, st.account_id, st.to_dict()) for st in m.statuses]
    out += [(topics.POSTS, p.post_id, p.to_dict()) for p in m.posts]
    out += [(topics.DELETIONS, d.post_id, d.to_dict()) for d in m.deletions]
    return out


def run(settings: Settings, codec: Codec, lines: Iterable[bytes], source: str, progress: IO | None = sys.stderr,
        every: int = 10_000, fmt: str = "contract") -> IngestStats:
    ing = Ingestor(settings, codec, source, fmt)
    started = time.monotonic()
    for number, raw in enumerate(lines, 1):
        ing.line(number, raw)
        if progress and number % every == 0:
            rate = number / max(time.monotonic() - started, 1e-9)
            print(f"ingest: {number} lines, {rate:,.0f} lines/s", file=progress, flush=True)
    ing.close()
    return ing.stats
