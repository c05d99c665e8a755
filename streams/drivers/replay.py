"""`modstream replay`: re-run a range of history through the live agent code under a pinned policy.

Why: auditors must answer "would this policy decide the same?" from the topics alone,
without touching live outputs or live consumer groups. Replay reads the input range with
an assigned consumer (unique group id, never commits), runs the same code as the live
agents (`agents.tagger.Tagger`, `agents.router.route`, `streams.engine.apply.decision_records`)
and writes to shadow topics (another topic prefix) or to a file.

Replay streams: the input range is read in batches, each batch decided by the one engine
(streams/engine/engine.py) with its context looked up in an on-disk index of the context
topics (streams/engine/asof.py), and its outputs written as they come (streams/engine/sinks.py).
Memory stays flat however long the range (README "Audit and replay" quotes the peak RSS).

Deterministic model (replaying the same range twice gives the same bytes):
- inputs are read per (topic, partition) in offset order; outputs keep that order and,
  within one decision, the apply order (tagged post, then `decision_records`);
- `as_of` (ms, broker time) bounds everything read besides the inputs: window end, or
  the latest input record's timestamp for offset ranges (override with `as_of`);
- the context as of then (authors, designations, reports, source deletions, hash banks,
  daily caps): see streams/engine/asof.py; caps count the replay's own automated actions
  per UTC day of the input record's broker time, from zero at the start of the range
  (live: Redis counters per wall-clock day, including actions outside the range);
- no wall clock: record timestamps are the input record's, audit inputs are the posts.v1
  coordinates plus the replayed TaggedPost as `violations.v1` at partition/offset -1
  with its digest (no shadow name, so two prefixes hold the same bytes).
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path
from typing import IO, Any, Callable, Iterator, Mapping, Sequence

from confluent_kafka import TopicPartition

from agents.classifier import TextClassifier
from agents.effects import Decision
from agents.hashbank import HashBank
from agents.policy import Policy
from agents.records import Post, RecordError
from agents.tagger import TAGGER_VERSION, Tagger
from streams.engine.apply import OutRecord, decision_records, input_ref, tagged_record
from streams.engine.asof import AsOfPort, read_context
from streams.engine.engine import Engine, Input
from streams.engine.runtime import audit_versions
from streams.engine.sinks import FILE_SCHEMA, SYNC_MARKER, KafkaSink, Produced, Sink, file_sink
from streams.engine.sources import (Range, Record, Window, _consumer, parse_offsets, parse_time, read_ranges,
                                    resolve_window)
from streams.infra import admin, topics
from streams.infra.codec import Codec, CodecError
from streams.infra.config import Settings
from streams.infra.topics import TopicSpec

__all__ = ["FILE_SCHEMA", "SYNC_MARKER", "Range", "Record", "Window", "parse_offsets", "parse_time", "read_ranges",
           "resolve_window", "replay", "run", "read_file"]

BATCH = 256  #: posts per engine batch (classifier scores are per row: batching never changes a result)
Progress = Callable[[int, int], None]  #: (records done, records total)


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


def _keep_forever(shadow: Settings) -> None:
    """Shadow records carry their input's (old) timestamps; the catalog retention would expire them."""
    from confluent_kafka.admin import AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource

    client = AdminClient(shadow.kafka_config())
    resources = [ConfigResource(ConfigResource.Type.TOPIC, shadow.topic(s), incremental_configs=[
        ConfigEntry("retention.ms", "-1", incremental_operation=AlterConfigOpType.SET)]) for s in topics.CATALOG]
    for future in client.incremental_alter_configs(resources).values():
        future.result(30)


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


def _as_of_ms(settings: Settings, ranges: Sequence[Range], window: Window | None, as_of: datetime | None) -> int:
    """The window's end, or the latest input timestamp of the ranges (a first pass, timestamps only)."""
    if as_of is not None:
        return int(as_of.timestamp() * 1000)
    if window is not None:
        return window.end_ms - 1
    return max((r.timestamp for r in read_ranges(settings, ranges)), default=0)


def _batches(records: Iterator[Record], size: int) -> Iterator[list[Record]]:
    while chunk := list(islice(records, size)):
        yield chunk


@dataclass
class _Tally:
    """What a replay counted as it went (its outputs are already written)."""

    inputs: int = 0
    decided: int = 0
    routes: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, key: dict[str, int], name: str) -> None:
        key[name] = key.get(name, 0) + 1


def replay(settings: Settings, codec: Codec, *, policy: Policy, output: Output, window: Window | None = None,
           ranges: Sequence[Range] | None = None, input_topics: Sequence[TopicSpec] = (topics.POSTS,),
           as_of: datetime | None = None, designation_files: Sequence[Path] = (), banks: HashBank | None = None,
           classifier: TextClassifier | None = None, progress: Progress | None = None) -> ReplayStats:
    """Re-decide the input range under `policy` and write the outputs; never touches live topics or groups.

    Give `window` (broker time, [from, to)) or `ranges` (deployed topic offsets). The
    classifier is loaded like the live worker's when `settings.classifier` is on. `banks`:
    the hash banks to match media against (default none; compare `versions.hashbank`).
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
    as_of_ms = _as_of_ms(settings, ranges, window, as_of)
    if classifier is None and settings.classifier:
        classifier = TextClassifier.load()
    tagger = Tagger(policy, banks=banks, classifier=classifier)
    port = read_context(settings, codec, as_of_ms, _designations(settings, designation_files), tagger.banks)
    try:
        if shadow is not None:
            from streams.infra.clients import producer

            sink: Sink = KafkaSink(shadow, codec, producer(shadow))
            where = f"shadow topics {shadow.topic_prefix}*"
        else:
            sink, where = file_sink(codec, output.path), str(output.path)
        tally = _run(Engine(policy, tagger), port, codec, read_ranges(settings, ranges), sink,
                     TAGGER_VERSION + (f"+clf.{classifier.version}" if classifier else ""),
                     versions(policy, tagger.banks, classifier), sum(r.end - r.start for r in ranges), progress)
        sink.close()
    finally:
        port.close()
    return ReplayStats(ranges, as_of_ms, policy.version, tally.inputs, tally.decided,
                       len(tally.errors) + port.skipped, tally.routes, tally.outputs, where, tuple(tally.errors[:5]))


def _designations(settings: Settings, files: Sequence[Path]) -> list:
    from streams.infra.registry_import import load_designations, load_seed

    seed = load_seed(settings.registry_seed) if settings.registry_seed.exists() else []
    return [*seed, *(d for path in files for d in load_designations(path))]


def _run(engine: Engine, port: AsOfPort, codec: Codec, records: Iterator[Record], sink: Sink, tagger_version: str,
         stamp: dict[str, str], total: int, progress: Progress | None) -> _Tally:
    """Decide the records batch by batch, writing each batch's outputs before reading the next."""
    tally = _Tally()
    for chunk in _batches(records, BATCH):
        tally.inputs += len(chunk)
        read: list[tuple[Record, Input]] = []
        for rec in chunk:
            try:
                post = Post.from_dict(codec.decode(rec.value or b"", expect=topics.POSTS.schema)[1])
            except (CodecError, RecordError) as exc:  # live: a dead letter, no decision
                tally.errors.append(f"{rec.topic}[{rec.partition}]@{rec.offset}: {exc}")
                continue
            day = datetime.fromtimestamp(rec.timestamp / 1000, timezone.utc).date().isoformat()
            read.append((rec, Input(post, input_ref(rec.topic, rec.partition, rec.offset, rec.value), day)))
        outcomes = engine.decide_batch([i for _, i in read], port.load([i.post for _, i in read]))
        for (rec, item), decision in zip(read, outcomes):
            if not isinstance(decision, Decision):
                tally.errors.append(f"{rec.topic}[{rec.partition}]@{rec.offset}: {decision.stage}: {decision.error}")
                continue
            tagged = tagged_record(item.post, decision.violations, item.ref, tagger_version, engine.policy.version)
            tagged_ref = input_ref(topics.VIOLATIONS.name, -1, -1, codec.encode(topics.VIOLATIONS.schema, tagged))
            for r in (OutRecord(topics.VIOLATIONS, item.post.post_id, tagged),
                      *decision_records(decision, [item.ref, tagged_ref], stamp)):
                sink.write(Produced(rec.topic, rec.partition, rec.offset, rec.timestamp, r))
                tally.add(tally.outputs, r.topic.name)
            tally.add(tally.routes, decision.route)
            tally.decided += 1
        if progress:
            progress(tally.inputs, max(total, tally.inputs))
    if progress and tally.inputs < total:
        progress(tally.inputs, tally.inputs)  # compacted or filtered ranges hold fewer records than offsets
    return tally


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
