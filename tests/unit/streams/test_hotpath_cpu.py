"""`python -m ops.hotpath_cpu`: the hot path's work without Kafka or Redis decides every post, the same each run."""

from __future__ import annotations

import gc

from ops import hotpath_cpu


def test_every_post_gets_its_audit_record_and_the_digest_is_stable() -> None:
    work = hotpath_cpu.Work(300)
    seen: dict[str, list[str]] = {}
    work.run(lambda post_id, encoded, charged, summary: seen.setdefault(post_id, [t for t, _, _ in encoded]))
    assert len(seen) == len(work.cases) == 300
    assert all(topics[-1] == "audit.v1" for topics in seen.values())
    threshold = gc.get_threshold()
    try:
        assert hotpath_cpu.digest(300) == hotpath_cpu.digest(300)
    finally:  # digest sets the GC as the hot path does: not for the rest of the test run
        gc.unfreeze()
        gc.set_threshold(*threshold)
