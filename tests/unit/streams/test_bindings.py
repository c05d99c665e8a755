"""The faust app binds every agent of every role (no broker needed to build it)."""

import io
import json
import logging

import pytest

from streams.infra import logs
from streams.drivers.faust_app import create_app
from streams.engine.runtime import Runtime
from streams.drivers.faust_agents import HOT, ROLES, bind
from streams.infra.config import Settings


@pytest.mark.parametrize("classifier", [True, False])
@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_role_binds_its_agents(role, classifier):
    """The hot path's roles are not faust agents; it tags (classifier included) as well as routes,
    so no role binds a tag or classify agent any more."""
    settings = Settings(classifier=classifier)
    app = create_app(settings)
    bind(app, Runtime.build(settings), ROLES[role])
    assert sorted(app.agents) == sorted(set(ROLES[role]) - set(HOT))
    assert not {"tag", "classify"} & set(app.agents)


def test_structlog_lines_are_json_once_with_bound_context():
    out = io.StringIO()
    logs.configure("INFO", stream=out)
    import structlog

    with structlog.contextvars.bound_contextvars(topic="posts.v1", partition=3, offset=42, key="p1"):
        logs.get("test").info("decision", route="enforce")
    logging.getLogger().handlers.clear()
    line = json.loads(out.getvalue().splitlines()[-1])
    assert line["event"] == "decision" and line["route"] == "enforce"
    assert (line["topic"], line["partition"], line["offset"], line["key"]) == ("posts.v1", 3, 42, "p1")
