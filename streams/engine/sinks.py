"""Where the engine's outputs go, one record at a time: Kafka topics, a file, stdout.

Thin on purpose: a sink encodes and writes; what to write is decided before it
(streams/engine/apply.py). Writing as records come keeps replay's memory flat however long
the range.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from confluent_kafka import Producer

from streams.engine.apply import OutRecord
from streams.infra.codec import Codec
from streams.infra.config import Settings

SYNC_MARKER = b"modstream-replay"  #: fixed Avro container sync marker: same records, same file bytes
FILE_SCHEMA = {
    "type": "record", "name": "ReplayRecord", "namespace": "modstream.replay",
    "doc": "One replay output record: the catalog topic it belongs to, its key, and its encoded value.",
    "fields": [
        {"name": "topic", "type": "string", "doc": "Catalog topic name (no prefix)."},
        {"name": "key", "type": "string", "doc": "Record key (post_id)."},
        {"name": "schema", "type": "string", "doc": "Full Avro name of the value."},
        {"name": "value", "type": "bytes", "doc": "The value as streams.infra.codec encodes it."},
        {"name": "input_partition", "type": "int", "doc": "Partition of the input record."},
        {"name": "input_offset", "type": "long", "doc": "Offset of the input record."},
    ],
}


@dataclass(frozen=True, slots=True)
class Produced:
    """One output, with the input coordinates it came from."""

    input_topic: str
    input_partition: int
    input_offset: int
    timestamp: int  #: the input's broker time (ms): outputs carry it, not the wall clock
    record: OutRecord


class Sink(Protocol):
    def write(self, item: Produced) -> None: ...

    def close(self) -> None:
        """Everything written is delivered (raises when it is not)."""
        ...


class KafkaSink:
    """Records to the topics of `settings` (its prefix), with the input's timestamp; `close` waits for every ack."""

    def __init__(self, settings: Settings, codec: Codec, producer: Producer):
        self.s, self.codec, self.producer = settings, codec, producer
        self.failed: list[str] = []

    def _delivered(self, err: Any, _msg: Any) -> None:
        if err is not None:
            self.failed.append(str(err))

    def write(self, item: Produced) -> None:
        rec = item.record
        value = self.codec.encode(rec.topic.schema, rec.value)
        while True:
            try:
                self.producer.produce(self.s.topic(rec.topic), key=rec.key.encode(), value=value,
                                      timestamp=item.timestamp, on_delivery=self._delivered)
                break
            except BufferError:  # local queue full: let deliveries drain
                self.producer.poll(0.5)
        self.producer.poll(0)

    def close(self) -> None:
        if self.producer.flush(60) or self.failed:
            raise RuntimeError(f"records not delivered to {self.s.topic_prefix}*: {self.failed[:3]}")


class JsonLinesSink:
    """Decoded values, one JSON object a line (stdout, or a .jsonl file)."""

    def __init__(self, out: IO[str]):
        self.out = out

    def write(self, p: Produced) -> None:
        self.out.write(json.dumps({"topic": p.record.topic.name, "key": p.record.key, "schema": p.record.topic.schema,
                                   "input": {"topic": p.input_topic, "partition": p.input_partition,
                                             "offset": p.input_offset}, "value": p.record.value},
                                  ensure_ascii=False, separators=(",", ":")) + "\n")

    def close(self) -> None:
        self.out.flush()
        if self.out.fileno() > 2:
            self.out.close()


class AvroFileSink:
    """An Avro container of encoded values (FILE_SCHEMA), with a fixed sync marker."""

    def __init__(self, codec: Codec, path: Path):
        from fastavro import parse_schema
        from fastavro.write import Writer

        self.codec, self.fh = codec, path.open("wb")
        self.writer = Writer(self.fh, parse_schema(FILE_SCHEMA), sync_marker=SYNC_MARKER)

    def write(self, p: Produced) -> None:
        self.writer.write({"topic": p.record.topic.name, "key": p.record.key, "schema": p.record.topic.schema,
                           "value": self.codec.encode(p.record.topic.schema, p.record.value),
                           "input_partition": p.input_partition, "input_offset": p.input_offset})

    def close(self) -> None:
        self.writer.flush()
        self.fh.close()


def file_sink(codec: Codec, path: Path) -> Sink:
    """`.avro`: an Avro container; anything else: JSON Lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return AvroFileSink(codec, path) if path.suffix == ".avro" else JsonLinesSink(path.open("w", encoding="utf-8"))
