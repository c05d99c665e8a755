"""Fuzzing the edges where untrusted bytes enter: ingest lines and Kafka record values.

Whatever arrives, ingest either produces a line's records or one dead letter, and never
raises: the contract parsers raise only RecordError, encoding only CodecError. Decoding
arbitrary bytes raising only CodecError is covered in test_codec.py
(test_random_bytes_raise_only_codec_errors); here: decoding with an expected schema, and
corrupted versions of valid messages.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from agents.records import Account, Case, RecordError, Report
from agents.tagger import Tagger
from streams.drivers import decide
from streams.commands import ingest
from streams.infra import topics
from streams.infra.codec import Codec, CodecError, example_record
from streams.infra.config import Settings
from streams.infra.topics import KEEP_ORIGINAL_BYTES

SCHEMAS = Path(__file__).resolve().parents[3] / "schemas"
CODEC = Codec.from_dir(SCHEMAS)
POLICY = Settings().policy()
TAGGER = Tagger(POLICY)
FUZZ = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

VALID = {
    "post": {"post_id": "1", "author_id": "2", "text": "I will kill you", "created_at": "2026-11-20T12:00:00Z",
             "lang": "en", "country": "US", "mentions": ["3"],
             "media": [{"media_id": "m1", "kind": "image", "pdq": "ab" * 32, "md5": "cd" * 16}]},
    "author": {"account_id": "2", "handle": "h", "display_name": "D", "bio": "", "followers": 10, "verified": False,
               "verified_type": "none", "labels": []},
    "mentioned_accounts": [{"account_id": "3", "followers": 5}],
    "violations": [{"policy": "violence", "source": "upstream:reviewer", "confidence": 0.9}],
    "reports": [{"report_id": "r1", "policy": "violence", "reporter_id": "77", "created_at": "2026-11-20T12:00:00Z",
                 "reporter_contact": "a@example.org"}],
}

json_leaf = (st.none() | st.booleans() | st.integers() | st.integers(-2**70, 2**70)
             | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12)
             | st.sampled_from(["", "violence", "not_a_policy", "image", "photo", "government", "2026-11-20T12:00:00Z",
                                "yesterday", "-1", "\x00", "\ud800"]))
json_values = st.recursive(json_leaf, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=20)


def _paths(obj: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += _paths(v, prefix + (i,))
    return out


ALL_PATHS = _paths(VALID)[1:]


@st.composite
def mutated_lines(draw) -> Any:
    """A valid contract line with a few values replaced, removed or retyped: reaches deep validation."""
    obj = json.loads(json.dumps(VALID))
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(ALL_PATHS))
        parent = obj
        try:
            for step in path[:-1]:
                parent = parent[step]
            if draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = draw(json_values)
        except (KeyError, IndexError, TypeError):
            pass
    return obj


class FakeProducer:
    def __init__(self) -> None:
        self.records: list[tuple[str, bytes, bytes]] = []

    def produce(self, topic: str, key: bytes, value: bytes, on_delivery=None) -> None:
        self.records.append((topic, key, value))

    def poll(self, timeout: float = 0) -> int:
        return 0

    def flush(self, timeout: float = 0) -> int:
        return 0


@pytest.fixture()
def ingestor(monkeypatch: pytest.MonkeyPatch) -> ingest.Ingestor:
    monkeypatch.setattr(ingest, "producer", lambda settings, **extra: FakeProducer())
    return ingest.Ingestor(Settings(topic_prefix="f."), CODEC, "fuzz.jsonl")


def _only_contract_errors(obj: Any) -> None:
    try:
        records = ingest.Ingestor.records(_bare_ingestor(), obj)
    except (RecordError, CodecError) as exc:
        assert str(exc)
        return
    for spec, key, value in records:  # what is produced decodes back to its topic's schema
        assert isinstance(key, str) and CODEC.decode(value, expect=spec.schema)


def _bare_ingestor() -> ingest.Ingestor:
    ing = object.__new__(ingest.Ingestor)
    ing.codec = CODEC
    return ing


@FUZZ
@given(json_values)
@example({"account": None})
def test_arbitrary_json_raises_only_contract_errors(obj: Any) -> None:
    _only_contract_errors(obj)
    for wrapper in ({"post": obj}, {"account": obj}, {"report": obj}, {"post": obj, "author": obj}):
        _only_contract_errors(wrapper)


@FUZZ
@given(mutated_lines())
@example({**VALID, "mentioned_accounts": [None]})
@example({**VALID, "violations": [{"policy": "violence", "source": "x", "confidence": math.nan}]})
@example({**VALID, "author": {**VALID["author"], "followers": 2**80}})
@example({**VALID, "violations": [{"policy": "no_such_policy", "source": "x", "confidence": 0.9}]})
def test_mutated_contract_lines_raise_only_contract_errors(obj: Any) -> None:
    _only_contract_errors(obj)


@FUZZ
@given(json_values)
@example({"post": {"post_id": "1", "author_id": "2", "created_at": "2026-11-20T12:00:00Z"}, "author": None,
          "reports": [None]})
def test_record_parsers_raise_only_record_errors(obj: Any) -> None:
    for parse in (Case.from_dict, Account.from_dict, Report.from_dict):
        try:
            parse(obj)
        except RecordError:
            pass


@FUZZ
@given(st.binary(max_size=300) | mutated_lines().map(lambda o: json.dumps(o).encode())
       | json_values.map(lambda o: json.dumps(o).encode()))
@example(b"[" * 100_000 + b"]" * 100_000)  # deeper than the JSON parser's recursion limit
@example(b'{"post": ' * 5_000 + b"1" + b"}" * 5_000)
@example(b"\xff\xfe not utf-8")
@example(json.dumps(VALID).encode())
def test_ingest_line_never_raises_and_each_line_is_produced_or_dead_lettered(ingestor, raw: bytes) -> None:
    before_dead, before = ingestor.stats.dead_letters, len(ingestor.producer.records)
    ingestor.line(1, raw)
    produced = ingestor.producer.records[before:]
    if not raw.strip():
        assert not produced
        return
    dead = [r for r in produced if r[0] == "f." + topics.DEAD_LETTERS.name]
    if ingestor.stats.dead_letters > before_dead:
        assert len(produced) == 1 and len(dead) == 1  # a bad line produces nothing but its dead letter
        letter = CODEC.decode(dead[0][2], expect=topics.DEAD_LETTERS.schema)[1]
        line = raw.rstrip(b"\r\n")
        if len(line) <= KEEP_ORIGINAL_BYTES:  # whole; a bigger line keeps its start, length and digest
            assert letter["original"] == line and letter["original_length"] == -1
        else:
            assert letter["original"] == line[:KEEP_ORIGINAL_BYTES] and letter["original_length"] == len(line)
            assert letter["original_sha256"] == hashlib.sha256(line).hexdigest()
        assert letter["source"] == "ingest:fuzz.jsonl"
        assert letter["offset"] == 1 and letter["error_type"] and letter["reason"]
    else:
        assert produced and not dead


HEADERS = sorted({CODEC.encode(n, example_record(CODEC.schema(n)))[:10] for n in CODEC.names()})
VALID_MESSAGES = [CODEC.encode(n, example_record(CODEC.schema(n), minimal=False)) for n in CODEC.names()]


@st.composite
def corrupted(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(VALID_MESSAGES)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "cut", "insert"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "cut":
            del data[at:at + draw(st.integers(1, 8))]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
    return bytes(data)


@FUZZ
@given(st.binary(max_size=200) | corrupted() | st.builds(bytes.__add__, st.sampled_from(HEADERS), st.binary(max_size=80)),
       st.sampled_from(CODEC.names()))
def test_decode_with_an_expected_schema_raises_only_codec_errors(raw: bytes, expect: str) -> None:
    try:
        name, value = CODEC.decode(raw, expect=expect)
    except CodecError as exc:
        assert exc.error_type and str(exc)
    else:
        assert name == expect and isinstance(value, dict)


def _decide_accepts(raw: bytes) -> bool:
    out = io.StringIO()
    ok, bad = decide.run([raw], out, TAGGER, {}, POLICY)
    assert ok + bad == 1 and len(out.getvalue().splitlines()) == 1  # one line out, whatever came in
    return ok == 1


@FUZZ
@given(mutated_lines().map(lambda o: json.dumps(o).encode()) | json_values.map(lambda o: json.dumps({"post": o}).encode())
       | st.binary(max_size=200))
@example(json.dumps({**VALID, "author": {**VALID["author"], "followers": 2**80}}).encode())
@example(json.dumps({**VALID, "post": {**VALID["post"], "text": "\ud800"}}).encode())
@example(json.dumps({**VALID, "post": {**VALID["post"], "country": "us"}}).encode())
@example(b'{"post": ' * 5_000 + b"1" + b"}" * 5_000)
@example(b'{"post": {"post_id": "1", "author_id": "2", "text": "\xff", "created_at": "2026-11-20T12:00:00Z"}}')
def test_decide_accepts_exactly_the_lines_ingest_accepts(ingestor, raw: bytes) -> None:
    """Issue 14: decide accepted lines ingest rejected (values Avro cannot hold); both read lines
    through agents.records.load_line and Case.from_dict now."""
    if raw.strip() and not raw.lstrip().startswith((b'{"account"', b'{"report"')):
        before = ingestor.stats.dead_letters
        ingestor.line(1, raw)
        assert _decide_accepts(raw) == (ingestor.stats.dead_letters == before)
