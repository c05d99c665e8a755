"""`modstream decide`: the JSON Lines contract, end to end in-process and through the CLI."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from agents.tagger import Tagger
from streams import decide
from streams.config import Settings
from streams.registry_import import load_seed

SETTINGS = Settings()
POLICY = SETTINGS.policy()
SEED = load_seed(SETTINGS.registry_seed)
REGISTRY = decide.index(SEED)
T0 = "2026-11-20T12:00:00Z"


def _line(aid: str, followers: int, text: str = "Lovely day at the market") -> str:
    return json.dumps({
        "post": {"post_id": f"p{aid}", "author_id": aid, "text": text, "created_at": T0},
        "author": {"account_id": aid, "handle": f"renamed_{aid}", "display_name": "x", "bio": "", "followers": followers,
                   "verified": True, "verified_type": "blue", "labels": []},
    })


def _run(lines: list[str]) -> list[dict]:
    out = io.StringIO()
    decide.run(lines, out, Tagger(POLICY), REGISTRY, POLICY)
    return [json.loads(x) for x in out.getvalue().splitlines()]


def test_every_seeded_member_of_congress_is_recognised_by_account_id_alone():
    ids = sorted({d.account_id for d in SEED})
    assert len(ids) > 400
    results = _run([_line(aid, 250_000) for aid in ids])
    assert len(results) == len(ids)
    assert all(r["author_political"] == {"eligible": True, "high_profile": True,
                                         "role": "elected_or_appointed_official",
                                         "source": "registry:congress-legislators@dfa96222"} for r in results), \
        [r for r in results if not r["author_political"]["eligible"]][:2]


def test_verified_accounts_with_a_million_followers_are_not_eligible():
    results = _run([_line(f"55500{i}", 1_000_000) for i in range(20)])
    assert all(not r["author_political"]["eligible"] and r["author_political"]["high_profile"] for r in results)


def test_one_output_per_line_in_order_and_errors_name_the_line():
    lines = [_line("1", 10, "I will kill you"), "{not json", json.dumps({"post": {"post_id": "x"}}),
             _line("2", 10)]
    results = _run(lines)
    assert [r.get("post_id") for r in results] == ["p1", None, None, "p2"]
    assert results[0]["route"] == "enforce" and results[3]["route"] == "no_action"
    assert results[1]["line"] == 2 and "not valid JSON" in results[1]["error"]
    assert results[2]["line"] == 3 and results[2]["field"] == "post.author_id"


def test_cli_reads_stdin_and_writes_stdout():
    res = subprocess.run([sys.executable, "-m", "streams.cli", "decide"], input=_line("1", 10, "I will kill you"),
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    (out,) = [json.loads(x) for x in res.stdout.splitlines()]
    assert out["route"] == "enforce" and out["actions"][0]["type"] == "remove"
    assert "1 decided, 0 rejected" in res.stderr
