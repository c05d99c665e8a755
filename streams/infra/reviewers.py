"""Who the reviewers are: the operator's roster file, password hashes, and sign-in.

Every client (the `modstream review` CLI, the console) authenticates here and gets an
`agents.review.Reviewer` with the roster's roles; what that reviewer may decide is
`agents.review.authority_problems`. No client takes a role or an identity from a flag.

The roster (`MODSTREAM_REVIEW_ROSTER`, JSON, kept by the operator, not writable by others):

    {"reviewers": {"ana": {"roles": ["analyst"], "name": "Ana", "password": "scrypt$16384$8$1$<salt>$<hash>"}}}

Passwords are stored as salted scrypt hashes (`hash_password`; `modstream review roster add`
writes them). The file is re-read when it changes, so removing a reviewer takes effect at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from agents.review import ROLES, Reviewer, reviewer_id_problem

MAX_ROSTER_BYTES = 1 << 20
MAX_REVIEWERS = 10_000
MAX_PASSWORD = 1024  #: longer is refused before hashing (scrypt's cost is per byte too)
MIN_PASSWORD = 8
_N, _R, _P = 1 << 14, 8, 1  #: scrypt cost: ~16 MB and ~50 ms a check


class AuthError(ValueError):
    """Sign-in or roster failure; the message is safe to show (it never says which part was wrong)."""


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def hash_password(password: str, salt: bytes | None = None) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AuthError(f"a password has {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt" or len(password) > MAX_PASSWORD:
            return False
        n_, r_, p_ = int(n), int(r), int(p)
        if n_ > 1 << 20 or r_ > 32 or p_ > 16:  # a hostile roster entry must not cost minutes or gigabytes
            return False
        got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=n_, r=r_, p=p_, dklen=32,
                             maxmem=256 << 20)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


_DUMMY = hash_password("not-a-password-anyone-has", salt=b"\0" * 16)  # unknown ids cost the same as known ones


@dataclass(frozen=True)
class Entry:
    reviewer: Reviewer
    name: str
    password: str = ""


def _entries(doc: Any, where: str) -> dict[str, Entry]:
    people = doc.get("reviewers") if isinstance(doc, dict) else None
    if not isinstance(people, dict):
        raise AuthError(f'{where}: expected {{"reviewers": {{"<id>": {{"roles": [...], "password": ...}}}}}}')
    if len(people) > MAX_REVIEWERS:
        raise AuthError(f"{where}: {len(people)} reviewers, at most {MAX_REVIEWERS}")
    out = {}
    for rid, e in people.items():
        roles = e.get("roles") if isinstance(e, dict) else None
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise AuthError(f"{where}: reviewers.{rid[:64]}.roles: a list of {', '.join(ROLES)}")
        try:
            reviewer = Reviewer(rid, frozenset(roles))
        except ValueError as exc:
            raise AuthError(f"{where}: reviewers.{rid[:64]}: {exc}") from None
        out[rid] = Entry(reviewer, str(e.get("name") or rid)[:200], str(e.get("password") or ""))
    return out


class Roster:
    """The roster file, re-read when its modification time or size changes."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._seen: tuple[int, int] | None = None
        self._entries: dict[str, Entry] = {}

    def _load(self) -> dict[str, Entry]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            raise AuthError(f"no reviewer roster at {self.path}: create one with `modstream review roster add` "
                            "or set MODSTREAM_REVIEW_ROSTER") from None
        if st.st_mode & stat.S_IWOTH:
            raise AuthError(f"{self.path} is writable by anyone: the roster grants authority; chmod o-w it")
        if st.st_size > MAX_ROSTER_BYTES:
            raise AuthError(f"{self.path}: {st.st_size} bytes, at most {MAX_ROSTER_BYTES}")
        if self._seen != (st.st_mtime_ns, st.st_size):
            try:
                doc = json.loads(self.path.read_bytes())
            except (ValueError, UnicodeDecodeError) as exc:
                raise AuthError(f"{self.path} is not valid JSON: {exc}") from None
            self._entries, self._seen = _entries(doc, str(self.path)), (st.st_mtime_ns, st.st_size)
        return self._entries

    def get(self, reviewer_id: str) -> Entry | None:
        return self._load().get(reviewer_id)

    def entries(self) -> list[Entry]:
        return sorted(self._load().values(), key=lambda e: e.reviewer.reviewer_id)

    def authenticate(self, reviewer_id: str, password: str) -> Reviewer:
        """The reviewer, when the password is theirs; AuthError (one message for every failure) otherwise."""
        entry = self._load().get(reviewer_id) if isinstance(reviewer_id, str) else None
        ok = check_password(password or "", entry.password if entry and entry.password else _DUMMY)
        if not (ok and entry and entry.password):
            raise AuthError("unknown reviewer or wrong password")
        return entry.reviewer

    def current(self, reviewer_id: str) -> Reviewer | None:
        """The reviewer with the roles the roster gives them now (None: no longer on it)."""
        entry = self._load().get(reviewer_id)
        return entry.reviewer if entry else None


def add(path: Path, reviewer_id: str, roles: list[str], password: str, name: str = "") -> Reviewer:
    """Add or replace a reviewer in the roster file (created owner-only when missing)."""
    if problem := reviewer_id_problem(reviewer_id):
        raise AuthError(problem)
    path = Path(path)
    doc: dict[str, Any] = {"reviewers": {}}
    if path.exists():
        doc = json.loads(path.read_bytes())
        _entries(doc, str(path))
    entry = {"roles": sorted(set(roles)), "name": name or reviewer_id, "password": hash_password(password)}
    reviewer = _entries({"reviewers": {reviewer_id: entry}}, "new entry")[reviewer_id].reviewer
    doc["reviewers"][reviewer_id] = entry
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f, indent=2, sort_keys=True)
    os.replace(tmp, path)
    return reviewer


def password_from(env: Mapping[str, str], prompt: str = "password: ") -> str:
    """The reviewer's password: MODSTREAM_REVIEWER_PASSWORD, else a prompt on the terminal."""
    import getpass
    import sys

    if env.get("MODSTREAM_REVIEWER_PASSWORD"):
        return env["MODSTREAM_REVIEWER_PASSWORD"]
    if not sys.stdin.isatty():
        raise AuthError("no password: set MODSTREAM_REVIEWER_PASSWORD or run on a terminal to be asked")
    return getpass.getpass(prompt)
