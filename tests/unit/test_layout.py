"""Architecture rules a reviewer would otherwise check by hand."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from streams.infra.codec import Codec
from streams.infra.config import PROJECT_ROOT
from streams.infra.topics import CATALOG

FORBIDDEN_IN_AGENTS = {"faust", "confluent_kafka", "redis", "aiokafka", "mode"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((PROJECT_ROOT / "agents").rglob("*.py")), ids=str)
def test_agents_have_no_transport_imports(path):
    assert not _imports(path) & FORBIDDEN_IN_AGENTS


def test_topic_names_live_only_in_the_catalog():
    pattern = re.compile(r"""["'][a-z][a-z-]+\.v\d+["']""")
    offenders = [str(p) for d in ("agents", "streams", "ops") for p in (PROJECT_ROOT / d).rglob("*.py")
                 if p.name != "topics.py" and pattern.search(p.read_text())]
    assert offenders == []


def test_catalog_names_are_unique_and_schemas_exist():
    names = [t.name for t in CATALOG]
    assert len(names) == len(set(names))
    codec = Codec.from_dir(PROJECT_ROOT / "schemas")
    assert {t.schema for t in CATALOG} <= set(codec.names())


def test_every_schema_field_has_a_doc():
    for path in (PROJECT_ROOT / "schemas").glob("*.avsc"):
        schema = yaml.safe_load(path.read_text())
        assert schema.get("doc"), path.name
        assert all(f.get("doc") for f in schema["fields"]), path.name


def test_compose_file_has_kafka_redis_and_workers():
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["kafka"]["image"] == "apache/kafka:3.9.1"
    assert services["redis"]["image"].startswith("redis:7")
    assert services["worker"]["command"] == ["modstream", "worker"]


def test_docker_compose_config_validates():
    if shutil.which("docker") is None or subprocess.run(["docker", "compose", "version"],
                                                        capture_output=True).returncode != 0:
        pytest.skip("docker compose client not installed here; the YAML structure is checked above")
    res = subprocess.run(["docker", "compose", "-f", str(PROJECT_ROOT / "docker-compose.yml"), "config", "-q"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


#: what each streams/ group may import from the others (issue 17): infrastructure stands alone,
#: the engine on it, drivers on both, commands and the console on anything.
ALLOWED_BELOW = {
    "infra": {"infra"},
    "engine": {"infra", "engine"},
    "drivers": {"infra", "engine"},
}
#: starts the drivers (the hot path as a child process beside the faust agents): the one module of
#: drivers/ that imports the others, and no driver imports it
LAUNCHER = "worker.py"


def _streams_modules(path: Path) -> set[str]:
    """Every streams.* module `path` imports, at the top or inside a function."""
    tree = ast.parse(path.read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return {m for m in out if m.startswith("streams.") and m.count(".") >= 1}


def _streams_imports(path: Path) -> set[str]:
    return {m.split(".")[1] for m in _streams_modules(path)}


@pytest.mark.parametrize("group", sorted(ALLOWED_BELOW))
def test_streams_groups_import_only_what_is_below_them(group):
    offenders = {str(p.relative_to(PROJECT_ROOT)): sorted(_streams_imports(p) - ALLOWED_BELOW[group])
                 for p in (PROJECT_ROOT / "streams" / group).rglob("*.py") if p.name != LAUNCHER}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_driver_imports_another_driver_or_a_command():
    drivers = PROJECT_ROOT / "streams" / "drivers"
    offenders = {}
    for path in drivers.glob("*.py"):
        if path.name == LAUNCHER:
            bad = {m for m in _streams_modules(path) if m.startswith("streams.commands")}
        else:
            bad = {m for m in _streams_modules(path) if m.startswith(("streams.drivers", "streams.commands"))}
        if bad:
            offenders[path.name] = sorted(bad)
    assert offenders == {}
    assert (drivers / LAUNCHER).exists()  # the exception above names a real module


def test_every_streams_module_sits_in_a_group():
    loose = [p.name for p in (PROJECT_ROOT / "streams").glob("*.py") if p.name != "__init__.py"]
    assert loose == []
