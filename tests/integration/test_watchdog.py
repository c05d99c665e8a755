"""The watchdog on the real broker: a consumer that stops making progress while lag > 0, or
leaves its group, is restarted, and the restart is logged."""

from __future__ import annotations

import io
import json
import threading
import time
import uuid

import pytest
from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic

from streams.infra import liveness, logs
from streams.infra.liveness import Liveness, Watchdog

pytestmark = pytest.mark.integration


@pytest.fixture
def topic(stack):
    name = f"{stack.topic_prefix}watchdog-{uuid.uuid4().hex[:6]}"
    admin = AdminClient(stack.kafka_config())
    admin.create_topics([NewTopic(name, 1, 1)])[name].result(30)
    producer = Producer(stack.kafka_config())
    for i in range(50):
        producer.produce(name, json.dumps({"i": i}).encode(), key=str(i).encode())
    producer.flush(30)
    return name


def stuck_consumer(stack, topic: str, group: str, client: str) -> Consumer:
    """Joins, reads and commits a few records, then stops calling poll (librdkafka keeps it in the group)."""
    consumer = Consumer({**stack.kafka_config(), "group.id": group, "client.id": client, "enable.auto.commit": False,
                         "auto.offset.reset": "earliest", "max.poll.interval.ms": 300000})
    consumer.subscribe([topic])
    got = []
    while len(got) < 5:
        got += [m for m in consumer.consume(5, 1.0) if not m.error()]
    consumer.commit(message=got[-1], asynchronous=False)
    return consumer


def run_watchdog(stack, group: str, client: str, seconds: float = 4.0):
    restarted: list[str] = []
    done = threading.Event()
    lv = Liveness(group, client, ready_seconds=2, watchdog_seconds=seconds)

    def restart(reason: str) -> None:
        restarted.append(reason)
        done.set()

    dog = Watchdog(lv, stack.kafka_config(), restart, redis_ok=lambda: True, interval=1.0)
    dog.start()
    return lv, dog, done, restarted


def test_a_stuck_consumer_with_lag_is_restarted_and_logged(stack, topic):
    out = io.StringIO()
    logs.configure("INFO", stream=out)  # the worker's JSON log lines
    group, client = f"{stack.app_id}-wd", liveness.client_id("test")
    consumer = stuck_consumer(stack, topic, group, client)
    try:
        lv, dog, done, restarted = run_watchdog(stack, group, client)
        assert done.wait(60), f"no restart; last sample {lv.sample}"
        assert restarted[0].startswith("no progress for ") and restarted[0].endswith("while lag is 45"), restarted
        assert lv.sample.in_group and lv.sample.assigned
    finally:
        consumer.close()
    logged = [json.loads(line) for line in out.getvalue().splitlines() if "watchdog_restart" in line]
    assert logged and logged[0]["group"] == group and logged[0]["lag"] == 45


def test_a_consumer_out_of_its_group_is_restarted(stack, topic):
    group, client = f"{stack.app_id}-wd2", liveness.client_id("test")
    stuck_consumer(stack, topic, group, client).close()  # left the group
    lv, dog, done, restarted = run_watchdog(stack, group, client)
    assert done.wait(60), f"no restart; last sample {lv.sample}"
    assert restarted[0].startswith(f"out of consumer group {group}"), restarted


def test_a_consumer_that_keeps_up_is_left_alone(stack, topic):
    group, client = f"{stack.app_id}-wd3", liveness.client_id("test")
    consumer = stuck_consumer(stack, topic, group, client)
    try:
        lv, dog, done, restarted = run_watchdog(stack, group, client, seconds=3.0)
        for _ in range(40):  # 5 records a poll, committed each time: slow but steady, then caught up
            msgs = [m for m in consumer.consume(5, 0.5) if not m.error()]
            if msgs:
                consumer.commit(message=msgs[-1], asynchronous=False)
        assert not done.is_set(), restarted
        assert not done.wait(8), restarted  # caught up and idle: not stuck
        assert lv.total_lag() == 0 and lv.unready(redis_ok=True) == []
        dog.stopping.set()
    finally:
        consumer.close()


def answer_first_group_probe_only(monkeypatch) -> list[int]:
    """Let liveness.probe_group answer once, then fail (return None) as after a broker restart; the
    returned list grows by one per probe."""
    real, calls = liveness.probe_group, []

    def first_only(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs) if len(calls) == 1 else None

    monkeypatch.setattr(liveness, "probe_group", first_only)
    return calls


def test_a_consumer_lagging_when_last_seen_is_restarted_while_every_probe_fails(stack, topic, monkeypatch):
    """After one answer, the group probe and the progress probe both fail while the broker answers
    metadata: lag 45 when last seen and no progress since is a stall, not "don't know"."""
    group, client = f"{stack.app_id}-wd4", liveness.client_id("test")
    consumer = stuck_consumer(stack, topic, group, client)
    calls = answer_first_group_probe_only(monkeypatch)
    try:
        monkeypatch.setattr(liveness, "probe_progress", lambda *a, **k: None)
        lv, dog, done, restarted = run_watchdog(stack, group, client)
        assert done.wait(60), f"no restart; reachable={lv.reachable} failing_since={lv.failing_since}"
        assert lv.failing_since is not None and len(calls) > 2
        assert restarted[0].startswith("no progress for ") and restarted[0].endswith("while lag is 45"), restarted
    finally:
        consumer.close()


def test_a_failing_probe_with_the_broker_away_is_never_a_restart(stack, monkeypatch):
    """Nothing answers on the address: an outage, which a restart cannot fix."""
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    away = {**stack.kafka_config(), "bootstrap.servers": f"127.0.0.1:{port}"}
    lv = Liveness(f"{stack.app_id}-wd5", liveness.client_id("test"), ready_seconds=2, watchdog_seconds=3.0)
    restarted: list[str] = []
    dog = Watchdog(lv, away, restarted.append, redis_ok=lambda: True, interval=1.0)
    dog.start()
    try:
        time.sleep(20)  # several probes, each failing, over more than the watchdog time
        assert not restarted and not lv.reachable and lv.failing_since is None
        assert "kafka does not answer the group probe" in lv.unready(redis_ok=True)
    finally:
        dog.stopping.set()
        dog.join(30)


def test_when_the_group_probe_stops_answering_progress_is_read_through_a_consumer(stack, topic, monkeypatch):
    """After the first answer the admin client's group requests fail (as for a minute after a broker
    restart): the committed and end offsets read through the watchdog's own consumer show the
    consumer stuck at lag 45, so it is restarted for that, not for the failing probe."""
    group, client = f"{stack.app_id}-wd6", liveness.client_id("test")
    consumer = stuck_consumer(stack, topic, group, client)
    calls = answer_first_group_probe_only(monkeypatch)
    try:
        lv, dog, done, restarted = run_watchdog(stack, group, client, seconds=6.0)
        assert done.wait(60), f"no restart; last sample {lv.sample}"
        assert len(calls) > 3 and lv.failing_since is None
        assert restarted[0].startswith("no progress for ") and restarted[0].endswith("while lag is 45"), restarted
    finally:
        consumer.close()
