"""`modstream topics apply` against the real broker: partitions may grow, never shrink, and the
replication factor is never changed behind the operator's back."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest
from confluent_kafka.admin import AdminClient

from streams.infra import admin, topics
from streams.infra.config import Settings

pytestmark = pytest.mark.integration


@pytest.fixture()
def fresh(services) -> Settings:
    tag = uuid.uuid4().hex[:8]
    return Settings(kafka_bootstrap=services.bootstrap, redis_url=services.redis_url,
                    topic_prefix=f"ta{tag}.", app_id=f"modstream-ta{tag}", partitions=2)


def _partitions(settings: Settings, spec: topics.TopicSpec) -> tuple[int, int]:
    meta = AdminClient(settings.kafka_config()).list_topics(timeout=10).topics[settings.topic(spec)]
    return len(meta.partitions), min(len(p.replicas) for p in meta.partitions.values())


def test_default_replication_follows_the_cluster_size(fresh):
    changes = admin.apply(fresh)
    assert any("replication factor 1" in c for c in changes)  # one broker: 0 resolves to 1
    assert _partitions(fresh, topics.POSTS) == (2, 1)
    assert admin.resolved_replication(fresh) == 1


def test_partitions_grow_but_never_shrink(fresh, poll):
    admin.apply(fresh)
    assert f"{fresh.topic(topics.POSTS)}: partitions 2 -> 3" in admin.apply(replace(fresh, partitions=3))
    poll(lambda: _partitions(fresh, topics.POSTS) == (3, 1), 30, "3 partitions in the metadata")
    with pytest.raises(admin.TopicsError, match=r"posts\.v1 has 3 partitions, settings ask for 2"):
        admin.apply(fresh)
    assert _partitions(fresh, topics.POSTS) == (3, 1)


def test_a_different_replication_factor_is_refused_with_how_to(fresh):
    admin.apply(fresh)
    with pytest.raises(admin.TopicsError, match="kafka-reassign-partitions") as err:
        admin.apply(replace(fresh, replication=3, partitions=4))
    assert "replication factor 1, settings ask for 3" in str(err.value)
    assert _partitions(fresh, topics.POSTS) == (2, 1)  # refused before changing anything, partitions included
