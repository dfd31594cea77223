"""A small tmpfs for tests of a full disk: a real ENOSPC, not a simulated one. Needs root
(the test machine is root); skipped where mounting is not allowed."""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path
from typing import Iterator

import pytest


@contextlib.contextmanager
def tiny_disk_at(mount_point: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` ("384k") mounted at `mount_point` (made here) until the block ends."""
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=True)
