"""The wiring table: which part of modstream (or which outside service) reads and writes each topic,
as which Kafka principal. The one copy.

README's topic table and ops/acl.md's principals and ACLs are generated from it together with the
catalog (`modstream topics docs --write`); tests/unit/streams/test_wiring.py fails when they drift, or
when the table disagrees with the code (the hot path's subscription, each faust agent's topic, and
the topics each module names). `modstream decide` is not here: it reads JSON Lines and writes
stdout, no topic.
"""

from __future__ import annotations

from dataclasses import dataclass

from streams.infra.topics import (ACCOUNT_STATUS, ACCOUNTS, ACTIONS, APPEALS, AUDIT, CATALOG, DEAD_LETTERS,
                                  DELETIONS, ESCALATIONS, LEGAL, NCMEC, NOTICES, PATCHES, POLICY_VERSIONS, POSTS,
                                  REPLAYABLE, REPORTS, REVIEWS, VIOLATIONS, TopicSpec)

#: what `streams.engine.apply.decision_records` may write: every driver that decides writes these
DECISION_OUTPUTS = (ESCALATIONS, ACTIONS, NOTICES, NCMEC, AUDIT)
#: the throwaway group ids of modstream's assign-only readers (they never commit), by the module that sets them
TAIL, REPLAY, DLQ, CONSOLE = "modstream-tail-*", "modstream-replay-*", "modstream-dlq-*", "modstream-console-*"


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    principal: str  #: the Kafka principal it runs as (ops/acl.md)
    reads: tuple[TopicSpec, ...] = ()
    writes: tuple[TopicSpec, ...] = ()
    modules: tuple[str, ...] = ()  #: where it lives in this repository; () for a service outside modstream
    groups: tuple[str, ...] = ()  #: consumer groups it uses; a trailing * is a prefix
    shadow: str = ""  #: it writes `writes` only to shadow copies under this topic prefix, never to the live topics

    def live_writes(self) -> tuple[TopicSpec, ...]:
        return () if self.shadow else self.writes


INGEST, ROUTE, REVIEWER, AUDITOR, OPS = ("User:modstream-ingest", "User:modstream-route", "User:reviewer",
                                         "User:auditor", "User:modstream-ops")


def _agent(name: str, reads: TopicSpec, *writes: TopicSpec) -> Component:
    """A faust agent (`streams.drivers.faust_agents`, named `name`): one input, its dead letters."""
    return Component(f"{name} agent", ROUTE, (reads,), (*writes, DEAD_LETTERS), ("streams/drivers/faust_agents.py",))


#: replay's inputs and as-of context (streams/drivers/replay.py, streams/engine/asof.py)
_REPLAY_READS = (POSTS, ACCOUNTS, REPORTS, DELETIONS)

WIRING: tuple[Component, ...] = (
    Component("modstream ingest", INGEST, (), (POSTS, ACCOUNTS, PATCHES, ACCOUNT_STATUS, DELETIONS, REPORTS,
                                               DEAD_LETTERS), ("streams/commands/ingest.py",)),
    Component("hot path", ROUTE, (POSTS, REPORTS, ESCALATIONS), (*DECISION_OUTPUTS, POLICY_VERSIONS, DEAD_LETTERS),
              ("streams/drivers/hotpath.py",), ("modstream-decide",)),
    Component("faust worker", ROUTE, (), (POLICY_VERSIONS,), ("streams/drivers/worker.py",), ("modstream",)),
    _agent("accounts", ACCOUNTS),
    _agent("patches", PATCHES, ACCOUNTS),
    _agent("deletions", DELETIONS),
    _agent("appeals", APPEALS),
    _agent("review", REVIEWS, ACTIONS, NOTICES, AUDIT),
    _agent("legal", LEGAL, ACTIONS, NOTICES, AUDIT),
    _agent("posts", POSTS, *DECISION_OUTPUTS),  # --role faust-posts: posts decided in faust instead of the hot path
    Component("modstream review decide", REVIEWER, (), (REVIEWS,), ("streams/commands/cli.py",)),
    Component("review console", REVIEWER, (AUDIT, ESCALATIONS), (REVIEWS,),
              ("streams/console/app.py", "streams/console/history.py"), (CONSOLE,)),
    Component("modstream replay", AUDITOR, _REPLAY_READS, (VIOLATIONS, *DECISION_OUTPUTS),
              ("streams/drivers/replay.py", "streams/engine/asof.py"), (REPLAY,), shadow="shadow-"),
    Component("modstream audit diff", AUDITOR, (AUDIT,), (), ("streams/commands/audit_diff.py",), (TAIL, REPLAY)),
    Component("modstream report transparency", AUDITOR, (POSTS, ACTIONS, AUDIT), (),
              ("streams/commands/transparency.py",), (REPLAY,)),
    Component("modstream policy show", OPS, (POLICY_VERSIONS,), (), ("streams/commands/policy_cmd.py",), (TAIL,)),
    Component("modstream policy dry-run", OPS, (*_REPLAY_READS, AUDIT), (VIOLATIONS, *DECISION_OUTPUTS),
              ("streams/commands/policy_cmd.py",), (REPLAY, TAIL), shadow="dryrun-"),
    Component("modstream dlq", OPS, (DEAD_LETTERS,), tuple(s for s in CATALOG if s in REPLAYABLE),
              ("streams/commands/dlq.py",), (DLQ,)),
    # outside modstream
    Component("platform appeal forms", "User:appeal-forms", (), (APPEALS,)),
    Component("legal team tooling", "User:legal-tooling", (), (LEGAL,)),
    Component("enforcement services", "User:enforcement", (ACTIONS,), groups=("enforcement",)),
    Component("notification service", "User:notifier", (NOTICES,), groups=("notifier",)),
    Component("NCMEC reporting service", "User:ncmec-reporter", (NCMEC,), groups=("ncmec-reporter",)),
    Component("auditors", AUDITOR, (AUDIT,), groups=("auditor*",)),
    Component("account status readers", "User:account-status", (ACCOUNT_STATUS,), groups=("account-status",)),
)

BY_COMPONENT = {c.name: c for c in WIRING}


def producers(spec: TopicSpec) -> list[Component]:
    return [c for c in WIRING if spec in c.writes]


def consumers(spec: TopicSpec) -> list[Component]:
    return [c for c in WIRING if spec in c.reads]


def principals() -> dict[str, list[Component]]:
    """Principal -> the components that run as it, in table order."""
    out: dict[str, list[Component]] = {}
    for c in WIRING:
        out.setdefault(c.principal, []).append(c)
    return out
