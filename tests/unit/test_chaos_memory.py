"""The chaos burst samples the memory of the worker and its hot path child, not the parent alone
(issue 14: the hot path's batches live in the child)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from ops import chaos
from streams.commands.bench import _proc_mb

CHILD = "import time; x = bytearray(80 * 1024 * 1024); x[::4096] = b'1' * len(x[::4096]); time.sleep(60)"
PARENT = f"import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', {CHILD!r}]); time.sleep(60)"


def test_rss_counts_the_child_process_too():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while chaos._rss_mb(parent.pid) - _proc_mb(parent.pid, "VmRSS:") < 70:  # the child's 80 MB
            assert time.monotonic() < deadline, "the child's memory was never counted"
            time.sleep(0.2)
    finally:
        os.killpg(parent.pid, signal.SIGKILL)
        parent.wait()
