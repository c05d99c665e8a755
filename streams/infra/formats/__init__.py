"""Public firehose formats mapped onto modstream records (`modstream ingest --format`).

`map_line(fmt, raw)` is the one entry point for ingest: it decodes one raw line, skips
keep-alives, and returns `Mapped` or raises `MappingError` (error_type, reason) so the
original bytes can go to dead-letters. The per-format `map_event` functions take the
decoded object; `streams.infra.formats.reader` supplies the raw lines from a file, stdin or a
live stream.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from streams.infra.formats import jetstream, x_v2
from streams.infra.formats.common import (KEEP_ALIVE, AccountStatus, AccountUpdate, Mapped, MappingError, PostDeletion)

#: format name -> map_event
FORMATS: dict[str, Callable[[Any], Mapped]] = {x_v2.FORMAT: x_v2.map_event, jetstream.FORMAT: jetstream.map_event}

__all__ = ["FORMATS", "AccountStatus", "AccountUpdate", "Mapped", "MappingError", "PostDeletion", "map_line"]


def map_line(fmt: str, raw: bytes | str) -> Mapped:
    """Map one raw line of format `fmt`; blank lines (stream keep-alives) are skipped."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; known formats: {', '.join(FORMATS)}")
    if not raw.strip():
        return KEEP_ALIVE
    try:
        return FORMATS[fmt](json.loads(raw))
    except json.JSONDecodeError as exc:
        raise MappingError("invalid_json", f"{fmt}: not valid JSON ({exc.msg} at character {exc.pos}); "
                                           "each line must be one JSON event") from None
    except UnicodeDecodeError as exc:
        raise MappingError("invalid_json", f"{fmt}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except MappingError as exc:
        raise MappingError(exc.error_type, f"{fmt}: {exc.reason}") from None
