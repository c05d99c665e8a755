"""A local Prometheus (Debian's `prometheus` package) scraping the local workers.

Workers find it through file_sd: each worker process writes a target file into
`targets_dir` (MODSTREAM_METRICS_TARGETS_DIR) naming its own port, so any number of local
workers, on free ports, are scraped without editing the config. The alert rules are the
repo's ops/prometheus/alerts.yml, so local runs evaluate what production would.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ops.local import OPS_DIR, _env_port, _Service, apt_binary, default_run_dir

RULES = OPS_DIR / "prometheus" / "alerts.yml"


def config(targets_dir: Path, rules: Path = RULES, scrape_interval: str = "5s") -> str:
    """prometheus.yml for local workers (JSON is valid YAML)."""
    return json.dumps({
        "global": {"scrape_interval": scrape_interval, "evaluation_interval": scrape_interval},
        "rule_files": [str(rules)],
        "scrape_configs": [{"job_name": "modstream", "file_sd_configs": [
            {"files": [str(targets_dir / "*.json")], "refresh_interval": "5s"}]}],
    }, indent=2)


@dataclass
class LocalPrometheus(_Service):
    """Prometheus on 127.0.0.1; run_dir/prometheus holds its config, data and the targets dir."""

    name: ClassVar[str] = "prometheus"
    port_env: ClassVar[str] = "MODSTREAM_LOCAL_PROMETHEUS_PORT"
    start_timeout: ClassVar[float] = 60.0
    port: int = 19090
    scrape_interval: str = "5s"

    @property
    def home(self) -> Path:
        return self.run_dir / "prometheus"

    @property
    def targets_dir(self) -> Path:
        return self.home / "targets"

    @property
    def config_path(self) -> Path:
        return self.home / "prometheus.yml"

    @property
    def address(self) -> str:
        return self.url

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.out_path

    def _needles(self) -> tuple[str, ...]:
        return ("prometheus", str(self.config_path))

    def _ports(self) -> tuple[int, ...]:
        return (self.port,)

    def _answers(self, timeout: float) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/-/ready", timeout=timeout) as resp:
                return resp.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def _prepare(self) -> list[str]:
        binary = apt_binary("prometheus", "prometheus")
        self.targets_dir.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(config(self.targets_dir, scrape_interval=self.scrape_interval))
        return [binary, f"--config.file={self.config_path}", f"--storage.tsdb.path={self.home / 'data'}",
                f"--web.listen-address=127.0.0.1:{self.port}", "--storage.tsdb.retention.time=2d",
                "--log.format=json"]

    def query(self, promql: str, timeout: float = 5.0) -> list[dict]:
        """An instant query's result vector (HTTP API /api/v1/query)."""
        from urllib.parse import urlencode

        with urllib.request.urlopen(f"{self.url}/api/v1/query?{urlencode({'query': promql})}", timeout=timeout) as r:
            body = json.load(r)
        return body["data"]["result"]


def local_prometheus(run_dir: Path | None = None) -> LocalPrometheus:
    """LocalPrometheus from MODSTREAM_RUN_DIR / MODSTREAM_LOCAL_PROMETHEUS_PORT; workers started with
    MODSTREAM_METRICS_TARGETS_DIR=<its targets_dir> are scraped."""
    return LocalPrometheus(Path(run_dir) if run_dir else default_run_dir(),
                           _env_port("MODSTREAM_LOCAL_PROMETHEUS_PORT", 19090))
