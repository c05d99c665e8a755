"""Integration test for ops.local: a real KRaft broker and a real redis-server, on private ports.

Uses its own tmp run dir and 29xxx/26xxx ports so it never collides with a running demo
(19092/16379). The first run downloads the Kafka jars (~20 s) into the shared cache.
"""
from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from ops.local import (
    LocalKafka,
    LocalRedis,
    LocalServiceError,
    ensure_kafka,
    kafka_answers,
    redis_answers,
)

pytestmark = pytest.mark.integration

KAFKA_PORT, CONTROLLER_PORT, REDIS_PORT = 29092, 29093, 26379


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("modstream-run")


@pytest.fixture(scope="module")
def services(run_dir: Path) -> Iterator[tuple[LocalKafka, LocalRedis]]:
    """Start both services once for the module and always stop them, whatever the tests did."""
    kafka = LocalKafka(run_dir, port=KAFKA_PORT, controller_port=CONTROLLER_PORT)
    redis_ = LocalRedis(run_dir, port=REDIS_PORT)
    try:
        kafka.start()
        redis_.start()
        yield kafka, redis_
    finally:
        kafka.stop()
        redis_.stop()


def test_services_answer(services: tuple[LocalKafka, LocalRedis]) -> None:
    kafka, redis_ = services
    assert kafka.bootstrap == f"127.0.0.1:{KAFKA_PORT}"
    assert kafka_answers(kafka.bootstrap)
    assert redis_.url == f"redis://127.0.0.1:{REDIS_PORT}/0"
    assert redis_answers(redis_.url)
    assert kafka.status()["state"] == "running" and redis_.status()["state"] == "running"


def test_second_start_is_idempotent(services: tuple[LocalKafka, LocalRedis]) -> None:
    kafka, redis_ = services
    kafka_pid, redis_pid = kafka.pid(), redis_.pid()
    assert kafka_pid and redis_pid
    t0 = time.monotonic()
    assert kafka.start() == kafka.bootstrap
    assert redis_.start() == redis_.url
    assert time.monotonic() - t0 < 10
    assert (kafka.pid(), redis_.pid()) == (kafka_pid, redis_pid)


def test_produce_and_consume(services: tuple[LocalKafka, LocalRedis]) -> None:
    from confluent_kafka import Consumer, Producer
    from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

    kafka, _ = services
    topic = f"it.local-services.{uuid.uuid4().hex[:8]}"
    admin = AdminClient({"bootstrap.servers": kafka.bootstrap})
    for fut in admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)]).values():
        fut.result(timeout=30)

    producer = Producer({"bootstrap.servers": kafka.bootstrap, "enable.idempotence": True})
    producer.produce(topic, key=b"k1", value=b"hello moderation")
    assert producer.flush(30) == 0

    consumer = Consumer({"bootstrap.servers": kafka.bootstrap, "group.id": f"it-{uuid.uuid4().hex[:8]}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    try:
        consumer.subscribe([topic])
        deadline, msg = time.monotonic() + 30, None
        while time.monotonic() < deadline:
            msg = consumer.poll(1.0)
            if msg is not None and not msg.error():
                break
        assert msg is not None and msg.error() is None, f"no message consumed: {msg and msg.error()}"
        assert (msg.key(), msg.value()) == (b"k1", b"hello moderation")
    finally:
        consumer.close()


def test_existing_bootstrap_is_honoured(services: tuple[LocalKafka, LocalRedis], tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    kafka, _ = services
    monkeypatch.setenv("MODSTREAM_KAFKA_BOOTSTRAP", kafka.bootstrap)
    assert ensure_kafka(run_dir=tmp_path, port=29192, controller_port=29193) == kafka.bootstrap
    assert not (tmp_path / "kafka.pid").exists()  # nothing was started


def test_port_held_by_someone_else_is_reported(run_dir: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        with pytest.raises(LocalServiceError, match="already in use"):
            LocalRedis(run_dir / "other", port=port).start()


def test_stop_closes_ports(services: tuple[LocalKafka, LocalRedis]) -> None:
    kafka, redis_ = services
    assert "stopped" in kafka.stop()
    assert "stopped" in redis_.stop()
    for port in (KAFKA_PORT, CONTROLLER_PORT, REDIS_PORT):
        assert not _port_open(port), f"port {port} still open after stop()"
    assert kafka.pid() is None and redis_.pid() is None
    assert not kafka.pid_file.exists() and not redis_.pid_file.exists()
    assert kafka.stop().endswith("not running")
