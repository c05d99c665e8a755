"""A per-record time budget for the drivers: a record that takes longer becomes a dead letter
and the batch goes on, instead of one post holding every partition (issue 14: a 340 KB post
took 1,448 s to tag and the consumer left its group).

On the main thread the budget is enforced with SIGALRM, which interrupts pure-Python code and
the regex engine (it checks for signals as it runs). Elsewhere (no signals off the main
thread) the time is checked when the work returns, so an over-budget record still becomes a
dead letter rather than a decision.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator


class OverBudget(Exception):
    """A record took longer than the per-record budget; `error_type` names it in the dead letter."""

    error_type = "over_time_budget"

    def __init__(self, seconds: float, what: str):
        super().__init__(f"{what} took longer than the {seconds:g} s per-record budget "
                         "(MODSTREAM_RECORD_BUDGET_SECONDS); the record was set aside so the rest goes on")


@contextmanager
def budget(seconds: float, what: str = "processing the record") -> Iterator[None]:
    """Raise OverBudget if the body runs longer than `seconds` (0 or less: no budget)."""
    if seconds <= 0:
        yield
        return
    started = time.monotonic()
    if threading.current_thread() is not threading.main_thread():
        yield
        if time.monotonic() - started > seconds:
            raise OverBudget(seconds, what)
        return

    def expired(_signum, _frame):
        raise OverBudget(seconds, what)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
