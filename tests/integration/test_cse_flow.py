"""A CSE hash-bank match on the real broker: remove + suspend + a CyberTipline record, no media bytes."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest

from streams import banks, ingest, stores, tail, topics

pytestmark = pytest.mark.integration

BANK_FILE = Path(__file__).parent.parent / "fixtures" / "banks" / "demo-banks.csv"


@pytest.fixture(scope="module")
def cse_md5(stack) -> str:
    async def load() -> None:
        client = stores.connect(stack.redis_url)
        await banks.load_file(banks.RedisBankStore(client), BANK_FILE)
        await client.aclose()

    asyncio.run(load())
    return next(e.hash for e in banks.read_file(BANK_FILE) if e.bank == "cse-demo" and e.kind == "md5")


def _wait(stack, codec, spec, post_id: str, n: int, timeout: float = 60) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        got = [r["value"] for r in tail.records(stack, codec, stack.topic(spec), idle_timeout=0.5)
               if r["value"]["post_id"] == post_id]
        if len(got) >= n or time.monotonic() > deadline:
            return got
        time.sleep(0.5)


def test_cse_hash_match_removes_suspends_and_reports(stack, codec, cse_md5, worker):
    line = {"post": {"post_id": "cse-1", "author_id": "31337", "text": "check this out", "country": "US",
                     "created_at": "2026-11-20T12:00:00Z",
                     "media": [{"media_id": "m-1", "kind": "image", "md5": cse_md5, "pdq": None}]},
            "author": {"account_id": "31337", "followers": 3}}
    ingest.run(stack, codec, [json.dumps(line).encode()], "t", progress=None)
    actions = _wait(stack, codec, topics.ACTIONS, "cse-1", 3)
    assert sorted(a["type"] for a in actions) == ["remove", "report_ncmec", "suspend_account"]
    assert all(a["policy"] == "child_sexual_exploitation" and a["automated"] for a in actions)
    (report,) = _wait(stack, codec, topics.NCMEC, "cse-1", 1)
    assert report["account_id"] == "31337" and report["media"] == [
        {"media_id": "m-1", "kind": "image", "md5": cse_md5, "pdq": None}]
    assert report["report_id"] == next(a["action_id"] for a in actions if a["type"] == "report_ncmec")
    assert any("cse-demo" in e for e in report["evidence"])
    assert not _wait(stack, codec, topics.ESCALATIONS, "cse-1", 1, timeout=2)
