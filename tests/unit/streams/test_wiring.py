"""The wiring table (streams/infra/wiring.py) agrees with the code, and the docs generated from it
(README's topic table, ops/acl.md) agree with the table."""

from __future__ import annotations

import ast
import shutil
from functools import cache
from pathlib import Path

import pytest

from streams.commands import topic_docs
from streams.drivers import hotpath
from streams.drivers.faust_agents import AGENTS, bind
from streams.drivers.faust_app import create_app
from streams.infra import topics
from streams.infra.config import PROJECT_ROOT, Settings
from streams.infra.wiring import BY_COMPONENT, WIRING, producers
from streams.engine.runtime import Runtime

SPECS = {name: value for name, value in vars(topics).items() if isinstance(value, topics.TopicSpec)}
#: a module calling one of these names the topics of the module that defines it
CALLS = {"decision_records": "streams/engine/apply.py", "publish_policy": "streams/infra/policy_versions.py",
         "replay": "streams/drivers/replay.py", "read_context": "streams/engine/asof.py"}
#: helpers: their topics count for the modules that call them
HELPERS = {"streams/engine/apply.py", "streams/infra/policy_versions.py"}
#: they run against their own local stack, for a person at a terminal: no principal, no ACL
LOCAL_TOOLS = {"streams/commands/bench.py", "streams/commands/demo.py"}
#: topics a module names without reading or writing them
NAMED_ONLY = {"streams/commands/cli.py": {topics.POSTS, topics.AUDIT}}  # defaults of replay --topic, audit --recorded


@cache
def _tree(rel: str) -> ast.Module:
    return ast.parse((PROJECT_ROOT / rel).read_text(encoding="utf-8"))


def named(rel: str) -> set[topics.TopicSpec]:
    """The catalog topics a module names: `topics.X`, `from streams.infra.topics import X`."""
    tree = _tree(rel)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "topics":
            names.add(node.attr)
        elif isinstance(node, ast.ImportFrom) and node.module == "streams.infra.topics":
            names |= {a.name for a in node.names}
    out = {SPECS[n] for n in names if n in SPECS}
    return out | (set(topics.REPLAYABLE) if "REPLAYABLE" in names else set())


def calls(rel: str) -> set[str]:
    tree = _tree(rel)
    return {n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, "id", "")
            for n in ast.walk(tree) if isinstance(n, ast.Call)}


def reached(rel: str, seen: frozenset[str] = frozenset()) -> set[topics.TopicSpec]:
    """What a module names, directly or through the CALLS it makes (and those make)."""
    deeper = {CALLS[f] for f in calls(rel) & CALLS.keys()} - seen - {rel}
    return named(rel).union(*(reached(m, seen | {rel}) for m in deeper))


def wired(rel: str) -> set[topics.TopicSpec]:
    return {s for c in WIRING if rel in c.modules for s in (*c.reads, *c.writes)}


#: every module naming a topic, but the table itself, the helpers and the local tools
NAMING = sorted(rel for p in (PROJECT_ROOT / "streams").rglob("*.py")
                if named(rel := str(p.relative_to(PROJECT_ROOT))) - NAMED_ONLY.get(rel, set())
                and rel not in {"streams/infra/wiring.py", *HELPERS, *LOCAL_TOOLS})


@pytest.mark.parametrize("rel", NAMING)
def test_a_module_names_only_topics_the_table_wires_it_to(rel):
    found = named(rel) - NAMED_ONLY.get(rel, set())
    assert any(rel in c.modules for c in WIRING), f"{rel} names {sorted(s.name for s in found)}: add it to WIRING"
    assert not found - wired(rel), f"{rel} names topics WIRING does not give it: " \
                                   f"{sorted(s.name for s in found - wired(rel))}"


@pytest.mark.parametrize("component", [c for c in WIRING if c.modules], ids=lambda c: c.name)
def test_every_wired_topic_is_named_in_the_components_code(component):
    for rel in component.modules:
        assert (PROJECT_ROOT / rel).is_file(), rel
    code = set().union(*(reached(rel) for rel in component.modules))
    missing = {*component.reads, *component.writes} - code
    assert not missing, f"{component.name}: WIRING says it uses {sorted(s.name for s in missing)}; " \
                        f"{', '.join(component.modules)} never name them"


def test_the_hot_path_consumes_what_the_table_says():
    settings = Settings()
    hot = BY_COMPONENT["hot path"]
    assert set(hotpath.input_topics(settings)) == set(hot.reads)
    assert hot.groups == (hotpath.group_id(settings),)
    assert BY_COMPONENT["faust worker"].groups == (settings.app_id,)


def test_each_faust_agent_consumes_what_the_table_says():
    settings = Settings(classifier=False)
    app = create_app(settings)
    bind(app, Runtime.build(settings), tuple(AGENTS))  # every agent, `posts` (--role faust-posts) included
    bound = {f"{name} agent": set(agent.channel.topics) for name, agent in app.agents.items()}
    table = {c.name: {s.name for s in c.reads} for c in WIRING if c.name.endswith(" agent")}
    assert bound == table


def test_every_topic_has_a_producer():
    assert [s.name for s in topics.CATALOG if not producers(s)] == []


def test_the_generated_docs_match_the_table():
    assert topic_docs.stale(PROJECT_ROOT) == [], f"run `{topic_docs.CMD}`"


def test_a_hand_edit_of_a_generated_part_is_found_and_rewritten(tmp_path: Path):
    for rel in topic_docs.SECTIONS:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT_ROOT / rel, tmp_path / rel)
    readme = tmp_path / "README.md"
    original = readme.read_text(encoding="utf-8")
    row = next(line for line in original.splitlines() if line.startswith("| posts.v1 |"))
    readme.write_text(original.replace(row, row.replace("`hot path`", "tag agent")), encoding="utf-8")
    assert topic_docs.stale(tmp_path) == ["README.md"]
    assert topic_docs.write(tmp_path) == ["README.md"] and readme.read_text(encoding="utf-8") == original


def test_markers_must_be_there_once():
    with pytest.raises(ValueError, match="markers"):
        topic_docs.render("no markers here", "topics", "x")
