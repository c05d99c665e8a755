"""`modstream topics apply|list`: create or reconcile the catalog topics with the AdminClient."""

from __future__ import annotations

import time

from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions, NewTopic

from streams.config import Settings
from streams.topics import CATALOG


def apply(settings: Settings, timeout: float = 30.0) -> list[str]:
    """Create missing topics, raise partition counts, and set configs. Returns what changed."""
    admin = AdminClient(settings.kafka_config())
    existing = admin.list_topics(timeout=timeout).topics
    changes: list[str] = []
    create = []
    for spec in CATALOG:
        name = settings.topic(spec)
        want = spec.partitions or settings.partitions
        if name not in existing:
            create.append(NewTopic(name, want, settings.replication, config=spec.config()))
            changes.append(f"created {name} ({want} partitions)")
            continue
        have = len(existing[name].partitions)
        if have < want:
            admin.create_partitions([NewPartitions(name, want)])[name].result(timeout)
            changes.append(f"{name}: partitions {have} -> {want}")
        resource = ConfigResource(ConfigResource.Type.TOPIC, name)
        current = admin.describe_configs([resource])[resource].result(timeout)
        drift = {k: v for k, v in spec.config().items() if current[k].value != v}
        if drift:
            resource = ConfigResource(ConfigResource.Type.TOPIC, name, set_config=spec.config())
            admin.alter_configs([resource])[resource].result(timeout)
            changes.append(f"{name}: config {drift}")
    if create:
        for name, future in admin.create_topics(create, operation_timeout=timeout).items():
            future.result(timeout)
        _wait_for_leaders(admin, [t.topic for t in create], timeout)
    return changes


def _wait_for_leaders(admin: AdminClient, names: list[str], timeout: float) -> None:
    """New topics answer metadata before their partitions have leaders; wait until they do."""
    deadline = time.monotonic() + timeout
    while True:
        meta = admin.list_topics(timeout=timeout).topics
        waiting = [n for n in names if n not in meta or meta[n].error is not None
                   or any(p.leader < 0 for p in meta[n].partitions.values())]
        if not waiting:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"topics without partition leaders after {timeout:.0f}s: {waiting}; "
                               "check the broker log (modstream local logs kafka)")
        time.sleep(0.2)


def describe(settings: Settings) -> list[str]:
    admin = AdminClient(settings.kafka_config())
    existing = admin.list_topics(timeout=10).topics
    rows = []
    for spec in CATALOG:
        name = settings.topic(spec)
        have = len(existing[name].partitions) if name in existing else 0
        state = f"{have} partitions" if have else "MISSING"
        rows.append(f"{name:24} {spec.schema:26} key={spec.key:11} {state:14} {spec.doc}")
    return rows
