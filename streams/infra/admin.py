"""`modstream topics apply|list`: create or reconcile the catalog topics with the AdminClient."""

from __future__ import annotations

import time

from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions, NewTopic

from streams.infra.config import Settings
from streams.infra.topics import CATALOG


class TopicsError(RuntimeError):
    """A change `topics apply` refuses to make (what, which topic, how to do it instead)."""


def replication_factor(settings: Settings, brokers: int) -> int:
    """Settings.replication, or when it is 0 (the default): 3 copies, fewer only on a smaller cluster."""
    return settings.replication or min(3, brokers)


def resolved_replication(settings: Settings, timeout: float = 30.0) -> int:
    """replication_factor() for the cluster at settings.kafka_bootstrap (one metadata request)."""
    if settings.replication:
        return settings.replication
    return replication_factor(settings, len(AdminClient(settings.kafka_config()).list_topics(timeout=timeout).brokers))


def apply(settings: Settings, timeout: float = 30.0) -> list[str]:
    """Create missing topics, raise partition counts, and set configs. Returns what changed.

    Refuses (TopicsError, before changing anything) to lower a topic's partition count or to change
    its replication factor: fewer partitions would re-key every post, and a new replication factor
    is a reassignment of every partition, which is an operator's job (the error says how)."""
    admin = AdminClient(settings.kafka_config())
    meta = admin.list_topics(timeout=timeout)
    existing = meta.topics
    rf = replication_factor(settings, len(meta.brokers))
    changes: list[str] = []
    create = []
    refused = []
    for spec in CATALOG:
        name = settings.topic(spec)
        if name not in existing:
            continue
        have, want = len(existing[name].partitions), spec.partitions or settings.partitions
        have_rf = min(len(p.replicas) for p in existing[name].partitions.values())
        if have > want:
            refused.append(f"{name} has {have} partitions, settings ask for {want}: Kafka cannot remove partitions "
                           f"(and fewer would re-key every record); set MODSTREAM_PARTITIONS >= {have}, or create "
                           "new topics under another MODSTREAM_TOPIC_PREFIX and move consumers over")
        if have_rf != rf:
            refused.append(f"{name} has replication factor {have_rf}, settings ask for {rf}: that is a partition "
                           "reassignment; run kafka-reassign-partitions.sh --generate/--execute with the new replica "
                           f"lists, or set MODSTREAM_REPLICATION={have_rf} to keep it")
    if refused:
        raise TopicsError("topics apply changed nothing:\n  " + "\n  ".join(refused))
    for spec in CATALOG:
        name = settings.topic(spec)
        want = spec.partitions or settings.partitions
        if name not in existing:
            create.append(NewTopic(name, want, rf, config=spec.config()))
            changes.append(f"created {name} ({want} partitions, replication factor {rf})")
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
        rf = min((len(p.replicas) for p in existing[name].partitions.values()), default=0) if have else 0
        state = f"{have} partitions x{rf}" if have else "MISSING"
        rows.append(f"{name:24} {spec.schema:26} key={spec.key:11} {state:17} {spec.doc}")
    return rows
