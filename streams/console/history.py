"""What the console reads from the broker: a post's earlier decisions (audit.v1) and the load.

Bounded reads: at most `MAX_SCAN` records from the end of each partition, and a deadline, so
a page costs the same on a topic of any age. Blocking (confluent-kafka): the app runs these
in a thread. Records that do not decode are skipped (the dead-letter stage owns them).
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

from confluent_kafka import Consumer, TopicPartition

from streams.infra import topics
from streams.infra.codec import Codec, CodecError
from streams.infra.config import Settings

MAX_SCAN = 20_000  #: records per partition, from the end
DEADLINE_SECONDS = 10.0
REVIEW_KINDS = ("review_decision", "appeal_decision")


def scan(settings: Settings, codec: Codec, spec: topics.TopicSpec, max_scan: int = MAX_SCAN) -> Iterator[tuple[int, dict]]:
    """(broker timestamp ms, value) of the last `max_scan` records of each partition of `spec`."""
    topic = settings.topic(spec)
    consumer = Consumer({**settings.kafka_config(), "group.id": f"modstream-console-{uuid.uuid4().hex[:8]}",
                         "enable.auto.commit": False, "enable.partition.eof": True})
    try:
        meta = consumer.list_topics(topic, timeout=10).topics.get(topic)
        if meta is None or meta.error is not None:
            return
        ends, starts = {}, []
        for p in sorted(meta.partitions):
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
            if high > low:
                ends[p] = high
                starts.append(TopicPartition(topic, p, max(low, high - max_scan)))
        consumer.assign(starts)
        deadline = time.monotonic() + DEADLINE_SECONDS
        while ends and time.monotonic() < deadline:
            for msg in consumer.consume(500, 0.5):
                if msg.error():
                    continue
                if msg.offset() + 1 >= ends.get(msg.partition(), 0):
                    ends.pop(msg.partition(), None)
                try:
                    _, value = codec.decode(msg.value())
                except CodecError:
                    continue
                yield msg.timestamp()[1], value
    finally:
        consumer.close()


def post_history(settings: Settings, codec: Codec, post_id: str) -> list[dict[str, Any]]:
    """The audit records of one post, oldest first: earlier decisions, reviews and appeals."""
    rows = []
    for ts, v in scan(settings, codec, topics.AUDIT):
        if v.get("post_id") == post_id:
            rows.append({"at": _stamp(ts), "kind": v["kind"], "route": v["route"], "decided_by": v["decided_by"],
                         "decision_id": v["decision_id"], "reasons": list(v.get("reasons") or ())[:6],
                         "actions": len(v.get("action_ids") or ())})
    return sorted(rows, key=lambda r: r["at"])


def load(settings: Settings, codec: Codec, now: datetime, hours: int = 24) -> dict[str, Any]:
    """Escalations per hour over the last `hours` (broker time) and today's human decisions by outcome."""
    start = (now - timedelta(hours=hours - 1)).replace(minute=0, second=0, microsecond=0)
    per_hour: Counter[int] = Counter()
    for ts, _ in scan(settings, codec, topics.ESCALATIONS):
        slot = int((ts / 1000 - start.timestamp()) // 3600)
        if 0 <= slot < hours:
            per_hour[slot] += 1
    today = now.strftime("%Y-%m-%d")
    outcomes: Counter[str] = Counter()
    for ts, v in scan(settings, codec, topics.AUDIT):
        if v.get("kind") in REVIEW_KINDS and _stamp(ts).startswith(today):
            outcomes[v["route"]] += 1
    return {"hours": [(start + timedelta(hours=i), per_hour[i]) for i in range(hours)],
            "outcomes": dict(sorted(outcomes.items()))}


def _stamp(ts_ms: int) -> str:
    return datetime.fromtimestamp(ts_ms / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
