"""A dead letter always fits its topic: a big original keeps its start, length and digest."""

from __future__ import annotations

import hashlib
from pathlib import Path

from streams.infra import topics
from streams.infra.codec import Codec
from streams.engine.deadletter import dead_letter, is_truncated
from streams.infra.topics import KEEP_ORIGINAL_BYTES, MAX_MESSAGE_BYTES

CODEC = Codec.from_dir(Path(__file__).resolve().parents[3] / "schemas")


def test_a_small_original_is_kept_whole():
    letter = dead_letter(b"abc", key=b"k", source="posts.v1", stage="decode", reason="bad", error_type="bad_magic")
    assert letter["original"] == b"abc" and letter["original_length"] == -1 and letter["original_sha256"] is None
    assert not is_truncated(letter)


def test_a_big_original_keeps_its_start_length_and_digest_and_the_letter_fits_the_topic():
    original = b"\x07" * 1_000_000
    letter = dead_letter(original, key=b"k" * 2_000_000, source="reports.v1", stage="decode", reason="r" * 50_000,
                         error_type="too_large")
    assert letter["original"] == original[:KEEP_ORIGINAL_BYTES] and letter["original_length"] == 1_000_000
    assert letter["original_sha256"] == hashlib.sha256(original).hexdigest() and is_truncated(letter)
    encoded = CODEC.encode(topics.DEAD_LETTERS.schema, letter)
    assert len(encoded) < MAX_MESSAGE_BYTES
    assert CODEC.decode(encoded)[1]["original_length"] == 1_000_000
