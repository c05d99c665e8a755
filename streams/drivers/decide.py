"""`modstream decide`: the agents' logic in-process, JSON Lines in, JSON Lines out.

No Kafka, no Redis: the registry is the shipped seed file, authors come inline, daily caps
are counted in this run. Each line goes through the same engine as the live hot path
(streams/engine/engine.py: tag, route, caps), so `decide` answers what live would. One
output line per input line, in order; a bad line (blank, too long, not UTF-8, nested too
deep, not JSON, breaking the contract, over the time budget) yields `{"line": N, "error":
...}` and the run goes on. Lines are read by the same `load_line` and `Case.from_dict` as
`modstream ingest`, so both accept exactly the same lines. This is a stable contract
(README "decide contract").
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import IO, Iterable, Mapping, Sequence

import structlog

from agents.effects import Decision
from agents.policy import Policy
from agents.records import Case, Designation, RecordError, load_line
from agents.tagger import Tagger
from streams.engine.budget import OverBudget, budget
from streams.engine.context import MemoryPort, index
from streams.engine.engine import Engine, Input

__all__ = ["decide_line", "index", "run"]

log = structlog.get_logger("modstream.decide")


def decide_line(raw: bytes | str, engine: Engine, port: MemoryPort) -> dict:
    """One line's output: its Decision, as the engine makes it with the line's own context."""
    case = Case.from_dict(load_line(raw))
    port.cases = {case.post.post_id: case}
    day = datetime.now(timezone.utc).date().isoformat()
    (outcome,) = engine.decide_batch([Input(case.post, {}, day)], port.load([case.post]))
    if not isinstance(outcome, Decision):
        raise outcome.error
    return outcome.to_output()


def run(lines: Iterable[bytes | str], out: IO, tagger: Tagger, registry: Mapping[str, Sequence[Designation]],
        policy: Policy, budget_seconds: float = 2.0) -> tuple[int, int]:
    """Returns (decided, errors). `lines` are bytes (read the input in binary: a line that is not
    UTF-8 is that line's error, not the run's) or str."""
    engine, port = Engine(policy, tagger), MemoryPort(registry, tagger.banks)
    ok = bad = 0
    for number, raw in enumerate(lines, 1):
        raw = raw.rstrip(b"\r\n" if isinstance(raw, bytes) else "\r\n")
        try:
            if not raw.strip():
                raise RecordError("$", "blank line: each line must be one JSON object")
            with budget(budget_seconds, "deciding the line"):
                result = decide_line(raw, engine, port)
            ok += 1
        except RecordError as exc:
            result, bad = {"line": number, "error": str(exc), "field": exc.path}, bad + 1
        except OverBudget as exc:
            result, bad = {"line": number, "error": str(exc)}, bad + 1
        except Exception as exc:  # a bug on one line must not stop the run: say so, and go on
            log.exception("decide_failed", line=number)
            result, bad = {"line": number, "error": f"internal error ({type(exc).__name__}); please report it"}, bad + 1
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    out.flush()
    return ok, bad
