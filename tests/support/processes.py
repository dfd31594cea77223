"""Start the real services a test needs and stop them by PID (never by name)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from typing import Callable


def start(cmd: list[str], *, env: dict | None = None, **popen) -> subprocess.Popen:
    """Start `cmd` in its own process group, so stopping it also stops its children."""
    return subprocess.Popen(cmd, env={**os.environ, **(env or {})}, start_new_session=True, **popen)


def stop(proc: subprocess.Popen, timeout: float = 5.0) -> None:
    """SIGTERM the process group, then SIGKILL what is left; by PID only."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout)


def wait_for(condition: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
