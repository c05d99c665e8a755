"""Provision and run a real local Kafka (KRaft) and Redis for development and integration tests.

There is no Docker engine on dev/CI machines, so the broker is a plain JVM process whose jars Maven
fetches once into a cache, and Redis is Debian's ``redis-server``. Everything is idempotent: start()
on a healthy service returns at once, and services that already exist (MODSTREAM_KAFKA_BOOTSTRAP /
MODSTREAM_REDIS_URL) are used instead of starting our own. Linux only (uses /proc and process groups).

CLI: ``python -m ops.local {start,stop,status,logs} [kafka|redis|all] [-n N] [--run-dir DIR]``
"""
from __future__ import annotations

import argparse
import base64
import contextlib
import fcntl
import hashlib
import logging
import os
import re
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

KAFKA_VERSION = "3.9.1"
OPS_DIR = Path(__file__).resolve().parent
REPO_ROOT = OPS_DIR.parent
KAFKA_ASSETS = OPS_DIR / "kafka"
log = logging.getLogger("modstream.ops.local")


class LocalServiceError(RuntimeError):
    """An actionable failure (what, where, how to fix); the CLI prints it as is and exits 1."""


def cache_dir() -> Path:
    return Path(os.environ.get("MODSTREAM_CACHE_DIR") or Path.home() / ".cache" / "modstream")


def default_run_dir() -> Path:
    return Path(os.environ.get("MODSTREAM_RUN_DIR") or REPO_ROOT / ".run")


def _env_port(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise LocalServiceError(f"{name}={raw!r} is not a port number; set it to an integer such as {default}")
    return int(raw)


def _error_line(text: str) -> str:
    """The most telling line of a tool's output: the exception/error if any, else the last line."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for pattern in (r"\w(Exception|Error): ", r"exception|error|fatal|^E:"):
        found = [ln for ln in lines if re.search(pattern, ln, re.IGNORECASE)]
        if found:
            return found[0]
    return (lines or ["no output"])[-1]


def ensure_kafka_libs(cache: Path | None = None) -> Path:
    """Fetch the broker jars once; the download lands in a temp dir and is renamed into place,
    so an interrupted download is never mistaken for a complete one."""
    # keyed on the pom's content, so a changed dependency list fetches afresh
    pom_hash = hashlib.sha256((KAFKA_ASSETS / "pom.xml").read_bytes()).hexdigest()[:10]
    libs = (cache or cache_dir()) / f"kafka-{KAFKA_VERSION}-{pom_hash}" / "libs"
    if any(libs.glob("kafka_2.13-*.jar")):
        return libs
    mvn = shutil.which("mvn")
    if not mvn:
        raise LocalServiceError("Maven ('mvn') is not on PATH but is needed once to fetch the Kafka jars; "
                                "install it with `apt-get install -y maven`")
    libs.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".libs-", dir=libs.parent))
    log.info("fetching Kafka %s jars from Maven Central into %s (one-off, ~20 s)", KAFKA_VERSION, libs)
    cmd = [mvn, "-B", "-q", "-f", str(KAFKA_ASSETS / "pom.xml"),
           "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies",
           "-DincludeScope=runtime", f"-DoutputDirectory={tmp}"]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
        if res.returncode != 0 or not any(tmp.glob("kafka_2.13-*.jar")):
            raise LocalServiceError(f"fetching Kafka jars with Maven failed (exit {res.returncode}): "
                                    f"{_error_line(res.stdout + res.stderr)}; check access to Maven Central and retry")
        with contextlib.suppress(OSError):  # fails only if a concurrent download finished first
            tmp.rename(libs)
    except subprocess.TimeoutExpired:
        raise LocalServiceError("fetching Kafka jars with Maven timed out after 15 min; "
                                "check access to Maven Central (or ~/.m2/settings.xml mirrors) and retry") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return libs


def _cmdline(pid: int) -> str:
    """Command line of a live process, or '' if it is gone or a zombie (reaped if it is our child)."""
    try:
        if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            return ""
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except (OSError, IndexError):
        return ""


def _read_pid(pid_file: Path, *needles: str) -> int | None:
    """The pid in pid_file if that process is alive and really ours (guards against pid reuse)."""
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    cmd = _cmdline(pid)
    return pid if cmd and all(n in cmd for n in needles) else None


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no log yet at {path})"


@contextlib.contextmanager
def _locked(run_dir: Path, name: str) -> Iterator[None]:
    """Serialise start/stop per service and run dir (parallel test workers, two terminals)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    with open(run_dir / f".{name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def _spawn(cmd: list[str], out: Path, pid_file: Path, cwd: Path) -> subprocess.Popen[bytes]:
    """Start detached in a new session so it outlives the CLI and can be stopped as a process group."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "ab") as fh:
        fh.write(f"=== {time.strftime('%Y-%m-%d %H:%M:%S')} starting: {' '.join(cmd)}\n".encode())
        fh.flush()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=fh, stderr=subprocess.STDOUT,
                                cwd=cwd, start_new_session=True)
    pid_file.write_text(f"{proc.pid}\n")
    return proc


def _wait_ready(name: str, alive: Callable[[], bool], ready: Callable[[], bool], timeout: float,
                logs: list[Path]) -> None:
    """Poll until ready(); fail fast with the log tail if the process dies or the timeout passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            break
        if ready():
            return
        time.sleep(0.25)
    why = "exited during startup" if not alive() else f"did not become ready within {timeout:.0f}s"
    shown = next((p for p in logs if p.exists() and p.stat().st_size), logs[-1])
    tail = _tail(shown, 15)
    raise LocalServiceError(f"{name} {why}: {_error_line(tail)} -- see {shown} (tail below); "
                            f"`python -m ops.local stop {name}` clears a wedged instance\n{tail}")


def _stop(pid_file: Path, name: str, needles: tuple[str, ...], timeout: float = 30.0) -> str:
    """SIGTERM the process group, escalate to SIGKILL after `timeout`; only ever touches our own pid."""
    pid = _read_pid(pid_file, *needles)
    if pid is None:
        pid_file.unlink(missing_ok=True)
        return f"{name}: not running"
    t0 = time.monotonic()
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, sig)
        deadline = time.monotonic() + wait
        while _cmdline(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if not _cmdline(pid):
            pid_file.unlink(missing_ok=True)
            return f"{name}: stopped pid {pid} with {sig.name} in {time.monotonic() - t0:.1f}s"
    raise LocalServiceError(f"{name}: pid {pid} survived SIGKILL; inspect it with `ps -o pid,stat,cmd -p {pid}`")


def _which(binary: str, fix: str) -> str:
    found = shutil.which(binary) or (f"/usr/bin/{binary}" if Path(f"/usr/bin/{binary}").exists() else None)
    if not found:
        raise LocalServiceError(f"'{binary}' not found on PATH or in /usr/bin; {fix}")
    return found


def kafka_answers(bootstrap: str, timeout: float = 5.0) -> bool:
    """True when a broker returns cluster metadata (an open port may be a half-started JVM)."""
    try:
        from confluent_kafka import KafkaException
        from confluent_kafka.admin import AdminClient
    except ImportError:
        raise LocalServiceError("python package confluent-kafka is missing; `pip install confluent-kafka`") from None
    admin = AdminClient({"bootstrap.servers": bootstrap, "log_level": 0})  # quiet probe: we report failures
    try:
        return bool(admin.list_topics(timeout=timeout).brokers)
    except KafkaException:
        return False


def redis_answers(url: str, timeout: float = 2.0) -> bool:
    """True when the server at url answers PING."""
    try:
        import redis
    except ImportError:
        raise LocalServiceError("python package redis is missing; `pip install redis`") from None
    try:
        client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError):
        return False


@dataclass
class _Service(ABC):
    """Lifecycle shared by both services: pid file, idempotent start, readiness wait, stop, status."""

    name: ClassVar[str]
    port_env: ClassVar[str]
    start_timeout: ClassVar[float] = 90.0
    run_dir: Path

    def __post_init__(self) -> None:
        self.run_dir = Path(self.run_dir).resolve()

    @property
    def pid_file(self) -> Path:
        return self.run_dir / f"{self.name}.pid"

    @property
    def out_path(self) -> Path:
        """stdout/stderr of the process: JVM crashes and early config errors land here."""
        return self.run_dir / "logs" / f"{self.name}.out"

    # What each service supplies. _needles: substrings of our command line (tells our process from a
    # reused pid); _ports: listening ports, client port first; _answers: a real protocol round trip;
    # _prepare: ensure binaries/config/storage and return the launch command.
    @property
    @abstractmethod
    def address(self) -> str: ...
    @property
    @abstractmethod
    def log_path(self) -> Path: ...
    @abstractmethod
    def _needles(self) -> tuple[str, ...]: ...
    @abstractmethod
    def _ports(self) -> tuple[int, ...]: ...
    @abstractmethod
    def _answers(self, timeout: float) -> bool: ...
    @abstractmethod
    def _prepare(self) -> list[str]: ...

    def pid(self) -> int | None:
        """Pid of our live process, or None (a stale pid file or a reused pid counts as not running)."""
        return _read_pid(self.pid_file, *self._needles())

    def start(self) -> str:
        """Start unless ours is already up (then return at once); return the address once it answers."""
        with _locked(self.run_dir, self.name):
            ready = lambda: _port_open(self._ports()[0]) and self._answers(2.0)  # noqa: E731
            logs = [self.out_path, self.log_path]
            pid = self.pid()
            if pid is not None:  # ours: healthy, or still starting up from another process
                _wait_ready(self.name, lambda: self.pid() is not None, ready, self.start_timeout, logs)
                log.info("%s: already running (pid %s) at %s", self.name, pid, self.address)
                return self.address
            for port in self._ports():
                if _port_open(port):
                    raise LocalServiceError(
                        f"{self.name}: 127.0.0.1:{port} is already in use by a process not started from "
                        f"{self.run_dir}; stop it (see `ss -ltnp 'sport = :{port}'`) or pick another port via {self.port_env}")
            cmd = self._prepare()
            t0 = time.monotonic()
            proc = _spawn(cmd, self.out_path, self.pid_file, self.run_dir)
            try:
                _wait_ready(self.name, lambda: proc.poll() is None, ready, self.start_timeout, logs)
            except LocalServiceError:
                _stop(self.pid_file, self.name, self._needles(), timeout=10)
                self.pid_file.unlink(missing_ok=True)
                raise
            log.info("%s: started pid %s at %s in %.1fs", self.name, proc.pid, self.address, time.monotonic() - t0)
            return self.address

    def stop(self) -> str:
        """SIGTERM (Kafka does a controlled shutdown), SIGKILL after 30 s; a no-op when not running."""
        with _locked(self.run_dir, self.name):
            return _stop(self.pid_file, self.name, self._needles())

    def status(self) -> dict[str, object]:
        pid = self.pid()
        state = "stopped" if pid is None else "running" if self._answers(3.0) else "unhealthy"
        return {"service": self.name, "state": state, "pid": pid, "address": self.address, "log": str(self.log_path)}


@dataclass
class LocalKafka(_Service):
    """A single-node KRaft broker+controller on 127.0.0.1; run_dir holds its config, data, logs and pid."""

    name: ClassVar[str] = "kafka"
    port_env: ClassVar[str] = "MODSTREAM_LOCAL_KAFKA_PORT / MODSTREAM_LOCAL_KAFKA_CONTROLLER_PORT"
    port: int = 19092
    controller_port: int = 19093

    @property
    def address(self) -> str:
        return self.bootstrap

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def config_path(self) -> Path:
        return self.run_dir / "server.properties"

    @property
    def log_path(self) -> Path:
        return self.run_dir / "logs" / "server.log"

    def _needles(self) -> tuple[str, ...]:
        return ("kafka.Kafka", str(self.config_path))

    def _ports(self) -> tuple[int, ...]:
        return (self.port, self.controller_port)

    def _answers(self, timeout: float) -> bool:
        return kafka_answers(self.bootstrap, timeout)

    def _java(self, libs: Path, *args: str) -> list[str]:
        return [_which("java", "install Java 17 with `apt-get install -y openjdk-17-jre-headless`"), *args,
                f"-Dlog4j.configuration=file:{KAFKA_ASSETS / 'log4j.properties'}",
                f"-Dkafka.logs.dir={self.run_dir / 'logs'}", "-cp", f"{libs}/*"]

    def _prepare(self) -> list[str]:
        """Fetch jars, (re)write server.properties, format KRaft storage once; return the broker command."""
        libs = ensure_kafka_libs()
        template = string.Template((KAFKA_ASSETS / "server.properties.template").read_text())
        self.config_path.write_text(template.substitute(
            port=self.port, controller_port=self.controller_port, log_dirs=self.run_dir / "data"))
        if not (self.run_dir / "data" / "meta.properties").exists():  # re-formatting would drop every topic
            cluster_id = "-"
            while cluster_id.startswith("-"):  # what `StorageTool random-uuid` does, minus a JVM start
                cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
            res = subprocess.run([*self._java(libs), "kafka.tools.StorageTool", "format", "-t", cluster_id,
                                  "-c", str(self.config_path)], capture_output=True, text=True, timeout=120)
            if res.returncode != 0:
                raise LocalServiceError(f"kafka: formatting storage in {self.run_dir / 'data'} failed: "
                                        f"{_error_line(res.stdout + res.stderr)}")
        return [*self._java(libs, "-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
                            "-Djava.awt.headless=true"), "kafka.Kafka", str(self.config_path)]


@dataclass
class LocalRedis(_Service):
    """A throwaway, non-persistent redis-server on 127.0.0.1; run_dir holds its pid and log."""

    name: ClassVar[str] = "redis"
    port_env: ClassVar[str] = "MODSTREAM_LOCAL_REDIS_PORT"
    start_timeout: ClassVar[float] = 30.0
    port: int = 16379

    @property
    def address(self) -> str:
        return self.url

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def log_path(self) -> Path:
        return self.run_dir / "redis.log"

    def _needles(self) -> tuple[str, ...]:  # redis retitles itself "redis-server 127.0.0.1:PORT"
        return ("redis-server", str(self.port))

    def _ports(self) -> tuple[int, ...]:
        return (self.port,)

    def _answers(self, timeout: float) -> bool:
        return redis_answers(self.url, timeout)

    def _prepare(self) -> list[str]:
        return [_redis_server(), "--port", str(self.port), "--bind", "127.0.0.1", "--daemonize", "no",
                "--dir", str(self.run_dir), "--save", "", "--appendonly", "no", "--protected-mode", "yes",
                "--logfile", str(self.log_path)]


def _redis_server() -> str:
    return apt_binary("redis-server", "redis-server")


def apt_binary(binary: str, package: str) -> str:
    """Find `binary`, installing Debian's `package` on a fresh machine (needs root)."""
    if shutil.which(binary) or Path(f"/usr/bin/{binary}").exists():
        return _which(binary, "")
    if os.geteuid() != 0:
        raise LocalServiceError(f"{binary} is not installed and installing it needs root; run "
                                f"`sudo apt-get update && sudo apt-get install -y {package}` and retry")
    log.info("%s: installing Debian's %s with apt-get (one-off)", binary, package)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", package]):
        res = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if res.returncode != 0:
            raise LocalServiceError(f"`{' '.join(cmd)}` failed (exit {res.returncode}): "
                                    f"{_error_line(res.stdout + res.stderr)}; fix apt sources/network and retry")
    return _which(binary, f"apt-get reported success but the binary is missing; check `dpkg -L {package}`")


def local_kafka(run_dir: Path | None = None, port: int | None = None, controller_port: int | None = None) -> LocalKafka:
    """LocalKafka from args, else MODSTREAM_RUN_DIR / MODSTREAM_LOCAL_KAFKA_PORT(+1 for the controller)."""
    port = port or _env_port("MODSTREAM_LOCAL_KAFKA_PORT", 19092)
    controller_port = controller_port or _env_port("MODSTREAM_LOCAL_KAFKA_CONTROLLER_PORT", port + 1)
    return LocalKafka(Path(run_dir) if run_dir else default_run_dir(), port, controller_port)


def local_redis(run_dir: Path | None = None, port: int | None = None) -> LocalRedis:
    """LocalRedis from args, else MODSTREAM_RUN_DIR / MODSTREAM_LOCAL_REDIS_PORT."""
    return LocalRedis(Path(run_dir) if run_dir else default_run_dir(),
                      port or _env_port("MODSTREAM_LOCAL_REDIS_PORT", 16379))


def ensure_kafka(bootstrap: str | None = None, *, run_dir: Path | None = None, port: int | None = None,
                 controller_port: int | None = None) -> str:
    """Bootstrap servers to use: an existing cluster (arg or MODSTREAM_KAFKA_BOOTSTRAP, never started
    by us) if configured, else our local broker, started if needed."""
    external = bootstrap or os.environ.get("MODSTREAM_KAFKA_BOOTSTRAP", "").strip()
    if external:
        if not kafka_answers(external, timeout=10):
            raise LocalServiceError(f"kafka at {external} (given, or from MODSTREAM_KAFKA_BOOTSTRAP) does not answer "
                                    "metadata requests; start it, fix the address, or unset it to run a local broker")
        log.info("kafka: using existing cluster at %s", external)
        return external
    return local_kafka(run_dir, port, controller_port).start()


def ensure_redis(url: str | None = None, *, run_dir: Path | None = None, port: int | None = None) -> str:
    """Redis URL to use: an existing server (arg or MODSTREAM_REDIS_URL) if it answers PING, else our local one."""
    external = url or os.environ.get("MODSTREAM_REDIS_URL", "").strip()
    if external:
        if redis_answers(external):
            log.info("redis: using existing server at %s", external)
            return external
        log.warning("redis: %s does not answer PING; starting a local redis-server instead", external)
    return local_redis(run_dir, port).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.local",
                                     description="Run a real local Kafka (KRaft) and Redis for modstream.",
                                     epilog="env: MODSTREAM_RUN_DIR, MODSTREAM_CACHE_DIR, MODSTREAM_LOCAL_KAFKA_PORT, "
                                     "MODSTREAM_LOCAL_REDIS_PORT; `start` uses MODSTREAM_KAFKA_BOOTSTRAP / "
                                     "MODSTREAM_REDIS_URL instead when they are set and answer.")
    parser.add_argument("command", choices=["start", "stop", "status", "logs"])
    parser.add_argument("service", nargs="?", default="all", choices=["kafka", "redis", "all"])
    parser.add_argument("-n", "--lines", type=int, default=40, help="lines of log to show (logs)")
    parser.add_argument("--run-dir", type=Path, help="default: $MODSTREAM_RUN_DIR or <repo>/.run")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        for name in ["kafka", "redis"] if args.service == "all" else [args.service]:
            svc = local_kafka(args.run_dir) if name == "kafka" else local_redis(args.run_dir)
            if args.command == "start":
                print(f"{name}: {ensure_kafka(run_dir=args.run_dir) if name == 'kafka' else ensure_redis(run_dir=args.run_dir)}")
            elif args.command == "stop":
                print(svc.stop())
            elif args.command == "status":
                st = svc.status()
                print(f"{name}: {st['state']}  pid={st['pid'] or '-'}  {st['address']}  log={st['log']}")
            else:
                print(f"==> {svc.log_path} <==\n{_tail(svc.log_path, args.lines)}")
    except LocalServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
