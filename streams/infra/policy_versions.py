"""policy-versions.v1: every policy version workers decided under, with the file text it came from.

Why a topic: `modstream policy show --version V` must rebuild any version an audit record
names, long after the file was edited. Workers publish the version they load (at start
and on SIGHUP) before deciding anything under it; the topic is compacted by version, so
each is kept once, forever, the way the audit log is.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from streams.infra import clients, topics
from streams.infra.codec import Codec
from streams.infra.config import Settings
from streams.infra.policy_file import PolicyFile


def record(pf: PolicyFile, now: datetime | None = None) -> dict[str, Any]:
    """The PolicyVersion value for a loaded file."""
    p = pf.policy
    when = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds").replace("+00:00", "Z")
    return {"version": p.version, "label": p.label, "fingerprint": p.fingerprint, "text": pf.text,
            "source": pf.source.rsplit("/", 1)[-1], "loaded_at": when}


def publish(settings: Settings, codec: Codec, pf: PolicyFile, timeout: float = 10.0) -> None:
    """Put the version on policy-versions.v1 and wait for the broker's ack (raises when it is not there)."""
    from streams.infra.clients import producer

    failed: list[str] = []
    prod = producer(settings)
    prod.produce(settings.topic(topics.POLICY_VERSIONS), codec.encode(topics.POLICY_VERSIONS.schema, record(pf)),
                 pf.policy.version.encode(), on_delivery=lambda err, _m: failed.append(str(err)) if err else None)
    if prod.flush(timeout) or failed:
        raise RuntimeError(f"policy version {pf.policy.version} not recorded on "
                           f"{settings.topic(topics.POLICY_VERSIONS)}: {failed[:1] or 'timed out'}")


def read_all(settings: Settings, codec: Codec) -> dict[str, dict[str, Any]]:
    """version -> its first recorded PolicyVersion value, in the order they were first published."""
    out: dict[str, dict[str, Any]] = {}
    for r in clients.records(settings, codec, settings.topic(topics.POLICY_VERSIONS), idle_timeout=0.5):
        if "value" in r:
            out.setdefault(r["value"]["version"], r["value"])
    return out
