"""Run the faust worker in this process (`modstream worker`), or manage worker subprocesses.

The demo and the integration tests start workers as real subprocesses, the way an
operator would, so a kill -9 test kills a real process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, replace
from pathlib import Path

import structlog

from streams.infra.config import Settings


def run(settings: Settings, role: str = "all") -> None:
    """Block running the worker until SIGTERM/SIGINT.

    `role` picks the agents (streams.drivers.faust_agents.ROLES). The hot path (streams.drivers.hotpath: posts,
    reports, escalations) runs in a child process beside the faust agents, or alone in this
    one (`hotpath`). The hot path tags with the learned classifier in-process (unless
    MODSTREAM_CLASSIFIER=false): there is no separate classify role any more.
    SIGHUP re-reads the policy file (`Settings.policy_file`) in both.
    """
    from streams.drivers import hotpath
    from streams.drivers.faust_agents import HOT, ROLES

    if ROLES[role] == HOT:
        hotpath.serve(settings)
        return
    import faust

    from streams.infra import liveness, metrics
    from streams.infra.admin import resolved_replication
    from streams.drivers.faust_app import create_app
    from streams.engine.runtime import Runtime
    from streams.drivers.faust_agents import bind

    hot: _HotPathChild | None = None

    def restart(reason: str) -> None:  # the watchdog's: the faust consumer is stuck
        if hot is not None:
            hot.stop()
        liveness.reexec(reason)

    watch = liveness.watch(settings, "agents", settings.app_id, settings.metrics_port, restart)  # faust's group
    app = create_app(replace(settings, replication=resolved_replication(settings)),  # faust's own topics
                     client_id=watch.client_id)
    app.sensors.add(metrics.faust_sensor())
    rt = Runtime.build(settings)
    rt.publish_policy()
    bind(app, rt, ROLES[role])
    worker = faust.Worker(app, loglevel=settings.log_level.lower(), logging_config=app.conf.logging_config)
    hot = _HotPathChild.start(settings) if "route" in ROLES[role] else None

    def hup(*_: object) -> None:
        """SIGHUP: the hot path child reloads before its next batch, the faust agents between events."""
        if hot is not None and hot.proc.pid:
            os.kill(hot.proc.pid, signal.SIGHUP)
        worker.loop.call_soon_threadsafe(rt.reload_logged)

    signal.signal(signal.SIGHUP, hup)
    try:
        worker.execute_from_commandline()
    finally:
        watch.close()
        if hot is not None and hot.stop() not in (0, -signal.SIGTERM):  # SIGTERM: stopped before its handler
            raise SystemExit(1)


def _hot_path_main(settings: Settings) -> None:
    """Entry of the hot path child: dies with its parent, logs like it; its watchdog's restart
    is an exit with RESTART_EXIT, and the worker starts a new child."""
    import ctypes

    from streams.drivers import hotpath
    from streams.infra import logs
    from streams.infra.liveness import RESTART_EXIT

    try:  # Linux: SIGTERM when the worker dies, even by kill -9, so no orphan keeps consuming
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    logs.configure(settings.log_level)
    hotpath.serve(settings, restart=lambda _reason: os._exit(RESTART_EXIT))


@dataclass
class _HotPathChild:
    """The hot path as a child process of a faust worker; either dying stops the other, except
    a child its watchdog restarted (exit RESTART_EXIT): that one is started again."""

    proc: multiprocessing.process.BaseProcess
    stopping: threading.Event

    @staticmethod
    def _spawn(settings: Settings) -> multiprocessing.process.BaseProcess:
        proc = multiprocessing.get_context("spawn").Process(target=_hot_path_main, args=(settings,),
                                                            name="modstream-hotpath")
        proc.start()
        return proc

    @classmethod
    def start(cls, settings: Settings) -> "_HotPathChild":
        from streams.infra import metrics
        from streams.infra.liveness import RESTART_EXIT

        child = cls(cls._spawn(settings), threading.Event())

        def watch() -> None:  # the worker must not run on without its hot path
            while True:
                child.proc.join()
                if child.stopping.is_set():
                    return
                if child.proc.exitcode != RESTART_EXIT:
                    # a clean stop is a SIGTERM to the whole group: give the worker time to stop on its
                    # own (a second SIGTERM after faust put back the default handler kills it mid-cleanup)
                    if child.proc.exitcode in (0, -signal.SIGTERM) and child.stopping.wait(15):
                        return
                    os.kill(os.getpid(), signal.SIGTERM)
                    return
                metrics.RESTARTS.labels(f"{settings.app_id}-decide").inc()
                structlog.get_logger("modstream.worker").warning("hot_path_restarted", pid=child.proc.pid)
                child.proc = cls._spawn(settings)

        threading.Thread(target=watch, name="hotpath-watch", daemon=True).start()
        return child

    def stop(self, timeout: float = 60.0) -> int | None:
        """SIGTERM (it finishes its batch and commits), then wait; its exit code."""
        self.stopping.set()
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(timeout)
            if self.proc.is_alive():
                self.proc.kill()
                self.proc.join(10)
        return self.proc.exitcode


@dataclass
class WorkerProcess:
    """A `modstream worker` subprocess with its log file."""

    proc: subprocess.Popen
    log_path: Path

    @classmethod
    def start(cls, env: dict[str, str], log_path: Path, role: str = "all") -> "WorkerProcess":
        log_path.parent.mkdir(parents=True, exist_ok=True)
        out = open(log_path, "ab")
        proc = subprocess.Popen([sys.executable, "-m", "streams.commands.cli", "worker", "--role", role], stdout=out,
                                stderr=subprocess.STDOUT,
                                env={**os.environ, **env}, start_new_session=True, cwd=Path(__file__).parent.parent.parent)
        out.close()
        return cls(proc, log_path)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, timeout: float = 30.0) -> int | None:
        if self.alive():
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        return self.proc.returncode

    def kill(self) -> None:
        """kill -9: no shutdown, no final commit."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that gives a subprocess the same Settings."""
    from dataclasses import fields

    return {f"MODSTREAM_{f.name.upper()}": str(getattr(settings, f.name)) for f in fields(settings)}
