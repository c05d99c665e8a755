"""What a firehose format mapper returns, and the helpers both mappers share.

A mapper turns one source event into our records (`Mapped`) or raises `MappingError`
with a machine-readable `error_type` and a reason saying what is wrong, where, and how to
fix it, so ingest can dead-letter the original bytes. Anything the source says that has no
place in our records is listed in `Mapped.unmapped` ("path: why"), never dropped silently,
and nothing the source does not say is invented: an unknown follower count stays None,
a profile update that names only a handle is a partial `AccountUpdate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

from agents.records import Account, Post, RecordError

#: the profile fields of `Account` a source may or may not state (account_id and observed_at always are)
ACCOUNT_FIELDS = frozenset({"handle", "display_name", "bio", "followers", "verified", "verified_type", "labels"})

#: account status values (AccountStatus.status); sources may add more, which pass through as given
ACCOUNT_STATUSES = ("active", "inactive", "takendown", "suspended", "deleted", "deactivated", "desynchronized",
                    "throttled")

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class MappingError(ValueError):
    """A source event that cannot be mapped; ingest sends the original bytes to dead-letters."""

    def __init__(self, error_type: str, reason: str):
        super().__init__(reason)
        self.error_type = error_type
        self.reason = reason


@dataclass(frozen=True, slots=True)
class AccountUpdate:
    """A profile update that says which fields the source actually stated.

    `fields` == ACCOUNT_FIELDS is a full snapshot; anything less is partial, and the fields not
    named are unknown (their values in `account` are defaults, not facts): see `merge_into`.
    """

    account: Account
    fields: frozenset[str]

    @property
    def partial(self) -> bool:
        return self.fields != ACCOUNT_FIELDS

    def merge_into(self, previous: Account | None) -> Account:
        """The registry merge rule: overlay the stated fields on the stored snapshot.

        An update older than the stored snapshot (by observed_at) changes nothing; with no stored
        snapshot the update is taken as is (unknown fields keep their defaults, followers None).
        """
        if previous is None:
            return self.account
        if not _newer_or_same(self.account, previous):
            return previous
        if not self.partial:
            return self.account
        stated = {name: getattr(self.account, name) for name in self.fields}
        return replace(previous, **stated, observed_at=self.account.observed_at or previous.observed_at)

    def to_dict(self) -> dict[str, Any]:
        """The account-updates value, plus `known_fields` (None for a full snapshot)."""
        return {**self.account.to_dict(), "known_fields": sorted(self.fields) if self.partial else None}


def _newer_or_same(update: Account, stored: Account) -> bool:
    if update.observed_at is None or stored.observed_at is None:
        return True
    return _parse(update.observed_at) >= _parse(stored.observed_at)


@dataclass(frozen=True, slots=True)
class PostDeletion:
    """A post removed at the source: a post deleted before review needs no action (modstream.PostDeletion)."""

    post_id: str
    author_id: str | None  #: None when the source does not say
    deleted_at: str | None  #: RFC 3339 UTC; None when the source does not say
    source: str  #: the format it came from, e.g. x-v2, jetstream
    reason: str = "deleted"  #: deleted: removed from the source (who removed it is not said)

    def to_dict(self) -> dict[str, Any]:
        return {"post_id": self.post_id, "author_id": self.author_id, "deleted_at": self.deleted_at,
                "source": self.source, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class AccountStatus:
    """An account's hosting status changed, e.g. taken down or deactivated (modstream.AccountStatus)."""

    account_id: str
    active: bool
    status: str  #: one of ACCOUNT_STATUSES, or the source's own word for it
    observed_at: str | None
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"account_id": self.account_id, "active": self.active, "status": self.status,
                "observed_at": self.observed_at, "source": self.source}


@dataclass(frozen=True, slots=True)
class Mapped:
    """Everything one source event maps to. Ingest produces accounts first, then posts."""

    posts: tuple[Post, ...] = ()
    accounts: tuple[AccountUpdate, ...] = ()
    deletions: tuple[PostDeletion, ...] = ()
    statuses: tuple[AccountStatus, ...] = ()
    unmapped: tuple[str, ...] = ()  #: "path: what could not be mapped and why", for counting and review
    skip: bool = False  #: keep-alive or an event of no interest: nothing to produce
    upstream_errors: int = 0  #: error objects the source attached to an event that still had data
    cursor: int | None = None  #: resume position (Jetstream time_us), when the format has one

    @property
    def empty(self) -> bool:
        return not (self.posts or self.accounts or self.deletions or self.statuses)


KEEP_ALIVE = Mapped(skip=True)


# --- shared helpers ----------------------------------------------------------------------

@dataclass
class Notes:
    """Collects field-level `unmapped` notes while mapping one event."""

    items: list[str] = field(default_factory=list)

    def add(self, path: str, why: str) -> None:
        self.items.append(f"{path}: {why}")

    def get(self, d: Mapping[str, Any], key: str, kind: type | tuple[type, ...], path: str) -> Any:
        """An optional field: None when absent; noted and ignored when it has the wrong type."""
        value = d.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            self.add(f"{path}.{key}" if path else key,
                     f"expected {_kind(kind)}, got {type(value).__name__} {_short(value)}; ignored")
            return None
        return value


def require(d: Any, key: str, kind: type | tuple[type, ...], path: str, fix: str) -> Any:
    """A required field, or MappingError saying where it is missing and how to fix the source."""
    if not isinstance(d, Mapping):
        raise MappingError("wrong_type", f"{path}: expected an object, got {type(d).__name__}; {fix}")
    value = d.get(key)
    if value is None:
        raise MappingError("missing_field", f"{path}.{key} is missing; {fix}")
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool) or (kind is str and not value):
        expected = "a non-empty string" if kind is str else _kind(kind)
        raise MappingError("wrong_type", f"{path}.{key}: expected {expected}, got "
                                         f"{type(value).__name__} {_short(value)}; {fix}")
    return value


def objects(value: Any, path: str, notes: Notes) -> list[tuple[str, dict[str, Any]]]:
    """The objects of an optional array, with their paths; anything else is noted and skipped."""
    if value is None:
        return []
    if not isinstance(value, list):
        notes.add(path, f"expected an array, got {type(value).__name__}; ignored")
        return []
    out = []
    for i, item in enumerate(value):
        if isinstance(item, dict):
            out.append((f"{path}[{i}]", item))
        else:
            notes.add(f"{path}[{i}]", f"expected an object, got {type(item).__name__}; ignored")
    return out


def utc(value: str) -> str | None:
    """An RFC 3339 timestamp normalised to UTC milliseconds ("…T12:00:00.000Z"), or None if unparseable.

    One format for every timestamp we emit, because the registry orders snapshots by comparing them.
    """
    try:
        parsed = _parse(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None  # RFC 3339 requires an offset; a local time is ambiguous
    return _format(parsed)


def from_micros(time_us: int) -> str:
    """Unix microseconds (Jetstream time_us) as UTC milliseconds."""
    return _format(_EPOCH + timedelta(microseconds=time_us))


def from_millis(text: str) -> str | None:
    """Unix milliseconds as a decimal string (X v1.1 timestamp_ms), or None when not a number."""
    return from_micros(int(text) * 1000) if text.isdigit() else None


def build_post(fields: dict[str, Any], where: str) -> Post:
    """A Post through the contract's own validation, so mapped posts obey it exactly."""
    try:
        return Post.from_dict(fields, where)
    except RecordError as exc:
        raise MappingError("invalid_record", f"{exc}; the mapped post breaks the Post contract") from None


def build_account(fields: dict[str, Any], where: str) -> Account:
    try:
        return Account.from_dict(fields, where)
    except RecordError as exc:
        raise MappingError("invalid_record", f"{exc}; the mapped account breaks the Account contract") from None


def dedupe(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))


def _format(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _kind(kind: type | tuple[type, ...]) -> str:
    names = {str: "string", int: "integer", bool: "boolean", list: "array", dict: "object"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
