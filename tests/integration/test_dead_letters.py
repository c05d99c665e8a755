"""Bad input on the real broker: every kind lands on dead-letters.v1 with its original bytes,
the reason and where it came from, both at ingest and when garbage is produced straight onto
posts.v1 (bypassing ingest); the good records around it are still decided; and
`streams.commands.dlq.replay` re-feeds letters once.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

import pytest
from confluent_kafka import Producer

from streams.commands import dlq, ingest
from streams.infra import clients, topics
from streams.infra.codec import example_record
from streams.infra.config import Settings
from streams.engine.deadletter import dead_letter
from streams.infra.topics import KEEP_ORIGINAL_BYTES

pytestmark = pytest.mark.integration
T0 = "2026-11-20T12:00:00Z"


def _line(pid: str, **post: Any) -> str:
    return json.dumps({"post": {"post_id": pid, "author_id": "42", "text": "hello there", "created_at": T0, **post}})


INGEST_LINES = {  # line number -> (line, error_type)
    1: (_line("dl-good-1"), None),
    2: ('{"post": {"post_id": "dl-trunc", "text": ', "invalid_json"),
    3: (json.dumps({"post": {"post_id": "dl-noauthor", "text": "x", "created_at": T0}}), "invalid_record"),
    4: (json.dumps({"post": {"post_id": "dl-policy", "author_id": "42", "text": "x", "created_at": T0},
                    "violations": [{"policy": "jaywalking", "source": "upstream", "confidence": 0.9}]}),
        "invalid_record"),
    5: (json.dumps({"account": {"account_id": "42", "followers": "many"}}), "invalid_record"),
    6: ("[" * 50_000 + "]" * 50_000, "invalid_json"),
    7: (json.dumps({"account": None}), "invalid_record"),
    8: (_line("dl-good-2"), None),
}


def _letters(settings: Settings, codec, expect: int, timeout: float = 60.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        got = [r for r in dlq.read_letters(settings, codec)]
        if len(got) >= expect or time.monotonic() > deadline:
            return [x.value | {"_id": x.id} for x in got]
        time.sleep(0.5)


def _decided(settings: Settings, codec, post_ids: set[str], timeout: float = 90.0) -> dict[str, list[dict]]:
    deadline = time.monotonic() + timeout
    while True:
        seen: dict[str, list[dict]] = {}
        for rec in clients.records(settings, codec, settings.topic(topics.AUDIT), idle_timeout=0.5):
            seen.setdefault(rec["value"]["post_id"], []).append(rec["value"])
        if post_ids <= seen.keys() or time.monotonic() > deadline:
            return seen
        time.sleep(0.5)


@pytest.fixture(scope="module")
def ingested(stack, codec, worker):
    stats = ingest.run(stack, codec, (x.encode() for x, _ in INGEST_LINES.values()), "bad.jsonl", progress=None)
    assert stats.posts == 2 and stats.dead_letters == 6, stats.summary()
    return stats


def raw_producer(settings: Settings) -> Producer:
    return Producer({**settings.kafka_config(), "partitioner": "murmur2_random"})


def good_post(codec, pid: str) -> bytes:
    return codec.encode(topics.POSTS.schema, {**example_record(codec.schema(topics.POSTS.schema)), "post_id": pid,
                                              "author_id": "42", "text": "fine", "created_at": T0})


@pytest.fixture(scope="module")
def garbage(stack, codec, worker, ingested) -> dict[bytes, tuple[bytes, str]]:
    """Bytes produced straight onto posts.v1 (key -> (value, expected error type))."""
    post = good_post(codec, "dl-raw-good")
    report = codec.encode(topics.REPORTS.schema, example_record(codec.schema(topics.REPORTS.schema)))
    bad_policy = codec.encode(topics.POSTS.schema, {**codec.decode(post)[1], "post_id": "dl-raw-policy",
                                                    "upstream_violations": [{"policy": "jaywalking", "confidence": 0.9,
                                                                             "evidence": [], "source": "x"}]})
    cases = {
        b"k-json": (b'{"post_id": "1", "author_id": "2"}', "bad_magic"),
        b"k-text": (b"hello, not avro", "bad_magic"),
        b"k-wrong-schema": (report, "wrong_schema"),
        b"k-fingerprint": (b"\xc3\x01" + bytes(range(8)) + post[10:], "unknown_fingerprint"),
        b"k-truncated": (post[:-3], "malformed_avro"),
        b"k-policy": (bad_policy, "invalid_record"),
        b"k-oversized": (b"\xc3\x01" + post[2:10] + b"\x02" * 900_000, "too_large"),
        b"k-empty": (b"", "empty_value"),
    }
    p = raw_producer(stack)
    for key, (value, _) in cases.items():
        p.produce(stack.topic(topics.POSTS), key=key, value=value)
    p.produce(stack.topic(topics.POSTS), key=b"dl-raw-good", value=post)
    assert p.flush(30) == 0
    return cases


def _whole_or_start(letter: dict, value: bytes) -> bool:
    """The letter keeps the original whole, or (too big) its start with the whole one's length and digest."""
    if len(value) <= KEEP_ORIGINAL_BYTES:
        return letter["original"] == value and letter["original_length"] == -1
    return (letter["original"] == value[:KEEP_ORIGINAL_BYTES] and letter["original_length"] == len(value)
            and letter["original_sha256"] == hashlib.sha256(value).hexdigest())


@pytest.fixture(scope="module")
def oversized(stack, codec, worker, garbage) -> dict[bytes, tuple[str, bytes]]:
    """Issue 14: a 1 MB junk record on reports.v1 killed the hot path (its dead letter, a whole copy,
    was over the producer's limit), and an lz4-compressed 1.2 MB post crashed the faust tag agent,
    which committed the posts after it undecided. Good records follow each (key -> (topic, value))."""
    big_post = codec.encode(topics.POSTS.schema, {**codec.decode(good_post(codec, "x"))[1], "post_id": "dl-big-post",
                                                  "text": "spam " * 240_000})
    cases = {b"k-big-report": (stack.topic(topics.REPORTS), b"\xc3\x01" + bytes(8) + b"\x07" * 1_000_000),
             b"k-big-post": (stack.topic(topics.POSTS), big_post)}
    p = Producer({**stack.kafka_config(), "partitioner": "murmur2_random", "compression.type": "lz4",
                  "message.max.bytes": 2_000_000})
    for key, (topic, value) in cases.items():
        p.produce(topic, key=key, value=value)
    for pid in ("dl-after-big-1", "dl-after-big-2", "dl-after-big-3"):
        p.produce(stack.topic(topics.POSTS), key=pid.encode(), value=good_post(codec, pid))
    assert p.flush(30) == 0
    return cases


def test_oversized_records_become_dead_letters_and_the_stream_goes_on(stack, codec, oversized, worker):
    letters = {x["original_key"]: x for x in _letters(stack, codec, len(INGEST_LINES) + 20)
               if x["original_key"] in oversized}
    assert set(letters) == set(oversized), f"worker log:\n{worker.tail()}"
    for key, (topic, value) in oversized.items():
        x = letters[key]
        assert x["source"] == topic and x["error_type"] == "too_large", x["reason"]
        assert _whole_or_start(x, value) and len(x["original"]) < len(value)
    after = {"dl-after-big-1", "dl-after-big-2", "dl-after-big-3"}
    assert after <= _decided(stack, codec, after).keys(), worker.tail()
    assert worker.alive(), worker.tail()


def test_ingest_rejects_land_with_line_bytes_and_reason(stack, codec, ingested):
    letters = [x for x in _letters(stack, codec, 6) if x["source"] == "ingest:bad.jsonl"]
    by_line = {x["offset"]: x for x in letters}
    expected = {n: t for n, (_, t) in INGEST_LINES.items() if t}
    assert sorted(by_line) == sorted(expected)
    for n, error_type in expected.items():
        x = by_line[n]
        assert x["error_type"] == error_type, x["reason"]
        assert _whole_or_start(x, INGEST_LINES[n][0].encode()) and x["stage"] == "ingest" and x["partition"] == -1
        assert f"line {n}" in x["reason"]
    assert "post.author_id" in by_line[3]["reason"] and "jaywalking" in by_line[4]["reason"]
    assert "account.followers" in by_line[5]["reason"]


def test_garbage_on_posts_topic_lands_with_position_key_and_bytes(stack, codec, garbage, worker):
    source = stack.topic(topics.POSTS)
    want = len(garbage) + 6
    letters = [x for x in _letters(stack, codec, want) if x["source"] == source]
    by_key = {x["original_key"]: x for x in letters if not x["original_key"].startswith(b"k-big-")}  # `oversized`'s
    assert set(by_key) == set(garbage), f"worker log:\n{worker.tail()}"
    for key, (value, error_type) in garbage.items():
        x = by_key[key]
        assert x["error_type"] == error_type, (key, x["reason"])
        assert _whole_or_start(x, value) and x["stage"] == "decode" and x["offset"] >= 0 and x["partition"] >= 0
    decided = _decided(stack, codec, {"dl-raw-good", "dl-good-1", "dl-good-2"})
    assert {"dl-raw-good", "dl-good-1", "dl-good-2"} <= decided.keys()  # the stream went on around the garbage


def test_replay_refeeds_fixed_letters_once(stack, codec, garbage, worker):
    """Operator flow: after a fix, replay the matching letters; a second replay does nothing."""
    p = raw_producer(stack)
    fixed_line = _line("dl-replayed-line").encode()
    fixed_post = good_post(codec, "dl-replayed-post")
    for value in (dead_letter(fixed_line, source="ingest:fixed.jsonl", stage="ingest", reason="was bad",
                              error_type="test_fixed", offset=3),
                  dead_letter(fixed_post, key=b"dl-replayed-post", source=stack.topic(topics.POSTS), partition=0,
                              offset=0, stage="decode", reason="was bad", error_type="test_fixed")):
        p.produce(stack.topic(topics.DEAD_LETTERS), key=value["source"].encode(),
                  value=codec.encode(topics.DEAD_LETTERS.schema, value))
    assert p.flush(30) == 0
    listed = dlq.list_letters(stack, codec, error_type="test_fixed")
    assert len(listed) == 2 and all("original" not in x for x in listed)

    dry = dlq.replay(stack, codec, error_type="test_fixed", dry_run=True)
    assert dry.replayed == 2 and dry.dry_run
    stats = dlq.replay(stack, codec, error_type="test_fixed")
    assert stats.replayed == 2 and stats.failed_again == 0, stats.summary()
    decided = _decided(stack, codec, {"dl-replayed-line", "dl-replayed-post"})
    assert {"dl-replayed-line", "dl-replayed-post"} <= decided.keys(), worker.tail()

    assert dlq.replay(stack, codec, error_type="test_fixed").already_replayed == 2
    store = dlq.RedisReplayed.connect(stack)
    assert all(x["replayed"] for x in dlq.list_letters(stack, codec, error_type="test_fixed", store=store))
    again = dlq.replay(stack, codec, source_filter="posts.v1", error_type="bad_magic")
    assert again.replayed == 0 and again.still_invalid == 2  # still garbage: not re-fed, kept for a later fix


def test_unreadable_state_in_redis_dead_letters_the_post_not_the_hot_path(stack, codec, worker, oversized):
    """Issue 14: a value in Redis that does not parse crash-looped the hot path; now only the
    post whose state it is becomes a dead letter, and the posts beside it are decided."""
    import redis

    from streams.infra import stores
    redis.Redis.from_url(stack.redis_url).set(stores.key("acct", "corrupt-author"), "{not json")
    bad = codec.encode(topics.POSTS.schema, {**codec.decode(good_post(codec, "x"))[1], "post_id": "dl-corrupt-state",
                                             "author_id": "corrupt-author"})
    p = raw_producer(stack)
    p.produce(stack.topic(topics.POSTS), key=b"dl-corrupt-state", value=bad)
    for pid in ("dl-beside-corrupt-1", "dl-beside-corrupt-2"):
        p.produce(stack.topic(topics.POSTS), key=pid.encode(), value=good_post(codec, pid))
    assert p.flush(30) == 0
    beside = {"dl-beside-corrupt-1", "dl-beside-corrupt-2"}
    assert beside <= _decided(stack, codec, beside).keys(), worker.tail()
    deadline = time.monotonic() + 60
    while not (found := [x for x in dlq.read_letters(stack, codec) if x.value["stage"] == "state"]):
        assert time.monotonic() < deadline, worker.tail()
        time.sleep(0.5)
    assert found[0].value["error_type"] == "unreadable_state" and found[0].value["original_key"] == b"dl-corrupt-state"
    assert "dl-corrupt-state" not in _decided(stack, codec, set(), timeout=0) and worker.alive(), worker.tail()
