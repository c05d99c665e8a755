"""Media hash banks: exact MD5 and near-duplicate PDQ matching of `Media` against known hashes.

A bank is a named set of hashes that all stand for one policy code (say "cse-demo" ->
child_sexual_exploitation). `HashBank` is an immutable snapshot of every bank, built once
(from a file or the Redis store, see `streams.infra.banks`) and shared by the tag agent:
- MD5: exact match of the file bytes' digest; confidence 1.0.
- PDQ: Hamming distance between 256-bit perceptual hashes; a match is a distance at or
  below `PDQ_THRESHOLD` (31, the PDQ reference match threshold). Confidence falls
  linearly from 1.0 at distance 0 to `PDQ_FLOOR_CONFIDENCE` (0.8) at the threshold, so a
  close copy acts with full enforcement (>= Policy.severe_confidence 0.85 up to distance
  23) and a loose one stays above Policy.min_confidence.
Disabled banks are kept by name (for listings and audit) but never match.
`version` is a digest of what the snapshot matches, recorded as `hashbank@<version>`.
Pure: no I/O; PDQ hashes sit in one (4, N) uint64 matrix so a lookup is a vectorised
XOR + popcount over the whole bank (about 0.25 ms per media item against 100k hashes).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np

from agents.records import Media

KINDS = ("md5", "pdq")
HEX_LENGTH = {"md5": 32, "pdq": 64}
PDQ_THRESHOLD = 31  #: PDQ reference threshold: distance <= 31 of 256 bits is the same image
PDQ_FLOOR_CONFIDENCE = 0.8  #: confidence of a PDQ match exactly at the threshold
BANK_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")  #: safe in Redis keys and evidence strings
_HEX = re.compile(r"[0-9a-f]+")


def hash_problem(kind: str, value: str) -> str | None:
    """Why `value` is not a valid lower-case `kind` hash, or None when it is."""
    if kind not in HEX_LENGTH:
        return f"kind {kind!r} is not one of {', '.join(KINDS)}"
    if len(value) != HEX_LENGTH[kind] or not _HEX.fullmatch(value):
        return f"{kind} hash must be {HEX_LENGTH[kind]} hex characters, got {value!r}"
    return None


def name_problem(name: str) -> str | None:
    """Why `name` is not a usable bank name, or None."""
    if not BANK_NAME.fullmatch(name):
        return f"bank name {name!r} must be 1-64 of a-z 0-9 . _ - starting with a letter or digit"
    return None


def pdq_confidence(distance: int, threshold: int = PDQ_THRESHOLD) -> float:
    """1.0 at distance 0, PDQ_FLOOR_CONFIDENCE at `threshold`, linear in between."""
    return round(1.0 - (1.0 - PDQ_FLOOR_CONFIDENCE) * distance / max(threshold, 1), 4)


@dataclass(frozen=True, slots=True)
class Bank:
    """One named bank: its policy, whether it is live, and its hashes (lower-case hex)."""

    name: str
    policy: str  #: a policy code (agents.policy.CATEGORIES)
    enabled: bool = True
    source: str = ""  #: where the hashes came from (provenance for reviewers and audit)
    md5: frozenset[str] = frozenset()
    pdq: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class BankMatch:
    """One media item matching one bank."""

    media_id: str
    policy: str
    bank: str
    kind: str  #: "md5" | "pdq"
    distance: int  #: Hamming distance for pdq; 0 for md5
    hash: str  #: the bank's hash that matched
    confidence: float

    @property
    def evidence(self) -> str:
        if self.kind == "md5":
            return f'md5 bank "{self.bank}" media {self.media_id}'
        return f'pdq bank "{self.bank}" distance {self.distance} media {self.media_id}'


def _rows(kind: str, values: Iterable[str]) -> np.ndarray:
    """Hashes as (n, bytes) uint8 rows, checked in bulk (fast for 100k); ValueError names a bad one."""
    values = list(values)
    joined = "".join(values)
    try:
        raw = bytes.fromhex(joined)
        ok = set(map(len, values)) <= {HEX_LENGTH[kind]} and raw.hex() == joined  # lower-case, no spaces
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(next(p for v in sorted(values) if (p := hash_problem(kind, v))))
    return np.frombuffer(raw, dtype=np.uint8).reshape(-1, HEX_LENGTH[kind] // 2)


def _sorted(rows: np.ndarray) -> np.ndarray:
    """Rows in hex order, so the digest and distance tie-breaks never depend on set order."""
    words = rows.view(">u8")  # big-endian 64-bit words sort like the hex text
    return rows[np.lexsort(words.T[::-1])] if len(rows) > 1 else rows


def _pdq_words(rows: np.ndarray) -> np.ndarray:
    """(4, n) uint64: one row per 64-bit word, so XOR + popcount runs over contiguous memory."""
    return np.ascontiguousarray(np.ascontiguousarray(rows).view(np.uint64).T)


@dataclass(frozen=True)
class HashBank:
    """An immutable snapshot of all banks; `match` is pure and fast. Build with `HashBank.build`."""

    banks: tuple[Bank, ...]  #: sorted by name; disabled ones included
    version: str  #: digest of the enabled contents (audit: which banks a decision saw)
    pdq_threshold: int = PDQ_THRESHOLD
    _pdq: np.ndarray = field(default_factory=lambda: np.zeros((4, 0), np.uint64), repr=False, compare=False)
    _pdq_bank: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32), repr=False, compare=False)

    @classmethod
    def build(cls, banks: Iterable[Bank], pdq_threshold: int = PDQ_THRESHOLD) -> "HashBank":
        """Validate names and hashes and index the enabled PDQ hashes. Raises ValueError."""
        ordered = tuple(sorted(banks, key=lambda b: b.name))
        names = [b.name for b in ordered]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate bank names: {sorted({n for n in names if names.count(n) > 1})}")
        digest = hashlib.sha256(f"pdq_threshold {pdq_threshold}\n".encode())
        pdq_rows: list[np.ndarray] = []
        owners: list[np.ndarray] = []
        for i, b in enumerate(ordered):
            try:
                if problem := name_problem(b.name):
                    raise ValueError(problem)
                rows = {kind: _sorted(_rows(kind, getattr(b, kind))) for kind in KINDS}
            except ValueError as e:
                raise ValueError(f"bank {b.name!r}: {e}") from None
            if b.enabled:
                digest.update(f"bank {b.name} {b.policy} md5 {len(rows['md5'])} pdq {len(rows['pdq'])}\n".encode())
                digest.update(rows["md5"].tobytes() + rows["pdq"].tobytes())
                pdq_rows.append(rows["pdq"])
                owners.append(np.full(len(rows["pdq"]), i, dtype=np.int32))
        pdq = _pdq_words(np.concatenate(pdq_rows) if pdq_rows else np.zeros((0, 32), np.uint8))
        owner = np.concatenate(owners) if owners else np.zeros(0, np.int32)
        return cls(ordered, digest.hexdigest()[:12], pdq_threshold, pdq, owner)

    @classmethod
    def empty(cls) -> "HashBank":
        return cls.build(())

    @property
    def source(self) -> str:
        return f"hashbank@{self.version}"

    @property
    def policies(self) -> frozenset[str]:
        return frozenset(b.policy for b in self.banks)

    def _near(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rows within the threshold of one query hash (4 words), and their distances.

        Words 0-1 are scanned for every banked hash; 128 bits of random-looking hashes differ
        by ~64, so almost no row survives `<= threshold` and words 2-3 only touch those few."""
        x = np.bitwise_xor(self._pdq[0], q[0])
        head = np.bitwise_count(x)  # uint8; at most 128 after the second word
        head += np.bitwise_count(np.bitwise_xor(self._pdq[1], q[1], out=x))
        rows = np.flatnonzero(head <= self.pdq_threshold)
        tail = np.bitwise_count(self._pdq[2:, rows] ^ q[2:, None]).sum(axis=0, dtype=np.uint16)
        distance = head[rows] + tail  # uint16: 256 (all bits differ) must not wrap to 0
        keep = distance <= self.pdq_threshold
        return rows[keep], distance[keep]

    def match(self, media: Media) -> list[BankMatch]:
        """Best match per (bank, kind) for one media item, strongest first."""
        return self.match_all([media])

    def match_all(self, media: Sequence[Media]) -> list[BankMatch]:
        """`match` for all media of a post (one vectorised scan per PDQ hash), strongest first."""
        found = self._md5_matches(media) + self._pdq_matches(media)
        return sorted(found, key=lambda m: (-m.confidence, m.distance, m.media_id, m.bank, m.kind))

    def _md5_matches(self, media: Sequence[Media]) -> list[BankMatch]:
        out = []
        for m in media:
            h = (m.md5 or "").lower()
            if h and not hash_problem("md5", h):
                out += [BankMatch(m.media_id, b.policy, b.name, "md5", 0, h, 1.0) for b in self.banks if b.enabled and h in b.md5]
        return out

    def _pdq_matches(self, media: Sequence[Media]) -> list[BankMatch]:
        queries = [m for m in media if m.pdq and not hash_problem("pdq", m.pdq.lower())]
        if not queries or self._pdq.shape[1] == 0:
            return []
        words = _pdq_words(_rows("pdq", [m.pdq.lower() for m in queries]))  # type: ignore[union-attr]
        best: dict[tuple[str, int], tuple[int, int]] = {}  # (media, bank) -> (distance, row)
        for m, q in zip(queries, words.T):
            for row, d in zip(*self._near(q)):
                k, hit = (m.media_id, int(self._pdq_bank[row])), (int(d), int(row))
                best[k] = min(best.get(k, hit), hit)
        return [
            BankMatch(media_id, b.policy, b.name, "pdq", d, self._pdq[:, row].tobytes().hex(), pdq_confidence(d, self.pdq_threshold))
            for (media_id, bi), (d, row) in best.items()
            for b in [self.banks[bi]]
        ]
