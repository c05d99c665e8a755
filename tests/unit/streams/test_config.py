from pathlib import Path

import pytest

from streams.infra.config import Settings, SettingsError
from streams.infra.topics import POSTS


def test_env_overrides_with_types():
    s = Settings.from_env({"MODSTREAM_KAFKA_BOOTSTRAP": "k:9", "MODSTREAM_PARTITIONS": "8",
                           "MODSTREAM_POLICY_FILE": "/p.yaml", "MODSTREAM_SCHEMA_DIR": "/x",
                           "MODSTREAM_TOPIC_PREFIX": "shadow."})
    assert (s.kafka_bootstrap, s.partitions, s.policy_file, s.schema_dir) == ("k:9", 8, Path("/p.yaml"), Path("/x"))
    assert s.topic(POSTS) == "shadow.posts.v1"


def test_policy_variables_moved_to_the_policy_file_are_refused_not_ignored():
    # issue 18: thresholds live in the policy file; a stale variable must not look as if it applied
    with pytest.raises(SettingsError, match="MODSTREAM_SEVERE_CONFIDENCE.*confidence.severe"):
        Settings.from_env({"MODSTREAM_SEVERE_CONFIDENCE": "0.9"})


def test_a_broken_policy_file_is_a_settings_error_naming_the_line(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("label: x\nconfidence: {min: 2}\n")
    with pytest.raises(SettingsError, match=r"MODSTREAM_POLICY_FILE: \S*p.yaml: line 2: confidence.min: 2.0 is outside"):
        Settings(policy_file=bad).policy()


def test_bad_value_names_the_variable():
    with pytest.raises(SettingsError, match="MODSTREAM_PARTITIONS"):
        Settings.from_env({"MODSTREAM_PARTITIONS": "many"})


def test_secrets_are_not_in_repr_and_reach_the_client_config():
    s = Settings.from_env({"MODSTREAM_KAFKA_SASL_PASSWORD": "hunter2", "MODSTREAM_KAFKA_SASL_MECHANISM": "PLAIN",
                           "MODSTREAM_KAFKA_SECURITY_PROTOCOL": "SASL_SSL"})
    assert "hunter2" not in repr(s)
    assert s.kafka_config()["sasl.password"] == "hunter2"
    assert s.policy().follower_threshold == 100_000


def test_retention_defaults_keep_decisions_for_appeals_and_text_shorter():
    s = Settings()
    assert s.decided_retention_days >= 400 and s.post_text_retention_days < s.decided_retention_days
    s = Settings.from_env({"MODSTREAM_DECIDED_RETENTION_DAYS": "800", "MODSTREAM_POST_TEXT_RETENTION_DAYS": "30"})
    assert (s.decided_retention_days, s.post_text_retention_days) == (800, 30)


@pytest.mark.parametrize("env", [{"MODSTREAM_DECIDED_RETENTION_DAYS": "0"},
                                 {"MODSTREAM_DECIDED_RETENTION_DAYS": "10", "MODSTREAM_POST_TEXT_RETENTION_DAYS": "20"}])
def test_retention_that_loses_decisions_or_outlives_them_is_refused(env):
    with pytest.raises(SettingsError, match="RETENTION_DAYS"):
        Settings.from_env(env)


def test_unset_bootstrap_and_url_follow_the_local_service_ports():
    """Issue 14: with MODSTREAM_LOCAL_*_PORT set and no bootstrap/URL, every command silently
    talked to whatever listened on the default ports."""
    s = Settings.from_env({"MODSTREAM_LOCAL_KAFKA_PORT": "19500", "MODSTREAM_LOCAL_REDIS_PORT": "16600"})
    assert s.kafka_bootstrap == "127.0.0.1:19500" and s.redis_url == "redis://127.0.0.1:16600/0"
    explicit = Settings.from_env({"MODSTREAM_LOCAL_KAFKA_PORT": "19500", "MODSTREAM_KAFKA_BOOTSTRAP": "k:9092",
                                  "MODSTREAM_LOCAL_REDIS_PORT": "16600", "MODSTREAM_REDIS_URL": "redis://r:6379/0"})
    assert explicit.kafka_bootstrap == "k:9092" and explicit.redis_url == "redis://r:6379/0"
    assert Settings.from_env({}).kafka_bootstrap == "127.0.0.1:19092"
    with pytest.raises(SettingsError, match="MODSTREAM_LOCAL_KAFKA_PORT"):
        Settings.from_env({"MODSTREAM_LOCAL_KAFKA_PORT": "kafka"})
