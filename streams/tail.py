"""`modstream tail TOPIC`: decode any modstream topic and print it as JSON Lines.

For downstream consumers and humans. Each line: topic, partition, offset, timestamp
(ms), key and the decoded value (bytes fields base64). Records that do not decode are
printed with an `error` instead of a value, never skipped.
"""

from __future__ import annotations

import base64
import json
import sys
import time
import uuid
from typing import IO, Any, Iterator

from confluent_kafka import OFFSET_BEGINNING, OFFSET_END, Consumer, KafkaError, KafkaException, TopicPartition

from streams.codec import Codec, CodecError
from streams.config import Settings


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


#: broker answers that mean "not yet", not "no": leadership moving after a create or a broker restart
_TRANSIENT = {KafkaError.NOT_LEADER_FOR_PARTITION, KafkaError.LEADER_NOT_AVAILABLE, KafkaError._TIMED_OUT,
              KafkaError._TRANSPORT, KafkaError.UNKNOWN_TOPIC_OR_PART}


def _high_watermark(consumer: Consumer, tp: TopicPartition, timeout: float = 30.0) -> int:
    """The partition's end offset, waiting out retriable errors (a leader moving right after a topic
    is created or a broker restarts answers NOT_LEADER_FOR_PARTITION for a moment)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return consumer.get_watermark_offsets(tp, timeout=10)[1]
        except KafkaException as exc:
            err = exc.args[0]
            if not (err.retriable() or err.code() in _TRANSIENT) or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def records(settings: Settings, codec: Codec, topic: str, *, from_end: bool = False, follow: bool = False,
            idle_timeout: float = 2.0, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Yield decoded records of every partition; without `follow`, stop at the end present at start."""
    consumer = Consumer({**settings.kafka_config(), "group.id": f"modstream-tail-{uuid.uuid4().hex[:8]}",
                         "enable.auto.commit": False, "enable.partition.eof": True})
    try:
        meta = consumer.list_topics(topic, timeout=10).topics.get(topic)
        if meta is None or meta.error is not None:
            raise SystemExit(f"tail: topic {topic!r} not found on {settings.kafka_bootstrap}; "
                             "run `modstream topics apply` or check the name with `modstream topics list`")
        parts = sorted(meta.partitions)
        consumer.assign([TopicPartition(topic, p, OFFSET_END if from_end else OFFSET_BEGINNING) for p in parts])
        ends = {p: _high_watermark(consumer, TopicPartition(topic, p)) for p in parts}
        pending = {p for p in parts if ends[p] > 0 and not from_end}
        count, last = 0, time.monotonic()
        while follow or pending:
            msg = consumer.poll(0.5)
            if msg is None:
                if not follow and time.monotonic() - last > idle_timeout and not pending:
                    break
                continue
            if msg.error():
                if msg.error().code() == -191:  # _PARTITION_EOF
                    pending.discard(msg.partition())
                    continue
                raise SystemExit(f"tail: {msg.error()}")
            last = time.monotonic()
            if msg.offset() + 1 >= ends.get(msg.partition(), 0):
                pending.discard(msg.partition())
            out = {"topic": msg.topic(), "partition": msg.partition(), "offset": msg.offset(),
                   "timestamp": msg.timestamp()[1], "key": msg.key().decode(errors="replace") if msg.key() else None}
            try:
                out["schema"], value = codec.decode(msg.value())
                out["value"] = _jsonable(value)
            except CodecError as exc:
                out["error"] = str(exc)
            yield out
            count += 1
            if limit is not None and count >= limit:
                return
    finally:
        consumer.close()


def run(settings: Settings, codec: Codec, topic: str, out: IO = sys.stdout, **kwargs: Any) -> int:
    n = 0
    for rec in records(settings, codec, topic, **kwargs):
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    out.flush()
    return n
