"""`modstream audit diff`: what a replay decided differently from what was recorded, post by post.

Why: "would this policy decide the same?" is answered by comparing audit records, the
one output that carries route, recommendation, reasons and effects of every decision.
Posts are matched by post_id (kind `post_decision` only; the last record per post wins,
so a redelivered decision counts once). A decision is *changed* when its route,
recommendation or action types differ; ids are compared separately (`id_mismatches`):
under the same policy version they must be equal, under another version they never are.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from streams.infra import clients, topics
from streams.infra.codec import Codec
from streams.infra.config import Settings
from streams.drivers.replay import Window, read_file, read_ranges, resolve_window

POST_DECISION = "post_decision"


@dataclass(frozen=True, slots=True)
class Outcome:
    """The parts of one audit record a diff compares and shows."""

    decision_id: str
    route: str
    recommendation: str | None
    action_types: tuple[str, ...]  #: sorted, with repeats (one per action id)
    action_ids: tuple[str, ...]
    reasons: tuple[str, ...]
    policy_version: str

    @classmethod
    def from_audit(cls, a: Mapping[str, Any]) -> "Outcome":
        ids = tuple(a.get("action_ids") or ())
        return cls(a["decision_id"], a["route"], a.get("recommendation"),
                   tuple(sorted(i.split(":")[1] for i in ids)),  # "<decision_id>:<type>[:<country>]"
                   ids, tuple(a.get("reasons") or ()), a["policy_version"])

    def key(self) -> tuple[str, str | None, tuple[str, ...]]:
        return self.route, self.recommendation, self.action_types

    def to_dict(self) -> dict[str, Any]:
        return {"decision_id": self.decision_id, "route": self.route, "recommendation": self.recommendation,
                "action_types": list(self.action_types), "action_ids": list(self.action_ids),
                "reasons": list(self.reasons), "policy_version": self.policy_version}


@dataclass(frozen=True, slots=True)
class Change:
    post_id: str
    before: Outcome
    after: Outcome

    def to_dict(self) -> dict[str, Any]:
        return {"post_id": self.post_id, "before": self.before.to_dict(), "after": self.after.to_dict()}


@dataclass(frozen=True)
class AuditDiff:
    """Counts over the posts present on both sides, the changed decisions, and the unmatched posts."""

    matched: int
    routes_before: Mapping[str, int]
    routes_after: Mapping[str, int]
    actions_before: Mapping[str, int]
    actions_after: Mapping[str, int]
    changed: tuple[Change, ...]  #: sorted by post_id
    id_mismatches: tuple[str, ...] = ()  #: same policy version and outcome, different decision or action ids
    only_recorded: tuple[str, ...] = ()
    only_replayed: tuple[str, ...] = ()
    policy_versions: tuple[tuple[str, ...], tuple[str, ...]] = field(default=((), ()))  #: (before, after)

    def to_dict(self) -> dict[str, Any]:
        return {"matched": self.matched, "changed": len(self.changed),
                "policy_versions": {"before": list(self.policy_versions[0]), "after": list(self.policy_versions[1])},
                "routes": {"before": dict(self.routes_before), "after": dict(self.routes_after)},
                "actions": {"before": dict(self.actions_before), "after": dict(self.actions_after)},
                "changes": [c.to_dict() for c in self.changed], "id_mismatches": list(self.id_mismatches),
                "only_recorded": list(self.only_recorded), "only_replayed": list(self.only_replayed)}


def latest_decisions(audits: Iterable[Mapping[str, Any]]) -> dict[str, Outcome]:
    """post_id -> the last post_decision outcome in the given order."""
    return {a["post_id"]: Outcome.from_audit(a) for a in audits if a.get("kind", POST_DECISION) == POST_DECISION}


def diff(recorded: Iterable[Mapping[str, Any]], replayed: Iterable[Mapping[str, Any]]) -> AuditDiff:
    before, after = latest_decisions(recorded), latest_decisions(replayed)
    common = sorted(before.keys() & after.keys())

    def count(side: dict[str, Outcome], attr: str) -> dict[str, int]:
        c: Counter[str] = Counter()
        for p in common:
            value = getattr(side[p], attr)
            c.update(value if isinstance(value, tuple) else (value,))
        return dict(sorted(c.items()))

    changed = tuple(Change(p, before[p], after[p]) for p in common if before[p].key() != after[p].key())
    ids = tuple(p for p in common if before[p].key() == after[p].key()
                and before[p].policy_version == after[p].policy_version
                and (before[p].decision_id, before[p].action_ids) != (after[p].decision_id, after[p].action_ids))
    return AuditDiff(len(common), count(before, "route"), count(after, "route"), count(before, "action_types"),
                     count(after, "action_types"), changed, ids, tuple(sorted(before.keys() - after.keys())),
                     tuple(sorted(after.keys() - before.keys())),
                     (tuple(sorted({before[p].policy_version for p in common})),
                      tuple(sorted({after[p].policy_version for p in common}))))


def _table(title: str, before: Mapping[str, int], after: Mapping[str, int]) -> list[str]:
    rows = [f"{title:32} {'before':>8} {'after':>8} {'change':>8}"]
    for k in sorted(before.keys() | after.keys()):
        b, a = before.get(k, 0), after.get(k, 0)
        rows.append(f"  {k:30} {b:8} {a:8} {a - b:+8}")
    return rows


def format_diff(d: AuditDiff, limit: int = 50) -> str:
    """A report a person reads: totals, the changed decisions with both sides' reasons, what did not match."""
    lines = [f"audit diff: {d.matched} posts on both sides, {len(d.changed)} decided differently "
             f"(policy {', '.join(d.policy_versions[0]) or '-'} -> {', '.join(d.policy_versions[1]) or '-'})", ""]
    lines += _table("route", d.routes_before, d.routes_after) + [""]
    lines += _table("action type", d.actions_before, d.actions_after)
    for c in d.changed[:limit]:
        lines += ["", f"post {c.post_id}: {c.before.route} -> {c.after.route}"]
        for side, o in (("before", c.before), ("after", c.after)):
            lines.append(f"  {side:6} recommendation={o.recommendation or '-'} actions="
                         f"{','.join(o.action_types) or '-'} decision={o.decision_id}")
            lines += [f"         - {r}" for r in o.reasons]
    if len(d.changed) > limit:
        lines.append(f"... and {len(d.changed) - limit} more changed decisions (see --json)")
    if d.id_mismatches:
        lines += ["", f"{len(d.id_mismatches)} posts decided the same under the same policy version but with "
                      f"different ids (not deterministic): {', '.join(d.id_mismatches[:10])}"]
    for what, ids in (("only in the recorded audit", d.only_recorded), ("only in the replay", d.only_replayed)):
        if ids:
            lines.append(f"{len(ids)} posts {what}: {', '.join(ids[:10])}{' ...' if len(ids) > 10 else ''}")
    return "\n".join(lines)


def read_audit(settings: Settings, codec: Codec, topic_name: str, window: Window | None = None) -> list[dict[str, Any]]:
    """Audit values of a deployed topic: all of it (via `modstream tail`'s reader), or a broker-time window."""
    if window is None:
        return [r["value"] for r in clients.records(settings, codec, topic_name) if "value" in r]
    return [codec.decode(rec.value, expect=topics.AUDIT.schema)[1]
            for rec in read_ranges(settings, resolve_window(settings, topic_name, window)) if rec.value]


def read_replayed(settings: Settings, codec: Codec, target: str) -> list[dict[str, Any]]:
    """Replayed audit values from a replay output file or a shadow topic prefix."""
    path = Path(target)
    if path.is_file():
        return [v for name, v in read_file(codec, path) if name == topics.AUDIT.name]
    return read_audit(settings, codec, target + topics.AUDIT.name)


def run(settings: Settings, codec: Codec, *, replayed: str, recorded: str = topics.AUDIT.name,
        start: str | None = None, end: str | None = None) -> AuditDiff:
    """`modstream audit diff --recorded audit.v1 --replayed PREFIX|FILE [--from T --to T]`."""
    from streams.drivers.replay import parse_time

    window = Window(parse_time(start), parse_time(end)) if start and end else None
    recorded_topic = settings.topic(topics.lookup(recorded, settings.topic_prefix))
    return diff(read_audit(settings, codec, recorded_topic, window), read_replayed(settings, codec, replayed))
