"""`modstream decide`: the JSON Lines contract, end to end in-process and through the CLI."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from agents.tagger import Tagger
from streams.drivers import decide
from streams.infra.config import Settings
from streams.infra.registry_import import load_seed

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
    res = subprocess.run([sys.executable, "-m", "streams.commands.cli", "decide"], input=_line("1", 10, "I will kill you"),
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    (out,) = [json.loads(x) for x in res.stdout.splitlines()]
    assert out["route"] == "enforce" and out["actions"][0]["type"] == "remove"
    assert "1 decided, 0 rejected" in res.stderr


def _post_line(pid: str, text: str, **fields) -> bytes:
    return json.dumps({"post": {"post_id": pid, "author_id": "a", "text": text, "created_at": T0, **fields}},
                      ensure_ascii=False).encode()


ADVERSARIAL = {  # kind -> (line, decided?)
    "1 MB post": (_post_line("big", "spam " * 200_000), False),
    "nested 5,000 deep": (b"[" * 5_000 + b"]" * 5_000, False),
    "post nested 5,000 deep": (b'{"post": ' * 5_000 + b"1" + b"}" * 5_000, False),
    "invalid UTF-8": (b'{"post": {"post_id": "x\xff\xfe", "text": "\xc3\x28"}}', False),
    "random bytes": (bytes(b for b in range(256) if b not in b"\r\n") * 2, False),
    "unpaired surrogate": (json.dumps({"post": {"post_id": "s", "author_id": "a", "text": "\ud800",
                                                "created_at": T0}}).encode(), False),
    "odd Unicode": (_post_line("u", "\u202e\u200b\u0301" * 50 + "\U0001F600" * 20 + "e\u0301" * 30), True),
    "long repetitive": (_post_line("r", ("kill you " * 2_700)[:24_000]), True),
    "blank": (b"   ", False),
    "naive time": (_post_line("n", "x", created_at="2026-11-20T12:00:00"), False),
    "bad country": (_post_line("c", "x", country="USA"), False),
    "good": (_post_line("g", "I will kill you", country="us"), True),
}


def test_adversarial_lines_each_get_one_answer_and_the_run_goes_on():
    """Issue 14: decide exited on a line nested 5,000 deep and on invalid UTF-8."""
    out = io.StringIO()
    ok, bad = decide.run([line for line, _ in ADVERSARIAL.values()], out, Tagger(POLICY), REGISTRY, POLICY)
    results = [json.loads(x) for x in out.getvalue().splitlines()]
    good = sum(decided for _, decided in ADVERSARIAL.values())
    assert len(results) == len(ADVERSARIAL) and (ok, bad) == (good, len(ADVERSARIAL) - good)
    for n, (kind, (_, decided)) in enumerate(ADVERSARIAL.items(), 1):
        assert ("error" not in results[n - 1]) == decided, (kind, results[n - 1])
        if not decided:
            assert results[n - 1]["line"] == n, kind
    assert results[-1]["route"] == "enforce"


def test_cli_answers_every_adversarial_line_and_exits_0():
    lines = [line for _ in range(40) for line, _ in ADVERSARIAL.values()]
    res = subprocess.run([sys.executable, "-m", "streams.commands.cli", "decide", "--no-classifier"], input=b"\n".join(lines) + b"\n",
                         capture_output=True, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    out = res.stdout.decode("utf-8").splitlines()
    assert len(out) == len(lines) and all(json.loads(x) for x in out)
    good = 40 * sum(decided for _, decided in ADVERSARIAL.values())
    assert f"{good} decided, {len(lines) - good} rejected" in res.stderr.decode()
