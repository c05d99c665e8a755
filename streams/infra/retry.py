"""Redis calls that hold the stream until Redis answers: never decide on missing state."""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, TypeVar

import redis.exceptions
import structlog

from streams.infra import metrics
log = structlog.get_logger("modstream.retry")
T = TypeVar("T")
#: Redis away, or a Redis Cluster failing over (a slot without a master until a replica is promoted)
UNAVAILABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, redis.exceptions.ClusterDownError,
               redis.exceptions.TryAgainError, redis.exceptions.SlotNotCoveredError)


def unavailable(exc: BaseException) -> bool:
    """Redis (or a Redis Cluster) cannot answer now: retry. RedisCluster's topology refresh raises the
    untyped RedisClusterException when no node answered (its cause: a connection error or timeout)
    or when a failover has left slots without a master; a stalled cluster's nodes did the first
    (the cluster chaos, leader_kill9), which stopped the hot path. Other RedisClusterExceptions
    (cluster mode off, a cross-slot command) are bugs or configuration, not outages."""
    if isinstance(exc, UNAVAILABLE):
        return True
    return isinstance(exc, redis.exceptions.RedisClusterException) and (
        isinstance(exc.__cause__, UNAVAILABLE) or "slots are not covered" in str(exc))


async def with_retry(what: str, fn: Callable[..., Awaitable[T]], *args) -> T:
    """Retry Redis calls with backoff until they succeed: hold the partition, never guess."""
    delay = 0.1
    while True:
        try:
            return await fn(*args)
        except Exception as exc:
            if not unavailable(exc):
                raise
            metrics.REDIS_ERRORS.labels(what).inc()
            log.warning("redis_unavailable", op=what, retry_in_s=delay, error=type(exc).__name__)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)
