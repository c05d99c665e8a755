"""`modstream dlq list|replay`: look at dead letters and re-feed them once the cause is fixed.

Every record the pipeline could not process is on dead-letters.v1 (streams.engine.deadletter):
the original bytes and key, where it came from, the stage and the reason. After a fix (a
schema added to schemas/history/, a detector bug fixed, a producer corrected, an input
file repaired upstream) `replay` feeds the letters back in:

- ingest-stage letters (source `ingest:<file>`, offset = line number) are re-run through
  the same line logic as `modstream ingest` (streams.commands.ingest.Ingestor.line), under their
  original file name and line number; a line that is still bad becomes a NEW dead letter
  (with the same provenance) and counts as `failed_again`;
- topic-stage letters (source = the topic they were read from) are produced again to that
  topic with their original key and bytes (murmur2, so the key lands on the partition it
  had), and the agent that rejected them reads them again. Only the input topics with a
  dead-letter stage (`topics.REPLAYABLE`: posts, accounts, patches, deletions, reports,
  appeals, legal requests) under this deployment's prefix are written to, never an output
  or review-decisions.v1, and only bytes that decode to that topic's schema now (a letter
  still undecodable stays for a later replay, as `still_invalid`). A letter holding only
  the start of a too-big original is skipped (`truncated`): re-send it from its source.

Each dead letter is replayed at most once. A letter's identity is its position on the
dead-letter topic (`<topic>:<partition>:<offset>`), and the replayed ones are kept in the
Redis set `ms:dlq:replayed:<dead-letter topic>` (SADD claims a letter before it is
re-fed, so two concurrent replays never both take it; a letter whose re-produce fails is
released again). A Redis set rather than a consumer-group offset because replays are
filtered (by error type, by source): a group offset only remembers a prefix of the log and
would either skip letters a later replay with another filter still needs, or replay
letters twice. `dry_run` reads and counts, writes nothing, marks nothing.
"""

from __future__ import annotations

import fnmatch
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Protocol

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaException, TopicPartition

from streams.infra import clients, topics
from streams.infra.codec import Codec, CodecError
from streams.infra.config import Settings
from streams.engine.deadletter import is_truncated

REPLAYED_KEY = "ms:dlq:replayed:{topic}"


@dataclass(frozen=True)
class Letter:
    """One record of dead-letters.v1, with its position there."""

    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    value: dict[str, Any]  #: the decoded modstream.DeadLetter

    @property
    def id(self) -> str:
        return f"{self.topic}:{self.partition}:{self.offset}"

    @property
    def source(self) -> str:
        return self.value["source"]

    @property
    def error_type(self) -> str:
        return self.value["error_type"]

    @property
    def is_ingest(self) -> bool:
        return self.source.startswith("ingest:")

    def summary(self, replayed: bool | None = None) -> dict[str, Any]:
        """What `modstream dlq list` prints: provenance and reason, not the content (it may be personal data)."""
        v = self.value
        out = {"id": self.id, "source": v["source"], "partition": v["partition"], "offset": v["offset"],
               "stage": v["stage"], "error_type": v["error_type"], "reason": v["reason"], "failed_at": v["failed_at"],
               "bytes": len(v["original"] or b""),
               "key": v["original_key"].decode(errors="replace") if v.get("original_key") else None}
        if replayed is not None:
            out["replayed"] = replayed
        return out


@dataclass
class ReplayStats:
    seen: int = 0  #: dead letters read
    matched: int = 0  #: passing the filters
    already_replayed: int = 0  #: matched but replayed before (skipped)
    replayed: int = 0  #: re-fed (or, with dry_run, that would be)
    failed_again: int = 0  #: ingest lines that were dead-lettered again
    unknown_source: int = 0  #: topic letters whose source is not a catalog topic of this deployment (skipped)
    not_replayable: int = 0  #: letters from a topic replay never writes to (outputs, stages, reviews; skipped)
    still_invalid: int = 0  #: topic letters whose bytes still do not decode to the topic's schema (kept)
    truncated: int = 0  #: letters holding only the start of their original (skipped)
    undecodable: int = 0  #: records on the dead-letter topic that are not DeadLetters (skipped)
    dry_run: bool = False
    by_error_type: Counter = field(default_factory=Counter)  #: replayed, per error type

    def summary(self) -> str:
        what = "would replay" if self.dry_run else "replayed"
        kinds = ", ".join(f"{k}: {v}" for k, v in sorted(self.by_error_type.items())) or "none"
        return (f"{self.seen} dead letters, {self.matched} matching; {what} {self.replayed} ({kinds}); "
                f"{self.already_replayed} replayed before, {self.failed_again} failed again, "
                f"{self.unknown_source} with an unknown source, {self.not_replayable} from topics replay never "
                f"writes to, {self.still_invalid} still invalid, {self.truncated} truncated, "
                f"{self.undecodable} undecodable")


class ReplayedStore(Protocol):
    def replayed(self, ids: Iterable[str]) -> set[str]: ...
    def claim(self, ids: list[str]) -> set[str]: ...
    def release(self, ids: Iterable[str]) -> None: ...


class RedisReplayed:
    """The set of replayed dead-letter ids in Redis (see the module doc)."""

    def __init__(self, client: Any, dead_letter_topic: str):
        self.client, self.key = client, REPLAYED_KEY.format(topic=dead_letter_topic)

    @classmethod
    def connect(cls, settings: Settings) -> "RedisReplayed":
        from streams.infra.slots import connect_sync

        return cls(connect_sync(settings.redis_url, decode_responses=True, socket_timeout=10),  # one key: one slot
                   settings.topic(topics.DEAD_LETTERS))

    def replayed(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        if not ids:
            return set()
        return {i for i, hit in zip(ids, self.client.smismember(self.key, ids)) if hit}

    def claim(self, ids: list[str]) -> set[str]:
        """Atomically take each id not taken yet; returns the ids this caller got."""
        pipe = self.client.pipeline(transaction=False)
        for i in ids:
            pipe.sadd(self.key, i)
        return {i for i, added in zip(ids, pipe.execute()) if added}

    def release(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        if ids:
            self.client.srem(self.key, *ids)


class MemoryReplayed:
    """In-process stand-in for tests and dry runs."""

    def __init__(self) -> None:
        self.ids: set[str] = set()

    def replayed(self, ids: Iterable[str]) -> set[str]:
        return set(ids) & self.ids

    def claim(self, ids: list[str]) -> set[str]:
        got = set(ids) - self.ids
        self.ids |= got
        return got

    def release(self, ids: Iterable[str]) -> None:
        self.ids -= set(ids)


def read_letters(settings: Settings, codec: Codec, stats: ReplayStats | None = None,
                 timeout: float = 30.0) -> Iterator[Letter]:
    """Every record on dead-letters.v1 up to the end present when called."""
    topic = settings.topic(topics.DEAD_LETTERS)
    consumer = Consumer({**settings.kafka_config(), "group.id": f"modstream-dlq-{uuid.uuid4().hex[:8]}",
                         "enable.auto.commit": False, "log_level": 0})
    try:
        meta = consumer.list_topics(topic, timeout=10).topics.get(topic)
        if meta is None or meta.error is not None:
            raise SystemExit(f"dlq: topic {topic!r} not found on {settings.kafka_bootstrap}; "
                             "run `modstream topics apply` (or check MODSTREAM_TOPIC_PREFIX)")
        ends = {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in meta.partitions}
        pending = {p for p, end in ends.items() if end > 0}
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in pending])
        deadline = time.monotonic() + timeout
        while pending:
            msg = consumer.poll(0.5)
            if msg is None:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"dlq: could not read {topic} to its end within {timeout:.0f}s")
                continue
            if msg.error():
                raise KafkaException(msg.error())
            deadline = time.monotonic() + timeout
            if msg.offset() + 1 >= ends[msg.partition()]:
                pending.discard(msg.partition())
            if msg.offset() >= ends[msg.partition()]:
                continue  # written after we started: the next replay sees it
            try:
                _, value = codec.decode(msg.value(), expect=topics.DEAD_LETTERS.schema)
            except CodecError:
                if stats is not None:
                    stats.undecodable += 1
                continue
            yield Letter(msg.topic(), msg.partition(), msg.offset(), msg.timestamp()[1], value)
    finally:
        consumer.close()


def _matches(letter: Letter, settings: Settings, source_filter: str | None, error_type: str | None) -> bool:
    if error_type and letter.error_type != error_type:
        return False
    if source_filter:
        patterns = {source_filter, settings.topic_prefix + source_filter}
        return any(fnmatch.fnmatchcase(letter.source, p) for p in patterns)
    return True


def list_letters(settings: Settings, codec: Codec, *, source_filter: str | None = None,
                 error_type: str | None = None, store: ReplayedStore | None = None,
                 letters: Iterable[Letter] | None = None) -> list[dict[str, Any]]:
    """Summaries of the matching dead letters (oldest first), each with `replayed` when a store is given.

    `source_filter` is a glob on the source (`ingest:*`, `posts.v1` with or without the
    deployment prefix); `error_type` an exact error type (`invalid_json`, `unknown_fingerprint`, ...).
    """
    found = [x for x in (letters if letters is not None else read_letters(settings, codec))
             if _matches(x, settings, source_filter, error_type)]
    done = store.replayed(x.id for x in found) if store is not None else None
    return [x.summary(None if done is None else x.id in done) for x in found]


def _source_topic(letter: Letter, settings: Settings) -> topics.TopicSpec | None:
    """The catalog topic a topic-stage letter came from, or None when it is not one of this deployment's."""
    try:
        spec = topics.lookup(letter.source, settings.topic_prefix)
    except KeyError:
        return None
    return spec if letter.source == settings.topic(spec) else None


def _target(letter: Letter, settings: Settings, codec: Codec, stats: ReplayStats) -> tuple[bool, str | None]:
    """(replay it?, the topic to produce to: None for ingest letters), counting why a letter is skipped."""
    if is_truncated(letter.value):
        stats.truncated += 1
        return False, None
    if letter.is_ingest:
        return True, None
    spec = _source_topic(letter, settings)
    if spec is None:
        stats.unknown_source += 1
        return False, None
    if spec not in topics.REPLAYABLE:
        stats.not_replayable += 1
        return False, None
    try:
        codec.decode_input(letter.value["original"], spec.schema)
    except CodecError:
        stats.still_invalid += 1
        return False, None
    return True, settings.topic(spec)


def replay(settings: Settings, codec: Codec, *, source_filter: str | None = None, error_type: str | None = None,
           dry_run: bool = False, store: ReplayedStore | None = None, letters: Iterable[Letter] | None = None,
           flush_timeout: float = 60.0) -> ReplayStats:
    """Re-feed the matching dead letters that were not replayed before (see the module doc)."""
    from streams.commands import ingest
    stats = ReplayStats(dry_run=dry_run)
    source = letters if letters is not None else read_letters(settings, codec, stats)
    candidates: list[tuple[Letter, str | None]] = []
    for letter in source:
        stats.seen += 1
        if not _matches(letter, settings, source_filter, error_type):
            continue
        stats.matched += 1
        ok, target = _target(letter, settings, codec, stats)
        if ok:
            candidates.append((letter, target))
    if store is None:
        store = MemoryReplayed() if dry_run else RedisReplayed.connect(settings)
    if dry_run:
        done = store.replayed(x.id for x, _ in candidates)
        todo = [(x, t) for x, t in candidates if x.id not in done]
        stats.already_replayed = len(candidates) - len(todo)
        stats.replayed = len(todo)
        stats.by_error_type.update(x.error_type for x, _ in todo)
        return stats

    claimed = store.claim([x.id for x, _ in candidates]) if candidates else set()
    todo = [(x, t) for x, t in candidates if x.id in claimed]
    stats.already_replayed = len(candidates) - len(todo)
    failed: set[str] = set()
    ingestors: dict[str, ingest.Ingestor] = {}
    out = None
    try:
        for letter, target in todo:
            if target is None:  # ingest stage: the same line logic, same file name and line number
                name = letter.source[len("ingest:"):]
                ing = ingestors.get(name) or ingestors.setdefault(name, ingest.Ingestor(settings, codec, name))
                before = ing.stats.dead_letters
                ing.line(letter.value["offset"], letter.value["original"])
                stats.failed_again += ing.stats.dead_letters - before
            else:
                out = out or clients.producer(settings)
                _produce(out, target, letter, failed)
            stats.replayed += 1
            stats.by_error_type[letter.error_type] += 1
        for ing in ingestors.values():
            ing.close(flush_timeout)
        if out is not None and out.flush(flush_timeout):
            raise RuntimeError(f"dlq: records not delivered to {settings.kafka_bootstrap} within {flush_timeout:.0f}s")
    except BaseException:
        store.release(x.id for x, _ in todo)  # nothing is known to be delivered: the next replay takes them again
        raise
    if failed:
        store.release(failed)
        raise RuntimeError(f"dlq: {len(failed)} letters were not delivered; they stay replayable")
    return stats


def _produce(producer: Any, topic: str, letter: Letter, failed: set[str]) -> None:
    def delivered(err: Any, _msg: Any) -> None:
        if err is not None:
            failed.add(letter.id)

    while True:
        try:
            producer.produce(topic, key=letter.value.get("original_key"), value=letter.value["original"],
                             on_delivery=delivered)
            break
        except BufferError:
            producer.poll(0.5)
    producer.poll(0)
