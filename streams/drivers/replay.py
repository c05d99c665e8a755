"""`modstream replay`: re-run a range of history through the live agent code under a pinned policy.

Why: auditors must answer "would this policy decide the same?" from the topics alone,
without touching live outputs or live consumer groups. Replay reads the input range with
an assigned consumer (unique group id, never commits), runs the same code as the live
agents (`agents.tagger.Tagger`, `agents.router.route`, `streams.engine.apply.decision_records`)
and writes to shadow topics (another topic prefix) or to a file.

Deterministic model (replaying the same range twice gives the same bytes):
- inputs are read per (topic, partition) in offset order; outputs keep that order and,
  within one decision, the apply order (tagged post, then `decision_records`);
- `as_of` (ms, broker time) bounds everything read besides the inputs: window end, or
  the latest input record's timestamp for offset ranges (override with `as_of`);
- the author (and mentioned accounts) is the latest account-updates.v1 snapshot with
  `observed_at` <= the post's `created_at` (the post's time, as for registry terms);
  ties go to the later log position, as in the live compare-and-set; a snapshot without
  `observed_at` counts as observed at its broker timestamp; tombstones are ignored, as live;
- designations: the shipped seed (`Settings.registry_seed`) plus `designation_files`;
- reports: every reports.v1 record for the post up to `as_of`, first per reporter in log
  order (live: first to arrive, before the decision; late ones get notices separately);
- hash banks live in Redis, not on a topic: pass `banks` (bank files) or get none; the
  audit's `versions.hashbank` says which banks each side matched against;
- daily caps (`agents.caps`) count the replay's own automated actions per UTC day of the
  input record's broker time, from zero at the start of the range (live: Redis counters
  per wall-clock day, including actions outside the range);
- no wall clock: record timestamps are the input record's, audit inputs are the posts.v1
  coordinates plus the replayed TaggedPost as `violations.v1` at partition/offset -1
  with its digest (no shadow name, so two prefixes hold the same bytes).
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Mapping, Sequence

from confluent_kafka import Consumer, KafkaError, TopicPartition

from agents.caps import charges
from agents.classifier import TextClassifier
from agents.hashbank import HashBank
from agents.policy import Policy
from agents.records import Account, Case, Designation, Post, RecordError, Report
from agents.router import route as route_decision
from agents.tagger import TAGGER_VERSION, Tagger
from streams.infra import admin, topics
from streams.drivers.faust_app import audit_versions
from streams.engine.apply import OutRecord, decision_records, tagged_record
from streams.infra.codec import Codec, CodecError
from streams.infra.config import Settings
from streams.drivers.decide import index
from streams.infra.topics import TopicSpec

BATCH = 256  #: posts per classifier batch (scores are per row: batching never changes a result)
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
Progress = Callable[[int, int], None]  #: (records done, records total)


# --- ranges and reading -------------------------------------------------------------------


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


def read_ranges(settings: Settings, ranges: Iterable[Range], *, max_ts: int | None = None,
                idle_timeout: float = 30.0) -> Iterator[Record]:
    """Records of each range in (topic, partition, offset) order; `max_ts` drops later broker times."""
    c = _consumer(settings)
    try:
        for r in sorted(ranges, key=lambda r: (r.topic, r.partition, r.start)):
            low, high = c.get_watermark_offsets(TopicPartition(r.topic, r.partition), timeout=10)
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


# --- the registry and reports as of a time ------------------------------------------------


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Context:
    """What the live hot path reads from Redis, rebuilt from the topics (see the module doc)."""

    snapshots: Mapping[str, tuple[tuple[datetime, int, Account], ...]]  #: account -> (observed, log pos, snapshot), sorted
    designations: Mapping[str, tuple[Designation, ...]]
    reports: Mapping[str, tuple[Report, ...]]
    as_of_ms: int
    skipped: int = 0  #: context records that did not decode (live: dead letters)

    def account(self, account_id: str, at: str) -> Account | None:
        """The latest snapshot observed at or before `at` (a post's created_at)."""
        moment, best = _when(at), None
        for observed, _, snapshot in self.snapshots.get(account_id, ()):
            if observed > moment:
                break
            best = snapshot
        return best

    @classmethod
    def read(cls, settings: Settings, codec: Codec, as_of_ms: int, post_ids: set[str],
             designation_files: Sequence[Path] = ()) -> "Context":
        from streams.infra.registry_import import load_designations, load_seed

        skipped = 0
        snapshots: dict[str, list[tuple[datetime, int, Account]]] = {}
        topic = settings.topic(topics.ACCOUNTS)
        for n, rec in enumerate(read_ranges(settings, resolve_window(settings, topic, None), max_ts=as_of_ms)):
            if rec.value is None:
                continue  # tombstone: the live accounts agent keeps the last snapshot too
            try:
                a = Account.from_dict(codec.decode(rec.value, expect=topics.ACCOUNTS.schema)[1])
            except (CodecError, RecordError):
                skipped += 1
                continue
            observed = _when(a.observed_at) if a.observed_at else datetime.fromtimestamp(rec.timestamp / 1000, timezone.utc)
            snapshots.setdefault(a.account_id, []).append((observed, n, a))
        reports: dict[str, dict[str, Report]] = {}
        topic = settings.topic(topics.REPORTS)
        for rec in read_ranges(settings, resolve_window(settings, topic, None), max_ts=as_of_ms):
            try:
                r = Report.from_dict(codec.decode(rec.value or b"", expect=topics.REPORTS.schema)[1])
            except (CodecError, RecordError):
                skipped += 1
                continue
            if r.post_id in post_ids:  # first per reporter wins, as RedisReports.add (HSETNX)
                reports.setdefault(r.post_id, {}).setdefault(r.reporter_key, r)
        seed = load_seed(settings.registry_seed) if settings.registry_seed.exists() else []
        extra = [d for path in designation_files for d in load_designations(path)]
        return cls({k: tuple(sorted(v, key=lambda s: (s[0], s[1]))) for k, v in snapshots.items()},
                   index([*seed, *extra]), {k: tuple(v.values()) for k, v in reports.items()}, as_of_ms, skipped)


# --- outputs --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShadowTopics:
    """Shadow deployment topics: the catalog under another prefix, created by streams.infra.admin.apply."""

    prefix: str


@dataclass(frozen=True, slots=True)
class OutFile:
    """JSON Lines (decoded values) or, for a `.avro` path, an Avro container of encoded values."""

    path: Path


Output = ShadowTopics | OutFile


def output_from_arg(text: str) -> Output:
    """CLI `--out`: a path (has a / or ends .jsonl/.avro) is a file, anything else a shadow prefix."""
    if "/" in text or text.endswith((".jsonl", ".avro", ".json")):
        return OutFile(Path(text))
    return ShadowTopics(text)


@dataclass(frozen=True, slots=True)
class Produced:
    """One replay output, with the input coordinates it came from (the sort key)."""

    input_topic: str
    input_partition: int
    input_offset: int
    timestamp: int
    record: OutRecord


def _check_shadow(settings: Settings, prefix: str) -> Settings:
    if not prefix or prefix == settings.topic_prefix:
        raise ValueError(f"replay output prefix {prefix!r} must be non-empty and differ from the live prefix "
                         f"{settings.topic_prefix!r}: replay never writes live topics")
    shadow = replace(settings, topic_prefix=prefix)
    live = {settings.topic(s) for s in topics.CATALOG}
    clash = sorted(live & {shadow.topic(s) for s in topics.CATALOG})
    if clash:
        raise ValueError(f"shadow prefix {prefix!r} names live topics: {clash}")
    return shadow


def _prepare_shadow(settings: Settings, prefix: str) -> Settings:
    """Check the prefix, insist its existing topics are empty, create the rest (streams.infra.admin.apply)."""
    shadow = _check_shadow(settings, prefix)
    c = _consumer(shadow)
    try:
        existing = c.list_topics(timeout=10).topics
        used = [shadow.topic(s) for s in topics.CATALOG if shadow.topic(s) in existing
                and any(c.get_watermark_offsets(TopicPartition(shadow.topic(s), p), timeout=10)[1] > 0
                        for p in existing[shadow.topic(s)].partitions)]
    finally:
        c.close()
    if used:
        raise ValueError(f"shadow prefix {prefix!r} already holds records ({', '.join(used)}): pick a new prefix, "
                         "so the replay's output is exactly this replay")
    admin.apply(shadow)
    _keep_forever(shadow)
    return shadow


def _write_shadow(shadow: Settings, codec: Codec, out: Sequence[Produced]) -> None:
    from streams.infra.clients import producer

    failed: list[str] = []
    prod = producer(shadow)
    for item in out:
        rec = item.record
        while True:
            try:
                prod.produce(shadow.topic(rec.topic), key=rec.key.encode(), value=codec.encode(rec.topic.schema, rec.value),
                             timestamp=item.timestamp,
                             on_delivery=lambda err, msg: failed.append(str(err)) if err is not None else None)
                break
            except BufferError:
                prod.poll(0.5)
        prod.poll(0)
    if prod.flush(60) or failed:
        raise RuntimeError(f"replay: records not delivered to {shadow.topic_prefix}*: {failed[:3]}")


def _keep_forever(shadow: Settings) -> None:
    """Shadow records carry their input's (old) timestamps; the catalog retention would expire them."""
    from confluent_kafka.admin import AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource

    client = AdminClient(shadow.kafka_config())
    resources = [ConfigResource(ConfigResource.Type.TOPIC, shadow.topic(s), incremental_configs=[
        ConfigEntry("retention.ms", "-1", incremental_operation=AlterConfigOpType.SET)]) for s in topics.CATALOG]
    for future in client.incremental_alter_configs(resources).values():
        future.result(30)


def _write_file(codec: Codec, path: Path, out: Sequence[Produced]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".avro":
        from fastavro import parse_schema, writer

        rows = ({"topic": p.record.topic.name, "key": p.record.key, "schema": p.record.topic.schema,
                 "value": codec.encode(p.record.topic.schema, p.record.value), "input_partition": p.input_partition,
                 "input_offset": p.input_offset} for p in out)
        with path.open("wb") as fh:
            writer(fh, parse_schema(FILE_SCHEMA), rows, sync_marker=SYNC_MARKER)
        return
    with path.open("w", encoding="utf-8") as fh:
        for p in out:
            fh.write(json.dumps({"topic": p.record.topic.name, "key": p.record.key, "schema": p.record.topic.schema,
                                 "input": {"topic": p.input_topic, "partition": p.input_partition,
                                           "offset": p.input_offset}, "value": p.record.value},
                                ensure_ascii=False, separators=(",", ":")) + "\n")


def read_file(codec: Codec, path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(catalog topic name, value) of each record of a replay output file."""
    if path.suffix == ".avro":
        from fastavro import reader

        with path.open("rb") as fh:
            for row in reader(fh):
                yield row["topic"], codec.decode(row["value"], expect=row["schema"])[1]
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                yield row["topic"], row["value"]


# --- the replay -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplayStats:
    """What a replay read and wrote; `ranges` and `as_of_ms` repeat it exactly (`--offsets`, `as_of`)."""

    ranges: tuple[Range, ...]
    as_of_ms: int
    policy_version: str
    inputs: int
    decided: int
    skipped: int
    routes: Mapping[str, int]
    outputs: Mapping[str, int]  #: catalog topic -> records written
    output: str
    errors: tuple[str, ...] = field(default=())  #: the first few skip reasons

    def summary(self) -> str:
        routes = ", ".join(f"{k} {v}" for k, v in sorted(self.routes.items()))
        return (f"replayed {self.inputs} records under policy {self.policy_version} as of "
                f"{datetime.fromtimestamp(self.as_of_ms / 1000, timezone.utc).isoformat()}: {self.decided} decided "
                f"({routes}), {self.skipped} skipped -> {self.output}; offsets "
                + ",".join(map(str, self.ranges)))


def versions(policy: Policy, banks: HashBank, classifier: TextClassifier | None) -> dict[str, str]:
    """The audit `versions` map, built as the live workers build it."""
    return audit_versions(policy, banks, classifier.version if classifier is not None else None)


def load_banks(paths: Sequence[Path]) -> HashBank:
    """Hash banks from bank files (`modstream banks` CSV/JSONL): live banks sit in Redis, not on a topic."""
    from streams.infra.banks import read_file as read_bank_file, to_banks

    return HashBank.build(to_banks(e for p in paths for e in read_bank_file(p))) if paths else HashBank.empty()


def _ref(rec: Record) -> dict[str, Any]:
    """An InputRef, as `streams.drivers.faust_agents.input_ref` builds it from a faust message."""
    return {"topic": rec.topic, "partition": rec.partition, "offset": rec.offset,
            "digest": hashlib.sha256(rec.value or b"").hexdigest()}


def replay(settings: Settings, codec: Codec, *, policy: Policy, output: Output, window: Window | None = None,
           ranges: Sequence[Range] | None = None, input_topics: Sequence[TopicSpec] = (topics.POSTS,),
           as_of: datetime | None = None, designation_files: Sequence[Path] = (), banks: HashBank | None = None,
           classifier: TextClassifier | None = None, progress: Progress | None = None) -> ReplayStats:
    """Re-decide the input range under `policy` and write the outputs; never touches live topics or groups.

    Give `window` (broker time, [from, to)) or `ranges` (deployed topic offsets). The
    classifier is loaded like the live worker's when `settings.classifier` is on. `banks`:
    the hash banks to match media against (default none; compare `versions.hashbank`).
    Daily caps count the replay's own automated actions per UTC day of the input's
    broker timestamp, from zero at the start of the range.
    """
    if (window is None) == (ranges is None):
        raise ValueError("give exactly one of window or ranges")
    shadow = _prepare_shadow(settings, output.prefix) if isinstance(output, ShadowTopics) else None
    for spec in input_topics:
        if spec.schema != topics.POSTS.schema:
            raise ValueError(f"replay reads {topics.POSTS.schema} topics; {spec.name} holds {spec.schema}")
    if ranges is None:
        ranges = [r for spec in input_topics for r in resolve_window(settings, settings.topic(spec), window)]
    ranges = tuple(sorted(ranges, key=lambda r: (r.topic, r.partition, r.start)))
    inputs = list(read_ranges(settings, ranges))
    as_of_ms = (int(as_of.timestamp() * 1000) if as_of else window.end_ms - 1 if window
                else max((r.timestamp for r in inputs), default=0))
    if classifier is None and settings.classifier:
        classifier = TextClassifier.load()
    tagger = Tagger(policy, banks=banks, classifier=classifier)
    tagger_version = TAGGER_VERSION + (f"+clf.{classifier.version}" if classifier else "")
    stamp = versions(policy, tagger.banks, classifier)

    posts: list[tuple[Record, Post]] = []
    errors: list[str] = []
    for rec in inputs:
        try:
            posts.append((rec, Post.from_dict(codec.decode(rec.value or b"", expect=topics.POSTS.schema)[1])))
        except (CodecError, RecordError) as exc:  # live: a dead letter, no decision
            errors.append(f"{rec.topic}[{rec.partition}]@{rec.offset}: {exc}")
    ctx = Context.read(settings, codec, as_of_ms, {p.post_id for _, p in posts}, designation_files)

    out: list[Produced] = []
    routes: dict[str, int] = {}
    counts: dict[str, dict[str, int]] = {}  #: UTC day -> automated actions by capped type
    for n in range(0, len(posts), BATCH):
        chunk = posts[n:n + BATCH]
        for (rec, post), violations in zip(chunk, tagger.tag_batch([p for _, p in chunk])):
            source = _ref(rec)
            tagged = tagged_record(post, violations, source, tagger_version, policy.version)
            tagged_ref = {"topic": topics.VIOLATIONS.name, "partition": -1, "offset": -1,
                          "digest": hashlib.sha256(codec.encode(topics.VIOLATIONS.schema, tagged)).hexdigest()}
            case = Case(post, ctx.account(post.author_id, post.created_at),
                        tuple(a for m in post.mentions if (a := ctx.account(m, post.created_at))),
                        ctx.reports.get(post.post_id, ()))
            day = datetime.fromtimestamp(rec.timestamp / 1000, timezone.utc).date().isoformat()
            today = counts.setdefault(day, {})
            decision = route_decision(case, tuple(violations), ctx.designations, policy, today)
            for action_type, k in charges(decision, policy).items():
                today[action_type] = today.get(action_type, 0) + k
            records = [OutRecord(topics.VIOLATIONS, post.post_id, tagged),
                       *decision_records(decision, [source, tagged_ref], stamp)]
            out += [Produced(rec.topic, rec.partition, rec.offset, rec.timestamp, r) for r in records]
            routes[decision.route] = routes.get(decision.route, 0) + 1
        if progress:
            progress(min(n + BATCH, len(posts)), len(posts))

    if shadow is not None:
        _write_shadow(shadow, codec, out)
        where = f"shadow topics {shadow.topic_prefix}*"
    else:
        _write_file(codec, output.path, out)
        where = str(output.path)
    counts: dict[str, int] = {}
    for p in out:
        counts[p.record.topic.name] = counts.get(p.record.topic.name, 0) + 1
    return ReplayStats(ranges, as_of_ms, policy.version, len(inputs), len(posts), len(errors) + ctx.skipped,
                       routes, counts, where, tuple(errors[:5]))


# --- progress and the CLI entry -------------------------------------------------------------


class ProgressBar:
    """Records done, rate and time left on stderr: in place on a TTY, else one line every `every` records."""

    def __init__(self, label: str = "replay", stream: IO[str] | None = None, every: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.label, self.stream, self.every, self.clock = label, stream or sys.stderr, every, clock
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = clock()
        self._last_line = 0
        self._last_draw = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        final = done >= total
        if self.tty:
            if not final and now - self._last_draw < 0.2:
                return
            self._last_draw = now
            self.stream.write("\r\x1b[2K" + self.line(done, total, now) + ("\n" if final else ""))
        else:
            if not final and done - self._last_line < self.every:
                return
            self._last_line = done
            self.stream.write(self.line(done, total, now) + "\n")
        self.stream.flush()

    def line(self, done: int, total: int, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        rate = done / elapsed
        left = (total - done) / rate if rate > 0 else float("inf")
        eta = "?" if left == float("inf") else f"{int(left) // 60}m{int(left) % 60:02d}s"
        pct = 100.0 * done / total if total else 100.0
        return f"{self.label}: {done:,}/{total:,} records ({pct:5.1f}%), {rate:,.0f}/s, {eta} left"


def policy_from_args(settings: Settings, *, version: str | None = None, follower_threshold: int | None = None,
                     severe_confidence: float | None = None, min_confidence: float | None = None,
                     policy_file: str | Path | None = None) -> Policy:
    """The pinned policy: a policy file (default: the live one) plus overrides. The version follows
    from the content (`Policy.version`), so a changed decision never reuses the live decision ids;
    `version` sets the label, which defaults to the base label plus the overrides."""
    from streams.infra.policy_file import load

    base = load(policy_file).policy if policy_file else settings.policy()
    overrides = {k: v for k, v in (("follower_threshold", follower_threshold), ("severe_confidence", severe_confidence),
                                   ("min_confidence", min_confidence)) if v is not None and v != getattr(base, k)}
    if version is None and overrides:
        version = base.label + "-" + ",".join(f"{k}={v}" for k, v in sorted(overrides.items()))
    return replace(base, **overrides, **({"label": version} if version else {}))


def run(settings: Settings, codec: Codec, *, out: str, start: str | None = None, end: str | None = None,
        offsets: str | None = None, topic: str = topics.POSTS.name, policy_version: str | None = None,
        follower_threshold: int | None = None, severe_confidence: float | None = None, as_of: str | None = None,
        designation_files: Sequence[str] = (), bank_files: Sequence[str] = (), policy_file: str | None = None,
        stream: IO[str] | None = None) -> ReplayStats:
    """`modstream replay --from T --to T | --offsets P:S-E,... [--topics] [--policy-version] [--follower-threshold] --out`."""
    spec = topics.lookup(topic, settings.topic_prefix)
    if bool(start) != bool(end) or bool(start) == bool(offsets):
        raise ValueError("give --from and --to, or --offsets")
    window = Window(parse_time(start), parse_time(end)) if start and end else None
    ranges = parse_offsets(offsets, settings.topic(spec)) if offsets else None
    policy = policy_from_args(settings, version=policy_version, follower_threshold=follower_threshold,
                              severe_confidence=severe_confidence, policy_file=policy_file)
    return replay(settings, codec, policy=policy, output=output_from_arg(out), window=window, ranges=ranges,
                  input_topics=(spec,), as_of=parse_time(as_of) if as_of else None,
                  designation_files=[Path(p) for p in designation_files],
                  banks=load_banks([Path(p) for p in bank_files]), progress=ProgressBar(stream=stream))
