"""A serial device on a pseudo-terminal pair, as the ID reader and printer simulators use.

The kiosk opens a stable path (`$KIOSK_SIM_DIR/<name>.tty`, a symlink to the pty's slave
side) with pyserial exactly as it would open `/dev/ttyUSB0`; the simulator reads and
writes the master side. `unplug()` closes the pty and removes the link, so the driver sees
what it sees when a USB cable is pulled (EIO on the open port, then no such file);
`plug()` makes a fresh pty behind the same path.

ptys do not pace at a baud rate, so `baud` (when set) makes writes take as long as they
would on the wire: 10 bits per byte for 8N1.
"""

from __future__ import annotations

import os
import pty
import select
import threading
import time
import tty
from pathlib import Path

from hwsim.control import sim_dir


class PtyDevice:
    def __init__(self, name: str, baud: int | None = None) -> None:
        self.name = name
        self.baud = baud
        self.link = sim_dir() / f"{name}.tty"
        self._master: int | None = None
        self._slave: int | None = None
        self._lock = threading.Lock()
        self.plug()

    @property
    def plugged(self) -> bool:
        return self._master is not None

    def plug(self) -> str:
        with self._lock:
            if self._master is None:
                master, slave = pty.openpty()
                tty.setraw(slave)
                tty.setraw(master)
                self._master, self._slave = master, slave
                self.link.parent.mkdir(parents=True, exist_ok=True)
                tmp = self.link.with_name(f"{self.name}.tty.tmp")  # not the registration's temp name
                if tmp.is_symlink() or tmp.exists():
                    tmp.unlink()
                tmp.symlink_to(os.ttyname(slave))
                tmp.replace(self.link)
        return str(self.link)

    def unplug(self) -> None:
        with self._lock:
            for fd in (self._master, self._slave):
                if fd is not None:
                    os.close(fd)
            self._master = self._slave = None
            if self.link.is_symlink():
                self.link.unlink()

    def read(self, size: int = 4096, timeout: float = 0.1) -> bytes:
        """Up to `size` bytes the kiosk sent; b"" when nothing came within `timeout`."""
        master = self._master
        if master is None:
            time.sleep(timeout)
            return b""
        try:
            ready, _, _ = select.select([master], [], [], timeout)
            return os.read(master, size) if ready else b""
        except OSError:
            return b""

    def write(self, data: bytes) -> None:
        """Send bytes to the kiosk, paced at the baud rate when one is set."""
        master = self._master
        if master is None:
            return
        if self.baud:
            time.sleep(len(data) * 10 / self.baud)
        view = memoryview(data)
        while view:
            try:
                written = os.write(master, view)
            except BlockingIOError:
                select.select([], [master], [], 0.1)
                continue
            except OSError:
                return
            view = view[written:]

    def close(self) -> None:
        self.unplug()


def wire_time(nbytes: int, baud: int) -> float:
    """Seconds `nbytes` need on an 8N1 line."""
    return nbytes * 10 / baud


def link_path(name: str) -> Path:
    return sim_dir() / f"{name}.tty"
