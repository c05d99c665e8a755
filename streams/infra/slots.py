"""Redis key names and where they live, for a single Redis and a Redis Cluster alike.

Every key carries a hash tag (the part in braces decides the cluster slot):

- per entity, `ms:<kind>:{<id>}`: every key of one post (reports, report times, decided,
  deleted) or one account (snapshot, designations) is in one slot, so a script about one
  post or account touches one slot;
- per kind group, `ms:{<group>}:<kind>:<id>`: kinds that one script or transaction spans
  together share a slot: the hash banks (the snapshot script), the review queue (an item
  and its state index, under WATCH/MULTI), the daily caps (one day's types together).

A script over many posts (`SlotScript`) runs once per slot group of its keys, pipelined
(one round trip per node); on a single Redis it is one call, as before.

URLs: `redis+cluster://host:port` (`rediss+cluster://` for TLS) selects redis-py's
RedisCluster, host:port being any node (the rest are discovered); anything else is one Redis.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import hiredis
import redis
import redis.asyncio as aioredis
from redis.crc import key_slot

PREFIX = "ms"
#: kind -> the group whose one slot it shares (see the module doc); other kinds are tagged by id
SHARED_SLOT = {"bank": "bank", "review": "review", "reviewq": "review", "capres": "capres"}
CLUSTER_SCHEMES = {"redis+cluster": "redis", "rediss+cluster": "rediss"}


def key(kind: str, ident: str) -> str:
    group = SHARED_SLOT.get(kind)
    if group:
        return f"{PREFIX}:{{{group}}}:{kind}:{ident}"
    return f"{PREFIX}:{kind}:{{{ident}}}"


def is_cluster(url: str) -> bool:
    return urlsplit(url).scheme in CLUSTER_SCHEMES


def _plain(url: str) -> str:
    """The redis:// URL redis-py's RedisCluster.from_url takes (a cluster has database 0 only)."""
    parts = urlsplit(url)
    return urlunsplit((CLUSTER_SCHEMES[parts.scheme], parts.netloc, "", parts.query, ""))


_AS_THEY_ARE = frozenset({str, bytes, int, float})  #: argument types hiredis writes as redis-py's encoder does


class CPackedConnection(aioredis.Connection):
    """redis-py's asyncio connection packs every command in Python (~3% of the hot path's CPU in a
    py-spy profile); hiredis packs it in C. str (as UTF-8, the encoder's default), bytes, int and
    float go to hiredis as they are (it writes numbers as repr does); anything else (a bool, which
    the encoder refuses) goes through the client's encoder first, so the bytes on the wire are the
    same; anything hiredis refuses falls back to the Python packer."""

    def pack_command(self, *args: Any) -> list[bytes]:
        if isinstance(args[0], str):  # "CLIENT SETNAME" is two words, as redis-py splits them
            args = (*args[0].encode().split(), *args[1:])
        elif b" " in args[0]:
            args = (*args[0].split(), *args[1:])
        encode = self.encoder.encode
        try:
            return [hiredis.pack_command(tuple(a if type(a) in _AS_THEY_ARE else encode(a) for a in args))]
        except TypeError:
            return super().pack_command(*args)


def connect(url: str, **kwargs: Any) -> aioredis.Redis | aioredis.RedisCluster:
    """An asyncio client for `url` (decoded replies unless decode_responses=False is given). On one
    Redis over TCP commands are packed in C (`CPackedConnection`); a rediss:// or unix:// URL names
    its own connection class, which redis-py's URL options keep."""
    kwargs.setdefault("decode_responses", True)
    if is_cluster(url):
        return aioredis.RedisCluster.from_url(_plain(url), **kwargs)
    return aioredis.Redis.from_url(url, connection_class=CPackedConnection, **kwargs)


def connect_sync(url: str, **kwargs: Any) -> redis.Redis | redis.RedisCluster:
    """A blocking client for `url` (replies as bytes unless decode_responses=True)."""
    if is_cluster(url):
        return redis.RedisCluster.from_url(_plain(url), **kwargs)
    return redis.Redis.from_url(url, **kwargs)


def clustered(client: Any) -> bool:
    return isinstance(client, (aioredis.RedisCluster, redis.RedisCluster))


def slot_groups(client: Any, keys_per_item: Sequence[Sequence[str]]) -> list[list[int]]:
    """Item indexes grouped by the slot of their keys (one item's keys must share a slot);
    on a single Redis, one group of all."""
    if not clustered(client):
        return [list(range(len(keys_per_item)))] if keys_per_item else []
    groups: dict[int, list[int]] = {}
    for i, keys in enumerate(keys_per_item):
        slots = {key_slot(k.encode()) for k in keys}
        if len(slots) != 1:
            raise ValueError(f"the keys of one script item span {len(slots)} slots: {list(keys)[:4]}; "
                             "build them with streams.infra.slots.key() from one id")
        groups.setdefault(slots.pop(), []).append(i)
    return list(groups.values())


async def mget(client: Any, keys: Sequence[str]) -> list[Any]:
    """MGET, split by slot on a cluster (one round trip per node)."""
    if not keys:
        return []
    return await (client.mget_nonatomic(keys) if clustered(client) else client.mget(keys))


class SlotScript:
    """A Lua script over the keys of many items, run once per slot group.

    Each item is (keys, args); a call's KEYS and ARGV are its items' keys and args, in order,
    then `extra` after the args. The script returns a list with one value per item (or
    anything else, then each item's result is None); results come back in item order.
    """

    def __init__(self, client: Any, text: str):
        self.client, self.text = client, text
        self.script = client.register_script(text)

    async def __call__(self, items: Sequence[tuple[Sequence[str], Sequence[Any]]],
                       extra: Sequence[Any] = ()) -> list[Any]:
        groups = slot_groups(self.client, [k for k, _ in items])
        calls = [([k for i in g for k in items[i][0]], [a for i in g for a in items[i][1]] + list(extra))
                 for g in groups]
        if not clustered(self.client):
            raw = [await self.script(keys=k, args=a) for k, a in calls]
        else:  # EVAL, not EVALSHA: a promoted replica may not have the script cached
            pipe = self.client.pipeline(transaction=False)
            for k, a in calls:
                pipe.eval(self.text, len(k), *k, *a)
            raw = await pipe.execute()
        out: list[Any] = [None] * len(items)
        for g, values in zip(groups, raw):
            if isinstance(values, list):
                for i, v in zip(g, values):
                    out[i] = v
        return out
