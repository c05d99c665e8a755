"""Dead letters: input we could not process, kept whole with the reason, so nothing is lost."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from agents.records import RecordError


def error_type_of(exc: Exception) -> str:
    """The dead letter's error_type: the codec's own kind, `invalid_record` (as ingest names it), or the class."""
    return getattr(exc, "error_type", None) or ("invalid_record" if isinstance(exc, RecordError) else type(exc).__name__)


def dead_letter(original: bytes, *, source: str, stage: str, reason: str, error_type: str,
                key: bytes | None = None, partition: int = -1, offset: int = -1) -> dict[str, Any]:
    """A modstream.DeadLetter value. `offset` is the 1-based line number for ingest input."""
    return {
        "original": original,
        "original_key": key,
        "source": source,
        "partition": partition,
        "offset": offset,
        "stage": stage,
        "reason": reason,
        "error_type": error_type,
        "failed_at": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
