"""ops/prometheus/ (and the local Prometheus's generated config) pass promtool's checks."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import yaml

from ops.local import OPS_DIR, apt_binary
from ops.local_prometheus import RULES, config

PROM_DIR = OPS_DIR / "prometheus"


def promtool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([apt_binary("promtool", "prometheus"), *args], capture_output=True, text=True, timeout=60)


def test_promtool_checks_rules():
    res = promtool("check", "rules", str(RULES))
    assert res.returncode == 0, res.stdout + res.stderr
    names = {r["alert"] for g in yaml.safe_load(RULES.read_text())["groups"] for r in g["rules"]}
    assert {"ModstreamLagGrowing", "ModstreamNoDecisionsWhileLagging", "ModstreamDeadLetterRateHigh",
            "ModstreamReviewOldestPastSLA", "ModstreamCapAt80Percent"} <= names


def test_promtool_checks_the_scrape_configs(tmp_path: Path):
    res = promtool("check", "config", str(PROM_DIR / "prometheus.yml"))
    assert res.returncode == 0, res.stdout + res.stderr
    local = tmp_path / "prometheus.yml"
    local.write_text(config(tmp_path / "targets"))
    res = promtool("check", "config", str(local))
    assert res.returncode == 0, res.stdout + res.stderr


def test_promtool_rejects_a_broken_rule(tmp_path: Path):
    """The check can fail: a rule with a bad expression does not pass."""
    bad = tmp_path / "bad.yml"
    bad.write_text(yaml.safe_dump({"groups": [{"name": "x", "rules": [{"alert": "A", "expr": "sum(("}]}]}))
    assert promtool("check", "rules", str(bad)).returncode != 0


def test_the_dashboard_queries_only_modstream_metrics():
    board = json.loads((OPS_DIR / "grafana" / "modstream.json").read_text())
    exprs = [t["expr"] for p in board["panels"] for t in p.get("targets", [])]
    assert len(exprs) >= 8 and all("modstream_" in e for e in exprs)


def test_alerts_fire_on_their_series_and_not_on_healthy_ones():
    """promtool's rule unit tests (ops/prometheus/alerts_test.yml): synthetic series through the real rules."""
    res = subprocess.run([apt_binary("promtool", "prometheus"), "test", "rules", "alerts_test.yml"],
                         capture_output=True, text=True, timeout=120, cwd=PROM_DIR)
    assert res.returncode == 0 and "SUCCESS" in res.stdout, res.stdout + res.stderr
