"""streams.commands.dlq without a broker: filters, once-only replay, where each kind of letter goes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.commands import dlq, ingest
from streams.infra import clients, topics
from streams.infra.codec import Codec, example_record
from streams.infra.config import Settings
from streams.engine.deadletter import dead_letter

SCHEMAS = Path(__file__).resolve().parents[3] / "schemas"
CODEC = Codec.from_dir(SCHEMAS)
S = Settings(topic_prefix="t.")
GOOD_LINE = json.dumps({"post": {"post_id": "p1", "author_id": "a1", "text": "hello",
                                 "created_at": "2026-11-20T12:00:00Z"}}).encode()


class FakeProducer:
    def __init__(self, fail: bool = False) -> None:
        self.records: list[tuple[str, bytes | None, bytes]] = []
        self.fail = fail

    def produce(self, topic, key=None, value=None, on_delivery=None):
        self.records.append((topic, key, value))
        if on_delivery:
            on_delivery("broker down" if self.fail else None, None)

    def poll(self, timeout=0):
        return 0

    def flush(self, timeout=0):
        return 0


@pytest.fixture()
def produced(monkeypatch: pytest.MonkeyPatch) -> list[FakeProducer]:
    made: list[FakeProducer] = []

    def factory(settings, **extra):
        made.append(FakeProducer())
        return made[-1]

    monkeypatch.setattr(ingest, "producer", factory)  # the Ingestor that re-feeds inputs
    monkeypatch.setattr(clients, "producer", factory)  # dlq's own, for other targets
    return made


def letter(offset: int, original: bytes, *, source: str, error_type: str, key: bytes | None = None,
           line: int = 1, stage: str = "decode") -> dlq.Letter:
    value = dead_letter(original, key=key, source=source, stage=stage, reason=f"{error_type} reason",
                        error_type=error_type, partition=-1 if source.startswith("ingest:") else 0,
                        offset=line)
    value = CODEC.decode(CODEC.encode(topics.DEAD_LETTERS.schema, value))[1]  # as read from the topic
    return dlq.Letter("t.dead-letters.v1", 0, offset, 0, value)


GOOD_POST = CODEC.encode(topics.POSTS.schema, {**json.loads(GOOD_LINE)["post"], "post_id": "p9", "lang": None,
                                              "country": None, "mentions": [], "media": [], "upstream_violations": []})
LETTERS = [
    letter(0, GOOD_LINE, source="ingest:firehose.jsonl", error_type="invalid_json", line=4, stage="ingest"),
    letter(1, b"still not json", source="ingest:firehose.jsonl", error_type="invalid_json", line=9, stage="ingest"),
    letter(2, GOOD_POST, source="t.posts.v1", error_type="unknown_fingerprint", key=b"p9"),  # its schema known now
    letter(3, b"x", source="elsewhere.posts.v1", error_type="bad_magic"),
    letter(4, b"y", source="t.violations.v1", error_type="malformed_avro", key=None),
]


def test_list_filters_by_error_type_and_source_glob_and_shows_no_content():
    store = dlq.MemoryReplayed()
    store.ids.add(LETTERS[0].id)
    rows = dlq.list_letters(S, CODEC, letters=LETTERS, error_type="invalid_json", store=store)
    assert [r["id"] for r in rows] == ["t.dead-letters.v1:0:0", "t.dead-letters.v1:0:1"]
    assert [r["replayed"] for r in rows] == [True, False]
    assert rows[0]["offset"] == 4 and rows[0]["source"] == "ingest:firehose.jsonl" and rows[0]["stage"] == "ingest"
    assert "original" not in rows[0] and rows[0]["bytes"] == len(GOOD_LINE)
    assert [r["id"][-1] for r in dlq.list_letters(S, CODEC, letters=LETTERS, source_filter="posts.v1")] == ["2"]
    assert len(dlq.list_letters(S, CODEC, letters=LETTERS, source_filter="ingest:*")) == 2
    assert len(dlq.list_letters(S, CODEC, letters=LETTERS, source_filter="*posts.v1")) == 2


def test_replay_routes_each_letter_and_only_once(produced):
    store = dlq.MemoryReplayed()
    stats = dlq.replay(S, CODEC, letters=LETTERS, store=store)
    assert (stats.seen, stats.matched, stats.replayed, stats.unknown_source) == (5, 5, 3, 1)
    assert stats.failed_again == 1  # "still not json" is dead-lettered again, as a new letter
    assert stats.not_replayable == 1  # violations.v1 is a pipeline stage, not an input
    assert stats.by_error_type == {"invalid_json": 2, "unknown_fingerprint": 1}
    records = [r for p in produced for r in p.records]
    by_topic: dict[str, list] = {}
    for topic, key, value in records:
        by_topic.setdefault(topic, []).append((key, value))
    assert by_topic["t.posts.v1"] == [(b"p1", CODEC.encode(topics.POSTS.schema, {
        **json.loads(GOOD_LINE)["post"], "lang": None, "country": None, "mentions": [], "media": [],
        "upstream_violations": []}))] + [(b"p9", GOOD_POST)]
    assert "t.violations.v1" not in by_topic
    (again,) = by_topic["t.dead-letters.v1"]
    value = CODEC.decode(again[1])[1]
    assert value["source"] == "ingest:firehose.jsonl" and value["offset"] == 9 and value["original"] == b"still not json"
    assert "elsewhere.posts.v1" not in by_topic  # never writes outside this deployment's catalog topics

    again_stats = dlq.replay(S, CODEC, letters=LETTERS, store=store)
    assert again_stats.replayed == 0 and again_stats.already_replayed == 3
    assert sum(len(p.records) for p in produced) == len(records)


def test_dry_run_counts_but_writes_and_marks_nothing(produced):
    store = dlq.MemoryReplayed()
    stats = dlq.replay(S, CODEC, letters=LETTERS, store=store, dry_run=True, error_type="invalid_json")
    assert stats.dry_run and stats.matched == 2 and stats.replayed == 2 and "would replay 2" in stats.summary()
    assert not store.ids and not any(p.records for p in produced)


def test_filtered_replays_do_not_hide_other_letters(produced):
    store = dlq.MemoryReplayed()
    assert dlq.replay(S, CODEC, letters=LETTERS, store=store, source_filter="posts.v1").replayed == 1
    assert dlq.replay(S, CODEC, letters=LETTERS, store=store, error_type="malformed_avro").replayed == 0  # a stage
    assert dlq.replay(S, CODEC, letters=LETTERS, store=store).replayed == 2  # the two ingest letters are left


def test_undelivered_letters_stay_replayable(monkeypatch):
    failing = lambda settings, **extra: FakeProducer(fail=True)  # noqa: E731
    monkeypatch.setattr(ingest, "producer", failing)
    monkeypatch.setattr(clients, "producer", failing)
    store = dlq.MemoryReplayed()
    with pytest.raises(RuntimeError, match="not delivered"):
        dlq.replay(S, CODEC, letters=LETTERS[2:3], store=store)
    assert not store.ids


def test_redis_store_claims_atomically():
    class FakeRedis:
        def __init__(self):
            self.sets: dict[str, set] = {}

        def pipeline(self, transaction=False):
            outer = self

            class P:
                ops: list = []

                def sadd(self, key, member):
                    self.ops.append((key, member))

                def execute(self):
                    out = []
                    for key, member in self.ops:
                        s = outer.sets.setdefault(key, set())
                        out.append(0 if member in s else 1)
                        s.add(member)
                    self.ops = []
                    return out
            return P()

        def smismember(self, key, ids):
            return [int(i in self.sets.get(key, set())) for i in ids]

        def srem(self, key, *ids):
            self.sets.get(key, set()).difference_update(ids)

    store = dlq.RedisReplayed(FakeRedis(), "t.dead-letters.v1")
    assert store.key == "ms:dlq:replayed:t.dead-letters.v1"
    assert store.claim(["a", "b"]) == {"a", "b"}
    assert store.claim(["b", "c"]) == {"c"}
    assert store.replayed(["a", "x"]) == {"a"}
    store.release(["a"])
    assert store.replayed(["a", "b", "c"]) == {"b", "c"}


@pytest.mark.parametrize("topic", ["actions.v1", "ncmec-reports.v1", "audit.v1", "review-decisions.v1",
                                   "notices.v1", "escalations.v1", "violations.v1", "dead-letters.v1"])
def test_replay_never_writes_to_outputs_stages_or_human_authority(produced, topic):
    """Issue 14: replay re-fed to any catalog topic but dead-letters.v1, so a forged letter could
    become an action, an NCMEC report or a senior reviewer's decision."""
    spec = topics.lookup(topic)
    value = CODEC.encode(spec.schema, example_record(CODEC.schema(spec.schema)))  # well-formed for that topic
    stats = dlq.replay(S, CODEC, letters=[letter(0, value, source="t." + topic, error_type="x")],
                       store=dlq.MemoryReplayed())
    assert stats.replayed == 0 and stats.not_replayable == 1
    assert not [r for p in produced for r in p.records]


def test_replay_to_an_input_takes_only_bytes_of_that_topics_schema(produced):
    report = CODEC.encode(topics.REPORTS.schema, example_record(CODEC.schema(topics.REPORTS.schema)))
    letters = [letter(0, report, source="t.posts.v1", error_type="x"),  # a Report is not a Post
               letter(1, report, source="t.reports.v1", error_type="x")]
    stats = dlq.replay(S, CODEC, letters=letters, store=dlq.MemoryReplayed())
    assert (stats.replayed, stats.still_invalid) == (1, 1)
    assert [(t, v) for p in produced for t, _, v in p.records] == [("t.reports.v1", report)]


def test_a_truncated_letter_is_not_replayed(produced):
    big = letter(0, GOOD_POST + b"\x00" * 100_000, source="t.posts.v1", error_type="too_large")
    assert big.value["original_length"] > 0
    stats = dlq.replay(S, CODEC, letters=[big], store=dlq.MemoryReplayed())
    assert (stats.replayed, stats.truncated) == (0, 1) and not [r for p in produced for r in p.records]
