"""The `modstream` command line. Each subcommand builds Settings once and calls one module."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from streams.infra.config import Settings, SettingsError


def _codec(settings: Settings):
    from streams.infra.codec import Codec

    return Codec.from_dir(settings.schema_dir, registry_url=settings.schema_registry_url or None)


def _lines(path: str):
    """Byte lines of a file or of stdin ('-')."""
    if path == "-":
        yield from sys.stdin.buffer
    else:
        with open(path, "rb") as f:
            yield from f


def cmd_decide(args, settings: Settings) -> int:
    from agents.classifier import TextClassifier
    from agents.tagger import Tagger
    from streams.drivers import decide
    from streams.infra.registry_import import load_seed

    policy = settings.policy()
    registry = decide.index(load_seed(settings.registry_seed) if settings.registry_seed.exists() else ())
    classifier = TextClassifier.load() if settings.classifier and not args.no_classifier else None
    sys.stdout.reconfigure(encoding="utf-8")  # the contract's output is UTF-8, whatever the locale
    with (open(args.input, "rb") if args.input != "-" else sys.stdin.buffer) as lines:  # bytes: bad UTF-8 is a line's error
        ok, bad = decide.run(lines, sys.stdout, Tagger(policy, classifier=classifier), registry, policy,
                             settings.record_budget_seconds)
    print(f"decide: {ok} decided, {bad} rejected", file=sys.stderr)
    return 0


def cmd_ingest(args, settings: Settings) -> int:
    from streams.commands import ingest
    source = "stdin" if args.file == "-" else Path(args.file).name
    if args.format == "contract":
        stats = ingest.run(settings, _codec(settings), _lines(args.file), source)
    else:
        from streams.infra.formats.reader import SourceFatal, reader_for

        reader = reader_for(args.file, args.format, cursor=args.cursor)
        try:
            stats = ingest.run(settings, _codec(settings), reader, source.split("?")[0], fmt=args.format)
        except SourceFatal as exc:
            print(f"ingest: {exc}", file=sys.stderr)
            return 2
        finally:
            if reader.cursor is not None:
                print(f"ingest: resume with --cursor {reader.cursor}", file=sys.stderr)
    print(f"ingest: {stats.summary()}", file=sys.stderr)
    for e in stats.errors:
        print(f"  dead letter: {e}", file=sys.stderr)
    return 0


def cmd_tail(args, settings: Settings) -> int:
    from streams.commands import tail
    tail.run(settings, _codec(settings), settings.topic_prefix + args.topic if not args.raw_name else args.topic,
             from_end=args.from_end, follow=args.follow, limit=args.max)
    return 0


def cmd_topics(args, settings: Settings) -> int:
    from streams.infra import admin
    if args.action == "apply":
        try:
            changes = admin.apply(settings)
        except admin.TopicsError as exc:
            print(f"topics: {exc}", file=sys.stderr)
            return 1
        print("\n".join(changes) if changes else "topics: all present and reconciled")
    elif args.action == "docs":
        from streams.commands import topic_docs
        from streams.infra.config import PROJECT_ROOT
        if args.write:
            changed = topic_docs.write(PROJECT_ROOT)
            print(f"topics docs: rewrote {', '.join(changed)}" if changed else "topics docs: up to date")
            return 0
        out_of_date = topic_docs.stale(PROJECT_ROOT)
        if out_of_date:
            print(f"topics docs: out of date: {', '.join(out_of_date)}; run `{topic_docs.CMD}`", file=sys.stderr)
            return 1
        print("topics docs: up to date")
    else:
        print("\n".join(admin.describe(settings)))
    return 0


#: worker roles renamed, kept as deprecated aliases for one release (operators' scripts use them)
DEPRECATED_ROLES = {"decide": "hotpath"}


def cmd_worker(args, settings: Settings) -> int:
    from streams.drivers import worker
    role = args.role
    if role in DEPRECATED_ROLES:
        role = DEPRECATED_ROLES[role]
        print(f"warning: `--role {args.role}` is deprecated and will be removed in the next release; "
              f"use `--role {role}`", file=sys.stderr)
    worker.run(settings, role=role)
    return 0


def cmd_demo(args, settings: Settings) -> int:
    from streams.commands import demo
    return demo.run(settings, n_posts=args.posts)


def cmd_review(args, settings: Settings) -> int:
    import asyncio
    import os

    from streams.commands import review_cli
    from streams.infra import clients, reviewers, stores, topics
    from streams.infra.review_queue import RedisReviewQueue, ReviewQueueError

    if args.action == "roster":
        return _roster(args, settings)
    reviewer = None
    if args.action == "decide":  # before any connection: who is asking comes from the roster, not a flag
        try:
            reviewer = reviewers.Roster(settings.review_roster).authenticate(
                args.reviewer, reviewers.password_from(os.environ, f"password for {args.reviewer}: "))
        except reviewers.AuthError as exc:
            print(f"review: {exc}", file=sys.stderr)
            return 2
    codec = _codec(settings)

    async def run() -> str:
        client = stores.connect(settings.redis_url)
        queue = RedisReviewQueue(client)
        try:
            if args.action == "list":
                return await review_cli.list_items(queue, args.state, args.limit)
            if args.action == "show":
                return await review_cli.show_item(queue, args.item)
            producer = clients.producer(settings)

            def send(key: str, value: dict) -> None:
                producer.produce(settings.topic(topics.REVIEWS), key=key.encode(),
                                 value=codec.encode(topics.REVIEWS.schema, value))
                if producer.flush(30):
                    raise ReviewQueueError(f"the decision was not delivered to {settings.kafka_bootstrap}; retry")

            review = await review_cli.decide_item(queue, send, args.item, reviewer, args.outcome, args.rationale,
                                                  args.policy)
            return (f"recorded {review.outcome} on {review.post_id} as {review.review_id}; "
                    "the review agent applies it (watch actions.v1 and notices.v1)")
        finally:
            await client.aclose()

    try:
        print(asyncio.run(run()))
    except ReviewQueueError as exc:
        print(f"review: {exc}", file=sys.stderr)
        return 2
    return 0


def _roster(args, settings: Settings) -> int:
    import os

    from streams.infra import reviewers
    try:
        if args.roster_action == "add":
            password = reviewers.password_from(os.environ, f"new password for {args.id}: ")
            if not os.environ.get("MODSTREAM_REVIEWER_PASSWORD"):
                import getpass

                if getpass.getpass("again: ") != password:
                    raise reviewers.AuthError("the passwords differ")
            who = reviewers.add(settings.review_roster, args.id, args.role, password, args.name or "")
            print(f"roster {settings.review_roster}: {who.reviewer_id} ({', '.join(sorted(who.roles))})")
        else:
            for e in reviewers.Roster(settings.review_roster).entries():
                print(f"{e.reviewer.reviewer_id}  {','.join(sorted(e.reviewer.roles))}  {e.name}")
    except reviewers.AuthError as exc:
        print(f"review roster: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_console(args, settings: Settings) -> int:
    from dataclasses import replace

    from streams.console import app

    settings = replace(settings, console_host=args.host or settings.console_host,
                       console_port=args.port or settings.console_port)
    print(f"console: http://{settings.console_host}:{settings.console_port}/ (reviewers from {settings.review_roster};"
          " Ctrl-C stops)", file=sys.stderr)
    app.serve(settings)
    return 0


def cmd_banks(args, settings: Settings) -> int:
    import asyncio

    from streams.infra import banks, stores
    async def run() -> str:
        client = stores.connect(settings.redis_url)
        store = banks.RedisBankStore(client)
        try:
            if args.action == "load":
                r = await banks.load_file(store, args.file)
                return (f"banks: {r.entries} rows, {r.added} new hashes in {', '.join(r.banks)} (change counter "
                        f"{r.counter}); workers pick them up within {settings.bank_refresh_seconds:.0f}s")
            if args.action == "list":
                return await banks.describe(store)
            await getattr(store, args.action)(args.name)
            return f"banks: {args.name} {args.action}d (workers pick it up within {settings.bank_refresh_seconds:.0f}s)"
        finally:
            await client.aclose()

    try:
        print(asyncio.run(run()))
    except (banks.BankFileError, KeyError, ValueError) as exc:
        print(f"banks: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_replay(args, settings: Settings) -> int:
    from streams.drivers import replay
    stats = replay.run(settings, _codec(settings), out=args.out, start=args.start, end=args.end, offsets=args.offsets,
                       topic=args.topic, policy_version=args.policy_version,
                       follower_threshold=args.follower_threshold, severe_confidence=args.severe_confidence,
                       as_of=args.as_of, designation_files=args.designations or (), bank_files=args.banks or (),
                       policy_file=args.policy_file)
    print(stats.summary(), file=sys.stderr)
    return 0


def cmd_audit(args, settings: Settings) -> int:
    from streams.commands import audit_diff
    diff = audit_diff.run(settings, _codec(settings), replayed=args.replayed, recorded=args.recorded,
                          start=args.start, end=args.end)
    print(json.dumps(diff.to_dict()) if args.json else audit_diff.format_diff(diff, limit=args.limit))
    return 0


def cmd_report(args, settings: Settings) -> int:
    from streams.commands import transparency
    written = transparency.run(settings, _codec(settings), start=args.start, end=args.end, out_dir=args.out)
    for kind, path in written.items():
        print(f"{kind}: {path}")
    return 0


def cmd_dlq(args, settings: Settings) -> int:
    from streams.commands import dlq
    codec = _codec(settings)
    if args.action == "list":
        for letter in dlq.list_letters(settings, codec, source_filter=args.source, error_type=args.error_type,
                                       store=dlq.RedisReplayed.connect(settings)):
            print(json.dumps(letter))
        return 0
    stats = dlq.replay(settings, codec, source_filter=args.source, error_type=args.error_type, dry_run=args.dry_run)
    print(stats.summary(), file=sys.stderr)
    return 0


def cmd_eval(args, settings: Settings) -> int:
    from agents.classifier import TextClassifier
    from agents.tagger import Tagger
    from streams.commands import evaluate, public_sets
    policy = settings.policy()
    classifier = None if args.no_classifier else TextClassifier.load()
    tagger = Tagger(policy, classifier=classifier)
    try:
        if args.file:
            examples = evaluate.read_examples(Path(args.file), args.format)
            result = evaluate.evaluate(examples, tagger)
            # a file in the functional suite's format (rules-dev.jsonl, ...) also gets its table
            by_case = evaluate.evaluate_functional(examples, tagger) if any(e.category for e in examples) else None
            if args.json:
                print(json.dumps({**result.to_dict(), **({"functional": by_case.to_dict()} if by_case else {})}))
            else:
                print(evaluate.format_report(result) + (f"\n\n{evaluate.format_functional(by_case)}" if by_case else ""))
            return 0
        public_dir = Path(args.public)
        public = (evaluate.evaluate_public(public_sets.load(public_dir), tagger)
                  if (public_dir / "EXCLUDE.sha256").exists() else None)
        functional = evaluate.evaluate_functional(evaluate.read_examples(evaluate.FUNCTIONAL), tagger)
        dev = evaluate.evaluate_file(evaluate.DEV, tagger)
    except evaluate.EvalInputError as exc:
        print(f"eval: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"public_test": public.to_dict() if public else None, "functional": functional.to_dict(),
                          "development": dev.to_dict()}))
        return 0
    print(f"(a) public test splits never trained on ({public_dir})")
    print(evaluate.format_public(public, per_source=args.per_source) if public
          else f"    not found: {public_dir} (pass --public DIR)")
    print(f"\n(b) functional suite ({evaluate.FUNCTIONAL.name}, written before the rules and model it measures)")
    print(evaluate.format_functional(functional))
    print(f"\n(c) development set ({evaluate.DEV.name}: written beside the rules, shows regressions only)")
    print(evaluate.format_report(dev))
    return 0


def cmd_bench(args, settings: Settings) -> int:
    from streams.commands import bench
    progress = (lambda m: print(m, file=sys.stderr)) if args.json else print
    result = bench.run(settings, n=args.posts, workers=args.workers, paced_seconds=args.paced_seconds,
                       classifier=not args.no_classifier, progress=progress, brokers=args.brokers,
                       redis_cluster=args.redis_cluster)
    print(bench.as_json(result) if args.json else result.table())
    return 0


def cmd_local(args, settings: Settings) -> int:
    from ops import local

    if args.action == "stop":
        _stop_demo_worker(local.default_run_dir())
    return local.main([args.action, args.service, *(["--brokers", str(args.brokers)] if args.brokers else []),
                       *(["--redis-cluster"] if args.redis_cluster else [])])


def _stop_demo_worker(run_dir: Path) -> None:
    import os
    import signal

    pid_file = run_dir / "worker.pid"
    if pid_file.exists():
        try:
            os.killpg(int(pid_file.read_text()), signal.SIGTERM)
            print("worker: stopped")
        except (ProcessLookupError, ValueError):
            pass
        pid_file.unlink()


def cmd_policy(args, settings: Settings) -> int:
    from streams.commands import policy_cmd
    from streams.infra.policy_file import PolicyFileError

    try:
        if args.action == "check":
            print(policy_cmd.check(settings, args.file))
        elif args.action == "dry-run":
            run = policy_cmd.dry_run(settings, _codec(settings), args.file, args.start, args.end, prefix=args.prefix,
                                     bank_files=tuple(args.banks or ()))
            print(json.dumps(run.diff.to_dict()) if args.json else run.report(samples=args.samples))
        else:
            text = policy_cmd.show(settings, _codec(settings), args.version, listed=args.list)
            print(text, end="" if text.endswith("\n") else "\n")
    except (PolicyFileError, SettingsError, KeyError) as exc:
        print(f"policy: {exc.args[0] if isinstance(exc, KeyError) else exc}", file=sys.stderr)
        return 2
    return 0


def cmd_registry(args, settings: Settings) -> int:
    from streams.infra import registry_import as ri
    if args.action == "import":
        provenance = ri.regenerate_congress_seed(Path(args.congress), Path(args.out), as_of=args.as_of)
        print(f"registry: wrote {args.out}: {json.dumps(provenance['counts'])}")
        return 0
    if args.action == "load":
        return _registry_load(settings, [d for path in args.files for d in ri.load_designations(Path(path))])
    designations = ri.load_seed(settings.registry_seed) if settings.registry_seed.exists() else []
    for extra in args.designations or ():
        designations += ri.load_designations(Path(extra))
    from agents.records import Account

    author = Account.from_dict(json.loads(args.profile), "--profile") if args.profile else None
    print(ri.explain(args.account, [d for d in designations if d.account_id == args.account], author, args.at,
                     settings.policy()))
    return 0


def _registry_load(settings: Settings, designations: list) -> int:
    import asyncio

    from streams.infra import stores
    async def load() -> int:
        client = stores.connect(settings.redis_url)
        try:
            return await stores.RedisRegistry(client).put_designations(designations)
        finally:
            await client.aclose()

    print(f"registry: {len(designations)} designations for {asyncio.run(load())} accounts loaded into "
          f"{settings.redis_url.split('@')[-1]}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from streams.commands.public_sets import DEFAULT_DIR as PUBLIC_DIR

    p = argparse.ArgumentParser(prog="modstream", description="Event-streaming content moderation on Kafka and Redis.")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("decide", help="decide JSON Lines in-process (no Kafka, no Redis)")
    s.add_argument("--input", default="-", help="JSON Lines file (default: stdin)")
    s.add_argument("--no-classifier", action="store_true", help="fast-path rules only")
    s.set_defaults(fn=cmd_decide)

    s = sub.add_parser("ingest", help="produce the firehose (posts, accounts, reports) onto the input topics")
    s.add_argument("file", help="a file, - for stdin, or for native formats an http(s):// (X) or ws(s):// "
                                "(Jetstream) stream URL")
    s.add_argument("--format", choices=["contract", "x-v2", "jetstream"], default="contract",
                   help="contract: our JSON Lines (default); x-v2: X API v2 stream events; jetstream: Bluesky Jetstream")
    s.add_argument("--cursor", type=int, help="Jetstream: resume from this time_us cursor")
    s.set_defaults(fn=cmd_ingest)

    s = sub.add_parser("tail", help="decode a topic and print it as JSON Lines")
    s.add_argument("topic", help="catalog name, e.g. actions.v1 (the deployment prefix is added)")
    s.add_argument("--follow", "-f", action="store_true", help="keep waiting for new records")
    s.add_argument("--from-end", action="store_true", help="only records produced from now on")
    s.add_argument("--max", type=int, help="stop after this many records")
    s.add_argument("--raw-name", action="store_true", help="use the topic name as given, without the prefix")
    s.set_defaults(fn=cmd_tail)

    s = sub.add_parser("topics", help="create/reconcile (apply) or list the catalog topics; check (docs) or "
                                      "regenerate (docs --write) the README topic table and ops/acl.md")
    s.add_argument("action", choices=["apply", "list", "docs"])
    s.add_argument("--write", action="store_true", help="docs: rewrite the generated parts from streams/infra/wiring.py")
    s.set_defaults(fn=cmd_topics)

    s = sub.add_parser("worker", help="run the stream agents (faust worker) in this process")
    s.add_argument("--role", choices=["all", "hotpath", "agents", "faust-posts", *DEPRECATED_ROLES], default="all",
                   help="all agents and the hot path (default); 'hotpath': only the hot path (posts are tagged, "
                        "classifier included, and routed there); 'agents': only the faust agents; 'faust-posts': "
                        "the faust agents, posts decided by one of them instead of the hot path; "
                        "'decide': deprecated name of 'hotpath'")
    s.set_defaults(fn=cmd_worker)

    s = sub.add_parser("demo", help="run everything locally on a sample firehose and summarise")
    s.add_argument("--posts", type=int, default=3000)
    s.set_defaults(fn=cmd_demo)

    s = sub.add_parser("banks", help="media hash banks (PDQ, MD5) in Redis: load, list, enable, disable, drop")
    bk = s.add_subparsers(dest="action", required=True)
    r = bk.add_parser("load", help="load a bank file (CSV or JSONL: hash,kind,policy,bank,source)")
    r.add_argument("file")
    bk.add_parser("list", help="banks with policy, sizes and state")
    for action in ("enable", "disable", "drop"):
        bk.add_parser(action, help=f"{action} a bank by name").add_argument("name")
    s.set_defaults(fn=cmd_banks)

    s = sub.add_parser("review", help="the review queue: list, show and decide escalations and appeals")
    rv = s.add_subparsers(dest="action", required=True)
    r = rv.add_parser("list", help="open items, oldest first, with age")
    r.add_argument("--state", choices=["pending", "claimed", "decided"])
    r.add_argument("--limit", type=int, default=50)
    r = rv.add_parser("show", help="one item: the post, violations, author, recommendation and reasons")
    r.add_argument("item")
    r = rv.add_parser("decide", help="record a human decision (produced to review-decisions.v1)")
    r.add_argument("item")
    r.add_argument("--reviewer", required=True, help="your id in the roster; the password comes from "
                                                     "MODSTREAM_REVIEWER_PASSWORD or a prompt; roles from the roster")
    r.add_argument("--outcome", required=True, choices=["notice", "remove", "no_violation"])
    r.add_argument("--rationale", required=True, help="why, in your words (required)")
    r.add_argument("--policy", help="the rule the decision rests on (default: the escalation's)")
    r = rv.add_parser("roster", help="the reviewers (MODSTREAM_REVIEW_ROSTER): add one, or list them")
    ro = r.add_subparsers(dest="roster_action", required=True)
    a = ro.add_parser("add", help="add or replace a reviewer; password from a prompt or MODSTREAM_REVIEWER_PASSWORD")
    a.add_argument("id")
    a.add_argument("--role", action="append", required=True, choices=["analyst", "senior", "lead"])
    a.add_argument("--name", help="display name")
    ro.add_parser("list", help="ids, roles and names (never the hashes)")
    s.set_defaults(fn=cmd_review)

    s = sub.add_parser("console", help="the review console: a web page for reviewers (sign in with the roster)")
    s.add_argument("--host", help="listen address (default MODSTREAM_CONSOLE_HOST, 127.0.0.1)")
    s.add_argument("--port", type=int, help="listen port (default MODSTREAM_CONSOLE_PORT, 8330)")
    s.set_defaults(fn=cmd_console)

    from streams.infra import topics
    s = sub.add_parser("dlq", help="dead letters: list them, or re-feed them after a fix")
    dq = s.add_subparsers(dest="action", required=True)
    for action, text in (("list", "where each came from and why (not the content)"),
                         ("replay", "re-feed matching letters once each (ingest lines or topic records)")):
        r = dq.add_parser(action, help=text)
        r.add_argument("--error-type", help="e.g. invalid_json, invalid_record, unknown_fingerprint")
        r.add_argument("--source", help="glob on the source, e.g. 'ingest:*' or posts.v1")
        if action == "replay":
            r.add_argument("--dry-run", action="store_true")
    s.set_defaults(fn=cmd_dlq)

    s = sub.add_parser("replay", help="re-run an input range under a pinned policy into shadow topics or a file")
    s.add_argument("--from", dest="start", help="window start, RFC 3339 (broker time on the input topic)")
    s.add_argument("--to", dest="end", help="window end (exclusive)")
    s.add_argument("--offsets", help="instead of a window: P:START-END,... per partition")
    s.add_argument("--topic", default=topics.POSTS.name, help="input topic (default: %(default)s)")
    s.add_argument("--policy-file", help="replay under this policy file (default: the live one)")
    s.add_argument("--policy-version", help="the policy's label (derived from the overrides when omitted)")
    s.add_argument("--follower-threshold", type=int)
    s.add_argument("--severe-confidence", type=float)
    s.add_argument("--as-of", help="registry and reports as of this time (default: the window end)")
    s.add_argument("--designations", action="append", help="extra designation files (JSONL/CSV)")
    s.add_argument("--banks", action="append", help="hash bank files the live workers used")
    s.add_argument("--out", required=True, help="a shadow topic prefix (e.g. shadow-1.) or a .jsonl/.avro file")
    s.set_defaults(fn=cmd_replay)

    s = sub.add_parser("audit", help="compare replayed decisions with the recorded ones")
    ad = s.add_subparsers(dest="action", required=True)
    r = ad.add_parser("diff", help="post by post: counts by route and action, and every changed decision")
    r.add_argument("--recorded", default=topics.AUDIT.name)
    r.add_argument("--replayed", required=True, help="the replay's shadow prefix or output file")
    r.add_argument("--from", dest="start")
    r.add_argument("--to", dest="end")
    r.add_argument("--limit", type=int, default=50, help="changed decisions to list")
    r.add_argument("--json", action="store_true")
    s.set_defaults(fn=cmd_audit)

    s = sub.add_parser("report", help="transparency report: actions by rule, type, country, automated vs human")
    rp = s.add_subparsers(dest="action", required=True)
    r = rp.add_parser("transparency")
    r.add_argument("--from", dest="start", required=True)
    r.add_argument("--to", dest="end", required=True)
    r.add_argument("--out", default="transparency", help="folder for the CSV, JSON and PNG")
    s.set_defaults(fn=cmd_report)

    s = sub.add_parser("eval", help="score the tagger: public test splits, functional suite, development set; "
                                    "or one labelled JSONL/CSV file")
    s.add_argument("file", nargs="?", help="score this file only (default: the three tables)")
    s.add_argument("--public", default=str(PUBLIC_DIR),
                   help="the public sets (default: ../shared/data/dev-text when present)")
    s.add_argument("--per-source", action="store_true", help="table (a) per head per source too")
    s.add_argument("--format", choices=["jsonl", "davidson", "csv"], help="default: guessed from the file")
    s.add_argument("--no-classifier", action="store_true", help="fast path (rules) only")
    s.add_argument("--json", action="store_true")
    s.set_defaults(fn=cmd_eval)

    s = sub.add_parser("bench", help="measure pipeline throughput and latency against raw Kafka passthrough")
    s.add_argument("--posts", type=int, default=200_000)
    s.add_argument("--workers", type=int, default=2, help="worker processes (one per core)")
    s.add_argument("--paced-seconds", type=float, default=10.0,
                   help="seconds of load at half the measured rate, for latency and memory (600: the 10-minute check)")
    s.add_argument("--no-classifier", action="store_true", help="rules only (default: the full tagging, learned "
                                                                 "classifier in the hot path)")
    s.add_argument("--brokers", type=int, default=1, help="on a local KRaft cluster of N nodes (3: replication 3)")
    s.add_argument("--redis-cluster", action="store_true", help="on a local Redis Cluster (3 masters + 3 replicas)")
    s.add_argument("--json", action="store_true", help="one JSON object on stdout")
    s.set_defaults(fn=cmd_bench)

    s = sub.add_parser("local", help="start/stop/status/logs of the local Kafka, Redis and Prometheus")
    s.add_argument("action", choices=["start", "stop", "status", "logs"])
    s.add_argument("service", nargs="?", default="all", choices=["kafka", "redis", "prometheus", "all"])
    s.add_argument("--brokers", type=int, help="a KRaft cluster of N nodes (3: replication factor 3, "
                   "min.insync.replicas 2); stop/status default to both the single broker and a cluster")
    s.add_argument("--redis-cluster", action="store_true",
                   help="a Redis Cluster of 3 masters with a replica each (URL redis+cluster://127.0.0.1:PORT)")
    s.set_defaults(fn=cmd_local)

    s = sub.add_parser("policy", help="the policy file: check a change, dry-run it on history, show any version")
    pl = s.add_subparsers(dest="action")  # none: show the live policy, as `modstream policy` always did
    s.set_defaults(action="show", version=None, list=False)
    r = pl.add_parser("check", help="validate a policy file and say what it changes against the live one")
    r.add_argument("file")
    r = pl.add_parser("dry-run", help="replay a window under a policy file into a shadow prefix and diff the audit")
    r.add_argument("file")
    r.add_argument("--from", dest="start", required=True, help="window start, RFC 3339 (broker time on posts.v1)")
    r.add_argument("--to", dest="end", required=True, help="window end (exclusive)")
    r.add_argument("--prefix", help="shadow topic prefix (default: dryrun-<fingerprint>-<random>.)")
    r.add_argument("--banks", action="append", help="hash bank files the live workers used")
    r.add_argument("--samples", type=int, default=3, help="sample posts per changed bucket")
    r.add_argument("--json", action="store_true", help="the audit diff as JSON")
    r = pl.add_parser("show", help="the live policy; --list: every recorded version; --version V: its file text")
    r.add_argument("--version", help="a recorded version (or a unique prefix of it or of its fingerprint)")
    r.add_argument("--list", action="store_true", help="every version workers have decided under")
    s.set_defaults(fn=cmd_policy)

    s = sub.add_parser("registry", help="import the political account registry, or explain one account")
    rs = s.add_subparsers(dest="action", required=True)
    r = rs.add_parser("import", help="convert the US Congress data into a seed file")
    r.add_argument("--congress", required=True, help="congress-legislators folder")
    r.add_argument("--out", default=str(Settings().registry_seed), help="default: the shipped seed")
    r.add_argument("--as-of", default="2026-11-22", help="date terms are evaluated at (ISO)")
    r = rs.add_parser("load", help="load designation files (generic JSONL/CSV) into the Redis registry")
    r.add_argument("files", nargs="+")
    r = rs.add_parser("show", help="explain an account's designations and eligibility")
    r.add_argument("account", help="account id")
    r.add_argument("--at", default="2026-11-22T00:00:00Z", help="when (RFC 3339)")
    r.add_argument("--profile", help="JSON profile snapshot to assess with (followers, verified, ...)")
    r.add_argument("--designations", action="append", help="extra designation files (JSONL or CSV)")
    s.set_defaults(fn=cmd_registry)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"modstream: {exc}", file=sys.stderr)
        return 2
    from streams.infra import logs
    logs.configure(settings.log_level)
    try:
        return args.fn(args, settings)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
