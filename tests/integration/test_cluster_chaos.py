"""Faults on a real three-broker KRaft cluster (RF 3, min.insync.replicas 2) and a Redis Cluster
(3 masters with a replica each) lose nothing and decide every post once (after de-duplication by id):

- kill -9 of the broker leading the busiest posts partition, mid-stream;
- kill -9 of a Redis master, so that its replica is promoted;
- a rolling restart of all three brokers, one by one, under load.

The scenarios live in ops/chaos.py (`python -m ops.chaos --cluster` runs them larger). This
module starts its own cluster and Redis Cluster (they are killed and restarted), on ports
after the session's: MODSTREAM_TEST_KAFKA_CLUSTER_PORT (six ports from it) and
MODSTREAM_TEST_CHAOS_REDIS_CLUSTER_PORT (six). `make test` runs all three, one after the other on
one cluster: 4.5 to 6 minutes with the cluster's start on the shared 2-core machine (load average
1-30); their timeouts below add up to 10 minutes, the module's CI budget. The module prints the table the README
shows (also written to <basetemp>/test_cluster_chaos-table.txt).
"""

from __future__ import annotations

import functools
import os

import pytest

from ops import chaos

pytestmark = pytest.mark.integration

KAFKA_PORT = int(os.environ.get("MODSTREAM_TEST_KAFKA_PORT", "19192"))
REDIS_PORT = int(os.environ.get("MODSTREAM_TEST_REDIS_PORT", "16479"))
CLUSTER_KAFKA_PORT = int(os.environ.get("MODSTREAM_TEST_KAFKA_CLUSTER_PORT", str(KAFKA_PORT + 2)))
CLUSTER_REDIS_PORT = int(os.environ.get("MODSTREAM_TEST_CHAOS_REDIS_CLUSTER_PORT", str(REDIS_PORT + 7)))
RATE = float(os.environ.get("MODSTREAM_CLUSTER_CHAOS_RATE", "100"))  # posts/s, from 15 s before a fault to 10 s after


#: the module's own cluster and Redis Cluster (see chaos_env in conftest.py)
CHAOS_SERVICES = functools.partial(chaos.cluster_env, kafka_port=CLUSTER_KAFKA_PORT, redis_port=CLUSTER_REDIS_PORT)


@pytest.mark.timeout(240)  # with the cluster's start
def test_kill9_of_the_busiest_partitions_leader_loses_nothing(chaos_env, check_chaos):
    result = check_chaos(chaos_env, chaos.leader_kill9(chaos_env, RATE), fault_figures=True)
    assert result.checks["decided_while_leader_dead"]
    assert result.recovery_s < 60


@pytest.mark.timeout(120)
def test_kill9_of_a_redis_master_promotes_its_replica_and_loses_nothing(chaos_env, check_chaos):
    result = check_chaos(chaos_env, chaos.redis_master_kill9(chaos_env, RATE), fault_figures=True)
    assert result.checks["replica_promoted"] and result.checks["decided_after_failover"]
    assert result.recovery_s < 60


@pytest.mark.timeout(240)
def test_rolling_restart_of_all_three_brokers_under_load(chaos_env, check_chaos):
    result = check_chaos(chaos_env, chaos.rolling_restart(chaos_env, RATE), fault_figures=True)
    assert result.checks["worker_survived"]
