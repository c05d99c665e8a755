"""Schema changes must stay BACKWARD compatible: the current schemas read data written with any
version ever committed, and the codec still knows those versions' fingerprints (schemas/ or
schemas/history/), so messages already on the topics stay decodable."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

import pytest
from fastavro import schemaless_reader, schemaless_writer
from fastavro.schema import to_parsing_canonical_form

from streams.infra.codec import Codec, CodecError, example_record, fingerprint64, freeze, load_schemas, parse_writer

REPO = Path(__file__).resolve().parents[3]
SCHEMAS = REPO / "schemas"


class Version(NamedTuple):
    origin: str  # commit, "working tree" or history file
    name: str
    schema: dict[str, Any]


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)


def snapshot(repo: Path, commit: str, dest: Path) -> Path:
    """schemas/*.avsc as of `commit`, whole, so cross-file references resolve as they did then."""
    archive = git(repo, "archive", "--format=tar", commit, "schemas")
    assert archive.returncode == 0, archive.stderr.decode()
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        for member in tar.getmembers():
            path = PurePosixPath(member.name)
            if member.isfile() and path.parent == PurePosixPath("schemas") and path.suffix == ".avsc":
                (dest / path.name).write_bytes(tar.extractfile(member).read())  # type: ignore[union-attr]
    return dest


def committed_versions(repo: Path) -> list[Version]:
    """Every distinct version (by fingerprint) of every schema in any commit that touched schemas/*.avsc."""
    inside = git(repo, "rev-parse", "--is-inside-work-tree")
    if inside.stdout.strip() != b"true":
        pytest.fail(f"{repo} is not a git checkout ({inside.stderr.decode().strip()}): the schema evolution "
                    "check reads schemas/ history from git; run the tests in a clone of the repository")
    if git(repo, "rev-parse", "--verify", "-q", "HEAD").returncode != 0:
        return []  # no commits yet
    commits = git(repo, "log", "--format=%H", "--", ":(glob)schemas/*.avsc").stdout.decode().split()
    versions: dict[bytes, Version] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for commit in commits:
            for name, schema in load_schemas(snapshot(repo, commit, Path(tmp) / commit)).items():
                versions.setdefault(fingerprint64(schema), Version(commit[:12], name, schema))
    return list(versions.values())


def working_tree_versions(schema_dir: Path) -> list[Version]:
    """Current schemas re-parsed from their canonical form (a separate writer object, so decoding
    really resolves) plus the superseded versions kept in history/."""
    current = [Version("working tree", n, parse_writer(to_parsing_canonical_form(s)))
               for n, s in load_schemas(schema_dir).items()]
    kept = [parse_writer(p.read_text()) for p in sorted((schema_dir / "history").glob("*.avsc"))]
    return current + [Version("schemas/history", s["name"], s) for s in kept]


def records(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Records with defaults, and with every field set, covering each enum symbol and union branch."""
    widest = max([len(t.get("symbols", ())) for t in schema["__named_schemas"].values()] + [3])
    found = [example_record(schema)] + [example_record(schema, minimal=False, choice=c) for c in range(widest)]
    return [r for i, r in enumerate(found) if r not in found[:i]]


def body(schema: dict[str, Any], record: dict[str, Any]) -> bytes:
    buf = io.BytesIO()
    schemaless_writer(buf, schema, record)
    return buf.getvalue()


def backward_problems(versions: list[Version], codec: Codec) -> list[str]:
    """Versions whose data the current schema of the same name cannot read."""
    problems = []
    for v in versions:
        if v.name not in codec.names():
            continue  # schema removed: missing_fingerprints() still demands its old versions be kept
        for record in records(v.schema):
            try:
                schemaless_reader(io.BytesIO(body(v.schema, record)), v.schema, codec.schema(v.name))
            except Exception as e:
                problems.append(f"{v.name} as of {v.origin}: {type(e).__name__}: {e}")
    return problems


def missing_fingerprints(versions: list[Version], codec: Codec) -> list[Version]:
    """Versions whose single-object messages the codec cannot place (unknown fingerprint)."""
    missing = []
    for v in versions:
        try:
            codec.decode(b"\xc3\x01" + fingerprint64(v.schema) + body(v.schema, example_record(v.schema)))
        except CodecError as e:
            if e.error_type == "unknown_fingerprint":
                missing.append(v)
    return missing


def how_to_keep(missing: list[Version]) -> str:
    lines = [f"  {v.name} {fingerprint64(v.schema).hex()} (committed in {v.origin})" for v in missing]
    fixes = [f"  mkdir -p /tmp/{c} && git archive {c} schemas | tar -x -C /tmp/{c} && "
             f"python -m streams.infra.codec freeze /tmp/{c}/schemas schemas"
             for c in dict.fromkeys(v.origin for v in missing)]
    return "\n".join(["old messages with these schema versions would become undecodable:", *lines,
                      "keep them in schemas/history/ by running, from the repository root:", *fixes])


# --- the checks on this repository ---------------------------------------------------------

CODEC = Codec.from_dir(SCHEMAS)


def test_every_writer_the_codec_knows_resolves_to_current() -> None:
    versions = working_tree_versions(SCHEMAS)
    assert len(versions) >= len(CODEC.names()) > 0
    assert backward_problems(versions, CODEC) == []
    assert missing_fingerprints(versions, CODEC) == []


def test_committed_versions_are_backward_compatible() -> None:
    versions = committed_versions(REPO) + working_tree_versions(SCHEMAS)  # never an empty check
    assert backward_problems(versions, CODEC) == []


def test_committed_versions_stay_decodable() -> None:
    missing = missing_fingerprints(committed_versions(REPO), CODEC)
    assert not missing, how_to_keep(missing)


# --- the history walker itself, on a scratch repository ------------------------------------

def commit(repo: Path, message: str) -> str:
    for args in (("add", "-A"), ("-c", "user.name=test", "-c", "user.email=test@example.invalid",
                                 "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null",
                                 "commit", "-q", "-m", message)):
        result = git(repo, *args)
        assert result.returncode == 0, result.stderr.decode()
    return git(repo, "rev-parse", "HEAD").stdout.decode().strip()


def edit(schema_file: Path, new_field: dict[str, Any]) -> None:
    schema = json.loads(schema_file.read_text())
    schema["fields"].append(new_field)
    schema_file.write_text(json.dumps(schema, indent=2))


def test_history_walker_on_a_scratch_repo(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception, match="not a git checkout"):
        committed_versions(tmp_path)
    repo, schemas = tmp_path / "repo", tmp_path / "repo" / "schemas"
    shutil.copytree(SCHEMAS, schemas, ignore=shutil.ignore_patterns("history"))
    assert git(repo, "init", "-q").returncode == 0
    assert committed_versions(repo) == []

    v1 = commit(repo, "v1")
    edit(schemas / "modstream.Media.avsc", {"name": "alt_text", "type": ["null", "string"], "default": None})
    commit(repo, "v2: Media gains a defaulted field")
    versions = committed_versions(repo)
    embedding_media = {n for n, s in load_schemas(schemas).items() if "modstream.Media" in json.dumps(s)}
    assert len(versions) == len(CODEC.names()) + len(embedding_media)  # Post, TaggedPost... changed too
    codec = Codec.from_dir(schemas)
    assert backward_problems(versions, codec) == []
    missing = missing_fingerprints(versions, codec)
    assert {v.name for v in missing} == embedding_media and {v.origin for v in missing} == {v1[:12]}
    assert f"git archive {v1[:12]} schemas" in how_to_keep(missing)

    freeze(snapshot(repo, v1, tmp_path / "prev"), schemas)  # what how_to_keep() tells a developer to run
    assert missing_fingerprints(versions, Codec.from_dir(schemas)) == []

    edit(schemas / "modstream.Post.avsc", {"name": "required_new", "type": "string"})
    commit(repo, "v3: breaks old Post data")
    problems = backward_problems(committed_versions(repo), Codec.from_dir(schemas))
    assert problems and all(p.startswith(("modstream.Post ", "modstream.TaggedPost ")) for p in problems)
