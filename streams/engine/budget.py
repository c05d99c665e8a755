"""A per-record time budget for the drivers: a record that takes longer becomes a dead letter
and the batch goes on, instead of one post holding every partition (issue 14: a 340 KB post
took 1,448 s to tag and the consumer left its group).

On the main thread the budget is enforced with SIGALRM, which interrupts pure-Python code and
the regex engine (it checks for signals as it runs). Elsewhere (no signals off the main
thread) the time is checked when the work returns, so an over-budget record still becomes a
dead letter rather than a decision.

The hot path enters a budget two or three times a post: a plain class over the C-level
`_signal` calls (no generator, no enum conversions) keeps that to about 2 µs (8 µs before).
A process that owns SIGALRM (the hot path) calls `resident()` once: its handler then stays
installed and a budget only arms and disarms the timer, two system calls instead of four
(~3.7 -> ~1.5 µs an entry).
"""

from __future__ import annotations

import _signal
import threading
import time
from types import FrameType, TracebackType


class OverBudget(Exception):
    """A record took longer than the per-record budget; `error_type` names it in the dead letter."""

    error_type = "over_time_budget"

    def __init__(self, seconds: float, what: str):
        super().__init__(f"{what} took longer than the {seconds:g} s per-record budget "
                         "(MODSTREAM_RECORD_BUDGET_SECONDS); the record was set aside so the rest goes on")


_MAIN = threading.main_thread()
_armed: "budget | None" = None  #: with `resident()`: the budget whose alarm is set, which the handler raises for
_resident = False


def _on_alarm(_signum: int, _frame: FrameType | None) -> None:
    armed = _armed
    if armed is not None:  # a stray SIGALRM outside any budget is ignored
        raise OverBudget(armed.seconds, armed.what)


def resident() -> None:
    """Keep one SIGALRM handler installed from now on (call from the main thread of a process that owns
    SIGALRM): each budget then only sets and clears the timer."""
    global _resident
    _signal.signal(_signal.SIGALRM, _on_alarm)
    _resident = True


class budget:
    """Raise OverBudget if the body runs longer than `seconds` (0 or less: no budget)."""

    __slots__ = ("seconds", "what", "started", "previous", "alarm")

    def __init__(self, seconds: float, what: str = "processing the record") -> None:
        self.seconds, self.what = seconds, what

    def _expired(self, _signum: int, _frame: FrameType | None) -> None:
        raise OverBudget(self.seconds, self.what)

    def __enter__(self) -> None:
        global _armed
        self.alarm = self.seconds > 0 and threading.current_thread() is _MAIN
        if self.alarm:
            if _resident:
                self.previous, _armed = _armed, self
            else:
                self.previous = _signal.signal(_signal.SIGALRM, self._expired)
            _signal.setitimer(_signal.ITIMER_REAL, self.seconds)
        elif self.seconds > 0:
            self.started = time.monotonic()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        global _armed
        if self.alarm:
            _signal.setitimer(_signal.ITIMER_REAL, 0)
            if _resident:
                _armed = self.previous
            else:
                _signal.signal(_signal.SIGALRM, self.previous)
        elif self.seconds > 0 and kind is None and time.monotonic() - self.started > self.seconds:
            raise OverBudget(self.seconds, self.what)
