"""What the engine reads besides the posts: one snapshot per batch, loaded through one port.

Every driver decides with the same `Context`; only where it comes from differs: Redis for
the live hot path (streams/engine/redis_context.py), the topics as of a time for replay
(streams/engine/asof.py), the input lines themselves for `modstream decide` (`MemoryPort`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Protocol, Sequence

from agents.hashbank import HashBank
from agents.records import Account, Case, Designation, Post, Report

Wanted = Sequence[tuple[str, str]]  #: (action type, action id) pairs a decision would charge


class Caps(Protocol):
    """Daily cap reservations: atomic per decision, idempotent per action id (as RedisDailyCaps)."""

    def reserve(self, wanted: Sequence[Wanted], caps: Mapping[str, int], day: str) -> list[tuple[bool, dict[str, int]]]:
        """Per decision: (granted, the counts before it)."""
        ...


@dataclass(frozen=True)
class Context:
    """The state one batch is decided with."""

    registry: Mapping[str, tuple[Designation, ...]]
    accounts: Mapping[tuple[str, str], Account]  #: (account id, post created_at) -> the snapshot current then
    reports: Mapping[str, tuple[Report, ...]]
    deleted: frozenset[str]
    priors: Mapping[str, Mapping]  #: post id -> its standing decision summary (edits)
    banks: HashBank
    caps: Caps

    def case(self, post: Post) -> Case:
        at = post.created_at
        return Case(post, self.accounts.get((post.author_id, at)),
                    tuple(a for m in post.mentions if (a := self.accounts.get((m, at))) is not None),
                    self.reports.get(post.post_id, ()), deleted=post.post_id in self.deleted,
                    prior=self.priors.get(post.post_id))


class ContextPort(Protocol):
    """Loads the context for a batch of posts."""

    def load(self, posts: Sequence[Post]) -> Context: ...


@dataclass
class MemoryCaps:
    """Caps counted in this process (replay, `decide`): the action ids granted per (day, type)."""

    granted: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def reserve(self, wanted: Sequence[Wanted], caps: Mapping[str, int], day: str) -> list[tuple[bool, dict[str, int]]]:
        out = []
        for acts in wanted:
            counts = {t: len(self.granted.get((day, t), ())) for t in sorted(caps)}
            need: dict[str, int] = {}
            for t, action_id in acts:
                if action_id not in self.granted.get((day, t), ()):
                    need[t] = need.get(t, 0) + 1
            ok = all(counts[t] + n <= caps[t] for t, n in need.items())
            if ok:
                for t, action_id in acts:
                    self.granted.setdefault((day, t), set()).add(action_id)
            out.append((ok, counts))
        return out


def index(designations: Iterable[Designation]) -> dict[str, tuple[Designation, ...]]:
    """Registry designations by account id."""
    out: dict[str, list[Designation]] = {}
    for d in designations:
        out.setdefault(d.account_id, []).append(d)
    return {k: tuple(v) for k, v in out.items()}


@dataclass
class MemoryPort:
    """`modstream decide`: the registry seed, the cases' inline authors and reports, caps counted here."""

    registry: Mapping[str, tuple[Designation, ...]]
    banks: HashBank = field(default_factory=HashBank.empty)
    caps: MemoryCaps = field(default_factory=MemoryCaps)

    cases: dict[str, Case] = field(default_factory=dict)  #: the lines being decided, by post id

    def load(self, posts: Sequence[Post]) -> Context:
        cases = [self.cases[p.post_id] for p in posts]
        accounts = {(a.account_id, c.post.created_at): a for c in cases
                    for a in ((c.author,) if c.author else ()) + c.mentioned_accounts}
        return Context(self.registry, accounts, {c.post.post_id: c.reports for c in cases},
                       frozenset(c.post.post_id for c in cases if c.deleted),
                       {c.post.post_id: c.prior for c in cases if c.prior}, self.banks, self.caps)
