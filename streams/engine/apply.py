"""The one place a Decision becomes output records (effects as data -> topic records).

The live hot path sends these to Kafka; replay writes them to shadow topics or a
file. Audit goes last, so an audit record means every effect before it was produced.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Sequence

from agents.effects import Decision
from agents.records import Post, Violation
from streams.infra import metrics, topics
from streams.infra.topics import TopicSpec


@dataclass(frozen=True, slots=True)
class OutRecord:
    topic: TopicSpec
    key: str
    value: dict[str, Any]


def input_ref(topic: str, partition: int, offset: int, value: bytes | None) -> dict[str, Any]:
    """The audit's modstream.InputRef for one consumed record: where it was, and the digest of its bytes."""
    return {"topic": topic, "partition": partition, "offset": offset, "digest": hashlib.sha256(value or b"").hexdigest()}


def tagged_record(post: Post, violations: Sequence[Violation], source_ref: dict[str, Any], tagger_version: str,
                  policy_version: str) -> dict[str, Any]:
    """The modstream.TaggedPost value the tag/classify agents (and replay) produce."""
    return {"post": post.to_dict(), "violations": [v.to_dict() for v in violations], "tagger_version": tagger_version,
            "policy_version": policy_version, "input": source_ref}


def decision_records(decision: Decision, inputs: list[dict[str, Any]], versions: dict[str, str],
                     kind: str = "post_decision", decided_by: str = "automation") -> list[OutRecord]:
    key = decision.post_id
    out: list[OutRecord] = []
    if decision.escalation is not None:
        out.append(OutRecord(topics.ESCALATIONS, key, decision.escalation.to_dict()))
    out += [OutRecord(topics.ACTIONS, key, a.to_dict()) for a in decision.actions]
    out += [OutRecord(topics.NOTICES, key, n.to_dict()) for n in decision.notices]
    if decision.ncmec is not None:
        out.append(OutRecord(topics.NCMEC, key, decision.ncmec.to_dict()))
    out.append(OutRecord(topics.AUDIT, key, decision.audit(inputs, versions, kind, decided_by)))
    metrics.decision(decision, kind)
    return out
