"""Transparency report: counts by rule, action type, country and automation; CSV, JSON and PNG."""

from __future__ import annotations

import csv
import json
import struct

from streams.commands.transparency import post_refs, report, write


def _action(aid: str, post: str, policy: str, kind: str, automated: bool = True) -> dict:
    return {"action_id": aid, "decision_id": aid.split(":")[0], "type": kind, "post_id": post, "account_id": "1",
            "policy": policy, "policy_version": "v", "automated": automated, "countries": [], "reason": ""}


ACTIONS = [
    _action("d1:remove", "p1", "violence", "remove"),
    _action("d1:remove", "p1", "violence", "remove"),  # redelivered: counted once
    _action("d2:remove", "p2", "terrorism", "remove"),
    _action("d2:suspend_account", "p2", "terrorism", "suspend_account"),
    _action("d3:reduce_visibility", "p3", "hateful_conduct", "reduce_visibility"),
    _action("r4:public_interest_notice", "p4", "hateful_conduct", "public_interest_notice", automated=False),
]
COUNTRIES = {"p1": "US", "p2": "DE", "p3": "US", "p4": None}


def test_counts_by_each_dimension_deduplicated_by_action_id():
    rep = report(ACTIONS, COUNTRIES, "2026-H2")
    assert rep.total == 5
    assert rep.by_rule == {"hateful_conduct": 2, "terrorism": 2, "violence": 1}
    assert rep.by_action_type == {"remove": 2, "public_interest_notice": 1, "reduce_visibility": 1, "suspend_account": 1}
    assert rep.by_country == {"DE": 2, "US": 2, "unknown": 1}
    assert rep.by_automation == {"automated": 4, "human": 1}
    assert sum(r[-1] for r in rep.rows) == 5
    assert ("terrorism", "suspend_account", "DE", "automated", 1) in rep.rows


def test_post_refs_take_the_posts_input_of_automated_decisions_only():
    ref = {"topic": "p", "partition": 1, "offset": 5, "digest": "a" * 64}
    audits = [{"post_id": "p1", "kind": "post_decision", "inputs": [ref, {**ref, "topic": "v"}]},
              {"post_id": "p2", "kind": "review_decision", "inputs": [ref]},
              {"post_id": "p3", "kind": "post_decision", "inputs": [{**ref, "offset": -1}]}]
    assert post_refs(audits) == {"p1": ref}


def test_csv_json_and_png_are_written(tmp_path):
    paths = write(report(ACTIONS, COUNTRIES, "2026-07-01 to 2027-01-01"), tmp_path)
    with paths["csv"].open() as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["rule", "action_type", "country", "automation", "actions"]
    assert sum(int(r["actions"]) for r in rows) == 5
    body = json.loads(paths["json"].read_text())
    assert body["total_actions"] == 5 and body["by_country"]["unknown"] == 1 and len(body["rows"]) == len(rows)
    png = paths["png"].read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    assert width >= 800 and height >= 600 and len(png) > 20_000


def test_empty_period_still_gives_a_chart(tmp_path):
    paths = write(report([], {}, "empty"), tmp_path)
    assert json.loads(paths["json"].read_text())["total_actions"] == 0
    assert paths["png"].stat().st_size > 5_000
