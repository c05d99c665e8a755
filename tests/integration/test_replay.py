"""Replay and audit on the real broker: a sample firehose decided live, then replayed.

(a) the same range replayed twice (by window, then by the offsets and as-of the first
    run reported) gives byte-identical shadow topics, and the file output holds the same
    values; (b) the same policy reproduces every live decision post by post; (c) a higher
    follower threshold changes exactly the public-interest reviews of political accounts;
and the transparency report counts the live actions with each post's country.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
import redis

from agents.classifier import TextClassifier
from agents.policy import Policy
from agents.records import Report
from streams.commands import ingest, sample, transparency
from streams.infra import clients, stores, topics
from streams.commands.audit_diff import diff, format_diff, read_audit, read_replayed
from streams.infra.config import Settings
from streams.infra.registry_import import load_seed
from streams.engine.asof import AsOfPort
from streams.drivers.replay import (OutFile, ProgressBar, ShadowTopics, Window, parse_offsets, policy_from_args,
                            read_ranges, replay, resolve_window)

pytestmark = pytest.mark.integration

N_POSTS = 400
STRICT = Policy(label="2026.11.1-fth10m", follower_threshold=10_000_000)


def _now() -> datetime:
    return datetime.now(timezone.utc)


@pytest.fixture(scope="module")
def live(stack: Settings, codec, worker, poll) -> dict:
    """Ingest the sample once the worker has loaded the registry seed; wait for every live decision."""
    seed = load_seed(stack.registry_seed)
    client = redis.Redis.from_url(stack.redis_url)
    poll(lambda: client.exists(stores.key("desig", seed[0].account_id)), 120, "the worker's registry seed")
    lines = list(sample.generate(N_POSTS, seed, malformed=0))
    parsed = [json.loads(line) for line in lines]
    accounts = {d["account"]["account_id"]: d["account"] for d in parsed if "account" in d}
    started = _now() - timedelta(seconds=1)
    # Authors' snapshots first, stored before their posts arrive: live then decides every post with
    # the profile replay uses (otherwise a post can beat its author's snapshot to Redis, and live and
    # replay legitimately disagree about a profile live never saw).
    ingest.run(stack, codec, (line.encode() for line, d in zip(lines, parsed) if "account" in d), "sample",
               progress=None)
    poll(lambda: client.exists(*[stores.key("acct", a) for a in accounts]) == len(accounts), 120,
         "every sample account in the registry")
    # Reports next, filed before their posts arrive, for the same reason: a report that reaches the
    # hot path after the post was decided is a late report (its reporter hears the decision apart),
    # while replay counts every report up to its as-of time, so notice ids would race.
    reports = [{"report": {**r, "post_id": d["post"]["post_id"]}} for d in parsed if "post" in d
               for r in d.get("reports", ())]
    reporters = {(r["report"]["post_id"], Report.from_dict(r["report"], "report").reporter_key) for r in reports}
    reported = Counter(post_id for post_id, _ in reporters)  # distinct reporters per post, as Redis files them
    ingest.run(stack, codec, (json.dumps(r).encode() for r in reports), "sample", progress=None)
    poll(lambda: all(client.hlen(stores.key("reports", p)) >= n for p, n in reported.items()), 120,
         "every sample report filed")
    posts = [{k: v for k, v in d.items() if k != "reports"} for d in parsed if "account" not in d]
    ingest.run(stack, codec, (json.dumps(d).encode() for d in posts), "sample", progress=None)
    ended = _now() + timedelta(seconds=1)
    audit_topic = stack.topic(topics.AUDIT)
    poll(lambda: len(list(clients.records(stack, codec, audit_topic, idle_timeout=0.5))) >= N_POSTS, 240,
         f"{N_POSTS} live decisions; worker log:\n{worker.tail()}", interval=2.0)
    time.sleep(1.0)  # let the last late-report notices land too
    countries = {d["post"]["post_id"]: d["post"]["country"] for d in parsed if "post" in d}
    return {"window": Window(started, ended), "accounts": accounts, "countries": countries,
            "audit": read_audit(stack, codec, audit_topic)}


@pytest.fixture(scope="module")
def classifier() -> TextClassifier:
    return TextClassifier.load()


@pytest.fixture(scope="module")
def replays(stack: Settings, codec, live, classifier, tmp_path_factory) -> dict:
    """Run each replay once: by window into shadow A, by A's offsets into shadow B, to an .avro file,
    and under the strict policy to a JSONL file."""
    calls: list[tuple[int, int]] = []
    tag = uuid.uuid4().hex[:8]
    a = replay(stack, codec, policy=stack.policy(), output=ShadowTopics(f"shadow-a{tag}."), window=live["window"],
               classifier=classifier, progress=lambda done, total: calls.append((done, total)))
    b = replay(stack, codec, policy=stack.policy(), output=ShadowTopics(f"shadow-b{tag}."), ranges=a.ranges,
               as_of=datetime.fromtimestamp(a.as_of_ms / 1000, timezone.utc), classifier=classifier)
    out = tmp_path_factory.mktemp("replay")
    avro = replay(stack, codec, policy=stack.policy(), output=OutFile(out / "same.avro"), window=live["window"],
                  classifier=classifier)
    strict = replay(stack, codec, policy=STRICT, output=OutFile(out / "strict.jsonl"), window=live["window"],
                    classifier=classifier)
    return {"a": a, "b": b, "avro": avro, "strict": strict, "calls": calls, "dir": out,
            "prefixes": (f"shadow-a{tag}.", f"shadow-b{tag}.")}


def _topic_bytes(settings: Settings, prefix: str, spec) -> list[tuple]:
    name = prefix + spec.name
    return [(r.partition, r.offset, r.timestamp, r.key, r.value)
            for r in read_ranges(settings, resolve_window(settings, name, None))]


def test_replays_of_the_same_range_are_byte_identical(stack, codec, live, replays):
    a, b = replays["a"], replays["b"]
    assert a.inputs == N_POSTS and a.decided == N_POSTS and a.skipped == 0
    assert (b.ranges, b.as_of_ms, b.outputs) == (a.ranges, a.as_of_ms, a.outputs)
    assert replays["calls"][-1] == (N_POSTS, N_POSTS)
    pa, pb = replays["prefixes"]
    for spec in topics.CATALOG:
        got_a, got_b = _topic_bytes(stack, pa, spec), _topic_bytes(stack, pb, spec)
        assert got_a == got_b, spec.name
        assert len(got_a) == a.outputs.get(spec.name, 0), spec.name
    assert a.outputs[topics.AUDIT.name] == N_POSTS and a.outputs[topics.VIOLATIONS.name] == N_POSTS
    assert a.outputs[topics.ACTIONS.name] > 0 and a.outputs[topics.ESCALATIONS.name] > 0
    # the file holds the same encoded values as the shadow topics
    shadow_audit = sorted(v for *_, v in _topic_bytes(stack, pa, topics.AUDIT))
    from fastavro import reader

    with (replays["dir"] / "same.avro").open("rb") as fh:
        file_audit = sorted(r["value"] for r in reader(fh) if r["topic"] == topics.AUDIT.name)
    assert file_audit == shadow_audit


def test_replay_never_writes_live_topics_or_joins_live_groups(stack, codec, live, replays):
    live_audit = live["audit"]
    assert len(live_audit) == N_POSTS  # no replayed record landed on the live audit topic
    with pytest.raises(ValueError, match="differ from the live prefix"):
        replay(stack, codec, policy=stack.policy(), output=ShadowTopics(stack.topic_prefix), window=live["window"])
    with pytest.raises(ValueError, match="already holds records"):
        replay(stack, codec, policy=stack.policy(), output=ShadowTopics(replays["prefixes"][0]),
               ranges=replays["a"].ranges[:1])
    from confluent_kafka.admin import AdminClient

    groups = {g.group_id for g in AdminClient(stack.kafka_config()).list_consumer_groups().result(30).valid}
    assert not [g for g in groups if g.startswith("modstream-replay-")]


def _explained_by_registry_race(rec: dict, rep: dict) -> bool:
    """Live routed the post before the accounts agent had stored its author's snapshot (or within
    the registry cache's staleness), while replay uses the snapshot observed before the post."""
    live_reasons, replay_reasons = rec["political"]["reasons"], rep["political"]["reasons"]
    return (live_reasons[0].startswith("profile unknown: no account snapshot")
            and any(r.startswith("profile snapshot observed at ") for r in replay_reasons)
            and rec["political"]["eligible"] == rep["political"]["eligible"])


def test_same_policy_reproduces_every_live_decision(stack, codec, live, replays):
    recorded = {a["post_id"]: a for a in live["audit"]}
    replayed = {a["post_id"]: a for a in read_replayed(stack, codec, replays["prefixes"][0])}
    assert recorded.keys() == replayed.keys() and len(recorded) == N_POSTS
    raced: list[str] = []
    for post_id, rec in recorded.items():
        rep = replayed[post_id]
        got = {k: rep[k] for k in ("decision_id", "route", "recommendation", "action_ids", "policy_version")}
        assert got == {k: rec[k] for k in got}, post_id
        assert rep["inputs"][0] == rec["inputs"][0], post_id  # same posts.v1 record and digest
        differs = {k for k in rec if k != "inputs" and rec[k] != rep[k]}
        if differs:  # only the live registry race may show: see _explained_by_registry_race
            assert differs <= {"political", "reasons"} and _explained_by_registry_race(rec, rep), (post_id, differs)
            raced.append(post_id)
    print(f"\n{len(raced)} live decisions were made before the author's snapshot reached Redis: {raced}")
    d = diff(live["audit"], replayed.values())
    assert d.matched == N_POSTS and d.changed == () and d.id_mismatches == ()
    assert d.routes_before == d.routes_after and set(d.routes_after) == {"no_action", "enforce",
                                                                          "public_interest_review"}


def test_changed_policy_diff_names_exactly_the_expected_posts(stack, codec, live, replays):
    accounts = live["accounts"]
    # expected, independently of replay and diff: live reviews whose author is no longer high profile
    expected = {a["post_id"] for a in live["audit"] if a["route"] == "public_interest_review"
                and (accounts[a["author_id"]]["followers"] or 0) <= STRICT.follower_threshold}
    assert expected  # the sample has political accounts posting violations
    d = diff(live["audit"], read_replayed(stack, codec, str(replays["dir"] / "strict.jsonl")))
    assert d.matched == N_POSTS and d.only_recorded == d.only_replayed == ()
    assert {c.post_id for c in d.changed} == expected
    for c in d.changed:
        assert (c.before.route, c.after.route) == ("public_interest_review", "enforce")
        assert c.before.action_types == () and c.after.action_types
        assert c.after.policy_version == STRICT.version and c.after.decision_id != c.before.decision_id
    moved = len(expected)
    assert d.routes_after.get("public_interest_review", 0) == d.routes_before["public_interest_review"] - moved
    assert d.routes_after["enforce"] == d.routes_before["enforce"] + moved
    assert f"{moved} decided differently" in format_diff(d)


def test_transparency_report_from_live_actions(stack, codec, live, tmp_path_factory):
    window = Window(live["window"].start, _now() + timedelta(seconds=1))
    rep = transparency.collect(stack, codec, window)
    live_actions = {r["value"]["action_id"]: r["value"]
                    for r in clients.records(stack, codec, stack.topic(topics.ACTIONS))}
    assert rep.total == len(live_actions) > 0
    by_country = Counter(live["countries"][a["post_id"]] or "unknown" for a in live_actions.values())
    assert rep.by_country == dict(by_country)  # every post found through the audit trail
    assert rep.by_rule == dict(Counter(a["policy"] for a in live_actions.values()))
    assert rep.by_action_type == dict(Counter(a["type"] for a in live_actions.values()))
    assert rep.by_automation == {"automated": rep.total, "human": 0}
    paths = transparency.write(rep, tmp_path_factory.mktemp("transparency"))
    assert paths["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and paths["png"].stat().st_size > 20_000


def test_context_picks_the_snapshot_current_at_the_post_time(codec):
    from agents.records import Account

    t = datetime(2026, 1, 1, tzinfo=timezone.utc)
    snaps = [(0, t, Account("1", followers=5)), (1, t + timedelta(hours=1), Account("1", followers=50)),
             (2, t + timedelta(hours=1), Account("1", followers=60))]
    port = AsOfPort.empty(codec, ":memory:", 0)
    port.add_accounts((pos, int(at.timestamp() * 1000), a, codec.encode(topics.ACCOUNTS.schema, a.to_dict()))
                      for pos, at, a in snaps)  # no observed_at: observed at the broker time
    assert port.account("1", "2025-12-31T23:59:59Z") is None
    assert port.account("1", "2026-01-01T00:30:00Z").followers == 5
    assert port.account("1", "2026-01-01T01:00:00Z").followers == 60  # same time: the later log position wins
    assert port.account("2", "2026-01-01T01:00:00Z") is None


def test_cli_helpers():
    assert [str(r) for r in parse_offsets("0:0-10, 1:5-20", "posts")] == ["0:0-10", "1:5-20"]
    with pytest.raises(ValueError, match="PARTITION:START-END"):
        parse_offsets("0-10", "posts")
    p = policy_from_args(Settings(), follower_threshold=10_000_000)
    # the version follows from the content; the label says what was overridden
    assert p.follower_threshold == 10_000_000 and p.label.endswith("-follower_threshold=10000000")
    assert p.version != Settings().policy().version and p.version == replace(STRICT, label=p.label).version
    assert policy_from_args(Settings()).version == Settings().policy().version


def test_progress_bar_in_place_on_a_tty_and_lines_otherwise():
    import io

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    clock = iter(float(i) for i in range(100))
    tty = Tty()
    bar = ProgressBar(stream=tty, clock=lambda: next(clock))
    for done in (100, 200, 300):
        bar(done, 300)
    assert tty.getvalue().count("\r") == 3 and tty.getvalue().endswith("\n") and "300/300" in tty.getvalue()
    plain = io.StringIO()
    bar = ProgressBar(stream=plain, every=1000, clock=lambda: 10.0)
    for done in range(250, 2750, 250):
        bar(done, 2500)
    lines = plain.getvalue().splitlines()
    assert len(lines) == 3 and "\r" not in plain.getvalue() and lines[-1].startswith("replay: 2,500/2,500")
    assert "left" in lines[0] and "/s" in lines[0]


def test_cli_entry_functions(stack, codec, live, replays, tmp_path):
    import io

    from streams.commands import audit_diff
    from streams.drivers import replay as replay_mod
    err = io.StringIO()
    stats = replay_mod.run(stack, codec, out=str(tmp_path / "cli.jsonl"),
                           offsets=",".join(str(r) for r in replays["a"].ranges), follower_threshold=10_000_000,
                           stream=err)
    assert stats.decided == N_POSTS and "-follower_threshold=10000000+" in stats.policy_version
    assert err.getvalue().splitlines()[-1].startswith(f"replay: {N_POSTS}/{N_POSTS} records")
    d = audit_diff.run(stack, codec, replayed=str(tmp_path / "cli.jsonl"))
    strict = diff(live["audit"], read_replayed(stack, codec, str(replays["dir"] / "strict.jsonl")))
    assert [c.post_id for c in d.changed] == [c.post_id for c in strict.changed]
    w = live["window"]
    same = audit_diff.run(stack, codec, replayed=replays["prefixes"][0], start=w.start.isoformat(),
                          end=(_now() + timedelta(seconds=1)).isoformat())
    assert same.matched == N_POSTS and same.changed == ()
    paths = transparency.run(stack, codec, start=w.start.isoformat(), end=_now().isoformat(), out_dir=str(tmp_path))
    assert json.loads(paths["json"].read_text())["total_actions"] > 0


def test_replay_honours_source_deletions(stack, codec, live, replays, classifier, tmp_path):
    """A post deleted at the source by the replay's as-of time needs no action (live: the deletions
    agent's flag); every other post is decided as before."""
    enforced = [a for a in live["audit"] if a["route"] == "enforce"]
    gone = enforced[0]["post_id"]
    prod = clients.producer(stack)
    prod.produce(stack.topic(topics.DELETIONS), key=gone.encode(), value=codec.encode(topics.DELETIONS.schema, {
        "post_id": gone, "author_id": enforced[0]["author_id"], "deleted_at": None, "source": "x-v2",
        "reason": "deleted"}))
    assert prod.flush(30) == 0
    out = tmp_path / "deleted.jsonl"
    stats = replay(stack, codec, policy=stack.policy(), output=OutFile(out), ranges=replays["a"].ranges,
                   as_of=_now() + timedelta(seconds=5), classifier=classifier)
    assert stats.decided == N_POSTS
    replayed = {a["post_id"]: a for a in read_replayed(stack, codec, str(out))}
    assert replayed[gone]["route"] == "no_action" and replayed[gone]["action_ids"] == []
    assert replayed[gone]["reasons"][0].startswith("post deleted at the source")
    before = {a["post_id"]: a["route"] for a in read_replayed(stack, codec, replays["prefixes"][0])}
    assert {p: a["route"] for p, a in replayed.items() if p != gone} == {p: r for p, r in before.items() if p != gone}
