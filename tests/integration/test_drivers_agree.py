"""One engine, four drivers: the same 500 posts decided by the hot path, the faust posts agent,
replay and `modstream decide` come out byte for byte the same.

The hot path and the faust agent run as real workers on the real broker and Redis (each on
topics and a Redis database of its own), replay reads the hot path's input topics, and
`decide` reads the same posts as JSON Lines with their authors inline. Each driver's
decisions are put in the `modstream decide` output form (canonical JSON) and compared.
"""

from __future__ import annotations

import io
import json
import uuid
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
import redis

from agents.classifier import TextClassifier
from agents.tagger import Tagger
from streams.commands import ingest, sample
from streams.drivers import decide
from streams.drivers.replay import OutFile, Window, read_file, replay
from streams.drivers.worker import WorkerProcess, settings_env
from streams.engine.context import index
from streams.infra import admin, clients, stores, topics
from streams.infra.config import Settings
from streams.infra.registry_import import load_seed

pytestmark = pytest.mark.integration

N_POSTS = 500
DRIVERS = ("hotpath", "faust", "replay", "decide")


def _lines(settings: Settings) -> tuple[list[str], list[str], dict[str, dict]]:
    """(account lines, post lines without reports, accounts by id): reports would race their post
    across topics, and this test is about the engine, not arrival order."""
    parsed = [json.loads(x) for x in sample.generate(N_POSTS, load_seed(settings.registry_seed), malformed=0, seed=17)]
    accounts = [d for d in parsed if "account" in d]
    posts = [{"post": d["post"]} for d in parsed if "post" in d]
    return ([json.dumps(d) for d in accounts], [json.dumps(d) for d in posts],
            {d["account"]["account_id"]: d["account"] for d in accounts})


def _output(audit: dict, actions: dict[str, dict], notices: dict[str, dict]) -> dict:
    """A decision on the topics, in the `modstream decide` output form (Decision.to_output)."""
    p = audit["political"]
    return {"post_id": audit["post_id"], "violations": audit["violations"],
            "author_political": {k: p[k] for k in ("eligible", "high_profile", "role", "source")},
            "route": audit["route"], "recommendation": audit["recommendation"], "reasons": audit["reasons"],
            "decision_id": audit["decision_id"], "policy_version": audit["policy_version"],
            "actions": [actions[i] for i in audit["action_ids"]], "notices": [notices[i] for i in audit["notice_ids"]]}


def _canonical(outputs) -> dict[str, bytes]:
    return {o["post_id"]: json.dumps(o, sort_keys=True, ensure_ascii=False).encode() for o in outputs}


def _from_topics(settings: Settings, codec) -> tuple[dict[str, bytes], dict[str, dict]]:
    def values(spec):
        return [r["value"] for r in clients.records(settings, codec, settings.topic(spec), idle_timeout=0.5)]

    actions = {a["action_id"]: a for a in values(topics.ACTIONS)}
    notices = {n["notice_id"]: n for n in values(topics.NOTICES)}
    audits = {a["decision_id"]: a for a in values(topics.AUDIT)}  # at-least-once: a repeat is the same record
    escalations = {e["post_id"]: e for e in values(topics.ESCALATIONS)}
    return _canonical(_output(a, actions, notices) for a in audits.values()), escalations


def _live(settings: Settings, codec, services, role: str, accounts: list[str], posts: list[str], poll) -> None:
    """Run a worker with `role`, feed it the authors (stored before their posts), then the posts."""
    client = redis.Redis.from_url(settings.redis_url)
    w = WorkerProcess.start(settings_env(settings), services.run_dir / f"{settings.app_id}-{role}.log", role=role)
    try:
        ingest.run(settings, codec, (x.encode() for x in accounts), "sample", progress=None)
        ids = [json.loads(x)["account"]["account_id"] for x in accounts]
        poll(lambda: client.exists(*[stores.key("acct", a) for a in ids]) == len(ids), 180,
             f"the {role} worker storing every author; its log:\n{w.tail()}")
        ingest.run(settings, codec, (x.encode() for x in posts), "sample", progress=None)
        poll(lambda: len({r["value"]["decision_id"] for r in clients.records(
            settings, codec, settings.topic(topics.AUDIT), idle_timeout=0.5)}) >= N_POSTS, 300,
             f"{N_POSTS} decisions from the {role} worker; its log:\n{w.tail()}", interval=2.0)
    finally:
        w.stop()


@pytest.fixture(scope="module")
def classifier(stack: Settings) -> TextClassifier | None:
    return TextClassifier.load() if stack.classifier else None


@pytest.fixture(scope="module")
def decided(stack: Settings, codec, services, classifier, poll, tmp_path_factory) -> dict:
    """Every driver's decisions of the same posts, canonical JSON bytes by post id."""
    accounts, posts, by_id = _lines(stack)
    policy = stack.policy()
    started = datetime.now(timezone.utc) - timedelta(seconds=1)
    _live(stack, codec, services, "all", accounts, posts, poll)  # the hot path, its authors stored by faust
    hot, hot_escalations = _from_topics(stack, codec)
    ended = datetime.now(timezone.utc) + timedelta(seconds=1)

    tag = uuid.uuid4().hex[:8]
    db = stack.redis_url.rsplit("/", 1)[0] + "/1"
    faust_settings = replace(stack, topic_prefix=f"f{tag}.", app_id=f"modstream-f{tag}", redis_url=db)
    admin.apply(faust_settings)
    redis.Redis.from_url(db).flushdb()
    _live(faust_settings, codec, services, "faust-posts", accounts, posts, poll)
    faust_out, faust_escalations = _from_topics(faust_settings, codec)

    out = tmp_path_factory.mktemp("agree") / "replay.jsonl"
    replay(stack, codec, policy=policy, output=OutFile(out), window=Window(started, ended), classifier=classifier)
    rows = list(read_file(codec, out))
    r_actions = {v["action_id"]: v for t, v in rows if t == topics.ACTIONS.name}
    r_notices = {v["notice_id"]: v for t, v in rows if t == topics.NOTICES.name}
    replayed = _canonical(_output(v, r_actions, r_notices) for t, v in rows if t == topics.AUDIT.name)
    r_escalations = {v["post_id"]: v for t, v in rows if t == topics.ESCALATIONS.name}

    lines = [json.dumps({**json.loads(p), "author": by_id[json.loads(p)["post"]["author_id"]]}) for p in posts]
    buf = io.StringIO()
    registry = index(load_seed(stack.registry_seed))
    # a generous per-line budget: this loaded test machine is not what the budget is sized for
    decide.run(lines, buf, Tagger(policy, classifier=classifier), registry, policy, budget_seconds=60.0)
    answers = [json.loads(x) for x in buf.getvalue().splitlines()]
    assert [a for a in answers if "error" in a] == []
    by_decide = _canonical(answers)
    return {"hotpath": hot, "faust": faust_out, "replay": replayed, "decide": by_decide,
            "escalations": {"hotpath": hot_escalations, "faust": faust_escalations, "replay": r_escalations}}


@pytest.mark.parametrize("driver", DRIVERS)
def test_every_driver_decides_the_500_posts_byte_for_byte_alike(decided, driver):
    reference, got = decided["decide"], decided[driver]
    assert len(reference) == N_POSTS and len(got) == N_POSTS
    assert got.keys() == reference.keys()
    differ = [p for p in reference if got[p] != reference[p]]
    assert differ == [], (driver, differ[:3], got[differ[0]][:600] if differ else b"", reference[differ[0]][:600]
                          if differ else b"")
    routes = {json.loads(v)["route"] for v in got.values()}
    assert {"no_action", "enforce", "public_interest_review"} <= routes  # the sample exercises every route


@pytest.mark.parametrize("driver", ("faust", "replay"))
def test_escalations_carry_the_same_post_text_and_kind(decided, driver):
    reference, got = decided["escalations"]["hotpath"], decided["escalations"][driver]
    assert reference and got == reference
    assert all(e["post_text"] and e["kind"] == "public_interest" for e in got.values())
