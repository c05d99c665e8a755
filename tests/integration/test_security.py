"""Security settings reach every client; secrets, post text and personal data stay out of logs.

- SASL/SSL settings reach faust (streams.drivers.faust_app._credentials) and the confluent clients;
- a worker and ingest run with a fake SASL password in their environment: it appears in
  no log line, also when authentication fails;
- post text and a reporter's e-mail address of a real run are not in the worker log;
- a `rediss://user:password@host` URL works with the stores' client (a real TLS Redis with
  an ACL user, on its own port), and fails, naming why, with a wrong password, plaintext
  against the TLS port, a CA that did not sign the server's certificate, or an ACL user
  without rights on modstream's keys.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from agents.records import Account
from ops import local
from streams.infra import clients, stores, topics
from streams.drivers.faust_app import _credentials
from streams.infra.config import Settings
from streams.drivers.worker import WorkerProcess, settings_env

pytestmark = pytest.mark.integration

PASSWORD = "FAKE-pw-7Hq2x9-never-log-me"
TEXT = "zebra-canary-5521 I know where you live and I will kill you tomorrow"
EMAIL = "canary.reporter.5521@example.org"
TLS_REDIS_PORT = int(os.environ.get("MODSTREAM_TEST_TLS_REDIS_PORT", "16681"))


def test_sasl_settings_reach_faust_and_confluent_clients():
    s = Settings(kafka_security_protocol="SASL_SSL", kafka_sasl_mechanism="SCRAM-SHA-512",
                 kafka_sasl_username="modstream-route", kafka_sasl_password=PASSWORD)
    creds = _credentials(s)
    assert creds.username == "modstream-route" and creds.password == PASSWORD
    assert creds.mechanism.value == "SCRAM-SHA-512" and creds.protocol.value == "SASL_SSL"
    assert creds.ssl_context is not None
    conf = s.kafka_config()
    assert conf["security.protocol"] == "SASL_SSL" and conf["sasl.mechanism"] == "SCRAM-SHA-512"
    assert conf["sasl.username"] == "modstream-route" and conf["sasl.password"] == PASSWORD
    assert PASSWORD not in repr(s) and PASSWORD not in str(s)
    env = settings_env(s)
    assert Settings.from_env(env).kafka_sasl_password == PASSWORD  # what a worker subprocess gets
    ssl_only = _credentials(Settings(kafka_security_protocol="SSL"))
    assert ssl_only.protocol.value == "SSL"


def test_sasl_plaintext_stays_plaintext_for_faust():
    s = Settings(kafka_security_protocol="SASL_PLAINTEXT", kafka_sasl_mechanism="PLAIN",
                 kafka_sasl_username="u", kafka_sasl_password=PASSWORD)
    assert _credentials(s).protocol.value == "SASL_PLAINTEXT"


def _lines() -> str:
    return "\n".join(json.dumps(x) for x in [
        {"post": {"post_id": "sec-1", "author_id": "4242", "text": TEXT, "created_at": "2026-11-20T12:00:00Z"},
         "author": {"account_id": "4242", "handle": "someone", "followers": 12},
         "reports": [{"report_id": "sec-r1", "policy": "violence", "reporter_id": None,
                      "created_at": "2026-11-20T12:00:00Z", "reporter_contact": EMAIL}]},
    ]) + "\n"


def test_a_run_logs_no_secret_no_post_text_no_reporter_email(stack, codec, services, tmp_path):
    env = {**settings_env(stack), "MODSTREAM_KAFKA_SASL_USERNAME": "modstream-route",
           "MODSTREAM_KAFKA_SASL_PASSWORD": PASSWORD, "MODSTREAM_LOG_LEVEL": "INFO"}
    w = WorkerProcess.start(env, tmp_path / "worker.log")
    try:
        path = tmp_path / "firehose.jsonl"
        path.write_text(_lines() + "this line is not json " + EMAIL + "\n")
        res = subprocess.run([sys.executable, "-m", "streams.commands.cli", "ingest", str(path)], env={**os.environ, **env},
                             capture_output=True, text=True, timeout=60)
        assert res.returncode == 0, res.stderr
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            got = [r for r in clients.records(stack, codec, stack.topic(topics.AUDIT), idle_timeout=0.5)
                   if r["value"]["post_id"] == "sec-1"]
            if got:
                break
            time.sleep(0.5)
        assert got and got[0]["value"]["route"] == "enforce", w.tail()
        time.sleep(1.0)
    finally:
        w.stop()
    log = w.log_path.read_text(errors="replace")
    batches = [json.loads(line) for line in log.splitlines() if '"batch_decided"' in line]
    assert any(b["routes"].get("enforce") for b in batches)  # the run did log its decisions
    for secret in (PASSWORD, TEXT, "zebra-canary-5521", EMAIL):
        assert secret not in log, f"{secret!r} is in the worker log"
        assert secret not in res.stderr + res.stdout, f"{secret!r} is in the ingest output"


def test_failed_authentication_does_not_log_the_password(stack, tmp_path):
    """SASL against a plaintext listener fails; the errors must still not carry the password."""
    env = {**settings_env(stack), "MODSTREAM_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
           "MODSTREAM_KAFKA_SASL_MECHANISM": "PLAIN", "MODSTREAM_KAFKA_SASL_USERNAME": "modstream-route",
           "MODSTREAM_KAFKA_SASL_PASSWORD": PASSWORD, "MODSTREAM_LOG_LEVEL": "DEBUG"}
    w = WorkerProcess.start(env, tmp_path / "worker-auth.log")
    try:
        time.sleep(12)
    finally:
        w.stop(timeout=15)
    res = subprocess.run([sys.executable, "-m", "streams.commands.cli", "topics", "list"], env={**os.environ, **env},
                         capture_output=True, text=True, timeout=60)
    log = w.log_path.read_text(errors="replace")
    assert log.strip(), "the worker wrote no log at all"
    assert PASSWORD not in log and PASSWORD not in res.stdout + res.stderr


@pytest.fixture()
def tls_redis(tmp_path):
    """A real redis-server with TLS only and an ACL user (default user off)."""
    if local._port_open(TLS_REDIS_PORT):
        pytest.fail(f"127.0.0.1:{TLS_REDIS_PORT} is in use; set MODSTREAM_TEST_TLS_REDIS_PORT to a free port")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    other_cert, other_key = tmp_path / "other-cert.pem", tmp_path / "other-key.pem"  # a CA that signed nothing here
    for c, k in ((cert, key), (other_cert, other_key)):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(k), "-out",
                        str(c), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True, timeout=60)
    proc = subprocess.Popen(
        [local._redis_server(), "--port", "0", "--tls-port", str(TLS_REDIS_PORT), "--bind", "127.0.0.1",
         "--tls-cert-file", str(cert), "--tls-key-file", str(key), "--tls-ca-cert-file", str(cert),
         "--tls-auth-clients", "no", "--save", "", "--appendonly", "no", "--dir", str(tmp_path),
         "--user", "default", "off", "--user", "modstream", "on", ">s3cret-Redis", "~ms:*", "&*", "+@all",
         "--user", "outsider", "on", ">outsider-pw", "~other:*", "+@all"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while not local._port_open(TLS_REDIS_PORT):
            assert proc.poll() is None and time.monotonic() < deadline, "TLS redis-server did not start"
            time.sleep(0.1)
        yield f"rediss://modstream:s3cret-Redis@127.0.0.1:{TLS_REDIS_PORT}/0?ssl_ca_certs={cert}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)


def test_rediss_url_with_user_and_password_works(tls_redis):
    import redis.exceptions

    async def run(url: str):
        client = stores.connect(url)
        try:
            reg = stores.RedisRegistry(client, cache_seconds=0)
            await reg.put_account(Account("777", followers=150_000, verified=True,
                                          observed_at="2026-11-20T12:00:00Z"))
            return (await reg.lookup(["777"]))["777"].account
        finally:
            await client.aclose()

    account = asyncio.run(run(tls_redis))
    assert account is not None and account.followers == 150_000
    with pytest.raises(redis.exceptions.AuthenticationError):
        asyncio.run(run(tls_redis.replace("s3cret-Redis", "wrong")))
    with pytest.raises(redis.exceptions.ConnectionError):  # plaintext against a TLS-only port
        asyncio.run(run(tls_redis.replace("rediss://", "redis://").split("?")[0]))
    with pytest.raises(redis.exceptions.ConnectionError, match="(?i)certificate"):  # TLS, but not our CA
        asyncio.run(run(tls_redis.replace("cert.pem", "other-cert.pem")))
    with pytest.raises(redis.exceptions.NoPermissionError):  # authenticated, without rights on ms:* keys
        asyncio.run(run(tls_redis.replace("modstream:s3cret-Redis", "outsider:outsider-pw")))


def test_tls_against_the_plaintext_listener_fails_and_says_so(stack):
    """A client that expects TLS must not fall back to plaintext: it fails to connect."""
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AdminClient

    tls = Settings(kafka_bootstrap=stack.kafka_bootstrap, kafka_security_protocol="SSL")
    client = AdminClient({**tls.kafka_config(), "log_level": 0, "socket.timeout.ms": 5000})
    with pytest.raises(KafkaException):
        client.list_topics(timeout=10)
    plain = AdminClient({**stack.kafka_config(), "log_level": 0})
    assert stack.topic(topics.POSTS) in plain.list_topics(timeout=10).topics  # the listener itself is up
