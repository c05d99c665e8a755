"""The faust app the low-rate agents run in (streams/drivers/faust_agents.py).

Processing guarantee: at-least-once with idempotent outputs. Each agent runs with
concurrency=1 (faust #606 loses in-flight offsets with concurrency > 1); faust flushes
the producer before it commits offsets, so an output is on the broker before its input
is marked done. A crash between the two redelivers the input, the agents recompute the
same decision (deterministic ids), and consumers drop the repeat by action_id/notice_id.
"""

from __future__ import annotations

import faust

from streams.infra.config import Settings
from streams.infra.logs import faust_logging_config
from streams.infra.topics import TOPIC_MAX_BYTES


def create_app(settings: Settings, client_id: str = "modstream") -> faust.App:
    return faust.App(
        settings.app_id,
        broker=f"kafka://{settings.kafka_bootstrap}",
        broker_credentials=_credentials(settings),
        store="memory://",
        processing_guarantee="at_least_once",
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication or 1,  # worker.run resolves 0 (see streams/infra/admin.py)
        producer_acks=-1,  # acks=all: with min.insync.replicas=2 a write survives one broker's loss
        consumer_auto_offset_reset="earliest",
        key_serializer="raw",
        value_serializer="raw",
        web_enabled=False,  # streams.infra.metrics serves /metrics, /healthz and /readyz
        broker_client_id=client_id,  # the watchdog finds this process's group member by it
        broker_commit_every=1000,
        broker_commit_interval=1.0,
        producer_linger_ms=5,
        broker_session_timeout=15,  # a killed worker's partitions move on in seconds, not faust's default minute
        broker_heartbeat_interval=3,
        stream_buffer_maxsize=4096,
        producer_max_request_size=TOPIC_MAX_BYTES,  # sizes as the topics' (streams.infra.topics): see bindings.send_bytes
        consumer_max_fetch_size=TOPIC_MAX_BYTES,
        logging_config=faust_logging_config(settings.log_level),
    )


def _credentials(settings: Settings):
    """SASL/SSL for the faust transport, from the same settings as the confluent clients."""
    if settings.kafka_security_protocol == "PLAINTEXT":
        return None
    import ssl

    tls = settings.kafka_security_protocol.endswith("SSL")
    context = ssl.create_default_context(cafile=settings.kafka_ssl_cafile or None) if tls else None
    if settings.kafka_sasl_mechanism:
        return faust.SASLCredentials(username=settings.kafka_sasl_username, password=settings.kafka_sasl_password,
                                     mechanism=settings.kafka_sasl_mechanism, ssl_context=context)
    return faust.SSLCredentials(context)
