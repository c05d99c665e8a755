"""Key names carry hash tags: one post's or one account's keys share a slot; grouped kinds share one."""

from __future__ import annotations

import pytest
import redis.asyncio as aioredis
from redis.crc import key_slot

from streams.infra import slots
def _slot(k: str) -> int:
    return key_slot(k.encode())


def test_a_posts_keys_share_its_slot_and_different_posts_spread():
    post_keys = [slots.key(kind, "p-1") for kind in ("reports", "reportsz", "decided", "posttext", "deleted")]
    assert post_keys[0] == "ms:reports:{p-1}"
    assert len({_slot(k) for k in post_keys}) == 1
    assert _slot(slots.key("acct", "42")) == _slot(slots.key("desig", "42"))
    assert len({_slot(slots.key("decided", f"p-{i}")) for i in range(100)}) > 90


def test_grouped_kinds_share_one_slot_whatever_the_id():
    assert slots.key("bank", "csam:md5") == "ms:{bank}:bank:csam:md5"
    assert _slot(slots.key("review", "esc-1")) == _slot(slots.key("reviewq", "pending")) == _slot("{review}")
    assert _slot(slots.key("capres", "2026-12-01:remove")) == _slot(slots.key("capres", "2026-12-02:suspend_account"))


def test_an_id_with_braces_still_keeps_its_keys_together():
    odd = "a}b{c"
    assert _slot(slots.key("decided", odd)) == _slot(slots.key("deleted", odd))


def test_cluster_urls_are_recognised_and_rewritten_for_redis_py():
    assert slots.is_cluster("redis+cluster://127.0.0.1:7000") and slots.is_cluster("rediss+cluster://h:1")
    assert not slots.is_cluster("redis://127.0.0.1:6379/0") and not slots.is_cluster("rediss://h:1/0")
    assert slots._plain("rediss+cluster://user:pw@h:7000/0?ssl_cert_reqs=none") == "rediss://user:pw@h:7000?ssl_cert_reqs=none"


def test_a_single_redis_runs_one_group_of_everything():
    keys = [(slots.key("decided", f"p{i}"),) for i in range(5)]
    assert slots.slot_groups(object(), keys) == [[0, 1, 2, 3, 4]]
    assert slots.slot_groups(object(), []) == []


@pytest.mark.parametrize("args", [
    ("SET", "ms:decided:{p-1}", '{"route": "no_action", "post_text": "caf\u00e9 \u2014 ok"}'),
    ("ZADD", "ms:reports:{p-2}", 1796230000.25, "r-9", -3, 0.1, 10**18),
    (b"EVALSHA", b"abc123", 2, "k1", "k2", "x" * 70_000),  # over redis-py's buffer cutoff
    ("CLIENT SETNAME", "modstream-hotpath"),  # two words in the command name
    (b"CONFIG GET", b"maxmemory"),
    ("SET", "k", 1e300, -0.0, 2**70, 123456789.123456789),  # numbers as repr writes them
    ("SET", "k", memoryview(b"v" * 10), bytearray(b"w")),
])
def test_c_packed_commands_are_the_bytes_redis_py_sends(args: tuple) -> None:
    """The C packer (hiredis) changes only who packs: every byte on the wire is redis-py's own."""
    python, packed = aioredis.Connection(), slots.CPackedConnection()
    assert b"".join(packed.pack_command(*args)) == b"".join(python.pack_command(*args))
    commands = [args, ("GET", "k"), ("INCRBY", "n", 5)]
    assert b"".join(packed.pack_commands(commands)) == b"".join(python.pack_commands(commands))


def test_c_packed_commands_refuse_what_redis_py_refuses() -> None:
    from redis.exceptions import DataError
    with pytest.raises(DataError):
        slots.CPackedConnection().pack_command("SET", "k", True)


def test_c_packed_connection_is_used_for_one_redis_over_tcp_only() -> None:
    assert slots.connect("redis://127.0.0.1:16379/1").connection_pool.connection_class is slots.CPackedConnection
    assert slots.connect("rediss://127.0.0.1:16380/0").connection_pool.connection_class is aioredis.SSLConnection
