"""A CSE hash-bank match on the real broker: remove + suspend + a CyberTipline record, no media bytes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from streams.infra import banks, stores, topics
from streams.commands import ingest
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


def test_cse_hash_match_removes_suspends_and_reports(stack, codec, cse_md5, worker, wait_records):
    def of_post(v: dict) -> bool:
        return v["post_id"] == "cse-1"

    line = {"post": {"post_id": "cse-1", "author_id": "31337", "text": "check this out", "country": "US",
                     "created_at": "2026-11-20T12:00:00Z",
                     "media": [{"media_id": "m-1", "kind": "image", "md5": cse_md5, "pdq": None}]},
            "author": {"account_id": "31337", "followers": 3}}
    ingest.run(stack, codec, [json.dumps(line).encode()], "t", progress=None)
    actions = wait_records(stack, codec, topics.ACTIONS, of_post, n=3)
    assert sorted(a["type"] for a in actions) == ["remove", "report_ncmec", "suspend_account"]
    assert all(a["policy"] == "child_sexual_exploitation" and a["automated"] for a in actions)
    (report,) = wait_records(stack, codec, topics.NCMEC, of_post)
    assert report["account_id"] == "31337" and report["media"] == [
        {"media_id": "m-1", "kind": "image", "md5": cse_md5, "pdq": None}]
    assert report["report_id"] == next(a["action_id"] for a in actions if a["type"] == "report_ncmec")
    assert any("cse-demo" in e for e in report["evidence"])
    assert not wait_records(stack, codec, topics.ESCALATIONS, of_post, timeout=2)
