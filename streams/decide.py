"""`modstream decide`: the agents' logic in-process, JSON Lines in, JSON Lines out.

No Kafka, no Redis: the registry is the shipped seed file, authors come inline. One
output line per input line, in order; a bad line yields `{"line": N, "error": ...}` and
the run goes on. This is a stable contract (README "decide contract").
"""

from __future__ import annotations

import json
from typing import IO, Iterable, Mapping, Sequence

from agents.policy import Policy
from agents.records import Case, Designation, RecordError
from agents.router import decide
from agents.tagger import Tagger


def index(designations: Iterable[Designation]) -> dict[str, tuple[Designation, ...]]:
    out: dict[str, list[Designation]] = {}
    for d in designations:
        out.setdefault(d.account_id, []).append(d)
    return {k: tuple(v) for k, v in out.items()}


def decide_line(raw: str, tagger: Tagger, registry: Mapping[str, Sequence[Designation]], policy: Policy) -> dict:
    case = Case.from_dict(json.loads(raw))
    return decide(case, tagger.tag(case.post), registry, policy).to_output()


def run(lines: Iterable[str], out: IO, tagger: Tagger, registry: Mapping[str, Sequence[Designation]],
        policy: Policy) -> tuple[int, int]:
    """Returns (decided, errors)."""
    ok = bad = 0
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            result = decide_line(raw, tagger, registry, policy)
            ok += 1
        except json.JSONDecodeError as exc:
            result, bad = {"line": number, "error": f"not valid JSON: {exc.msg} at column {exc.colno}"}, bad + 1
        except RecordError as exc:
            result, bad = {"line": number, "error": str(exc), "field": exc.path}, bad + 1
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    out.flush()
    return ok, bad
