"""Typed input records: what the stream agents read.

These mirror the Avro schemas in `schemas/` (the contract with other teams) and the
JSON of `modstream decide`. `from_dict` accepts both the decoded Avro form and the
decide/ingest JSON form, and raises `RecordError` with the field path when a required
field is missing or has the wrong type, so bad input is reported, never guessed.

Every input is bounded here, at the record boundary (`MAX_*`: text length, field lengths,
list counts, JSON size and depth), times are normalised to UTC and checked for
plausibility, and country codes are checked against ISO 3166-1, so every driver (hot path,
agents, ingest, decide, replay) accepts exactly the same records.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

from agents.countries import ALPHA2

MEDIA_KINDS = ("image", "video", "gif")
VERIFIED_TYPES = ("none", "blue", "business", "government")
ROLES = ("elected_or_appointed_official", "candidate", "political_party")
LEVELS = ("local", "state", "national", "supra_national")

MAX_TEXT_CHARS = 25_000  #: a post's text (the longest posts X allows)
MAX_FIELD_CHARS = 10_000  #: any other string: bios, names, rationales, statements, contacts
MAX_ID_CHARS = 256  #: ids of posts, accounts, reports, media, decisions
MAX_ITEMS = 100  #: mentions, labels, evidence, violations, reports and accounts per record
MAX_MEDIA = 16  #: attachments per post
MAX_FOLLOWERS = 10**12
MAX_LINE_BYTES = 512 * 1024  #: a JSON line (decide, ingest) or an encoded input record
MAX_DEPTH = 16  #: JSON nesting (a valid line needs 5)
PLATFORM_START = datetime(2006, 3, 21, tzinfo=timezone.utc)  #: no post, report or account is older
MAX_AHEAD = timedelta(days=1)  #: a time further ahead of the record's broker time (or now) is a clock error
_DATE_ONLY = re.compile(r"\d{4}-?(\d{2}-?\d{2}|W\d{2}-?\d?|\d{3})")


class RecordError(ValueError):
    """An input record that does not match the contract; `path` names the field."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class LineError(RecordError):
    """A line that is not one readable JSON value: too long, not UTF-8, too deep, or not JSON."""

    error_type = "invalid_json"


def load_line(raw: bytes | str) -> Any:
    """One JSON Lines line, bounded in size and depth before anything looks inside it. The one
    reader for `modstream decide` and `modstream ingest`, so both accept exactly the same lines."""
    if len(raw) > MAX_LINE_BYTES:
        raise LineError("$", f"the line is {len(raw):,} bytes, over the {MAX_LINE_BYTES:,}-byte limit; "
                             f"a post's text may have at most {MAX_TEXT_CHARS:,} characters")
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LineError("$", f"not UTF-8 (invalid byte at position {exc.start}); "
                                 "each line must be one UTF-8 JSON object") from None
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise LineError("$", f"not valid JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise LineError("$", f"nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # e.g. an integer literal longer than Python converts
        raise LineError("$", f"not readable JSON: {str(exc)[:100]}") from None
    if _deeper_than(value, MAX_DEPTH):
        raise LineError("$", f"nested deeper than {MAX_DEPTH} levels")
    return value


def _deeper_than(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        children = v.values() if isinstance(v, dict) else v if isinstance(v, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((c, depth + 1) for c in children)
    return False


def _text(value: str, path: str, limit: int) -> str:
    if len(value) > limit:
        raise RecordError(path, f"{len(value):,} characters, over the limit of {limit:,}")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise RecordError(path, "contains an unpaired surrogate: not valid Unicode text") from None
    return value


def _is_mapping(d: Any) -> bool:
    return type(d) is dict or isinstance(d, Mapping)  # the ABC check is slow; decoded records are dicts


def _req(d: Mapping[str, Any], key: str, kind: type | tuple[type, ...], path: str,
         limit: int = MAX_FIELD_CHARS) -> Any:
    if not _is_mapping(d):
        raise RecordError(path, "expected an object")
    if key not in d or d[key] is None:
        raise RecordError(f"{path}.{key}", "required field is missing")
    value = d[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise RecordError(f"{path}.{key}", f"expected {_kind_name(kind)}, got {type(value).__name__}")
    return _text(value, f"{path}.{key}", limit) if isinstance(value, str) else value


def _opt(d: Mapping[str, Any], key: str, kind: type | tuple[type, ...], path: str, default: Any = None,
         limit: int = MAX_FIELD_CHARS) -> Any:
    if not _is_mapping(d):
        raise RecordError(path, "expected an object")
    value = d.get(key)
    if value is None:
        return default
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise RecordError(f"{path}.{key}", f"expected {_kind_name(kind)}, got {type(value).__name__}")
    return _text(value, f"{path}.{key}", limit) if isinstance(value, str) else value


def _list(d: Mapping[str, Any], key: str, path: str, limit: int = MAX_ITEMS) -> list:
    values = _opt(d, key, list, path, [])
    if len(values) > limit:
        raise RecordError(f"{path}.{key}", f"{len(values):,} items, over the limit of {limit:,}")
    return values


def _str_list(d: Mapping[str, Any], key: str, path: str, limit: int = MAX_FIELD_CHARS) -> tuple[str, ...]:
    values = _list(d, key, path)
    for i, v in enumerate(values):
        if not isinstance(v, str):
            raise RecordError(f"{path}.{key}[{i}]", f"expected string, got {type(v).__name__}")
        _text(v, f"{path}.{key}[{i}]", limit)
    return tuple(values)


def _id(d: Mapping[str, Any], key: str, path: str, required: bool = True) -> str | None:
    value = _req(d, key, str, path, MAX_ID_CHARS) if required else _opt(d, key, str, path, limit=MAX_ID_CHARS)
    if value is not None and not value.strip():
        raise RecordError(f"{path}.{key}", "is empty: an id needs at least one non-blank character")
    return value


def _country(value: str | None, path: str) -> str | None:
    """An ISO 3166-1 alpha-2 code, upper-cased ("us" -> "US"); anything else is an error."""
    if value is None:
        return None
    code = value.strip().upper()
    if code not in ALPHA2:
        raise RecordError(path, f"{value[:20]!r} is not an ISO 3166-1 alpha-2 country code (two letters, e.g. 'US', 'DE')")
    return code


def _one_of(value: str, allowed: tuple[str, ...], path: str) -> str:
    if value not in allowed:
        raise RecordError(path, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def utc_time(value: str, path: str, now: float | None = None) -> str:
    """An RFC 3339 time normalised to UTC (`...Z`); naive, date-only and implausible times are errors.
    `now`: the record's broker time (epoch seconds) when known, else the clock."""
    shown = repr(value[:40])
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise RecordError(path, f"{shown} is not an RFC 3339 timestamp such as 2026-11-20T12:00:00Z") from None
    if _DATE_ONLY.fullmatch(value.strip()):
        raise RecordError(path, f"{shown} is a date without a time: give a full time such as {value[:10]}T12:00:00Z")
    if when.tzinfo is None:
        raise RecordError(path, f"{shown} has no UTC offset: end it with Z or +hh:mm (times are compared in UTC)")
    try:
        when = when.astimezone(timezone.utc)
    except OverflowError:
        raise RecordError(path, f"{shown} is outside the years any record can have") from None
    if when < PLATFORM_START:
        raise RecordError(path, f"{shown} is before {PLATFORM_START.date()}, when the platform began: "
                                "check the producer's clock and time unit")
    reference = datetime.fromtimestamp(time.time() if now is None else now, timezone.utc)
    if when > reference + MAX_AHEAD:
        raise RecordError(path, f"{shown} is more than a day ahead of {reference.isoformat(timespec='seconds')}: "
                                "check the producer's clock and time zone")
    if value.endswith(("Z", "z")) and "T" in value:
        return value[:-1] + "Z"  # UTC already: kept as written
    spec = "microseconds" if when.microsecond % 1000 else "milliseconds"
    return when.isoformat(timespec=spec).replace("+00:00", "Z")


def epoch(value: str) -> float:
    """Seconds since the epoch of an RFC 3339 time: compare times as numbers, never as strings."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def _timestamp(d: Mapping[str, Any], key: str, path: str, required: bool = True,
               now: float | None = None) -> str | None:
    value = _req(d, key, str, path, 64) if required else _opt(d, key, str, path, limit=64)
    return None if value is None else utc_time(value, f"{path}.{key}", now)


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
            media_id=_id(d, "media_id", path),
            kind=_one_of(_req(d, "kind", str, path), MEDIA_KINDS, f"{path}.kind"),
            pdq=_opt(d, "pdq", str, path, limit=MAX_ID_CHARS),
            md5=_opt(d, "md5", str, path, limit=MAX_ID_CHARS),
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
        return cls(policy, float(confidence), _str_list(d, "evidence", path, MAX_TEXT_CHARS),
                   _opt(d, "source", str, path, ""))

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
    def from_dict(cls, d: Mapping[str, Any], path: str = "post", now: float | None = None) -> "Post":
        """`now`: the record's broker time (epoch seconds), which created_at may not be a day ahead of."""
        media = _list(d, "media", path, MAX_MEDIA)
        upstream = _list(d, "upstream_violations", path)
        return cls(
            post_id=_id(d, "post_id", path),
            author_id=_id(d, "author_id", path),
            text=_req(d, "text", str, path, MAX_TEXT_CHARS),  # "" for a media-only post, but never left out
            created_at=_timestamp(d, "created_at", path, now=now),
            lang=_opt(d, "lang", str, path, limit=MAX_ID_CHARS),
            country=_country(_opt(d, "country", str, path, limit=MAX_ID_CHARS), f"{path}.country"),
            mentions=_str_list(d, "mentions", path, MAX_ID_CHARS),
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
    def from_dict(cls, d: Mapping[str, Any], path: str = "account", now: float | None = None) -> "Account":
        followers = _opt(d, "followers", int, path)
        if followers is not None and not 0 <= followers <= MAX_FOLLOWERS:
            raise RecordError(f"{path}.followers", f"{followers} is outside 0..{MAX_FOLLOWERS:,}")
        return cls(
            account_id=_id(d, "account_id", path),
            handle=_opt(d, "handle", str, path, ""),
            display_name=_opt(d, "display_name", str, path, ""),
            bio=_opt(d, "bio", str, path, ""),
            followers=followers,
            verified=_opt(d, "verified", bool, path, False),
            verified_type=_one_of(_opt(d, "verified_type", str, path, "none"), VERIFIED_TYPES, f"{path}.verified_type"),
            labels=_str_list(d, "labels", path),
            observed_at=_timestamp(d, "observed_at", path, required=False, now=now),
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
    def from_dict(cls, d: Mapping[str, Any], path: str = "report", post_id: str | None = None,
                  now: float | None = None) -> "Report":
        from agents.policy import CATEGORIES

        policy = _req(d, "policy", str, path)
        if policy not in CATEGORIES:
            raise RecordError(f"{path}.policy", f"{policy!r} is not a policy code (see modstream policy)")
        return cls(
            report_id=_id(d, "report_id", path),
            post_id=post_id if post_id is not None and "post_id" not in d else _id(d, "post_id", path),
            policy=policy,
            created_at=_timestamp(d, "created_at", path, now=now),
            reporter_id=_id(d, "reporter_id", path, required=False),
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
        mentioned = _list(d, "mentioned_accounts", "$")
        reports = _list(d, "reports", "$")
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
            review_id=_id(d, "review_id", path),
            decision_id=_id(d, "decision_id", path),
            post_id=_id(d, "post_id", path),
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
            appeal_id=_id(d, "appeal_id", path),
            decision_id=_id(d, "decision_id", path),
            post_id=_id(d, "post_id", path),
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
        countries = _str_list(d, "countries", path, MAX_ID_CHARS)
        if not countries:
            raise RecordError(f"{path}.countries", "need at least one ISO 3166-1 alpha-2 code like 'DE'")
        countries = tuple(_country(c, f"{path}.countries[{i}]") for i, c in enumerate(countries))
        return cls(
            request_id=_id(d, "request_id", path),
            post_id=_id(d, "post_id", path),
            countries=countries,
            authority=_req(d, "authority", str, path),
            received_at=_timestamp(d, "received_at", path),
            legal_basis=_opt(d, "legal_basis", str, path, ""),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"request_id": self.request_id, "post_id": self.post_id, "countries": list(self.countries),
                "authority": self.authority, "legal_basis": self.legal_basis, "received_at": self.received_at}
