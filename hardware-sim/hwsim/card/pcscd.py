"""Starting pcscd for the simulator, and only ever stopping the one we started.

pcscd 1.9.9 always serves /run/pcscd/pcscd.comm (PCSCLITE_CSOCK_NAME moves the client side
only), so there is one pcscd per machine and every simulator and test shares it. A pcscd
that was killed leaves pcscd.comm and pcscd.pid behind and the next start refuses to run;
`clean_stale()` removes them when the recorded pid is not a live pcscd.

pcscd runs in the foreground as our child (`--foreground`), its output in a log file. It is
never started with `--apdu` or `--debug`: those log every APDU, PIN included.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from hwsim.card.vpcd import VPCD_BASE_PORT

RUN_DIR = Path("/run/pcscd")
VPCD_SLOTS = 2


class PcscdError(RuntimeError):
    pass


@dataclass(frozen=True)
class PcscdState:
    pid: int | None  # a live pcscd
    ours: bool
    stale_files: bool  # pcscd.comm / pcscd.pid left by a pcscd that died
    vpcd_ports_listening: list[int]

    def to_dict(self) -> dict:
        return {
            "running": self.pid is not None,
            "pid": self.pid,
            "started_by_this_process": self.ours,
            "stale_files": self.stale_files,
            "vpcd_ports_listening": self.vpcd_ports_listening,
        }


def _is_pcscd(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip() == "pcscd"
    except OSError:
        return False


def listening_tcp_ports() -> set[int]:
    """TCP ports in LISTEN state on this machine (from /proc, so nothing connects to them:
    connecting to vpcd's port would insert a card)."""
    ports: set[int] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 3 and fields[3] == "0A":
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


class Pcscd:
    def __init__(
        self,
        *,
        run_dir: Path = RUN_DIR,
        binary: str = "pcscd",
        log_path: Path | None = None,
        vpcd_ports: tuple[int, ...] = tuple(VPCD_BASE_PORT + i for i in range(VPCD_SLOTS)),
    ) -> None:
        self.run_dir = run_dir
        self.binary = binary
        self.log_path = log_path
        self.vpcd_ports = vpcd_ports
        self._proc: subprocess.Popen | None = None

    @property
    def comm(self) -> Path:
        return self.run_dir / "pcscd.comm"

    @property
    def pid_file(self) -> Path:
        return self.run_dir / "pcscd.pid"

    @property
    def ours(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def recorded_pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip(" \n\x00"))  # pcscd writes "1234\n\0"
        except (OSError, ValueError):
            return None

    def running_pid(self) -> int | None:
        if self.ours:
            return self._proc.pid  # type: ignore[union-attr]
        pid = self.recorded_pid()
        return pid if pid is not None and _is_pcscd(pid) else None

    def _comm_answers(self) -> bool:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.5)
            try:
                sock.connect(str(self.comm))
            except OSError:
                return False
        return True

    def _stale(self) -> bool:
        if self.running_pid() is not None:
            return False
        if self.comm.exists():
            return not self._comm_answers()  # whatever the pid file says, a live socket is not stale
        return self.pid_file.exists()

    def state(self) -> PcscdState:
        listening = listening_tcp_ports()
        return PcscdState(
            pid=self.running_pid(),
            ours=self.ours,
            stale_files=self._stale(),
            vpcd_ports_listening=[p for p in self.vpcd_ports if p in listening],
        )

    def clean_stale(self) -> list[str]:
        """Remove pcscd.comm and pcscd.pid when no live pcscd owns them."""
        if not self._stale():
            return []
        removed = []
        for path in (self.comm, self.pid_file):
            try:
                path.unlink()
                removed.append(str(path))
            except FileNotFoundError:
                pass
        return removed

    def ready(self) -> bool:
        listening = listening_tcp_ports()
        return (
            self.running_pid() is not None
            and self.comm.exists()
            and all(port in listening for port in self.vpcd_ports)
        )

    def ensure_running(self, timeout_s: float = 10.0) -> bool:
        """Start pcscd unless one runs; True if this call started it."""
        if self.running_pid() is not None:
            self._wait_ready(timeout_s)
            return False
        self.clean_stale()
        if self.log_path:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        try:
            self._proc = subprocess.Popen(
                [self.binary, "--foreground"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a Ctrl-C in the technician's terminal goes to us, not to it
            )
        except OSError as exc:
            raise PcscdError(f"cannot start {self.binary}: {exc} (is the Debian package pcscd installed?)") from None
        finally:
            if log is not subprocess.DEVNULL:
                log.close()
        try:
            self._wait_ready(timeout_s)
        except PcscdError:
            self.stop()
            raise
        return True

    def _wait_ready(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.poll() is not None:
                raise PcscdError(
                    f"pcscd exited at once with status {self._proc.returncode}"
                    + (f"; see {self.log_path}" if self.log_path else "")
                )
            if self.ready():
                return
            time.sleep(0.05)
        missing = [p for p in self.vpcd_ports if p not in listening_tcp_ports()]
        raise PcscdError(
            f"pcscd is not ready after {timeout_s:.0f} s"
            + (f": vpcd is not listening on port(s) {missing} (is vsmartcard-vpcd installed, /etc/reader.conf.d/vpcd?)" if missing else "")
        )

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop pcscd if, and only if, this object started it (by its PID)."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        try:
            os.kill(proc.pid, signal.SIGTERM)
            proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout_s)
        except OSError as exc:
            if exc.errno != errno.ESRCH:
                raise
