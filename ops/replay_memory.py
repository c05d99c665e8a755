"""Measure replay's peak memory on a long window: `python -m ops.replay_memory fill|measure`.

`fill N`: ingest the sample firehose (`modstream sample`: N posts, their authors' snapshots,
reports on a tenth of them) into the topics of MODSTREAM_TOPIC_PREFIX on the local broker.
`measure`: replay the whole posts topic into an Avro file, in this process, printing the
peak RSS (getrusage) every 100,000 records and at the end: replay streams, so the figure
stays flat as the window grows (README "Audit and replay").
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from streams.commands import ingest, sample
from streams.drivers import replay
from streams.infra import admin, topics
from streams.infra.codec import Codec
from streams.infra.config import Settings
from streams.infra.registry_import import load_seed


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fill(settings: Settings, codec: Codec, n: int) -> None:
    admin.apply(settings)
    lines = (line.encode() for line in sample.generate(n, load_seed(settings.registry_seed), malformed=0, run="rss"))
    stats = ingest.run(settings, codec, lines, "sample", every=100_000)
    print(f"filled: {stats}", flush=True)


def measure(settings: Settings, codec: Codec, out: Path) -> None:
    marks: list[int] = []
    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        if not marks or done - marks[-1] >= 100_000 or done == total:
            marks.append(done)
            print(f"replay: {done:,}/{total:,} records, {time.monotonic() - started:,.0f} s, peak RSS "
                  f"{peak_mb():,.0f} MB", flush=True)

    ranges = replay.resolve_window(settings, settings.topic(topics.POSTS), None)
    stats = replay.replay(settings, codec, policy=settings.policy(), output=replay.OutFile(out), ranges=ranges,
                          as_of=datetime.now(timezone.utc), progress=progress)
    print(stats.summary(), flush=True)
    print(f"peak RSS {peak_mb():,.0f} MB for {stats.inputs:,} posts in {time.monotonic() - started:,.0f} s", flush=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m ops.replay_memory", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("fill").add_argument("posts", type=int)
    sub.add_parser("measure").add_argument("--out", default="/tmp/modstream-replay-memory.avro")
    args = p.parse_args(argv)
    settings = Settings.from_env()
    codec = Codec.from_dir(settings.schema_dir)
    if args.cmd == "fill":
        fill(settings, codec, args.posts)
    else:
        measure(settings, codec, Path(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
