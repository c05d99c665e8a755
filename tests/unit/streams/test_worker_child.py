"""The worker starts a new hot path child when its watchdog restarted it (exit 75), and stops
itself when the child dies any other way. Real child processes; the worker is this process."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest
from prometheus_client import REGISTRY

from streams.drivers import worker
from streams.infra.config import Settings
from streams.infra.liveness import RESTART_EXIT


@pytest.fixture
def sigterms():
    got: list[int] = []
    old = signal.signal(signal.SIGTERM, lambda sig, _frame: got.append(sig))
    try:
        yield got
    finally:
        signal.signal(signal.SIGTERM, old)


def spawner(monkeypatch, *targets):
    """_HotPathChild._spawn handing out real processes running `targets` in turn."""
    queue = list(targets)
    ctx = multiprocessing.get_context("spawn")

    def spawn(_settings):
        target, args = queue.pop(0)
        proc = ctx.Process(target=target, args=args)
        proc.start()
        return proc

    monkeypatch.setattr(worker._HotPathChild, "_spawn", staticmethod(spawn))


def wait_for(pred, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while not pred() and time.monotonic() < deadline:
        time.sleep(0.05)
    return pred()


def test_a_child_the_watchdog_restarted_is_started_again(monkeypatch, sigterms):
    s = Settings(app_id="wchild")
    before = REGISTRY.get_sample_value("modstream_watchdog_restarts_total", {"group": "wchild-decide"}) or 0
    spawner(monkeypatch, (os._exit, (RESTART_EXIT,)), (time.sleep, (30,)))
    child = worker._HotPathChild.start(s)
    first = child.proc
    assert wait_for(lambda: child.proc is not first and child.proc.is_alive()), "no new child"
    assert first.exitcode == RESTART_EXIT and sigterms == []
    assert REGISTRY.get_sample_value("modstream_watchdog_restarts_total", {"group": "wchild-decide"}) == before + 1
    child.stop(timeout=10)


def test_a_child_that_crashes_stops_the_worker(monkeypatch, sigterms):
    spawner(monkeypatch, (os._exit, (3,)))
    child = worker._HotPathChild.start(Settings(app_id="wchild2"))
    assert wait_for(lambda: sigterms == [signal.SIGTERM]), "the worker was not told to stop"
    child.stopping.set()


def test_reexec_runs_the_same_command_again_in_the_same_process():
    """The faust side's restart: the process image is replaced by `python -m streams.commands.cli <its args>`."""
    import subprocess
    import sys

    script = ("import os, sys; print('pid', os.getpid(), flush=True); sys.argv = ['modstream', 'policy']; "
              "from streams.infra import liveness; liveness.reexec('test: stuck')")
    res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).resolve().parents[3])
    assert res.returncode == 0, res.stderr
    pid = res.stdout.split()[1]
    restarting = next(line for line in res.stdout.splitlines() if "process_restarting" in line)
    assert f"pid={pid}" in restarting and "test: stuck" in restarting  # logged, same pid
    assert "policy version" in res.stdout.split(restarting, 1)[1]  # `modstream policy` ran after the exec
