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


async def with_retry(what: str, fn: Callable[..., Awaitable[T]], *args) -> T:
    """Retry Redis calls with backoff until they succeed: hold the partition, never guess."""
    delay = 0.1
    while True:
        try:
            return await fn(*args)
        except UNAVAILABLE as exc:
            metrics.REDIS_ERRORS.labels(what).inc()
            log.warning("redis_unavailable", op=what, retry_in_s=delay, error=type(exc).__name__)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)
