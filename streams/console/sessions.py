"""Console sign-in sessions in Redis, their CSRF tokens, and the sign-in throttle.

Why Redis and not a signed cookie: signing out must end the session on the server (a
copied cookie is dead after logout), and a reviewer taken off the roster loses access at
the next request. The cookie holds only a random token; Redis holds its SHA-256, so a
Redis dump gives no usable cookie.

Keys: `ms:console:session:{sha256(token)}` JSON {reviewer_id, csrf, created_at}, expiring;
`ms:console:fail:{reviewer_id}` failed sign-ins in the throttle window.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

import redis.asyncio as aioredis

from streams.infra.stores import key

MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 900


@dataclass(frozen=True)
class Session:
    reviewer_id: str
    csrf: str
    created_at: float


def _session_key(token: str) -> str:
    return key("console", "session:" + hashlib.sha256(token.encode()).hexdigest())


def csrf_ok(expected: str, given: object) -> bool:
    return isinstance(given, str) and bool(expected) and hmac.compare_digest(expected.encode(), given.encode())


class SessionStore:
    def __init__(self, client: aioredis.Redis, ttl_seconds: float):
        self.client = client
        self.ttl = max(60, int(ttl_seconds))

    async def create(self, reviewer_id: str) -> tuple[str, Session]:
        token = secrets.token_urlsafe(32)
        session = Session(reviewer_id, secrets.token_urlsafe(32), time.time())
        await self.client.set(_session_key(token), json.dumps(session.__dict__), ex=self.ttl)
        return token, session

    async def get(self, token: str | None) -> Session | None:
        if not token or len(token) > 100:
            return None
        raw = await self.client.get(_session_key(token))
        if raw is None:
            return None
        d = json.loads(raw)
        return Session(d["reviewer_id"], d["csrf"], float(d["created_at"]))

    async def end(self, token: str | None) -> None:
        if token and len(token) <= 100:
            await self.client.delete(_session_key(token))

    async def throttled(self, reviewer_id: str) -> bool:
        n = await self.client.get(key("console", f"fail:{reviewer_id[:64]}"))
        return int(n or 0) >= MAX_FAILURES

    async def failed(self, reviewer_id: str) -> None:
        k = key("console", f"fail:{reviewer_id[:64]}")
        pipe = self.client.pipeline(transaction=True)
        pipe.incr(k)
        pipe.expire(k, FAILURE_WINDOW_SECONDS, nx=True)
        await pipe.execute()

    async def succeeded(self, reviewer_id: str) -> None:
        await self.client.delete(key("console", f"fail:{reviewer_id[:64]}"))
