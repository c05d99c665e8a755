"""`modstream tail TOPIC`: decode any modstream topic and print it as JSON Lines.

For downstream consumers and humans. Each line: topic, partition, offset, timestamp
(ms), key and the decoded value (bytes fields base64). Records that do not decode are
printed with an `error` instead of a value, never skipped.
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any

from streams.infra.clients import records
from streams.infra.codec import Codec
from streams.infra.config import Settings


def run(settings: Settings, codec: Codec, topic: str, out: IO = sys.stdout, **kwargs: Any) -> int:
    n = 0
    for rec in records(settings, codec, topic, **kwargs):
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    out.flush()
    return n
