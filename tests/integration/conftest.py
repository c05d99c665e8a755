"""The integration test session starts a real Kafka broker and a real Redis on loopback,
on ports of its own in a temporary run dir (so a running demo is never touched), and
stops them at the end. With MODSTREAM_KAFKA_BOOTSTRAP / MODSTREAM_REDIS_URL set, those
are used instead and nothing is started. Each test module gets its own topic prefix,
consumer group and a flushed Redis database, so modules cannot see each other's records.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, ContextManager, Iterator

import pytest
import redis

from ops import chaos, local
from streams.infra import admin, clients, slots
from streams.infra.codec import Codec
from streams.infra.config import Settings
from streams.drivers.worker import WorkerProcess, settings_env

# ports of the test session's own services (override to run two test sessions side by side)
KAFKA_PORT = int(os.environ.get("MODSTREAM_TEST_KAFKA_PORT", "19192"))
REDIS_PORT = int(os.environ.get("MODSTREAM_TEST_REDIS_PORT", "16479"))
#: first port of the Redis Cluster (six nodes) that the cluster tests start; Kafka cluster: test_cluster_chaos.py
REDIS_CLUSTER_PORT = int(os.environ.get("MODSTREAM_TEST_REDIS_CLUSTER_PORT", str(REDIS_PORT + 1)))


@dataclass(frozen=True)
class Services:
    bootstrap: str
    redis_url: str
    run_dir: Path


@pytest.fixture(scope="session")
def services(tmp_path_factory) -> Iterator[Services]:
    run_dir = tmp_path_factory.mktemp("run")
    started = []
    bootstrap = os.environ.get("MODSTREAM_KAFKA_BOOTSTRAP")
    if bootstrap:
        local.ensure_kafka(bootstrap)
    else:
        kafka = local.LocalKafka(run_dir, port=KAFKA_PORT, controller_port=KAFKA_PORT + 1)
        bootstrap = kafka.start()
        started.append(kafka)
    url = os.environ.get("MODSTREAM_REDIS_URL")
    if not (url and local.redis_answers(url)):
        rds = local.LocalRedis(run_dir, port=REDIS_PORT)
        url = rds.start()
        started.append(rds)
    try:
        yield Services(bootstrap, url, run_dir)
    finally:
        for svc in reversed(started):
            svc.stop()


@pytest.fixture(scope="session")
def redis_cluster(tmp_path_factory) -> Iterator[local.LocalRedisCluster]:
    """A local Redis Cluster (3 masters, a replica each), started on first use, stopped at the end."""
    cluster = local.LocalRedisCluster(tmp_path_factory.mktemp("redis-cluster"), base_port=REDIS_CLUSTER_PORT)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def stack(services: Services) -> Settings:
    """Settings for one test module: own topic prefix and app id, topics applied, Redis flushed."""
    tag = uuid.uuid4().hex[:8]
    settings = Settings(kafka_bootstrap=services.bootstrap, redis_url=services.redis_url,
                        topic_prefix=f"t{tag}.", app_id=f"modstream-t{tag}", partitions=2,
                        metrics_port=0)  # free ports: test sessions and demos run side by side
    admin.apply(settings)
    slots.connect_sync(services.redis_url).flushdb()
    return settings


@pytest.fixture(scope="module")
def codec(stack: Settings) -> Codec:
    return Codec.from_dir(stack.schema_dir)


@pytest.fixture(scope="module")
def worker_settings(stack: Settings) -> Settings:
    """What the module's `worker` runs with; a module overrides it to give the worker e.g. its reviewer roster."""
    return stack


@pytest.fixture(scope="module")
def worker(worker_settings: Settings, services: Services) -> Iterator[WorkerProcess]:
    w = WorkerProcess.start(settings_env(worker_settings), services.run_dir / f"{worker_settings.app_id}.log")
    try:
        yield w
    finally:
        w.stop()


def poll_until(predicate: Callable[[], object], timeout: float, what: str, interval: float = 0.5):
    """Poll until predicate() is truthy; return its value, or fail naming `what`."""
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)
    return value


@pytest.fixture(scope="session")
def poll() -> Callable[..., object]:
    """`poll(predicate, timeout, what, interval=0.5)`: wait for a condition, fail the test naming it."""
    return poll_until


def _wait_records(settings: Settings, codec: Codec, spec, pred: Callable[[dict], bool] = lambda v: True,
                  n: int = 1, timeout: float = 60.0) -> list[dict]:
    """Values on `spec`'s topic matching `pred`, read from the start until there are `n` (or time is up)."""
    deadline = time.monotonic() + timeout
    while True:
        got = [r["value"] for r in clients.records(settings, codec, settings.topic(spec), idle_timeout=0.5)
               if pred(r["value"])]
        if len(got) >= n or time.monotonic() > deadline:
            return got
        time.sleep(0.5)


@pytest.fixture(scope="session")
def wait_records() -> Callable[..., list[dict]]:
    """`wait_records(settings, codec, topics.X, pred, n=1, timeout=60)`: poll a topic for matching records."""
    return _wait_records


@pytest.fixture(scope="module")
def chaos_env(request, tmp_path_factory) -> Iterator[chaos.ChaosEnv]:
    """A chaos module's own services, from its `CHAOS_SERVICES(run_dir)` (chaos.chaos_env or
    chaos.cluster_env with ports): they are killed and restarted, so never the session's. At the
    end the module's results are printed as the table the README shows (and written to
    <basetemp>/<module>-table.txt)."""
    services: Callable[[Path], ContextManager[chaos.ChaosEnv]] = request.module.CHAOS_SERVICES
    name = request.module.__name__.rpartition(".")[2]
    results: list[chaos.Result] = []
    with services(tmp_path_factory.mktemp(name)) as env:
        env.results = results
        yield env
    if results:
        text = chaos.table(results)
        (tmp_path_factory.getbasetemp() / f"{name}-table.txt").write_text(text + "\n")
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
            print("\n" + text)


def _check_chaos(env: chaos.ChaosEnv, result: chaos.Result, fault_figures: bool = False) -> chaos.Result:
    """Record `result` for the table, then assert what every scenario promises: nothing missing, no
    conflicting decision, no lost or orphan action, one decision per post after de-duplication by id,
    and the scenario's own checks; with `fault_figures`, also that it measured recovery and p99."""
    env.results.append(result)
    assert result.missing == 0, result.problems()
    assert result.conflicts == 0, result.problems()
    assert result.lost_actions == 0 and result.orphan_actions == 0, result.problems()
    assert result.decisions_out - result.duplicates == result.events_in, result.problems()
    assert all(result.checks.values()), result.problems()
    if fault_figures:
        assert result.checks, f"{result.scenario}: no scenario checks ran"
        assert result.p99_fault_ms is not None and result.recovery_s is not None, result.problems()
    return result


@pytest.fixture(scope="session")
def check_chaos() -> Callable[..., chaos.Result]:
    """`check_chaos(chaos_env, result, fault_figures=False)`: the assertions every chaos scenario shares."""
    return _check_chaos
