"""A virtual X display (Xvfb) for machines without a screen: the demo and the UI tests.

Xvfb picks a free display number itself (-displayfd), so several kiosks, test runs and
helpers can share one machine; it is stopped by its PID, never by name.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import tempfile
import time


class DisplayError(RuntimeError):
    pass


class VirtualDisplay:
    """`with VirtualDisplay(1080, 1920) as display:` sets nothing; use `display.name` (":N")."""

    def __init__(self, width: int = 1080, height: int = 1920, depth: int = 24, start_timeout_s: float = 10.0) -> None:
        self.width, self.height, self.depth = width, height, depth
        self.start_timeout_s = start_timeout_s
        self.name: str | None = None
        self._proc: subprocess.Popen | None = None
        self._log = None

    def start(self) -> str:
        xvfb = shutil.which("Xvfb")
        if xvfb is None:
            raise DisplayError("Xvfb is not installed (Debian package xvfb, see deploy/apt-packages.txt)")
        read_fd, write_fd = os.pipe()
        self._log = tempfile.TemporaryFile()  # Xvfb's complaints, read only if it fails
        try:
            self._proc = subprocess.Popen(
                [xvfb, "-displayfd", str(write_fd), "-screen", "0", f"{self.width}x{self.height}x{self.depth}",
                 "-nolisten", "tcp", "-noreset"],
                pass_fds=(write_fd,),
                stdout=subprocess.DEVNULL,
                stderr=self._log,
                start_new_session=True,
            )
            os.close(write_fd)
            write_fd = -1
            self.name = ":" + self._read_display_number(read_fd)
        except BaseException:
            self.stop()
            raise
        finally:
            if write_fd >= 0:
                os.close(write_fd)
            os.close(read_fd)
        return self.name

    def _read_display_number(self, fd: int) -> str:
        deadline = time.monotonic() + self.start_timeout_s
        data = b""
        while not data.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise DisplayError(f"Xvfb did not start within {self.start_timeout_s:g} s")
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, 16)
            if not chunk:
                self._log.seek(0)
                err = self._log.read().decode(errors="replace")
                raise DisplayError(f"Xvfb exited before opening a display: {err.strip()[-500:]}")
            data += chunk
        return data.decode().strip()

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is not None:
            self._log.close()
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(5)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        finally:
            self._log.close()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def __enter__(self) -> "VirtualDisplay":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
