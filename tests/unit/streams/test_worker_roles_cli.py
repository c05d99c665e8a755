"""`modstream worker --role hotpath` runs the hot path; `--role decide` (its old name) still does,
with a deprecation warning, for one release."""

from __future__ import annotations

import pytest

from streams.commands import cli
from streams.drivers import worker
from streams.drivers.faust_agents import HOT, ROLES


@pytest.fixture
def runs(monkeypatch):
    got: list[str] = []
    monkeypatch.setattr(worker, "run", lambda settings, role="all": got.append(role))
    return got


def test_hotpath_role_is_the_hot_path():
    assert ROLES["hotpath"] == HOT and "decide" not in ROLES


def test_hotpath_role_runs_without_warning(runs, capsys):
    assert cli.main(["worker", "--role", "hotpath"]) == 0
    assert runs == ["hotpath"] and "deprecated" not in capsys.readouterr().err


def test_decide_role_is_a_deprecated_alias(runs, capsys):
    assert cli.main(["worker", "--role", "decide"]) == 0
    assert runs == ["hotpath"]
    assert "`--role decide` is deprecated" in capsys.readouterr().err
