"""The hot path's delivery wait (pure: a stand-in producer): a batch returns from `deliver`, and
may be committed, only once every output is acked; failed deliveries are produced again."""

from __future__ import annotations

import pytest
from confluent_kafka import KafkaError, KafkaException, Message

from streams.drivers import hotpath


class Producer:
    """flush() reports `unacked` for as many calls as it has entries; `fail` deliveries fail per round."""

    def __init__(self, batch: "hotpath._Batch", unacked: list[int], fail: list[list[KafkaError]]):
        self.batch, self.unacked, self.fail, self.produced = batch, unacked, fail, []

    def flush(self, timeout: float) -> int:
        assert timeout == hotpath.FLUSH_WAIT  # bounded: the loop logs while it waits
        if self.unacked:
            return self.unacked.pop(0)
        if self.fail:
            for err in self.fail.pop(0):
                self.batch._delivered(err, Message(topic="t.audit.v1", value=b"v", key=b"k"))
        return 0

    def produce(self, topic, value, key) -> None:
        self.produced.append((topic, value, key))


def batch(unacked: list[int], fail: list[list[KafkaError]]) -> "hotpath._Batch":
    b = object.__new__(hotpath._Batch)
    b.failed = []
    b.producer = Producer(b, unacked, fail)
    return b


TIMED_OUT = KafkaError(KafkaError._MSG_TIMED_OUT, "message timed out")


def test_deliver_waits_until_every_output_is_acked():
    b = batch([40, 12, 3], [])
    b.deliver()
    assert b.producer.unacked == [] and b.producer.produced == []


def test_failed_deliveries_are_produced_again_then_the_batch_goes_on():
    b = batch([], [[TIMED_OUT, TIMED_OUT]])
    b.deliver()
    assert b.producer.produced == [("t.audit.v1", b"v", b"k")] * 2 and b.failed == []


def test_deliveries_that_keep_failing_fail_the_batch():
    b = batch([], [[TIMED_OUT]] * (hotpath.RESENDS + 1))
    with pytest.raises(KafkaException):
        b.deliver()
    assert len(b.producer.produced) == hotpath.RESENDS


def test_a_fatal_error_fails_the_batch_at_once():
    b = batch([], [[KafkaError(KafkaError._FATAL, "fenced", fatal=True)]])
    with pytest.raises(KafkaException):
        b.deliver()
    assert b.producer.produced == []


class Consumer:
    """consume() returns the queued lists in turn ([] once they run out) and records its timeouts."""

    def __init__(self, queued: list[list[str]]):
        self.queued, self.timeouts = queued, []

    def consume(self, n: int, timeout: float) -> list[str]:
        assert n == hotpath.BATCH
        self.timeouts.append(timeout)
        return self.queued.pop(0) if self.queued else []


def test_a_batch_already_there_is_taken_without_waiting() -> None:
    c = Consumer([["m1", "m2"]])
    assert hotpath._next_batch(c) == ["m1", "m2"]
    assert c.timeouts == [0]  # not WAIT for a full batch that is not coming


def test_with_nothing_there_the_loop_waits_up_to_wait() -> None:
    c = Consumer([[], ["m3"]])
    assert hotpath._next_batch(c) == ["m3"]
    assert c.timeouts == [0, hotpath.WAIT]
    assert hotpath._next_batch(c) == [] and c.timeouts[-1] == hotpath.WAIT  # idle: blocks, never spins
