"""The live context port: the batch's state read from Redis in one round trip, caps reserved there.

Redis is async (redis.asyncio); the engine is not, so the port is given the driver's
`wait` (its event loop's run_until_complete) for the cap reservations it makes mid-batch.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Mapping, Sequence

from agents.records import Post
from streams.engine.context import Context, Wanted
from streams.engine.runtime import Runtime
from streams.infra.retry import with_retry


@dataclass(frozen=True)
class RedisCaps:
    """Caps reserved in Redis (RedisDailyCaps: one atomic script per call, across every worker)."""

    rt: Runtime
    wait: Callable[[Awaitable[Any]], Any]

    def reserve(self, wanted: Sequence[Wanted], caps: Mapping[str, int], day: str) -> list[tuple[bool, dict[str, int]]]:
        return self.wait(with_retry("caps.reserve", self.rt.caps.reserve, wanted, caps, day))


@dataclass(frozen=True)
class RedisPort:
    rt: Runtime
    wait: Callable[[Awaitable[Any]], Any]

    async def fetch(self, posts: Sequence[Post]) -> Context:
        """The authors, mentions, reports, deletions and standing decisions of `posts` (raises on a bad
        stored value: the caller retries post by post, see hotpath._state)."""
        rt = self.rt
        post_ids = [p.post_id for p in posts]
        views, reports, deleted, priors = await asyncio.gather(
            with_retry("registry.lookup", rt.registry.lookup, [a for p in posts for a in (p.author_id, *p.mentions)]),
            with_retry("reports.for_posts", rt.reports.for_posts, post_ids),
            with_retry("deletions.deleted", rt.deletions.deleted, post_ids),
            with_retry("decisions.decided", rt.decisions.decided, post_ids))
        accounts = {(a, p.created_at): views[a].account for p in posts for a in (p.author_id, *p.mentions)
                    if views[a].account is not None}
        return Context({a: v.designations for a, v in views.items()}, accounts, reports, frozenset(deleted), priors,
                       rt.tagger.banks, RedisCaps(rt, self.wait))

    def load(self, posts: Sequence[Post]) -> Context:
        return self.wait(self.fetch(posts))
