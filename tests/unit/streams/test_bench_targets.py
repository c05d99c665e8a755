"""`modstream bench` says, for each issue 13 speed target, whether this run met it."""

from __future__ import annotations

from dataclasses import replace

from streams.commands.bench import BenchResult


def _result(**changes) -> BenchResult:
    base = BenchResult(posts=10_000, workers=2, passthrough_eps=100_000.0, pipeline_eps=6_500.0, ratio=0.065,
                       p50_ms=90.0, p99_ms=250.0, latency_rate_eps=3_250.0, paced_seconds=10.0, cpu_us_per_event=150.0,
                       broker_cpu_us_per_event=20.0, redis_cpu_us_per_event=8.0, peak_rss_mb=150.0, rss_start_mb=140.0,
                       rss_end_mb=140.0, tagging_eps=8_000.0, model_tps=45_000.0)
    return replace(base, **changes)


def test_all_met() -> None:
    assert "NOT met" not in _result().targets()
    assert _result().targets().count("met") == 3


def test_each_target_can_fail() -> None:
    assert "6,000 posts/s with 2 workers: NOT met" in _result(pipeline_eps=5_999.0).targets()
    assert "6,000 posts/s with 2 workers: NOT met" in _result(workers=3).targets()  # the target is for 2 workers
    assert "20,000 texts/s a core: NOT met" in _result(model_tps=19_000.0).targets()
    assert "20,000 texts/s a core: NOT met" in _result(model_tps=None).targets()
    assert "p99 <= 300 ms at half rate: NOT met" in _result(p99_ms=301.0).targets()


def test_the_table_reports_them() -> None:
    table = _result(p99_ms=900.0).table()
    assert "6,500 posts/s end to end" in table
    assert "p99 <= 300 ms at half rate: NOT met" in table
