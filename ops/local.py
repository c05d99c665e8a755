"""Provision and run a real local Kafka (KRaft) and Redis for development and integration tests.

There is no Docker engine on dev/CI machines, so the broker is a plain JVM process whose jars Maven
fetches once into a cache, and Redis is Debian's ``redis-server``. Everything is idempotent: start()
on a healthy service returns at once, and services that already exist (MODSTREAM_KAFKA_BOOTSTRAP /
MODSTREAM_REDIS_URL) are used instead of starting our own. Linux only (uses /proc and process groups).

CLI: ``python -m ops.local {start,stop,status,logs} [kafka|redis|all] [-n N] [--run-dir DIR]
[--brokers N] [--redis-cluster]``: ``--brokers 3`` runs a three-node KRaft cluster (combined
broker+controller nodes, replication factor 3, min.insync.replicas 2) and ``--redis-cluster`` a
Redis Cluster of three masters with a replica each.
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
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from streams.infra.logs import redact_url

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

        from streams.infra.slots import connect_sync
    except ImportError:
        raise LocalServiceError("python package redis is missing; `pip install redis`") from None
    try:
        client = connect_sync(url, socket_timeout=timeout, socket_connect_timeout=timeout)
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

    def kill(self) -> int | None:
        """kill -9 the process group (a crash, for chaos runs); returns the pid killed, None when not running."""
        pid = self.pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while _cmdline(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
        return pid

    def status(self) -> dict[str, object]:
        pid = self.pid()
        state = "stopped" if pid is None else "running" if self._answers(3.0) else "unhealthy"
        return {"service": self.name, "state": state, "pid": pid, "address": self.address, "log": str(self.log_path)}


@dataclass
class LocalKafka(_Service):
    """A KRaft broker+controller node on 127.0.0.1, alone (the defaults) or one of a LocalKafkaCluster;
    run_dir holds its config, data, logs and pid."""

    name: ClassVar[str] = "kafka"
    port_env: ClassVar[str] = "MODSTREAM_LOCAL_KAFKA_PORT / MODSTREAM_LOCAL_KAFKA_CONTROLLER_PORT"
    port: int = 19092
    controller_port: int = 19093
    node_id: int = 1
    quorum_voters: str = ""  #: "1@127.0.0.1:PORT,2@..."; empty: this node alone
    replication: int = 1  #: internal topics and the default for new topics (min.insync.replicas: one less, >= 1)
    cluster_id: str = ""  #: shared by a cluster's nodes when formatting; empty: a fresh one
    heap_mb: int = 1024
    jvm_opts: tuple[str, ...] = ()  #: extra JVM flags (the cluster chaos' quick-start ones: ops/chaos.py)

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
            port=self.port, controller_port=self.controller_port, log_dirs=self.run_dir / "data",
            node_id=self.node_id, quorum_voters=self.quorum_voters or f"{self.node_id}@127.0.0.1:{self.controller_port}",
            replication=self.replication, min_insync=max(1, self.replication - 1)))
        if not (self.run_dir / "data" / "meta.properties").exists():  # re-formatting would drop every topic
            res = subprocess.run([*self._java(libs), "kafka.tools.StorageTool", "format", "-t",
                                  self.cluster_id or new_cluster_id(), "-c", str(self.config_path)],
                                 capture_output=True, text=True, timeout=300)  # a JVM start: slow on a busy host
            if res.returncode != 0:
                raise LocalServiceError(f"kafka: formatting storage in {self.run_dir / 'data'} failed: "
                                        f"{_error_line(res.stdout + res.stderr)}")
        return [*self._java(libs, "-Xms256m", f"-Xmx{self.heap_mb}m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
                            "-Djava.awt.headless=true", *self.jvm_opts), "kafka.Kafka", str(self.config_path)]

    def formatted_cluster_id(self) -> str:
        """The cluster id this node's storage was formatted with, or '' when it is not formatted yet."""
        with contextlib.suppress(OSError):
            for line in (self.run_dir / "data" / "meta.properties").read_text().splitlines():
                if line.startswith("cluster.id="):
                    return line.split("=", 1)[1].strip()
        return ""


def _on_each(nodes: list, fn: Callable) -> list:
    """fn(node) for every node in parallel threads; results in order, the first error re-raised after all finish."""
    results: list = [None] * len(nodes)
    errors: list[BaseException] = []

    def one(i: int) -> None:
        try:
            results[i] = fn(nodes[i])
        except BaseException as exc:  # re-raised below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(nodes))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results


def new_cluster_id() -> str:
    """What `StorageTool random-uuid` does, minus a JVM start."""
    cluster_id = "-"
    while cluster_id.startswith("-"):
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
    return cluster_id


@dataclass
class LocalKafkaCluster:
    """`brokers` LocalKafka nodes (combined broker+controller, a KRaft quorum of all of them) on
    127.0.0.1, node i (1-based) on ports base_port + 2(i-1) and +1, in run_dir/kafka-i. Topics default
    to replication factor min(3, brokers) with min.insync.replicas one less."""

    run_dir: Path
    brokers: int = 3
    base_port: int = 19092
    jvm_opts: tuple[str, ...] = ()  #: extra JVM flags for every node

    def __post_init__(self) -> None:
        self.run_dir = Path(self.run_dir).resolve()
        ports = [(self.base_port + 2 * i, self.base_port + 2 * i + 1) for i in range(self.brokers)]
        voters = ",".join(f"{i + 1}@127.0.0.1:{c}" for i, (_, c) in enumerate(ports))
        self.nodes = [LocalKafka(self.run_dir / f"kafka-{i + 1}", port=p, controller_port=c, node_id=i + 1,
                                 quorum_voters=voters, replication=min(3, self.brokers), heap_mb=512,
                                 jvm_opts=self.jvm_opts)
                      for i, (p, c) in enumerate(ports)]
        for node in self.nodes:  # a restarted node waits for the controller to see it caught up: slow on a busy host
            node.start_timeout = 240.0

    @property
    def bootstrap(self) -> str:
        return ",".join(n.bootstrap for n in self.nodes)

    address = bootstrap

    def node(self, node_id: int) -> LocalKafka:
        return self.nodes[node_id - 1]

    def start(self) -> str:
        """Start every node at once (none is ready before a quorum of controllers is up); the bootstrap list."""
        cluster_id = next((i for i in (n.formatted_cluster_id() for n in self.nodes) if i), "") or new_cluster_id()
        for n in self.nodes:
            n.cluster_id = cluster_id
        try:
            _on_each(self.nodes, LocalKafka.start)
        except LocalServiceError:
            self.stop()
            raise
        return self.bootstrap

    def stop(self) -> str:
        """Stop every node at once: the last one left alone has no quorum for a controlled shutdown."""
        return "; ".join(m.replace("kafka:", f"kafka-{n.node_id}:", 1)
                         for n, m in zip(self.nodes, _on_each(self.nodes, LocalKafka.stop)))



@dataclass
class LocalRedis(_Service):
    """A throwaway, non-persistent redis-server on 127.0.0.1; run_dir holds its pid and log."""

    name: ClassVar[str] = "redis"
    port_env: ClassVar[str] = "MODSTREAM_LOCAL_REDIS_PORT"
    start_timeout: ClassVar[float] = 30.0
    port: int = 16379
    cluster: bool = False  #: a node of a LocalRedisCluster (cluster mode, its nodes.conf in run_dir)

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
                "--logfile", str(self.log_path),
                *(["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout",
                   "3000"] if self.cluster else [])]


@dataclass
class LocalRedisCluster:
    """A Redis Cluster on 127.0.0.1: `masters` masters with one replica each (Debian's redis-server in
    cluster mode, joined once by `redis-cli --cluster create`), node i on base_port + i - 1, in
    run_dir/redis-i. Clients reach it as `redis+cluster://127.0.0.1:<base_port>` (streams/infra/slots.py)."""

    run_dir: Path
    masters: int = 3
    base_port: int = 16379

    def __post_init__(self) -> None:
        self.run_dir = Path(self.run_dir).resolve()
        self.nodes = [LocalRedis(self.run_dir / f"redis-{i + 1}", port=self.base_port + i, cluster=True)
                      for i in range(2 * self.masters)]

    @property
    def url(self) -> str:
        return f"redis+cluster://127.0.0.1:{self.base_port}"

    address = url

    def start(self, timeout: float = 60.0) -> str:
        _on_each(self.nodes, LocalRedis.start)
        if not self._state_ok(self.nodes[0].port):
            if not self._slots_assigned():
                cmd = [_which("redis-cli", "install Debian's redis-tools (`apt-get install -y redis-tools`)"),
                       "--cluster", "create", *(f"127.0.0.1:{n.port}" for n in self.nodes),
                       "--cluster-replicas", "1", "--cluster-yes"]
                res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
                if res.returncode != 0:
                    self.stop()
                    raise LocalServiceError(f"redis cluster: `{' '.join(cmd)}` failed: {_error_line(res.stdout + res.stderr)}")
            deadline = time.monotonic() + timeout
            while not all(self._state_ok(n.port) for n in self.nodes):
                if time.monotonic() > deadline:
                    raise LocalServiceError(f"redis cluster at {self.url} did not reach cluster_state:ok in "
                                            f"{timeout:.0f}s; see {self.nodes[0].log_path}")
                time.sleep(0.25)
        return self.url

    def _info(self, port: int, *command: str) -> str:
        res = subprocess.run([_which("redis-cli", ""), "-p", str(port), *command], capture_output=True, text=True,
                             timeout=10)
        return res.stdout

    def _state_ok(self, port: int) -> bool:
        return "cluster_state:ok" in self._info(port, "cluster", "info")

    def _slots_assigned(self) -> bool:
        return "cluster_slots_assigned:16384" in self._info(self.nodes[0].port, "cluster", "info")

    def masters_now(self) -> dict[int, LocalRedis]:
        """port -> node, for the nodes that are masters right now (a failover moves this)."""
        return {n.port: n for n in self.nodes if n.pid() is not None and "role:master" in self._info(n.port, "info", "replication")}

    def stop(self) -> str:
        return "; ".join(m.replace("redis:", f"redis-{n.port}:", 1)
                         for n, m in zip(self.nodes, _on_each(self.nodes, LocalRedis.stop)))



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


def local_kafka_cluster(run_dir: Path | None = None, brokers: int = 3, port: int | None = None) -> LocalKafkaCluster:
    """LocalKafkaCluster from args, else MODSTREAM_RUN_DIR / MODSTREAM_LOCAL_KAFKA_PORT (node 1's port)."""
    return LocalKafkaCluster(Path(run_dir) if run_dir else default_run_dir(), brokers,
                             port or _env_port("MODSTREAM_LOCAL_KAFKA_PORT", 19092))


def local_redis_cluster(run_dir: Path | None = None, port: int | None = None) -> LocalRedisCluster:
    """LocalRedisCluster from args, else MODSTREAM_RUN_DIR / MODSTREAM_LOCAL_REDIS_PORT (node 1's port)."""
    return LocalRedisCluster(Path(run_dir) if run_dir else default_run_dir(),
                             base_port=port or _env_port("MODSTREAM_LOCAL_REDIS_PORT", 16379))


def local_redis(run_dir: Path | None = None, port: int | None = None) -> LocalRedis:
    """LocalRedis from args, else MODSTREAM_RUN_DIR / MODSTREAM_LOCAL_REDIS_PORT."""
    return LocalRedis(Path(run_dir) if run_dir else default_run_dir(),
                      port or _env_port("MODSTREAM_LOCAL_REDIS_PORT", 16379))


def ensure_kafka(bootstrap: str | None = None, *, run_dir: Path | None = None, port: int | None = None,
                 controller_port: int | None = None, brokers: int = 1) -> str:
    """Bootstrap servers to use: an existing cluster (arg or MODSTREAM_KAFKA_BOOTSTRAP, never started
    by us) if configured, else our local broker (or `brokers` > 1: local cluster), started if needed."""
    external = bootstrap or os.environ.get("MODSTREAM_KAFKA_BOOTSTRAP", "").strip()
    if external:
        if not kafka_answers(external, timeout=10):
            raise LocalServiceError(f"kafka at {external} (given, or from MODSTREAM_KAFKA_BOOTSTRAP) does not answer "
                                    "metadata requests; start it, fix the address, or unset it to run a local broker")
        log.info("kafka: using existing cluster at %s", external)
        return external
    if brokers > 1:
        return local_kafka_cluster(run_dir, brokers, port).start()
    return local_kafka(run_dir, port, controller_port).start()


def ensure_redis(url: str | None = None, *, run_dir: Path | None = None, port: int | None = None,
                 cluster: bool = False) -> str:
    """Redis URL to use: an existing server (arg or MODSTREAM_REDIS_URL) if it answers PING, else our local
    one (`cluster`: our local Redis Cluster)."""
    external = url or os.environ.get("MODSTREAM_REDIS_URL", "").strip()
    if external:
        if redis_answers(external):
            log.info("redis: using existing server at %s", redact_url(external))
            return external
        log.warning("redis: %s does not answer PING; starting a local redis-server instead", redact_url(external))
    if cluster:
        return local_redis_cluster(run_dir, port).start()
    return local_redis(run_dir, port).start()


def _services(name: str, run_dir: Path | None, brokers: int | None, redis_cluster: bool | None) -> list:
    """The local services `name` means. For stop/status/logs without --brokers / --redis-cluster: the
    single node and the cluster both (whichever is there)."""
    if name == "prometheus":
        from ops.local_prometheus import local_prometheus

        return [local_prometheus(run_dir)]
    if name == "kafka":
        single, cluster = local_kafka(run_dir), local_kafka_cluster(run_dir, brokers or 3)
        return [single] if brokers == 1 else [cluster] if brokers else [single, cluster]
    single_r, cluster_r = local_redis(run_dir), local_redis_cluster(run_dir)
    return [cluster_r] if redis_cluster else [single_r] if redis_cluster is False else [single_r, cluster_r]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.local",
                                     description="Run a real local Kafka (KRaft), Redis and Prometheus for modstream.",
                                     epilog="env: MODSTREAM_RUN_DIR, MODSTREAM_CACHE_DIR, MODSTREAM_LOCAL_KAFKA_PORT, "
                                     "MODSTREAM_LOCAL_REDIS_PORT, MODSTREAM_LOCAL_PROMETHEUS_PORT; `start` uses MODSTREAM_KAFKA_BOOTSTRAP / "
                                     "MODSTREAM_REDIS_URL instead when they are set and answer.")
    parser.add_argument("command", choices=["start", "stop", "status", "logs"])
    parser.add_argument("service", nargs="?", default="all", choices=["kafka", "redis", "prometheus", "all"])
    parser.add_argument("-n", "--lines", type=int, default=40, help="lines of log to show (logs)")
    parser.add_argument("--run-dir", type=Path, help="default: $MODSTREAM_RUN_DIR or <repo>/.run")
    parser.add_argument("--brokers", type=int, help="start: a KRaft cluster of N nodes (default 1); "
                        "stop/status/logs: default both the single broker and a cluster")
    parser.add_argument("--redis-cluster", action="store_true", default=None,
                        help="start: a Redis Cluster, 3 masters with a replica each")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    if args.brokers is not None and args.brokers < 1:
        parser.error("--brokers must be at least 1")
    try:
        for name in ["kafka", "redis", "prometheus"] if args.service == "all" else [args.service]:
            if args.command == "start":
                addr = (ensure_kafka(run_dir=args.run_dir, brokers=args.brokers or 1) if name == "kafka"
                        else ensure_redis(run_dir=args.run_dir, cluster=bool(args.redis_cluster)) if name == "redis"
                        else _services(name, args.run_dir, None, None)[0].start())
                print(f"{name}: {addr}")
                continue
            for svc in _services(name, args.run_dir, args.brokers, args.redis_cluster):
                if args.command == "stop" and hasattr(svc, "nodes") and any(n.pid() is not None for n in svc.nodes):
                    # a cluster all at once: stopped one by one, the last broker had no quorum for a
                    # controlled shutdown and was killed after 30 s
                    print(svc.stop())
                    continue
                for node in getattr(svc, "nodes", [svc]):
                    label = f"{name} {node.address}"
                    if args.command == "stop":
                        if node.pid() is not None or svc is node:
                            print(node.stop())
                    elif args.command == "status":
                        st = node.status()
                        if st["state"] != "stopped" or svc is node:
                            print(f"{label}: {st['state']}  pid={st['pid'] or '-'}  log={st['log']}")
                    elif node.log_path.exists() or svc is node:
                        print(f"==> {node.log_path} <==\n{_tail(node.log_path, args.lines)}")
    except LocalServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0

if __name__ == "__main__":
    sys.exit(main())
