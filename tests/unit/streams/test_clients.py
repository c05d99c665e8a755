"""The topic reader's end-offset read waits out a moving leader instead of failing the whole read."""

from __future__ import annotations

import pytest
from confluent_kafka import KafkaError, KafkaException, TopicPartition

from streams.infra import clients


class _Consumer:
    """Answers get_watermark_offsets with the queued errors first, then (0, end)."""

    def __init__(self, errors: list[int], end: int = 7):
        self.errors, self.end, self.calls = list(errors), end, 0

    def get_watermark_offsets(self, tp, timeout):
        self.calls += 1
        if self.errors:
            raise KafkaException(KafkaError(self.errors.pop(0)))
        return 0, self.end


def test_not_leader_is_waited_out(monkeypatch):
    monkeypatch.setattr(clients.time, "sleep", lambda s: None)
    consumer = _Consumer([KafkaError.NOT_LEADER_FOR_PARTITION, KafkaError.LEADER_NOT_AVAILABLE])
    assert clients._high_watermark(consumer, TopicPartition("t", 0)) == 7
    assert consumer.calls == 3


def test_a_real_error_is_raised_at_once(monkeypatch):
    monkeypatch.setattr(clients.time, "sleep", lambda s: None)
    consumer = _Consumer([KafkaError.TOPIC_AUTHORIZATION_FAILED])
    with pytest.raises(KafkaException):
        clients._high_watermark(consumer, TopicPartition("t", 0))
    assert consumer.calls == 1


def test_gives_up_after_its_timeout(monkeypatch):
    monkeypatch.setattr(clients.time, "sleep", lambda s: None)
    consumer = _Consumer([KafkaError.NOT_LEADER_FOR_PARTITION] * 1000)
    with pytest.raises(KafkaException):
        clients._high_watermark(consumer, TopicPartition("t", 0), timeout=0.0)
