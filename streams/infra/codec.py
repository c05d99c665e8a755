"""The Avro codec every modstream producer and consumer uses.

Messages carry their writer schema as a CRC-64-AVRO fingerprint (Avro single-object
encoding) or, with a schema registry, as a Confluent schema id; readers resolve that writer
to the current schema of the same name, so a schema change never breaks a running consumer.
Superseded writer schemas live in schemas/history/ (see its README.md).
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any, Callable, NamedTuple

from fastavro import parse_schema, schemaless_reader, schemaless_writer
from fastavro.read import SchemaResolutionError
from fastavro.schema import fingerprint as _fingerprint_hex
from fastavro.schema import load_schema, to_parsing_canonical_form
from fastavro.validation import ValidationError, validate

from streams.infra.topics import MAX_INPUT_BYTES

SINGLE_OBJECT_MAGIC = b"\xc3\x01"
CONFLUENT_MAGIC = b"\x00"
REGISTRY_URL_ENV = "MODSTREAM_SCHEMA_REGISTRY_URL"
_HOW_TO_KEEP = "add its .avsc to schemas/ (current) or schemas/history/ (superseded; see schemas/history/README.md)"


class CodecError(ValueError):
    """Bytes or a record that cannot be (de)serialised; `error_type` is machine-readable (dead letters)."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type


class _Writer(NamedTuple):
    name: str
    schema: dict[str, Any]
    reader: dict[str, Any] | None  # None when the writer is the current schema: no resolution


def fingerprint64(schema: Any) -> bytes:
    """CRC-64-AVRO of the Parsing Canonical Form as the 8 bytes on the wire.

    fastavro's hex is already little-endian, as the spec's single-object encoding wants
    (Java writes SchemaNormalization.parsingFingerprint64 little-endian); see test_codec.
    """
    return bytes.fromhex(_fingerprint_hex(to_parsing_canonical_form(schema), "CRC-64-AVRO"))


def parse_writer(text: str) -> dict[str, Any]:
    """A self-contained named writer schema from JSON text (history files, registry answers)."""
    schema = parse_schema(json.loads(text))
    if not isinstance(schema, dict) or schema.get("type") != "record":
        raise ValueError(f"not an Avro record schema: {text[:80]}")
    return schema


def _load(path: Path, loader: Callable[[Path], Any], hint: str) -> dict[str, Any]:
    try:
        schema = loader(path)
    except Exception as e:
        raise CodecError("schema_load", f"cannot load Avro schema {path}: {type(e).__name__}: {e}. {hint}") from e
    if not isinstance(schema, dict) or schema.get("type") != "record":
        raise CodecError("schema_load", f"{path} is not an Avro record schema: modstream messages are records")
    return schema


def load_schemas(schema_dir: Path) -> dict[str, dict[str, Any]]:
    """Parse every schema_dir/*.avsc, keyed by full name; the file name must be `<full name>.avsc`
    because that is how fastavro finds cross-file references."""
    files = sorted(Path(schema_dir).glob("*.avsc"))
    if not files:
        raise CodecError("schema_load", f"no *.avsc files in {schema_dir}: pass the repository's schemas/ folder")
    schemas = {}
    for path in files:
        schema = _load(path, lambda p: load_schema(str(p)),
                       "Fix the file; refer to another schema by its full name, e.g. modstream.Media")
        if path.name != f"{schema['name']}.avsc":
            raise CodecError("schema_load", f"{path} defines {schema['name']}: rename it to {schema['name']}.avsc")
        schemas[schema["name"]] = schema
    return schemas


class Codec:
    """Encode/decode modstream records; build once (from_dir) and share: it is immutable
    apart from registry-id caches, whose racing fills are harmless."""

    def __init__(self, current: dict[str, dict[str, Any]], history: list[dict[str, Any]], registry: Any = None) -> None:
        self._current = current
        self._header = {name: SINGLE_OBJECT_MAGIC + fingerprint64(s) for name, s in current.items()}
        self._prepare = {name: _union_branches(s, s.get("__named_schemas", {}), frozenset()) for name, s in current.items()}
        self._by_fp = {fingerprint64(s): _Writer(s["name"], s, current.get(s["name"])) for s in history}
        self._by_fp.update((h[2:], _Writer(name, current[name], None)) for name, h in self._header.items())
        self._registry = registry
        self._ids: dict[str, int] = {}
        self._by_id: dict[int, _Writer] = {}

    @classmethod
    def from_dir(cls, schema_dir: Path, *, registry_url: str | None = None, registry: Any = None) -> Codec:
        """Load schemas/*.avsc (current) and schemas/history/*.avsc (self-contained old writers).
        With registry_url (or a ready SchemaRegistryClient) encode uses Confluent framing."""
        history = [_load(p, lambda p: parse_writer(p.read_text()),
                         "History files must be self-contained: write them with `python -m streams.infra.codec freeze`")
                   for p in sorted((Path(schema_dir) / "history").glob("*.avsc"))]
        if registry is None and registry_url:
            from confluent_kafka.schema_registry import SchemaRegistryClient  # needs extras: only when used

            registry = SchemaRegistryClient.new_client({"url": registry_url})  # new_client maps mock:// to the mock
        return cls(load_schemas(schema_dir), history, registry)

    def names(self) -> list[str]:
        return sorted(self._current)

    def schema(self, name: str) -> dict[str, Any]:
        """The parsed current schema (shared: do not mutate)."""
        self._check_name(name)
        return self._current[name]

    def fingerprint(self, name: str) -> str:
        self._check_name(name)
        return self._header[name][2:].hex()

    def encode(self, name: str, record: dict[str, Any]) -> bytes:
        self._check_name(name)
        schema = self._current[name]
        buf = io.BytesIO()
        buf.write(self._registry_header(name) if self._registry is not None else self._header[name])
        prepare = self._prepare[name]
        try:
            schemaless_writer(buf, schema, prepare(record) if prepare else record)
        except Exception as e:  # fastavro's errors name no field: validate (slow) only now, to say which
            raise CodecError("invalid_record", f"record does not match schema {name}: {_problems(record, schema, e)}. "
                             f"Fix the producer, or the schema in schemas/{name}.avsc") from e
        return buf.getvalue()

    def decode(self, data: bytes, expect: str | None = None) -> tuple[str, dict[str, Any]]:
        """Return (full name, record as the current schema of that name sees it)."""
        writer, start = self._writer_of(data)
        if expect is not None and writer.name != expect:
            raise CodecError("wrong_schema", f"expected a {expect} message but it was written as {writer.name}: "
                             "the producer wrote to the wrong topic, or the consumer reads the wrong one")
        buf = io.BytesIO(data)
        buf.seek(start)
        try:
            record: Any = schemaless_reader(buf, writer.schema, writer.reader)
        except SchemaResolutionError as e:
            raise CodecError("incompatible_schema", f"{writer.name} data cannot be read with the current schema: {e}. "
                             "Schema changes must stay backward compatible (new fields need defaults)") from e
        except Exception as e:
            raise CodecError("malformed_avro", f"cannot decode the {writer.name} body of a {len(data)}-byte message: "
                             f"{type(e).__name__}: {e}. The bytes are truncated or corrupt") from e
        if buf.tell() != len(data):
            raise CodecError("malformed_avro", f"{len(data) - buf.tell()} bytes left over after the {writer.name} "
                             "record: the bytes are corrupt or the header names the wrong schema")
        return writer.name, record

    def decode_input(self, data: bytes | None, expect: str) -> dict[str, Any]:
        """An input record's value, bounded before it is decoded: a record over MAX_INPUT_BYTES
        cannot hold a valid input (posts are bounded far below it) and is not worth decoding."""
        if data is None:
            raise CodecError("empty_value", "empty record (tombstone) on a topic that needs a value")
        if len(data) > MAX_INPUT_BYTES:
            raise CodecError("too_large", f"the record is {len(data):,} bytes, over the {MAX_INPUT_BYTES:,}-byte "
                             "limit for an input record: split it, or shorten its text (see README 'Limits')")
        return self.decode(data, expect=expect)[1]

    def _check_name(self, name: str) -> None:
        if name not in self._current:
            raise CodecError("unknown_schema", f"no schema named {name!r} (known: {', '.join(self.names())}): "
                             f"use a full name such as modstream.Post, or add schemas/{name}.avsc")

    def _writer_of(self, data: bytes) -> tuple[_Writer, int]:
        if not data:
            raise CodecError("empty_value", "empty message value (a compaction tombstone?): there is nothing to decode")
        if data[:2] == SINGLE_OBJECT_MAGIC:
            if len(data) < 10:
                raise CodecError("malformed_avro", f"single-object header truncated: {len(data)} of 10 bytes")
            writer = self._by_fp.get(bytes(data[2:10]))
            if writer is None:
                raise CodecError("unknown_fingerprint", f"no known schema has CRC-64-AVRO fingerprint {data[2:10].hex()}: "
                                 f"the writer used a schema this consumer lacks; {_HOW_TO_KEEP}")
            return writer, 10
        if data[:1] == CONFLUENT_MAGIC:
            if len(data) < 5:
                raise CodecError("malformed_avro", f"Confluent header truncated: {len(data)} of 5 bytes")
            return self._writer_by_id(int.from_bytes(data[1:5], "big")), 5
        raise CodecError("bad_magic", f"message starts with {data[:2].hex()}, neither Avro single-object (c301) nor "
                         "Confluent (00) framing: the producer did not use streams.infra.codec")

    def _registry_header(self, name: str) -> bytes:
        schema_id = self._ids.get(name)
        if schema_id is None:
            from confluent_kafka.schema_registry import Schema

            text = json.dumps({k: v for k, v in self._current[name].items() if not k.startswith("__")})
            try:  # full JSON, defaults kept: the registry's compatibility checks need them
                schema_id = self._registry.register_schema(name, Schema(text, "AVRO"))
            except Exception as e:
                raise CodecError("registry_error", f"cannot register {name} under subject {name}: {e}. Check "
                                 f"{REGISTRY_URL_ENV} and that the change is compatible with the subject's versions") from e
            self._ids[name] = schema_id
            self._by_id[schema_id] = self._by_fp[self._header[name][2:]]
        return CONFLUENT_MAGIC + schema_id.to_bytes(4, "big")

    def _writer_by_id(self, schema_id: int) -> _Writer:
        writer = self._by_id.get(schema_id)
        if writer is not None:
            return writer
        if self._registry is None:
            raise CodecError("registry_required", f"message uses Confluent framing (schema id {schema_id}) but no "
                             f"schema registry is configured: set {REGISTRY_URL_ENV}")
        try:
            schema = parse_writer(self._registry.get_schema(schema_id).schema_str)
        except Exception as e:
            raise CodecError("unknown_schema_id", f"cannot get Avro record schema id {schema_id} from the registry: "
                             f"{type(e).__name__}: {e}. Check {REGISTRY_URL_ENV} points at the producers' registry") from e
        name = schema["name"]
        writer = self._by_fp.get(fingerprint64(schema)) or _Writer(name, schema, self._current.get(name))
        self._by_id[schema_id] = writer
        return writer


def _union_branches(t: Any, named: dict[str, Any], building: frozenset[str]) -> Callable[[Any], Any] | None:
    """A function that names the branch of every `["null", <record>]` union value in a `t` value, in
    fastavro's tuple notation: without it fastavro validates the value against each branch to pick
    one (an audit record's political status took 40% of its encoding). None: nothing to name."""
    if isinstance(t, str):
        t = named.get(t, t)
    if isinstance(t, list):
        branches = [b for b in t if b != "null"]
        record = named.get(branches[0], branches[0]) if len(branches) == 1 and isinstance(branches[0], str) else (
            branches[0] if len(branches) == 1 else None)
        if not (isinstance(record, dict) and record.get("type") == "record"):
            return None
        name, inner = record["name"], _union_branches(record, named, building)
        return lambda v: (name, inner(v) if inner else v) if isinstance(v, dict) else v
    if not isinstance(t, dict):
        return None
    kind = t.get("type")
    if kind == "array" or kind == "map":
        each = _union_branches(t["items" if kind == "array" else "values"], named, building)
        if each is None:
            return None
        if kind == "array":
            return lambda v: [each(x) for x in v] if isinstance(v, list) else v
        return lambda v: {k: each(x) for k, x in v.items()} if isinstance(v, dict) else v
    if kind != "record" or t["name"] in building:  # a recursive type: left to fastavro
        return None
    fields = [(f["name"], p) for f in t["fields"] if (p := _union_branches(f["type"], named, building | {t["name"]}))]
    if not fields:
        return None

    def record_value(v: Any) -> Any:
        if not isinstance(v, dict):
            return v
        v = dict(v)  # the caller's record is left as it was
        for field, prepare in fields:
            if field in v:
                v[field] = prepare(v[field])
        return v
    return record_value


def _problems(record: Any, schema: dict[str, Any], error: Exception) -> str:
    """Which fields are wrong, by type only: values may be personal data and must not reach logs."""
    try:
        validate(record, schema, raise_errors=True)
    except ValidationError as v:
        return "; ".join(f"{e.field or 'the record'} is "
                         f"{'missing or null' if e.datum is None else type(e.datum).__name__}, "
                         f"expected {_type_name(e.schema)}" for e in v.errors)
    return f"{type(error).__name__}: {error}"


def _type_name(schema: Any) -> str:
    if isinstance(schema, list):
        return " or ".join(map(_type_name, schema))
    if not isinstance(schema, dict):
        return str(schema)
    if schema["type"] == "enum":
        return f"one of {schema['symbols']}"
    if schema["type"] in ("array", "map"):
        return f"{schema['type']} of {_type_name(schema.get('items', schema.get('values')))}"
    return str(schema.get("name", schema["type"]))


def freeze(old_dir: Path, schema_dir: Path) -> list[Path]:
    """Keep each schema version in old_dir that schema_dir no longer knows as
    schema_dir/history/<name>.<fingerprint>.avsc, so messages already written stay decodable."""
    known = Codec.from_dir(schema_dir)._by_fp
    written = []
    for name, schema in load_schemas(old_dir).items():
        fp = fingerprint64(schema)
        if fp not in known:
            path = Path(schema_dir) / "history" / f"{name}.{fp.hex()}.avsc"
            path.parent.mkdir(exist_ok=True)
            path.write_text(to_parsing_canonical_form(schema) + "\n")
            written.append(path)
    return written


def example_record(schema: dict[str, Any], *, minimal: bool = True, choice: int = -1) -> dict[str, Any]:
    """A valid record for tests and docs: minimal uses field defaults; otherwise every field gets
    a value (a non-null union branch, one-item arrays and maps). `choice` picks enum symbols and
    union branches, so a caller can cover each of them."""
    named = schema.get("__named_schemas", {})
    base = {"null": None, "boolean": True, "int": 7, "long": 7, "float": 1.5, "double": 0.5,
            "bytes": b"\x00\xff", "string": "example"}

    def name_of(t: Any) -> Any:
        t = named.get(t, t) if isinstance(t, str) else t
        return t.get("name") if isinstance(t, dict) else None

    def value(t: Any, path: frozenset[str]) -> Any:  # path: records being built, to stop recursive types
        if isinstance(t, str):
            return value(named[t], path) if t in named else base[t]
        if isinstance(t, list):
            usable = [b for b in t if b != "null" and name_of(b) not in path]
            return value(usable[choice % len(usable)] if usable and not minimal else t[0], path)
        kind = t["type"]
        if kind == "record":
            inner = path | {t["name"]}
            return {f["name"]: f["default"] if minimal and "default" in f else value(f["type"], inner) for f in t["fields"]}
        if kind == "enum":
            return t["symbols"][choice % len(t["symbols"])]
        if kind == "fixed":
            return b"\x01" * t["size"]
        if kind in ("array", "map"):
            item = t.get("items", t.get("values"))
            one = [] if name_of(item) in path else [value(item, path)]
            return one if kind == "array" else {f"key{i}": v for i, v in enumerate(one)}
        return value(kind, path)

    return value(schema, frozenset())


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "freeze":
        sys.exit("usage: python -m streams.infra.codec freeze OLD_SCHEMA_DIR SCHEMA_DIR  (see schemas/history/README.md)")
    for written in freeze(Path(sys.argv[2]), Path(sys.argv[3])):
        print(written)
