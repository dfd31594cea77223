"""How `kiosk sim …` commands run a simulator in the foreground, written once: start it,
say where to connect, wait for Ctrl-C or SIGTERM, stop it cleanly (so it unregisters and
its pty or port disappears)."""

from __future__ import annotations

import signal
import threading
from typing import Callable, TypeVar

from kiosk.cli import exitcodes

T = TypeVar("T")


def run_until_stopped(start: Callable[[], T], announce: Callable[[T], None], stop: Callable[[T], None]) -> int:
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    running = start()
    try:
        announce(running)
        while not stopping.wait(0.5):
            pass
    finally:
        stop(running)
    return exitcodes.OK
