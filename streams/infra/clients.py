"""The Kafka clients commands and drivers share: an idempotent producer, and a reader that
decodes a whole topic (every partition up to the end present at start, or following it).

Why here and not in a command: drivers (replay), infrastructure (policy versions) and
commands all need them, and infrastructure must not import commands.
"""

from __future__ import annotations

import base64
import time
import uuid
from typing import Any, Iterator

from confluent_kafka import OFFSET_BEGINNING, OFFSET_END, Consumer, KafkaError, KafkaException, Producer, TopicPartition

from streams.infra import topics
from streams.infra.codec import Codec, CodecError
from streams.infra.config import Settings


def producer(settings: Settings, **extra: str) -> Producer:
    conf = {**settings.kafka_config(), "partitioner": "murmur2_random", "linger.ms": 10, "compression.type": "lz4",
            "acks": "all", "enable.idempotence": True, "message.max.bytes": topics.MAX_MESSAGE_BYTES, **extra}
    return Producer(conf)



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
