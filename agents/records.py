"""Typed input records: what the stream agents read.

These mirror the Avro schemas in `schemas/` (the contract with other teams) and the
JSON of `modstream decide`. `from_dict` accepts both the decoded Avro form and the
decide/ingest JSON form, and raises `RecordError` with the field path when a required
field is missing or has the wrong type, so bad input is reported, never guessed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

MEDIA_KINDS = ("image", "video", "gif")
VERIFIED_TYPES = ("none", "blue", "business", "government")
ROLES = ("elected_or_appointed_official", "candidate", "political_party")
LEVELS = ("local", "state", "national", "supra_national")


class RecordError(ValueError):
    """An input record that does not match the contract; `path` names the field."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def _is_mapping(d: Any) -> bool:
    return type(d) is dict or isinstance(d, Mapping)  # the ABC check is slow; decoded records are dicts


def _req(d: Mapping[str, Any], key: str, kind: type | tuple[type, ...], path: str) -> Any:
    if not _is_mapping(d):
        raise RecordError(path, "expected an object")
    if key not in d or d[key] is None:
        raise RecordError(f"{path}.{key}", "required field is missing")
    value = d[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise RecordError(f"{path}.{key}", f"expected {_kind_name(kind)}, got {type(value).__name__}")
    return value


def _opt(d: Mapping[str, Any], key: str, kind: type | tuple[type, ...], path: str, default: Any = None) -> Any:
    if not _is_mapping(d):
        raise RecordError(path, "expected an object")
    value = d.get(key)
    if value is None:
        return default
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise RecordError(f"{path}.{key}", f"expected {_kind_name(kind)}, got {type(value).__name__}")
    return value


def _str_list(d: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
    values = _opt(d, key, list, path, [])
    for i, v in enumerate(values):
        if not isinstance(v, str):
            raise RecordError(f"{path}.{key}[{i}]", f"expected string, got {type(v).__name__}")
    return tuple(values)


def _one_of(value: str, allowed: tuple[str, ...], path: str) -> str:
    if value not in allowed:
        raise RecordError(path, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _timestamp(d: Mapping[str, Any], key: str, path: str, required: bool = True) -> str | None:
    value = _req(d, key, str, path) if required else _opt(d, key, str, path)
    if value is not None:
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise RecordError(f"{path}.{key}", f"{value!r} is not an RFC 3339 timestamp") from None
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "string", int: "integer", float: "number", bool: "boolean", list: "array", dict: "object"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


@dataclass(frozen=True, slots=True)
class Media:
    """An attachment, known to the pipeline only by its hashes (never its bytes)."""

    media_id: str
    kind: str
    pdq: str | None = None  #: 256-bit PDQ perceptual hash, 64 hex chars
    md5: str | None = None  #: MD5 of the file bytes, 32 hex chars

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], path: str = "media") -> "Media":
        return cls(
            media_id=_req(d, "media_id", str, path),
            kind=_one_of(_req(d, "kind", str, path), MEDIA_KINDS, f"{path}.kind"),
            pdq=_opt(d, "pdq", str, path),
            md5=_opt(d, "md5", str, path),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"media_id": self.media_id, "kind": self.kind, "pdq": self.pdq, "md5": self.md5}


@dataclass(frozen=True, slots=True)
class Violation:
    """A rule violation: which policy, how sure, and what in the post shows it."""

    policy: str
    confidence: float
    evidence: tuple[str, ...] = ()
    source: str = ""  #: detector and version, e.g. "rules:violence@1", or "upstream:reviewer"

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], path: str = "violation") -> "Violation":
        from agents.policy import CATEGORIES  # late import: policy imports records

        policy = _req(d, "policy", str, path)
        if policy not in CATEGORIES:
            raise RecordError(f"{path}.policy", f"{policy!r} is not a policy code (see modstream policy)")
        confidence = _opt(d, "confidence", (int, float), path, 1.0)
        if not 0.0 <= float(confidence) <= 1.0:
            raise RecordError(f"{path}.confidence", f"{confidence} is outside 0..1")
        return cls(policy, float(confidence), _str_list(d, "evidence", path), _opt(d, "source", str, path, ""))

    def to_dict(self) -> dict[str, Any]:
        return {"policy": self.policy, "confidence": self.confidence, "evidence": list(self.evidence), "source": self.source}


@dataclass(frozen=True, slots=True)
class Post:
    """A new post from the firehose."""

    post_id: str
    author_id: str
    text: str
    created_at: str
    lang: str | None = None
    country: str | None = None  #: ISO 3166 alpha-2 of the author's location, when known
    mentions: tuple[str, ...] = ()  #: account ids
    media: tuple[Media, ...] = ()
    upstream_violations: tuple[Violation, ...] = ()  #: established before us, e.g. by a reviewer

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], path: str = "post") -> "Post":
        media = _opt(d, "media", list, path, [])
        upstream = _opt(d, "upstream_violations", list, path, [])
        return cls(
            post_id=_req(d, "post_id", str, path),
            author_id=_req(d, "author_id", str, path),
            text=_req(d, "text", str, path) if "text" in d else "",
            created_at=_timestamp(d, "created_at", path),
            lang=_opt(d, "lang", str, path),
            country=_opt(d, "country", str, path),
            mentions=_str_list(d, "mentions", path),
            media=tuple(Media.from_dict(m, f"{path}.media[{i}]") for i, m in enumerate(media)),
            upstream_violations=tuple(
                Violation.from_dict(v, f"{path}.upstream_violations[{i}]") for i, v in enumerate(upstream)
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "post_id": self.post_id,
            "author_id": self.author_id,
            "text": self.text,
            "created_at": self.created_at,
            "lang": self.lang,
            "country": self.country,
            "mentions": list(self.mentions),
            "media": [m.to_dict() for m in self.media],
            "upstream_violations": [v.to_dict() for v in self.upstream_violations],
        }


@dataclass(frozen=True, slots=True)
class Account:
    """The latest profile snapshot of an account, as the platform reports it."""

    account_id: str
    handle: str = ""
    display_name: str = ""
    bio: str = ""
    followers: int | None = None  #: None when the source does not say (never read as zero)
    verified: bool = False
    verified_type: str = "none"
    labels: tuple[str, ...] = ()
    observed_at: str | None = None  #: when this snapshot was taken

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], path: str = "account") -> "Account":
        followers = _opt(d, "followers", int, path)
        if followers is not None and followers < 0:
            raise RecordError(f"{path}.followers", f"{followers} is negative")
        return cls(
            account_id=_req(d, "account_id", str, path),
            handle=_opt(d, "handle", str, path, ""),
            display_name=_opt(d, "display_name", str, path, ""),
            bio=_opt(d, "bio", str, path, ""),
            followers=followers,
            verified=_opt(d, "verified", bool, path, False),
            verified_type=_one_of(_opt(d, "verified_type", str, path, "none"), VERIFIED_TYPES, f"{path}.verified_type"),
            labels=_str_list(d, "labels", path),
            observed_at=_timestamp(d, "observed_at", path, required=False),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "handle": self.handle,
            "display_name": self.display_name,
            "bio": self.bio,
            "followers": self.followers,
            "verified": self.verified,
            "verified_type": self.verified_type,
            "labels": list(self.labels),
            "observed_at": self.observed_at,
        }


@dataclass(frozen=True, slots=True)
class Report:
    """A user report against a post. Anyone may report, with or without an account."""

    report_id: str
    post_id: str
    policy: str
    created_at: str
    reporter_id: str | None = None  #: None for people without an account
    reporter_contact: str | None = None  #: how to reach an account-less reporter with the outcome

    @property
    def reporter_key(self) -> str:
        """Who reported: the account; for people without one, their contact's digest, and every report with
        neither shares one source. So an anonymous source counts once per post, however often it reports."""
        if self.reporter_id:
            return self.reporter_id
        if self.reporter_contact and self.reporter_contact.strip():
            return "anon:" + hashlib.sha256(self.reporter_contact.strip().lower().encode()).hexdigest()[:16]
        return "anon:unattributed"

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], path: str = "report", post_id: str | None = None) -> "Report":
        from agents.policy import CATEGORIES

        policy = _req(d, "policy", str, path)
        if policy not in CATEGORIES:
            raise RecordError(f"{path}.policy", f"{policy!r} is not a policy code (see modstream policy)")
        return cls(
            report_id=_req(d, "report_id", str, path),
            post_id=post_id if post_id is not None and "post_id" not in d else _req(d, "post_id", str, path),
            policy=policy,
            created_at=_timestamp(d, "created_at", path),
            reporter_id=_opt(d, "reporter_id", str, path),
            reporter_contact=_opt(d, "reporter_contact", str, path),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "report_id": self.report_id,
            "post_id": self.post_id,
            "policy": self.policy,
            "created_at": self.created_at,
            "reporter_id": self.reporter_id,
            "reporter_contact": self.reporter_contact,
        }


@dataclass(frozen=True, slots=True)
class Designation:
    """Why an account counts as political: one role in one body, for a period, per a source."""

    account_id: str
    role: str  #: one of ROLES
    body: str  #: e.g. "US Senate"
    level: str  #: one of LEVELS
    jurisdiction: str  #: e.g. "US-VT"
    source: str  #: provenance, e.g. "congress-legislators@dfa96222"
    confidence: float = 1.0
    valid_from: str | None = None  #: ISO date; None = unknown start
    valid_until: str | None = None  #: ISO date; None = open-ended
    person: str = ""  #: human-readable name, for reviewers

    def current_at(self, when: str) -> bool:
        """True when `when` (an RFC 3339 timestamp or ISO date) falls inside the term."""
        day = when[:10]
        if self.valid_from and day < self.valid_from[:10]:
            return False
        return not (self.valid_until and day > self.valid_until[:10])

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], path: str = "designation") -> "Designation":
        confidence = float(_opt(d, "confidence", (int, float), path, 1.0))
        if not 0.0 <= confidence <= 1.0:
            raise RecordError(f"{path}.confidence", f"{confidence} is outside 0..1")
        return cls(
            account_id=_req(d, "account_id", str, path),
            role=_one_of(_req(d, "role", str, path), ROLES, f"{path}.role"),
            body=_req(d, "body", str, path),
            level=_one_of(_req(d, "level", str, path), LEVELS, f"{path}.level"),
            jurisdiction=_opt(d, "jurisdiction", str, path, ""),
            source=_req(d, "source", str, path),
            confidence=confidence,
            valid_from=_opt(d, "valid_from", str, path),
            valid_until=_opt(d, "valid_until", str, path),
            person=_opt(d, "person", str, path, ""),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "role": self.role,
            "body": self.body,
            "level": self.level,
            "jurisdiction": self.jurisdiction,
            "source": self.source,
            "confidence": self.confidence,
            "valid_from": self.valid_from,
            "valid_until": self.valid_until,
            "person": self.person,
        }


@dataclass(frozen=True, slots=True)
class Case:
    """Everything one decision about one post is made from (the `decide` input line)."""

    post: Post
    author: Account | None
    mentioned_accounts: tuple[Account, ...] = ()
    reports: tuple[Report, ...] = ()
    designations: tuple[Designation, ...] = field(default=())  #: registry entries for the author
    deleted: bool = False  #: the post was deleted at the source before it was decided
    #: the post's standing decided summary (agents.review.decision_summary), when an earlier version was decided
    prior: Mapping[str, Any] | None = None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Case":
        if not isinstance(d, Mapping):
            raise RecordError("$", "expected a JSON object with a 'post' field")
        post_d = dict(_req(d, "post", dict, "$"))
        upstream = _opt(d, "violations", list, "$", [])
        if upstream:
            post_d["upstream_violations"] = list(post_d.get("upstream_violations") or []) + upstream
        post = Post.from_dict(post_d, "post")
        author_d = _opt(d, "author", dict, "$")
        author = Account.from_dict(author_d, "author") if author_d is not None else None
        if author is not None and author.account_id != post.author_id:
            raise RecordError("author.account_id", f"{author.account_id!r} does not match post.author_id {post.author_id!r}")
        mentioned = _opt(d, "mentioned_accounts", list, "$", [])
        reports = _opt(d, "reports", list, "$", [])
        return cls(
            post=post,
            author=author,
            mentioned_accounts=tuple(Account.from_dict(a, f"mentioned_accounts[{i}]") for i, a in enumerate(mentioned)),
            reports=tuple(Report.from_dict(r, f"reports[{i}]", post_id=post.post_id) for i, r in enumerate(reports)),
        )


REVIEW_OUTCOMES = ("notice", "remove", "no_violation")


@dataclass(frozen=True, slots=True)
class ReviewDecision:
    """A human reviewer's decision on an escalation or an appeal (review-decisions.v1)."""

    review_id: str
    decision_id: str  #: the escalation or appealed decision it resolves
    post_id: str
    outcome: str  #: one of REVIEW_OUTCOMES
    reviewer_id: str
    rationale: str
    decided_at: str
    senior: bool = False  #: a senior T&S reviewer made the final call (required to grant a notice)
    policy: str | None = None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], path: str = "review") -> "ReviewDecision":
        rationale = _req(d, "rationale", str, path)
        if not rationale.strip():
            raise RecordError(f"{path}.rationale", "a rationale is required for every decision")
        return cls(
            review_id=_req(d, "review_id", str, path),
            decision_id=_req(d, "decision_id", str, path),
            post_id=_req(d, "post_id", str, path),
            outcome=_one_of(_req(d, "outcome", str, path), REVIEW_OUTCOMES, f"{path}.outcome"),
            reviewer_id=_req(d, "reviewer_id", str, path),
            rationale=rationale,
            decided_at=_timestamp(d, "decided_at", path),
            senior=_opt(d, "senior", bool, path, False),
            policy=_opt(d, "policy", str, path),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"review_id": self.review_id, "decision_id": self.decision_id, "post_id": self.post_id,
                "outcome": self.outcome, "reviewer_id": self.reviewer_id, "senior": self.senior,
                "rationale": self.rationale, "policy": self.policy, "decided_at": self.decided_at}


@dataclass(frozen=True, slots=True)
class Appeal:
    """An appeal against a decision (appeals.v1)."""

    appeal_id: str
    decision_id: str
    post_id: str
    created_at: str
    appellant_id: str | None = None
    statement: str = ""

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], path: str = "appeal") -> "Appeal":
        return cls(
            appeal_id=_req(d, "appeal_id", str, path),
            decision_id=_req(d, "decision_id", str, path),
            post_id=_req(d, "post_id", str, path),
            created_at=_timestamp(d, "created_at", path),
            appellant_id=_opt(d, "appellant_id", str, path),
            statement=_opt(d, "statement", str, path, ""),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"appeal_id": self.appeal_id, "decision_id": self.decision_id, "post_id": self.post_id,
                "appellant_id": self.appellant_id, "statement": self.statement, "created_at": self.created_at}


@dataclass(frozen=True, slots=True)
class LegalRequest:
    """A legal demand to withhold a post in named countries (legal-requests.v1)."""

    request_id: str
    post_id: str
    countries: tuple[str, ...]
    authority: str
    received_at: str
    legal_basis: str = ""

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], path: str = "legal_request") -> "LegalRequest":
        countries = _str_list(d, "countries", path)
        bad = [c for c in countries if len(c) != 2 or not c.isupper()]
        if not countries or bad:
            raise RecordError(f"{path}.countries", f"need ISO 3166-1 alpha-2 codes like 'DE', got {list(countries)}")
        return cls(
            request_id=_req(d, "request_id", str, path),
            post_id=_req(d, "post_id", str, path),
            countries=countries,
            authority=_req(d, "authority", str, path),
            received_at=_timestamp(d, "received_at", path),
            legal_basis=_opt(d, "legal_basis", str, path, ""),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"request_id": self.request_id, "post_id": self.post_id, "countries": list(self.countries),
                "authority": self.authority, "legal_basis": self.legal_basis, "received_at": self.received_at}
