"""The one decision engine every driver calls: posts and their context in, Decisions out.

Tag the batch (one classifier pass; post by post when that fails, so only the post that
breaks a detector or overruns its budget is rejected), route each post (agents.router.route),
then reserve the batch's capped automated actions through `context.caps` and re-route the
refused ones with the counts they met (held for a human). The hot path, the faust agents,
replay and `modstream decide` differ only in where the context comes from and where the
outputs go, so they decide the same input the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import structlog

from agents.caps import reservations
from agents.effects import Decision
from agents.policy import Policy
from agents.records import Case, Post, Violation
from agents.router import route
from agents.tagger import Tagger
from streams.engine.budget import budget
from streams.engine.context import Context

log = structlog.get_logger("modstream.engine")


@dataclass(frozen=True, slots=True)
class Input:
    """One post to decide: `ref` is its audit InputRef, `day` the UTC day its automated actions count toward."""

    post: Post
    ref: dict[str, Any]
    day: str


@dataclass(frozen=True, slots=True)
class Rejected:
    """A post the engine could not decide: the driver dead-letters its input at `stage`."""

    stage: str
    error: Exception


Outcome = Decision | Rejected


@dataclass(frozen=True)
class Engine:
    policy: Policy
    tagger: Tagger
    budget_seconds: float = 0.0  #: per record (0: none)

    def decide_batch(self, inputs: Sequence[Input], context: Context) -> list[Outcome]:
        """One outcome per input, in order."""
        tagger = self.tagger if context.banks is self.tagger.banks else self.tagger.with_banks(context.banks)
        out: list[Outcome] = []
        cases: list[tuple[Case, tuple[Violation, ...]] | None] = []
        for item, found in zip(inputs, self._tag(tagger, [i.post for i in inputs])):
            if isinstance(found, Rejected):
                out.append(found)
                cases.append(None)
                continue
            try:
                with budget(self.budget_seconds, "route"):
                    case = context.case(item.post)
                    out.append(route(case, found, context.registry, self.policy, {}))
                cases.append((case, found))
            except Exception as exc:
                log.warning("route_failed", post_id=item.post.post_id, error_type=type(exc).__name__)
                out.append(Rejected("route", exc))
                cases.append(None)
        self._within_caps(inputs, out, cases, context)
        return out

    def _tag(self, tagger: Tagger, posts: list[Post]) -> list[tuple[Violation, ...] | Rejected]:
        if len(posts) > 1:
            try:
                with budget(self.budget_seconds * len(posts), "tag (batch)"):
                    return [tuple(v) for v in tagger.tag_batch(posts)]
            except Exception as exc:
                log.warning("tag_batch_failed", posts=len(posts), error_type=type(exc).__name__)
        out: list[tuple[Violation, ...] | Rejected] = []
        for post in posts:
            try:
                with budget(self.budget_seconds, "tag"):
                    out.append(tuple(tagger.tag(post)))
            except Exception as exc:
                out.append(Rejected("tag", exc))
        return out

    def _within_caps(self, inputs: Sequence[Input], out: list[Outcome],
                     cases: list[tuple[Case, tuple[Violation, ...]] | None], context: Context) -> None:
        """Reserve each decision's capped automated actions, day by day in input order; a decision
        refused is routed again with the counts it met, which holds it for a human."""
        asks: dict[str, list[int]] = {}
        for n, d in enumerate(out):
            if isinstance(d, Decision) and reservations(d, self.policy):
                asks.setdefault(inputs[n].day, []).append(n)
        for day, ns in asks.items():
            answers = context.caps.reserve([reservations(out[n], self.policy) for n in ns], self.policy.daily_caps, day)
            for n, (granted, counts) in zip(ns, answers):
                if not granted:
                    case, found = cases[n]
                    out[n] = route(case, found, context.registry, self.policy, counts)
