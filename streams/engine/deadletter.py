"""Dead letters: input we could not process, kept with the reason, so nothing is lost.

The original is kept whole up to `KEEP_ORIGINAL_BYTES`; a bigger one keeps its start plus the
length and SHA-256 of the whole, so the letter itself always fits its topic (a letter that
copied a 1 MB original whole could not be produced, and the record was lost in a crash loop).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Any

from agents.records import RecordError
from streams.infra import metrics
from streams.infra.topics import KEEP_ORIGINAL_BYTES


def error_type_of(exc: Exception) -> str:
    """The dead letter's error_type: the codec's own kind, `invalid_record` (as ingest names it), or the class."""
    return getattr(exc, "error_type", None) or ("invalid_record" if isinstance(exc, RecordError) else type(exc).__name__)


def dead_letter(original: bytes, *, source: str, stage: str, reason: str, error_type: str,
                key: bytes | None = None, partition: int = -1, offset: int = -1,
                keep: int = KEEP_ORIGINAL_BYTES) -> dict[str, Any]:
    """A modstream.DeadLetter value. `offset` is the 1-based line number for ingest input."""
    metrics.DEAD.labels(stage, error_type).inc()
    whole = len(original) <= keep
    return {
        "original": original if whole else original[:keep],
        "original_key": key if key is None or len(key) <= keep else key[:keep],
        "original_length": -1 if whole else len(original),
        "original_sha256": None if whole else hashlib.sha256(original).hexdigest(),
        "source": source,
        "partition": partition,
        "offset": offset,
        "stage": stage,
        "reason": reason[:2000],
        "error_type": error_type,
        "failed_at": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }


def is_truncated(letter: dict[str, Any]) -> bool:
    """True when the letter holds only the start of its original (it cannot be re-fed as it is)."""
    return letter.get("original_length", -1) >= 0
