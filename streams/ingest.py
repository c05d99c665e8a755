"""`modstream ingest`: JSON Lines from the platform onto the input topics.

Each line is one of:
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
from dataclasses import dataclass, field
from typing import IO, Iterable

from confluent_kafka import Producer

from agents.records import Account, Case, RecordError, Report
from streams import topics
from streams.codec import Codec, CodecError
from streams.config import Settings
from streams.deadletter import dead_letter
from streams.topics import TopicSpec


@dataclass
class IngestStats:
    lines: int = 0
    posts: int = 0
    accounts: int = 0
    reports: int = 0
    dead_letters: int = 0
    errors: list[str] = field(default_factory=list)  #: the first few reasons, for the summary

    def summary(self) -> str:
        return (f"{self.lines} lines: {self.posts} posts, {self.accounts} account updates, {self.reports} reports, "
                f"{self.dead_letters} to dead-letters")


def producer(settings: Settings, **extra: str) -> Producer:
    conf = {**settings.kafka_config(), "partitioner": "murmur2_random", "linger.ms": 10, "compression.type": "lz4",
            "enable.idempotence": True, "message.max.bytes": 1_000_000, **extra}
    return Producer(conf)


class Ingestor:
    """Validates contract lines and produces them; one instance per run."""

    def __init__(self, settings: Settings, codec: Codec, source: str):
        self.settings, self.codec, self.source = settings, codec, source
        self.producer = producer(settings)
        self.stats = IngestStats()
        self._failed: list[str] = []

    def _produce(self, spec: TopicSpec, key: str, data: bytes) -> None:
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
            obj = json.loads(raw)
            records = self._records(obj)
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
            self._produce(spec, key, value)
            if spec is topics.POSTS:
                self.stats.posts += 1
            elif spec is topics.ACCOUNTS:
                self.stats.accounts += 1
            else:
                self.stats.reports += 1

    def _records(self, obj: object) -> list[tuple[TopicSpec, str, bytes]]:
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
        self._produce(topics.DEAD_LETTERS, self.source, self.codec.encode(topics.DEAD_LETTERS.schema, dead_letter(
            raw, source=f"ingest:{self.source}", offset=number, stage="ingest", reason=message, error_type=error_type)))

    def close(self, timeout: float = 30.0) -> None:
        remaining = self.producer.flush(timeout)
        if remaining or self._failed:
            raise RuntimeError(f"{remaining} records not delivered to {self.settings.kafka_bootstrap}; "
                               f"first errors: {self._failed[:3]}; is the broker up (modstream local status)?")


def run(settings: Settings, codec: Codec, lines: Iterable[bytes], source: str, progress: IO | None = sys.stderr,
        every: int = 10_000) -> IngestStats:
    ing = Ingestor(settings, codec, source)
    started = time.monotonic()
    for number, raw in enumerate(lines, 1):
        ing.line(number, raw)
        if progress and number % every == 0:
            rate = number / max(time.monotonic() - started, 1e-9)
            print(f"ingest: {number} lines, {rate:,.0f} lines/s", file=progress, flush=True)
    ing.close()
    return ing.stats
