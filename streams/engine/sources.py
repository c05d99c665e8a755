"""Sources the engine's drivers read: a topic range (replay, audits) read in offset order.

An assign-only consumer with a unique group id it never commits to, so reading history
never touches a live consumer group.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Iterator

from confluent_kafka import Consumer, KafkaError, KafkaException, TopicPartition

from streams.infra.config import Settings


@dataclass(frozen=True, slots=True)
class Window:
    """A time window on broker timestamps: [start, end)."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("window times need a time zone (e.g. 2026-11-20T12:00:00Z)")
        if self.end <= self.start:
            raise ValueError(f"window end {self.end.isoformat()} is not after its start {self.start.isoformat()}")

    @property
    def start_ms(self) -> int:
        return int(self.start.timestamp() * 1000)

    @property
    def end_ms(self) -> int:
        return int(self.end.timestamp() * 1000)


@dataclass(frozen=True, slots=True)
class Range:
    """Offsets [start, end) of one partition of a deployed topic."""

    topic: str
    partition: int
    start: int
    end: int

    def __str__(self) -> str:
        return f"{self.partition}:{self.start}-{self.end}"


@dataclass(frozen=True, slots=True)
class Record:
    """A consumed record, reduced to what replay needs (no client objects)."""

    topic: str
    partition: int
    offset: int
    timestamp: int
    key: bytes | None
    value: bytes | None


def parse_time(text: str) -> datetime:
    """RFC 3339 (a trailing Z is fine); naive times are refused rather than guessed."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone: add Z or +HH:MM")
    return value


def parse_offsets(text: str, topic: str) -> list[Range]:
    """`P:START-END,...` (END exclusive) for one deployed topic, e.g. `0:0-500,1:0-480`."""
    out = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            p, span = part.split(":")
            start, end = span.split("-")
            out.append(Range(topic, int(p), int(start), int(end)))
        except ValueError:
            raise ValueError(f"bad offset range {part!r}: expected PARTITION:START-END, e.g. 0:0-500") from None
    return out


def _consumer(settings: Settings) -> Consumer:
    """An assign-only consumer: a unique group id it never commits to, so no live group is touched."""
    return Consumer({**settings.kafka_config(), "group.id": f"modstream-replay-{uuid.uuid4().hex[:12]}",
                     "enable.auto.commit": False, "enable.auto.offset.store": False,
                     "enable.partition.eof": True, "auto.offset.reset": "earliest"})


def _partitions(consumer: Consumer, topic: str) -> list[int]:
    meta = consumer.list_topics(topic, timeout=10).topics.get(topic)
    if meta is None or meta.error is not None:
        raise SystemExit(f"replay: topic {topic!r} not found; check the name with `modstream topics list`")
    return sorted(meta.partitions)


def resolve_window(settings: Settings, topic: str, window: Window | None) -> list[Range]:
    """Offset ranges of every partition of `topic` for a broker-time window (None: all of it now)."""
    c = _consumer(settings)
    try:
        out = []
        for p in _partitions(c, topic):
            low, high = c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
            if window is None:
                start, end = low, high
            else:  # one lookup per call: librdkafka merges two entries for the same partition
                start, end = (o if o >= 0 else high for o in (
                    c.offsets_for_times([TopicPartition(topic, p, ms)], timeout=10)[0].offset
                    for ms in (window.start_ms, window.end_ms)))
            out.append(Range(topic, p, max(start, low), min(end, high)))
        return out
    finally:
        c.close()


def _watermarks(c: Consumer, topic: str, partition: int) -> tuple[int, int]:
    """A fresh consumer may not know the topic yet ("Unknown partition"): fetch its metadata, ask again."""
    try:
        return c.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)
    except KafkaException:
        _partitions(c, topic)
        return c.get_watermark_offsets(TopicPartition(topic, partition), timeout=30)


def read_ranges(settings: Settings, ranges: Iterable[Range], *, max_ts: int | None = None,
                idle_timeout: float = 30.0) -> Iterator[Record]:
    """Records of each range in (topic, partition, offset) order; `max_ts` drops later broker times."""
    c = _consumer(settings)
    try:
        for r in sorted(ranges, key=lambda r: (r.topic, r.partition, r.start)):
            low, high = _watermarks(c, r.topic, r.partition)
            start, end = max(r.start, low), min(r.end, high)
            if start >= end:
                continue
            c.assign([TopicPartition(r.topic, r.partition, start)])
            done, idle_since = False, time.monotonic()
            while not done:
                batch = c.consume(500, timeout=0.2)  # returns early only when 500 are there
                if batch:
                    idle_since = time.monotonic()
                elif time.monotonic() - idle_since > idle_timeout:
                    raise TimeoutError(f"replay: nothing read from {r.topic}[{r.partition}] at {start}-{end} for "
                                       f"{idle_timeout:.0f}s; is the broker up?")
                for msg in batch:
                    if msg.error():
                        if msg.error().code() == KafkaError._PARTITION_EOF:
                            done = True
                            break
                        raise SystemExit(f"replay: reading {r.topic}[{r.partition}]: {msg.error()}")
                    if msg.offset() >= end:
                        done = True
                        break
                    ts = msg.timestamp()[1]
                    if max_ts is None or ts <= max_ts:
                        yield Record(msg.topic(), msg.partition(), msg.offset(), ts, msg.key(), msg.value())
                    if msg.offset() >= end - 1:
                        done = True
                        break
            c.unassign()
    finally:
        c.close()
