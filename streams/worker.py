"""Run the faust worker in this process (`modstream worker`), or manage worker subprocesses.

The demo and the integration tests start workers as real subprocesses, the way an
operator would, so a kill -9 test kills a real process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from streams.config import Settings


def run(settings: Settings, role: str = "all") -> None:
    """Block running the worker until SIGTERM/SIGINT.

    `role` picks the agents (streams.bindings.ROLES); roles with "route" also run the hot
    path (streams.hotpath) in a thread. The classify role runs in its own consumer group,
    so classifier workers scale apart from the fast path.
    """
    import faust

    from streams.app import Runtime, create_app
    from streams.bindings import ROLES, bind
    from streams.hotpath import HotPath

    if role == "classify":
        settings = replace(settings, app_id=f"{settings.app_id}-classify")
    app = create_app(settings)
    bind(app, Runtime.build(settings), ROLES[role])
    worker = faust.Worker(app, loglevel=settings.log_level.lower(), logging_config=app.conf.logging_config)
    hot = HotPath(settings) if "route" in ROLES[role] else None
    if hot is not None:  # a crashed hot path stops the worker (exit 1): it must not run on without it
        hot.start(on_crash=lambda exc: os.kill(os.getpid(), signal.SIGTERM))
    try:
        worker.execute_from_commandline()
    finally:
        if hot is not None:
            hot.join()
            if hot.error is not None:
                raise SystemExit(1)


@dataclass
class WorkerProcess:
    """A `modstream worker` subprocess with its log file."""

    proc: subprocess.Popen
    log_path: Path

    @classmethod
    def start(cls, env: dict[str, str], log_path: Path, role: str = "all") -> "WorkerProcess":
        log_path.parent.mkdir(parents=True, exist_ok=True)
        out = open(log_path, "ab")
        proc = subprocess.Popen([sys.executable, "-m", "streams.cli", "worker", "--role", role], stdout=out,
                                stderr=subprocess.STDOUT,
                                env={**os.environ, **env}, start_new_session=True, cwd=Path(__file__).parent.parent)
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
