"""Native firehose formats on the real broker: X API v2 and Bluesky Jetstream through `modstream ingest`."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from streams.commands import ingest
from streams.infra import clients, stores, topics
from streams.drivers.worker import settings_env

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _ingest(stack, fmt: str, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "streams.commands.cli", "ingest", "--format", fmt, str(path)],
                          env=settings_env(stack), capture_output=True, text=True, timeout=60)


def _tail(stack, spec) -> list[dict]:
    res = subprocess.run([sys.executable, "-m", "streams.commands.cli", "tail", spec.name], env=settings_env(stack),
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    return [json.loads(line)["value"] for line in res.stdout.splitlines()]


def test_x_v2_posts_and_users_reach_the_topics(stack):
    res = _ingest(stack, "x-v2", FIXTURES / "x-v2" / "filtered_stream.jsonl")
    assert res.returncode == 0, res.stderr
    posts = {p["post_id"]: p for p in _tail(stack, topics.POSTS)}
    first = posts["1790000000000000001"]
    assert first["author_id"] == "2244994945" and first["mentions"][0] == "783214"
    assert {m["kind"] for m in first["media"]} >= {"image", "video", "gif"}
    # X states no labels, so its users are partial snapshots: patches the accounts agent merges
    patches = {a["account_id"]: a for a in _tail(stack, topics.PATCHES)}
    assert "labels" not in patches["2244994945"]["known_fields"] and patches["2244994945"]["followers"] is not None
    assert "1 to dead-letters" in res.stderr and "not mapped:" in res.stderr


def test_jetstream_posts_profiles_deletions_and_handle_changes(stack, codec, worker):
    res = _ingest(stack, "jetstream", FIXTURES / "jetstream" / "commits.jsonl")
    assert res.returncode == 0, res.stderr
    posts = _tail(stack, topics.POSTS)
    assert len([p for p in posts if p["post_id"].startswith("at://did:plc:")]) >= 3  # x-v2 posts are there too
    deletions = _tail(stack, topics.DELETIONS)
    assert deletions and deletions[0]["source"] == "jetstream"
    res = _ingest(stack, "jetstream", FIXTURES / "jetstream" / "identity_account.jsonl")
    assert res.returncode == 0, res.stderr
    assert _tail(stack, topics.ACCOUNT_STATUS)

    # the handle change is a partial update: merged into the registry without wiping the profile
    async def alice():
        client = stores.connect(stack.redis_url)
        view = (await stores.RedisRegistry(client, cache_seconds=0).lookup(["did:plc:alice0example0fictional"]))
        await client.aclose()
        return view["did:plc:alice0example0fictional"].account

    deadline = time.monotonic() + 30
    while ((a := asyncio.run(alice())) is None or a.handle != "alice.new.example") and time.monotonic() < deadline:
        time.sleep(0.5)
    assert a is not None and a.handle == "alice.new.example" and a.followers is None
    full = [v for v in _tail(stack, topics.ACCOUNTS) if v["account_id"] == "did:plc:alice0example0fictional"]
    assert full and full[-1]["handle"] == "alice.new.example" and full[-1]["known_fields"] is None


def test_a_post_deleted_before_it_is_decided_needs_no_action(stack, codec, worker):
    deletion = {"kind": "commit", "did": "did:plc:zed", "time_us": 1725911162400000,
                "commit": {"rev": "x", "operation": "delete", "collection": "app.bsky.feed.post", "rkey": "gone1"}}
    lines = [json.dumps(deletion).encode()]
    ingest.run(stack, codec, lines, "t", progress=None, fmt="jetstream")
    async def recorded() -> bool:
        client = stores.connect(stack.redis_url)
        found = await stores.RedisDeletions(client).deleted(["at://did:plc:zed/app.bsky.feed.post/gone1"])
        await client.aclose()
        return bool(found)

    deadline = time.monotonic() + 30
    while not asyncio.run(recorded()):  # the deletions agent records it before the post arrives
        assert time.monotonic() < deadline, "the deletions agent did not record the deletion"
        time.sleep(0.5)
    post = {"post": {"post_id": "at://did:plc:zed/app.bsky.feed.post/gone1", "author_id": "did:plc:zed",
                     "text": "I will kill you", "created_at": "2024-09-09T19:46:02Z"}}
    ingest.run(stack, codec, [json.dumps(post).encode()], "t", progress=None)
    deadline, audit = time.monotonic() + 60, []
    while not audit and time.monotonic() < deadline:
        audit = [r["value"] for r in clients.records(stack, codec, stack.topic(topics.AUDIT), idle_timeout=0.5)
                 if r["value"]["post_id"] == post["post"]["post_id"]]
        time.sleep(0.5)
    assert audit and audit[0]["route"] == "no_action" and not audit[0]["action_ids"]
    assert "deleted at the source" in audit[0]["reasons"][0]
