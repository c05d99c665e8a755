"""The per-record time budget interrupts a record that runs too long, regex included."""

from __future__ import annotations

import re
import threading
import time

import pytest

from streams.engine.budget import OverBudget, budget


def test_a_busy_loop_over_the_budget_is_interrupted():
    started = time.monotonic()
    with pytest.raises(OverBudget) as err:
        with budget(0.2, "tag"):
            while True:
                pass
    assert time.monotonic() - started < 5 and err.value.error_type == "over_time_budget"
    assert "tag" in str(err.value) and "MODSTREAM_RECORD_BUDGET_SECONDS" in str(err.value)


def test_a_catastrophic_regex_is_interrupted():
    with pytest.raises(OverBudget):
        with budget(0.2):
            re.match(r"(a+)+$", "a" * 40 + "!")


def test_work_within_the_budget_is_untouched_and_the_alarm_is_cleared():
    with budget(1.0):
        value = sum(range(1000))
    time.sleep(1.2)  # an alarm left armed would fire here
    assert value == 499500


def test_off_the_main_thread_the_time_is_checked_when_the_work_returns():
    errors: list[BaseException] = []

    def work():
        try:
            with budget(0.05):
                time.sleep(0.2)
        except OverBudget as exc:
            errors.append(exc)

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert len(errors) == 1


def test_resident_handler_interrupts_and_clears_like_the_default(monkeypatch: pytest.MonkeyPatch):
    """With `resident()` (the hot path) a budget only sets and clears the timer; behaviour is the same."""
    import signal

    from streams.engine import budget as b

    before = signal.getsignal(signal.SIGALRM)
    monkeypatch.setattr(b, "_resident", False)
    try:
        b.resident()
        with pytest.raises(OverBudget) as err:
            with budget(0.2, "decode"):
                while True:
                    pass
        assert "decode" in str(err.value) and b._armed is None
        with budget(1.0):
            value = sum(range(1000))
        time.sleep(1.2)  # an alarm left armed would fire here
        assert value == 499500 and b._armed is None
        with pytest.raises(OverBudget):
            with budget(0.2):
                re.match(r"(a+)+$", "a" * 40 + "!")
    finally:
        signal.signal(signal.SIGALRM, before)
