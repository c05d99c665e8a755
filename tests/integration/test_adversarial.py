"""Issue 14's target on the real pipeline: 10,000 adversarial records produced straight to the
input topics (oversized, garbage, invalid UTF-8, wrong schema, bad times, bad countries,
empty ids, over-long text, and good posts among them). Every good post is decided exactly
once, every bad record becomes exactly one dead letter, with no manual step and no restart.
"""

from __future__ import annotations

import json
import time
from collections import Counter

import pytest
from confluent_kafka import Producer

from streams.commands import dlq
from streams.infra import clients, topics
from streams.infra.codec import example_record

pytestmark = pytest.mark.integration
T0 = "2026-11-20T12:00:00Z"
TOTAL = 10_000
MARK = "ZZZZ-INVALID-UTF8-ZZZZ"


def _post(codec, pid: str, **fields) -> bytes:
    return codec.encode(topics.POSTS.schema, {**example_record(codec.schema(topics.POSTS.schema)), "post_id": pid,
                                              "author_id": "adv-author", "text": "a normal post", "created_at": T0,
                                              **fields})


def _bad(codec, kind: str, n: int) -> tuple[str, bytes]:
    """(topic spec name, value) of the n-th bad record of `kind`."""
    pid = f"bad-{kind}-{n}"
    report = codec.encode(topics.REPORTS.schema, {**example_record(codec.schema(topics.REPORTS.schema)),
                                                  "post_id": pid, "created_at": T0})
    return {
        "oversized": lambda: ("posts", _post(codec, pid, text="spam " * 130_000)),
        "text_too_long": lambda: ("posts", _post(codec, pid, text="x" * 30_000)),
        "invalid_utf8": lambda: ("posts", _post(codec, pid, text=MARK).replace(MARK.encode(), b"\xff\xfe" * 11)),
        "not_avro": lambda: ("posts", json.dumps({"post_id": pid}).encode()),
        "nested_json": lambda: ("posts", b"[" * 5_000 + b"]" * 5_000),
        "wrong_schema": lambda: ("posts", report),
        "naive_time": lambda: ("posts", _post(codec, pid, created_at="2026-11-20T12:00:00")),
        "date_only": lambda: ("posts", _post(codec, pid, created_at="2026-11-20")),
        "year_one": lambda: ("posts", _post(codec, pid, created_at="0001-01-01T00:00:00Z")),
        "far_future": lambda: ("posts", _post(codec, pid, created_at="9999-12-31T23:59:59Z")),
        "bad_country": lambda: ("posts", _post(codec, pid, country="USA")),
        "empty_post_id": lambda: ("posts", _post(codec, "")),
        "report_naive_time": lambda: ("reports", codec.encode(topics.REPORTS.schema, {
            **codec.decode(report)[1], "created_at": "2026-11-20T12:00"})),
        "report_garbage": lambda: ("reports", b"\xc3\x01" + bytes(8) + b"\x01" * 100),
    }[kind]()


KINDS = ("oversized", "text_too_long", "invalid_utf8", "not_avro", "nested_json", "wrong_schema", "naive_time",
         "date_only", "year_one", "far_future", "bad_country", "empty_post_id", "report_naive_time", "report_garbage")


@pytest.fixture(scope="module")
def produced(stack, codec, worker) -> tuple[set[str], set[bytes]]:
    """Every 2nd record a good post, the others cycling through the bad kinds (10 oversized ones)."""
    p = Producer({**stack.kafka_config(), "partitioner": "murmur2_random", "compression.type": "lz4",
                  "message.max.bytes": 2_000_000, "linger.ms": 20})
    spec = {"posts": topics.POSTS, "reports": topics.REPORTS}
    good: set[str] = set()
    bad: set[bytes] = set()
    oversized = 0
    for i in range(TOTAL):
        if i % 2 == 0:
            pid = f"adv-good-{i}"
            p.produce(stack.topic(topics.POSTS), key=pid.encode(), value=_post(codec, pid, text=f"post number {i}"))
            good.add(pid)
            continue
        kind = KINDS[(i // 2) % len(KINDS)]
        if kind == "oversized":
            if oversized == 10:
                kind = "text_too_long"
            oversized += kind == "oversized"
        where, value = _bad(codec, kind, i)
        key = f"bad-{kind}-{i}".encode()
        while True:
            try:
                p.produce(stack.topic(spec[where]), key=key, value=value)
                break
            except BufferError:
                p.poll(0.1)
        bad.add(key)
        p.poll(0)
    assert p.flush(60) == 0
    return good, bad


def test_every_good_post_is_decided_once_and_every_bad_record_is_one_dead_letter(stack, codec, worker, produced):
    good, bad = produced
    deadline = time.monotonic() + 600
    while True:
        decided = Counter(r["value"]["post_id"] for r in clients.records(
            stack, codec, stack.topic(topics.AUDIT), idle_timeout=1.0))
        letters = Counter(x.value["original_key"] for x in dlq.read_letters(stack, codec))
        if (good <= decided.keys() and bad <= letters.keys()) or time.monotonic() > deadline:
            break
        time.sleep(2)
    missing_good, missing_bad = good - decided.keys(), bad - letters.keys()
    assert not missing_good and not missing_bad, (
        f"{len(missing_good)} good posts undecided (e.g. {sorted(missing_good)[:3]}), {len(missing_bad)} bad records "
        f"without a dead letter (e.g. {sorted(missing_bad)[:3]})\n{worker.tail()}")
    assert {p: n for p, n in decided.items() if n != 1} == {}  # exactly once
    assert not {p for p in decided if p.startswith("bad-")}  # nothing bad was decided
    assert {k: n for k, n in letters.items() if k in bad and n != 1} == {}
    assert not {k for k in letters if k is not None and k.decode(errors="replace") in good}
    log = worker.log_path.read_text(errors="replace")
    assert worker.alive() and log.count('"hot_path_started"') == 1, worker.tail()  # no restart
    by_kind = Counter(k.decode().split("-")[1] for k in bad)
    print(f"\nadversarial run: {len(good)} good posts decided once each, {len(bad)} dead letters "
          f"({dict(sorted(by_kind.items()))})")
