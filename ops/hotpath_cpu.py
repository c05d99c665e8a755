"""The hot path's own work per post, without Kafka or Redis: `python -m ops.hotpath_cpu time|digest`.

What `hotpath._Batch._route` does between its Redis reads and its produce calls, batch by batch
(1,000 posts, GC set as the hot path sets it): Avro decode, `Post.from_dict`, `Engine.decide_batch`
(Tagger with the classifier, routing, caps counted in memory), `decision_records`, Avro encode of
every output, the cap charges and the decided summaries. Context comes from the bench's own sample
(account snapshots, the registry seed, reports), so no service is needed.

`time N ROUNDS`: CPU time (user+sys of this process) a post, per round over N varied bench posts,
their median and minimum: a speed-up shows as a lower figure; on a shared machine compare runs taken
in turns. `digest N`: md5s of every output record's Avro bytes with the summaries and charges, and of
the Tagger's output, over N varied bench posts plus the texts of the development fixtures and
`models/own-*.jsonl` (never the functional suite): a change that must not change any output leaves
both as they were.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import statistics
import time
from pathlib import Path
from typing import Callable

from agents.caps import charges
from agents.classifier import TextClassifier
from agents.effects import Decision
from agents.records import Account, Case, Post
from agents.review import decision_summary
from agents.tagger import Tagger
from streams.commands import sample
from streams.drivers import hotpath
from streams.engine.apply import decision_records, input_ref
from streams.engine.context import Context, MemoryCaps, index
from streams.engine.engine import Engine, Input
from streams.engine.runtime import audit_versions
from streams.infra import topics
from streams.infra.codec import Codec
from streams.infra.config import Settings
from streams.infra.registry_import import load_seed

ROOT = Path(__file__).resolve().parent.parent
#: texts added to the digest's posts: fixtures written beside the rules and the model's own examples
EXTRA = ("tests/fixtures/eval/dev.jsonl", "tests/fixtures/eval/rules-dev.jsonl", "models/own-train.jsonl",
         "models/own-eval.jsonl", "models/own-candidates.jsonl")
NOW = 1796230000.0  #: the broker time posts are read at (created_at may not be a day ahead of it)
DAY = "2026-12-02"  #: the day caps count toward
Sink = Callable[[str, list[tuple[str, str, bytes]], dict[str, int], dict], None]


def _cases(n: int, extra: bool) -> tuple[dict[str, Account], list[Case]]:
    """The bench's varied sample (authors as account snapshots), plus the EXTRA texts by its authors."""
    accounts, cases = {}, []
    for line in sample.generate(n, load_seed(Settings().registry_seed), malformed=0, run="b-", varied=True):
        d = json.loads(line)
        if "account" in d:
            a = Account.from_dict(d["account"])
            accounts[a.account_id] = a
        elif "post" in d:
            cases.append(Case.from_dict(d))
    texts = [json.loads(x)["text"] for p in EXTRA for x in (ROOT / p).read_text().splitlines() if x.strip()] if extra else []
    for i, text in enumerate(texts):
        like = cases[i % len(cases)].post
        cases.append(Case(Post(f"x-{i:07d}", like.author_id, text, like.created_at, "en", like.country), None))
    return accounts, cases


class Work:
    """The posts as encoded records, and everything the hot path decides them with."""

    def __init__(self, n: int, extra: bool = False):
        settings = Settings()
        self.accounts, self.cases = _cases(n, extra)
        self.registry = index(load_seed(settings.registry_seed))
        self.codec = Codec.from_dir(settings.schema_dir)
        self.policy = settings.policy()
        classifier = TextClassifier.load()
        self.tagger = Tagger(self.policy, classifier=classifier)
        self.versions = audit_versions(self.policy, self.tagger.banks, classifier.version)
        self.values = [self.codec.encode(topics.POSTS.schema, c.post.to_dict()) for c in self.cases]
        self.reports = {c.post.post_id: c.reports for c in self.cases if c.reports}

    def run(self, sink: Sink, n: int | None = None) -> None:
        caps = MemoryCaps()
        n = len(self.values) if n is None else n
        for lo in range(0, n, hotpath.BATCH):
            self._batch(range(lo, min(n, lo + hotpath.BATCH)), caps, sink)

    def _batch(self, offsets: range, caps: MemoryCaps, sink: Sink) -> None:
        codec, topic = self.codec, topics.POSTS.name
        posts = [(i, Post.from_dict(codec.decode_input(self.values[i], topics.POSTS.schema), now=NOW)) for i in offsets]
        accounts = {(a, p.created_at): self.accounts[a] for _, p in posts for a in (p.author_id, *p.mentions)
                    if a in self.accounts}
        context = Context(self.registry, accounts, {p.post_id: self.reports.get(p.post_id, ()) for _, p in posts},
                          frozenset(), {}, self.tagger.banks, caps)
        inputs = [Input(p, input_ref(topic, 0, i, self.values[i]), DAY) for i, p in posts]
        for (_, post), item, d in zip(posts, inputs, Engine(self.policy, self.tagger).decide_batch(inputs, context)):
            if not isinstance(d, Decision):
                sink(post.post_id, [("rejected", d.stage, repr(d.error).encode())], {}, {})
                continue
            encoded = [(r.topic.name, r.key, codec.encode(r.topic.schema, r.value))
                       for r in decision_records(d, [item.ref], self.versions)]
            summary = {**decision_summary(d), "post_text": post.text, "created_at": post.created_at}
            sink(post.post_id, encoded, charges(d, self.policy), summary)


def _as_hot_path() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(hotpath.GC_THRESHOLD, *gc.get_threshold()[1:])


def digest(n: int) -> str:
    work = Work(n, extra=True)
    _as_hot_path()
    out, records = hashlib.md5(), 0

    def sink(post_id: str, encoded: list[tuple[str, str, bytes]], charged: dict[str, int], summary: dict) -> None:
        nonlocal records
        out.update(post_id.encode())
        for topic, key, value in encoded:
            out.update(f"{topic}|{key}|{len(value)}|".encode() + value)
        records += len(encoded)
        out.update(json.dumps([sorted(charged.items()), summary], sort_keys=True).encode())

    work.run(sink)
    tags = hashlib.md5()
    posts = [c.post for c in work.cases]
    for lo in range(0, len(posts), hotpath.BATCH):
        for p, found in zip(posts[lo:lo + hotpath.BATCH], work.tagger.tag_batch(posts[lo:lo + hotpath.BATCH])):
            tags.update(json.dumps([p.post_id, [v.to_dict() for v in found]], sort_keys=True).encode())
    return f"posts {len(posts):,}, records {records:,}: outputs md5 {out.hexdigest()}, tagger md5 {tags.hexdigest()}"


def timed(n: int, rounds: int) -> str:
    work = Work(n)
    _as_hot_path()
    work.run(lambda *_: None, min(n, 2 * hotpath.BATCH))  # warm: caches, first allocations
    each = []
    for _ in range(rounds):
        started = time.process_time()
        work.run(lambda *_: None)
        each.append((time.process_time() - started) * 1e6 / n)
    return (f"{n:,} posts x {rounds}: median {statistics.median(each):.0f} us a post, min {min(each):.0f} "
            f"(rounds: {', '.join(f'{x:.0f}' for x in each)})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.hotpath_cpu", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("time", help="CPU a post, per round")
    t.add_argument("posts", type=int, nargs="?", default=5000)
    t.add_argument("rounds", type=int, nargs="?", default=5)
    d = sub.add_parser("digest", help="md5s of every output and of the Tagger's output")
    d.add_argument("posts", type=int, nargs="?", default=20000)
    args = parser.parse_args(argv)
    print(timed(args.posts, args.rounds) if args.cmd == "time" else digest(args.posts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
