"""All configuration, in one typed object read from `MODSTREAM_*` environment variables.

Built once by the CLI (`Settings.from_env()`) and passed down; nothing reads the
environment at import time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Mapping

from agents.policy import Policy
from streams.infra.topics import TopicSpec

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class SettingsError(ValueError):
    pass


def _local_port(env: Mapping[str, str], service: str) -> int | None:
    name = f"MODSTREAM_LOCAL_{service}_PORT"
    raw = (env.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise SettingsError(f"{name}={raw!r}: expected a port number (1-65535); unset it or give a valid one")
    return int(raw)


#: Environment variables that set policy before the policy file existed: refused, so a stale one
#: never looks as if it applied. One source of truth, whose digest is the policy version.
MOVED_TO_POLICY_FILE = {
    "MODSTREAM_FOLLOWER_THRESHOLD": "high_profile.follower_threshold",
    "MODSTREAM_SEVERE_CONFIDENCE": "confidence.severe",
    "MODSTREAM_MIN_CONFIDENCE": "confidence.min",
    "MODSTREAM_SHADOW_POLICIES": "categories.<code>.state: shadow",
    "MODSTREAM_DAILY_CAP_REMOVE": "daily_caps.remove",
    "MODSTREAM_DAILY_CAP_SUSPEND_ACCOUNT": "daily_caps.suspend_account",
    "MODSTREAM_REPORT_REVIEW_THRESHOLD": "reports.rereview_threshold",
    "MODSTREAM_REPORT_WINDOW_SECONDS": "reports.window_seconds",
}


@dataclass(frozen=True)
class Settings:
    kafka_bootstrap: str = "127.0.0.1:19092"  #: MODSTREAM_KAFKA_BOOTSTRAP; unset: 127.0.0.1:$MODSTREAM_LOCAL_KAFKA_PORT
    kafka_security_protocol: str = "PLAINTEXT"  #: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
    kafka_sasl_mechanism: str = ""  #: e.g. SCRAM-SHA-512
    kafka_sasl_username: str = ""
    kafka_sasl_password: str = field(default="", repr=False)  #: secret: never printed
    kafka_ssl_cafile: str = ""
    redis_url: str = "redis://127.0.0.1:16379/0"  #: MODSTREAM_REDIS_URL (rediss:// for TLS); unset: $MODSTREAM_LOCAL_REDIS_PORT
    schema_registry_url: str = ""  #: when set, Confluent wire format instead of single-object encoding
    schema_dir: Path = PROJECT_ROOT / "schemas"
    registry_seed: Path = PROJECT_ROOT / "streams" / "infra" / "data" / "registry" / "us-congress.jsonl"
    app_id: str = "modstream"  #: faust app id: consumer group prefix
    topic_prefix: str = ""  #: prepended to every topic name, e.g. "shadow." for replays
    partitions: int = 4  #: default partitions for data topics
    replication: int = 0  #: replication factor of new topics; 0: 3, or the broker count when fewer (streams/infra/admin.py)
    #: everything that changes a decision (thresholds, caps, rule states, notices): streams/infra/policy_file.py
    policy_file: Path = PROJECT_ROOT / "policy" / "default.yaml"
    #: decided summaries (no text): as long as appeals and legal requests can come (DSA: >= 6 months)
    decided_retention_days: int = 400
    post_text_retention_days: int = 90  #: the decided post's text (personal data), kept apart and shorter
    report_retention_days: int = 90  #: report sets (reporter contacts) and raised flags
    classifier: bool = True  #: run the learned classifier in the hot path (in-process, batched) with the rules
    bank_refresh_seconds: float = 30.0  #: how often workers check Redis for changed hash banks
    registry_cache_seconds: float = 5.0  #: bounded staleness of the in-process account cache
    record_budget_seconds: float = 2.0  #: per-record time budget; a record over it becomes a dead letter (0: none)
    log_level: str = "INFO"
    review_roster: Path = PROJECT_ROOT / ".run" / "reviewers.json"  #: who reviews, with roles (streams/infra/reviewers.py)
    console_host: str = "127.0.0.1"  #: `modstream console` listens here
    console_port: int = 8330
    console_secure_cookies: bool = False  #: true when the console is served over HTTPS (cookies marked Secure)
    console_session_hours: float = 8.0  #: a console sign-in lasts this long
    console_sla_hours: str = "public_interest=24,cap_hold=4,reported=24,appeal=72"  #: queue SLA per kind
    metrics_host: str = "127.0.0.1"  #: where /metrics, /healthz and /readyz listen
    metrics_port: int = 9464  #: the worker's port, its hot path child's is the next; 0: free ports; -1: off
    metrics_targets_dir: str = ""  #: when set, each process writes a Prometheus file_sd target file here
    ready_progress_seconds: float = 60.0  #: /readyz fails after this long without progress while lag > 0
    watchdog_seconds: float = 180.0  #: the watchdog restarts a consumer stuck (or out of its group) this long
    hotpath_session_seconds: float = 15.0  #: the hot path's group session: a dead hot path's partitions move after this

    def __post_init__(self) -> None:
        days = {"DECIDED": self.decided_retention_days, "POST_TEXT": self.post_text_retention_days,
                "REPORT": self.report_retention_days}
        bad = sorted(name for name, n in days.items() if n < 1)
        if bad:
            raise SettingsError(f"MODSTREAM_{bad[0]}_RETENTION_DAYS must be at least 1 day")
        if self.post_text_retention_days > self.decided_retention_days:
            raise SettingsError("MODSTREAM_POST_TEXT_RETENTION_DAYS must not exceed MODSTREAM_DECIDED_RETENTION_DAYS: "
                                "the text is personal data, kept no longer than the decision it explains")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        moved = sorted(name for name in MOVED_TO_POLICY_FILE if env.get(name))
        if moved:
            raise SettingsError(f"{', '.join(moved)}: these moved to the policy file "
                                f"({', '.join(MOVED_TO_POLICY_FILE[n] for n in moved)}); unset them and edit "
                                "the file MODSTREAM_POLICY_FILE names (policy/default.yaml by default)")
        values = {}
        for f in fields(cls):
            raw = env.get(f"MODSTREAM_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            kind = type(f.default)
            try:
                values[f.name] = kind(raw) if kind is not bool else raw.lower() in ("1", "true", "yes")
            except ValueError:
                raise SettingsError(
                    f"MODSTREAM_{f.name.upper()}={raw!r}: expected {kind.__name__}; unset it or give a valid value"
                ) from None
        # unset bootstrap/URL: the local services, on the ports `modstream local` starts them on
        kafka_port, redis_port = _local_port(env, "KAFKA"), _local_port(env, "REDIS")
        if "kafka_bootstrap" not in values and kafka_port:
            values["kafka_bootstrap"] = f"127.0.0.1:{kafka_port}"
        if "redis_url" not in values and redis_port:
            values["redis_url"] = f"redis://127.0.0.1:{redis_port}/0"
        return cls(**values)

    def topic(self, spec: "TopicSpec") -> str:
        """The deployed name of a catalog topic (with the prefix, e.g. for shadow replays)."""
        return self.topic_prefix + spec.name

    def policy(self) -> Policy:
        """The policy in `policy_file`, checked; SettingsError says where the file is wrong."""
        from streams.infra.policy_file import PolicyFileError, load

        try:
            return load(self.policy_file).policy
        except PolicyFileError as exc:
            raise SettingsError(f"MODSTREAM_POLICY_FILE: {exc}") from None

    def kafka_config(self) -> dict[str, str]:
        """librdkafka settings for confluent-kafka clients (security included)."""
        conf = {"bootstrap.servers": self.kafka_bootstrap, "security.protocol": self.kafka_security_protocol}
        if self.kafka_sasl_mechanism:
            conf.update({"sasl.mechanism": self.kafka_sasl_mechanism, "sasl.username": self.kafka_sasl_username,
                         "sasl.password": self.kafka_sasl_password})
        if self.kafka_ssl_cafile:
            conf["ssl.ca.location"] = self.kafka_ssl_cafile
        return conf
