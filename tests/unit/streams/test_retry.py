"""Which Redis errors hold the stream (retried) and which are raised (bugs, configuration)."""

from __future__ import annotations

import asyncio

import pytest
import redis.exceptions as rex

from streams.infra.retry import unavailable, with_retry


def _raised_from(exc: BaseException, cause: BaseException) -> BaseException:
    try:
        raise exc from cause
    except BaseException as raised:
        return raised


@pytest.mark.parametrize("exc", [
    rex.ConnectionError("refused"), rex.TimeoutError("slow"), rex.ClusterDownError("CLUSTERDOWN"),
    rex.TryAgainError("TRYAGAIN"), rex.SlotNotCoveredError("slot 7"),
    # RedisCluster's topology refresh when no node answered, and mid-failover
    _raised_from(rex.RedisClusterException("Redis Cluster cannot be connected."), rex.TimeoutError("Timeout reading")),
    rex.RedisClusterException("All slots are not covered after query all startup_nodes. 10922 of 16384 covered..."),
])
def test_outages_and_failovers_are_retried(exc):
    assert unavailable(exc)


@pytest.mark.parametrize("exc", [
    rex.RedisClusterException("Cluster mode is not enabled on this node"),
    rex.RedisClusterException("EVAL - all keys must map to the same key slot"),
    rex.ResponseError("WRONGTYPE"), ValueError("a bug"),
])
def test_bugs_and_configuration_are_raised(exc):
    assert not unavailable(exc)


def test_with_retry_holds_through_a_cluster_that_cannot_be_reached_then_answers():
    calls = []

    async def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise _raised_from(rex.RedisClusterException("Redis Cluster cannot be connected."), rex.ConnectionError())
        return "ok"

    assert asyncio.run(with_retry("t", flaky)) == "ok" and len(calls) == 3


def test_with_retry_raises_what_is_not_an_outage_at_once():
    async def broken():
        raise rex.RedisClusterException("Cluster mode is not enabled on this node")

    with pytest.raises(rex.RedisClusterException):
        asyncio.run(with_retry("t", broken))
