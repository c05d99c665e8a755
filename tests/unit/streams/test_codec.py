"""streams.infra.codec: wire layout, errors, schema resolution and registry framing."""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path
from typing import Any

import pytest
from fastavro import schemaless_writer
from fastavro.schema import to_parsing_canonical_form
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.infra.codec import Codec, CodecError, example_record, fingerprint64, freeze, parse_writer

SCHEMAS = Path(__file__).resolve().parents[3] / "schemas"
CODEC = Codec.from_dir(SCHEMAS)
POST = "modstream.Post"
PROPERTY = settings(max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

# CRC-64-AVRO of primitive schemas as Java longs, from the Avro repository's
# share/test/data/schema-tests.txt (SchemaNormalization.parsingFingerprint64).
SPEC_VECTORS = [('"null"', 7195948357588979594), ('"int"', 8247732601305521295),
                ('"string"', -8142146995180207161)]


def spec_fingerprint64(data: bytes) -> int:
    """The Avro spec's reference algorithm (its Java code), independent of fastavro."""
    empty, mask = 0xC15D213AA4D7A795, (1 << 64) - 1
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (empty & -(fp & 1) & mask)
        table.append(fp)
    fp = empty
    for byte in data:
        fp = (fp >> 8) ^ table[(fp ^ byte) & 0xFF]
    return fp


def body(schema: dict[str, Any], record: dict[str, Any]) -> bytes:
    buf = io.BytesIO()
    schemaless_writer(buf, schema, record)
    return buf.getvalue()


def error_of(call: Any, *args: Any, **kwargs: Any) -> CodecError:
    with pytest.raises(CodecError) as info:
        call(*args, **kwargs)
    return info.value


def registry_client() -> Any:
    try:
        from confluent_kafka.schema_registry import SchemaRegistryClient
    except ImportError as e:  # fail, never skip: producers depend on this path
        pytest.fail(f"confluent_kafka.schema_registry does not import ({e}); install its extras: "
                    "certifi, cachetools, attrs, authlib, httpx2")
    return SchemaRegistryClient.new_client({"url": "mock://test"})  # plain SchemaRegistryClient() would do HTTP


# --- round trips and wire layout -----------------------------------------------------------

@pytest.mark.parametrize("minimal", [True, False], ids=["defaults", "full"])
@pytest.mark.parametrize("name", CODEC.names())
def test_every_schema_round_trips(name: str, minimal: bool) -> None:
    record = example_record(CODEC.schema(name), minimal=minimal)
    assert CODEC.decode(CODEC.encode(name, record), expect=name) == (name, record)


@pytest.mark.parametrize("name", CODEC.names())
def test_header_is_magic_then_little_endian_spec_fingerprint_then_body(name: str) -> None:
    schema = CODEC.schema(name)
    record = example_record(schema, minimal=False)
    data = CODEC.encode(name, record)
    spec = spec_fingerprint64(to_parsing_canonical_form(schema).encode())
    assert data[:2] == b"\xc3\x01"
    assert data[2:10] == struct.pack("<Q", spec) == fingerprint64(schema) == bytes.fromhex(CODEC.fingerprint(name))
    assert data[10:] == body(schema, record)


@pytest.mark.parametrize(("schema_json", "java_long"), SPEC_VECTORS)
def test_fingerprint_matches_avro_spec_vectors(schema_json: str, java_long: int) -> None:
    assert fingerprint64(json.loads(schema_json)) == struct.pack("<q", java_long)
    assert spec_fingerprint64(schema_json.encode()) == java_long & ((1 << 64) - 1)


def test_introspection() -> None:
    assert POST in CODEC.names() and CODEC.names() == sorted(CODEC.names())
    assert CODEC.schema(POST)["name"] == POST
    assert error_of(CODEC.fingerprint, "Post").error_type == "unknown_schema"


# --- errors --------------------------------------------------------------------------------

def test_unknown_fingerprint_says_which_and_where_to_add_it() -> None:
    err = error_of(CODEC.decode, b"\xc3\x01" + bytes(range(8)) + b"\x02x")
    assert err.error_type == "unknown_fingerprint"
    assert "0001020304050607" in str(err) and "schemas/history/" in str(err)


@pytest.mark.parametrize(("data", "error_type"), [
    (b"", "empty_value"),
    (b"\xc3\x01\x95\xd8", "malformed_avro"),
    (b"\x00\x00\x01", "malformed_avro"),
    (b'{"post_id": "1"}', "bad_magic"),
    (b"\xc3\x02" + bytes(10), "bad_magic"),
])
def test_bad_framing(data: bytes, error_type: str) -> None:
    assert error_of(CODEC.decode, data).error_type == error_type


def test_truncated_and_padded_bodies_are_malformed() -> None:
    data = CODEC.encode(POST, example_record(CODEC.schema(POST), minimal=False))
    for broken in (data[:-1], data[:11], data + b"\x00"):
        assert error_of(CODEC.decode, broken).error_type == "malformed_avro"


def test_wrong_expected_schema() -> None:
    data = CODEC.encode(POST, example_record(CODEC.schema(POST)))
    err = error_of(CODEC.decode, data, expect="modstream.Report")
    assert err.error_type == "wrong_schema" and POST in str(err) and "modstream.Report" in str(err)


@pytest.mark.parametrize(("change", "field"), [
    ({"text": None}, "modstream.Post.text"),
    ({"text": 5}, "modstream.Post.text"),
    ({"media": [{"media_id": "m", "kind": "photo"}]}, "modstream.Media.kind"),
    ({"upstream_violations": [{"policy": "p", "confidence": "high"}]}, "modstream.Violation.confidence"),
])
def test_invalid_record_names_schema_and_field_but_no_values(change: dict[str, Any], field: str) -> None:
    record = {**example_record(CODEC.schema(POST)), "author_id": "secret-author"} | change
    err = error_of(CODEC.encode, POST, record)
    assert err.error_type == "invalid_record" and POST in str(err) and field in str(err)
    assert "secret-author" not in str(err) and "high" not in str(err)


def test_encode_unknown_schema_name() -> None:
    assert error_of(CODEC.encode, "Post", {}).error_type == "unknown_schema"


def test_codec_error_is_a_value_error() -> None:
    assert issubclass(CodecError, ValueError)


# --- schema directories and resolution of older writers ------------------------------------

THING_V1 = {"type": "record", "name": "Thing", "namespace": "modstream", "fields": [
    {"name": "id", "type": "string"}, {"name": "legacy", "type": "string"}]}
THING_V2 = {"type": "record", "name": "Thing", "namespace": "modstream", "fields": [
    {"name": "id", "type": "string"}, {"name": "score", "type": "double", "default": 0.25},
    {"name": "tags", "type": {"type": "array", "items": "string"}, "default": []}]}


def schema_dir(root: Path, *schemas: dict[str, Any]) -> Path:
    root.mkdir(parents=True)
    for schema in schemas:
        (root / f"{schema['namespace']}.{schema['name']}.avsc").write_text(json.dumps(schema))
    return root


def test_old_writer_resolves_to_current_reader_once_kept_in_history(tmp_path: Path) -> None:
    v1, v2 = schema_dir(tmp_path / "v1", THING_V1), schema_dir(tmp_path / "v2", THING_V2)
    data = Codec.from_dir(v1).encode("modstream.Thing", {"id": "t1", "legacy": "dropped"})
    assert error_of(Codec.from_dir(v2).decode, data).error_type == "unknown_fingerprint"

    [kept] = freeze(v1, v2)
    assert kept.parent == v2 / "history" and kept.name == f"modstream.Thing.{data[2:10].hex()}.avsc"
    assert freeze(v1, v2) == []  # idempotent
    assert Codec.from_dir(v2).decode(data) == ("modstream.Thing", {"id": "t1", "score": 0.25, "tags": []})


def test_incompatible_change_is_reported(tmp_path: Path) -> None:
    v1 = schema_dir(tmp_path / "v1", THING_V1)
    no_default = {**THING_V1, "fields": [*THING_V1["fields"], {"name": "required_new", "type": "string"}]}
    v3 = schema_dir(tmp_path / "v3", no_default)
    freeze(v1, v3)
    data = Codec.from_dir(v1).encode("modstream.Thing", {"id": "t1", "legacy": "x"})
    assert error_of(Codec.from_dir(v3).decode, data).error_type == "incompatible_schema"


def test_schema_dir_problems_are_codec_errors(tmp_path: Path) -> None:
    assert error_of(Codec.from_dir, tmp_path).error_type == "schema_load"
    misnamed = tmp_path / "misnamed"
    misnamed.mkdir()
    (misnamed / "thing.avsc").write_text(json.dumps(THING_V2))
    assert "modstream.Thing.avsc" in str(error_of(Codec.from_dir, misnamed))
    history = schema_dir(tmp_path / "history-ref", THING_V2) / "history"
    history.mkdir()
    (history / "modstream.Holder.0.avsc").write_text(json.dumps(
        {"type": "record", "name": "modstream.Holder", "fields": [{"name": "m", "type": "modstream.Media"}]}))
    assert "self-contained" in str(error_of(Codec.from_dir, history.parent))


# --- Confluent wire format -----------------------------------------------------------------

def test_confluent_round_trip_registers_full_schema_once(monkeypatch: pytest.MonkeyPatch) -> None:
    client = registry_client()
    calls: list[str] = []
    register = client.register_schema

    def counting_register(subject: str, *args: Any, **kwargs: Any) -> int:
        calls.append(subject)
        return register(subject, *args, **kwargs)

    monkeypatch.setattr(client, "register_schema", counting_register)
    codec = Codec.from_dir(SCHEMAS, registry=client)
    record = example_record(CODEC.schema(POST), minimal=False)
    data = codec.encode(POST, record)
    codec.encode(POST, record)
    registered = client.get_latest_version(POST)
    assert calls == [POST]
    assert data[:1] == b"\x00" and data[1:5] == registered.schema_id.to_bytes(4, "big")
    assert data[5:] == body(CODEC.schema(POST), record)
    assert "default" in json.loads(registered.schema.schema_str)["fields"][4]  # defaults kept for compat checks
    assert codec.decode(data, expect=POST) == (POST, record)


def test_registry_url_builds_client_and_decoder_reads_both_formats() -> None:
    codec = Codec.from_dir(SCHEMAS, registry_url="mock://modstream")
    record = example_record(CODEC.schema(POST), minimal=False)
    framed = codec.encode(POST, record)
    assert framed[:1] == b"\x00"
    assert codec.decode(CODEC.encode(POST, record)) == (POST, record)  # single-object into registry mode
    assert codec.decode(framed) == (POST, record)
    err = error_of(CODEC.decode, framed)  # Confluent framing without a registry
    assert err.error_type == "registry_required" and "MODSTREAM_SCHEMA_REGISTRY_URL" in str(err)


def test_confluent_decode_fetches_unknown_ids_and_resolves_old_writers(tmp_path: Path) -> None:
    from confluent_kafka.schema_registry import Schema

    client = registry_client()
    post = example_record(CODEC.schema(POST), minimal=False)
    framed = Codec.from_dir(SCHEMAS, registry=client).encode(POST, post)
    v2 = schema_dir(tmp_path / "v2", THING_V2)
    old_id = client.register_schema("modstream.Thing", Schema(json.dumps(THING_V1), "AVRO"))
    old = b"\x00" + old_id.to_bytes(4, "big") + body(parse_writer(json.dumps(THING_V1)), {"id": "t", "legacy": "x"})
    reader = Codec.from_dir(SCHEMAS, registry=client)  # fresh caches: must fetch by id
    assert reader.decode(framed) == (POST, post)
    assert Codec.from_dir(v2, registry=client).decode(old) == ("modstream.Thing", {"id": "t", "score": 0.25, "tags": []})
    assert error_of(reader.decode, b"\x00\x00\x00\x03\xe7\x02").error_type == "unknown_schema_id"


# --- properties ----------------------------------------------------------------------------

PRIMITIVES = {"null": st.none(), "boolean": st.booleans(), "int": st.integers(-2**31, 2**31 - 1),
              "long": st.integers(-2**63, 2**63 - 1), "float": st.floats(width=32, allow_nan=False),
              "double": st.floats(allow_nan=False), "bytes": st.binary(max_size=20), "string": st.text(max_size=20)}


def records(t: Any, named: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Any valid value of an Avro type, built from the schema so new fields are covered too."""
    if isinstance(t, str):
        return records(named[t], named) if t in named else PRIMITIVES[t]
    if isinstance(t, list):
        return st.one_of([records(branch, named) for branch in t])
    kind = t["type"]
    if kind == "record":
        return st.fixed_dictionaries({f["name"]: records(f["type"], named) for f in t["fields"]})
    if kind == "enum":
        return st.sampled_from(t["symbols"])
    if kind == "array":
        return st.lists(records(t["items"], named), max_size=3)
    if kind == "map":
        return st.dictionaries(st.text(max_size=5), records(t["values"], named), max_size=3)
    if kind == "fixed":
        return st.binary(min_size=t["size"], max_size=t["size"])
    return records(kind, named)


@PROPERTY
@given(records(CODEC.schema(POST), CODEC.schema(POST)["__named_schemas"]))
def test_random_posts_round_trip(post: dict[str, Any]) -> None:
    assert CODEC.decode(CODEC.encode(POST, post), expect=POST) == (POST, post)


@PROPERTY
@given(st.dictionaries(st.sampled_from([f["name"] for f in CODEC.schema(POST)["fields"]]),
                       st.none() | st.integers() | st.text() | st.floats() | st.lists(st.integers())))
def test_random_records_encode_or_raise_codec_error(record: dict[str, Any]) -> None:
    try:
        CODEC.decode(CODEC.encode(POST, record))
    except CodecError as e:
        assert e.error_type == "invalid_record"


@pytest.fixture(scope="module")
def both_formats() -> tuple[Codec, list[bytes]]:
    codec = Codec.from_dir(SCHEMAS, registry=registry_client())
    headers = [codec.encode(n, example_record(codec.schema(n)))[:5] for n in codec.names()]
    return codec, headers + [b"\xc3\x01" + fingerprint64(CODEC.schema(n)) for n in CODEC.names()]


@PROPERTY
@given(data=st.data())
def test_random_bytes_raise_only_codec_errors(both_formats: tuple[Codec, list[bytes]], data: st.DataObject) -> None:
    codec, headers = both_formats
    raw = data.draw(st.binary(max_size=60) | st.builds(bytes.__add__, st.sampled_from(headers), st.binary(max_size=60)))
    for decoder in (codec, CODEC):
        try:
            decoder.decode(raw)
        except CodecError as e:
            assert e.error_type and str(e)
