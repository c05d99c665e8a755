"""Debian's Chromium and its WebDriver for the console's browser test, installed with apt when missing.

Like `ops.local` does for redis-server: a fresh machine (CI's included) gets the packages from
Debian, never a browser build downloaded by a tool (Selenium is always given this driver).
"""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

from ops.local import LocalServiceError, _error_line

log = logging.getLogger("modstream.ops.browser")

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def ensure_chromium() -> tuple[Path, Path]:
    """(chromium, chromedriver), installing Debian's chromium and chromium-driver first if needed (root)."""
    if CHROMIUM.exists() and CHROMEDRIVER.exists():
        return CHROMIUM, CHROMEDRIVER
    if os.geteuid() != 0:
        raise LocalServiceError("chromium and chromium-driver are not installed and installing them needs root; run "
                                "`sudo apt-get update && sudo apt-get install -y chromium chromium-driver`")
    log.info("browser: installing Debian's chromium and chromium-driver with apt-get (one-off)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "chromium",
                                        "chromium-driver"]):
        res = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
        if res.returncode != 0:
            raise LocalServiceError(f"`{' '.join(cmd)}` failed (exit {res.returncode}): "
                                    f"{_error_line(res.stdout + res.stderr)}; fix apt sources/network and retry")
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        raise LocalServiceError("apt-get reported success but /usr/bin/chromium or /usr/bin/chromedriver is missing")
    return CHROMIUM, CHROMEDRIVER
