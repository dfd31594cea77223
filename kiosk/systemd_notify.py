"""Tells systemd the kiosk is up (READY=1) and still alive (WATCHDOG=1), from the Kivy clock.

On a terminal the kiosk runs as a `Type=notify` service with `WatchdogSec=`: systemd counts
it started only once the first screen is drawn, and restarts it when the pings stop. The
pings come from the Kivy clock, so a frozen UI loop (or a process stopped with SIGSTOP)
stops them; they also stop when a background worker the kiosk cannot do without has died.
Outside systemd (no $NOTIFY_SOCKET) nothing is sent, but "kiosk ready" is still logged:
the terminal image's boot test waits for that line on the serial console.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Callable

log = logging.getLogger(__name__)

READY_LOG_LINE = "kiosk ready"
# Always-on background threads (the outbox's sync worker). Device pollers start and stop
# with the screens that use them, so their absence is normal and is not watched.
ESSENTIAL_THREADS = ("outbox-sync",)
DEFAULT_PING_S = 5.0


def watchdog_interval_s(environ: dict[str, str] | None = None) -> float:
    """Half of systemd's WatchdogSec (as systemd advises), else a default."""
    usec = (environ if environ is not None else os.environ).get("WATCHDOG_USEC", "")
    return int(usec) / 2_000_000 if usec.isdigit() and int(usec) > 0 else DEFAULT_PING_S


def dead_essential_threads(seen_alive: set[str]) -> list[str]:
    """Essential threads that were running once and are gone now."""
    alive = {t.name for t in threading.enumerate() if t.is_alive()}
    seen_alive.update(name for name in ESSENTIAL_THREADS if name in alive)
    return sorted(seen_alive - alive)


class Notifier:
    """READY=1 once, then WATCHDOG=1 on every tick while `healthy()` holds."""

    def __init__(self, send: Callable[[str], None], healthy: Callable[[], list[str]]) -> None:
        self._send = send
        self._healthy = healthy
        self.ready_sent = False
        self.stopped_pinging = False

    def tick(self, _dt: float = 0.0) -> None:
        if not self.ready_sent:
            self.ready_sent = True
            log.info(READY_LOG_LINE)
            self._send("READY=1\nSTATUS=kiosk ready")
        problems = self._healthy()
        if problems:
            if not self.stopped_pinging:
                log.error("watchdog pings stopped: background thread(s) ended: %s", ", ".join(problems))
                self._send(f"STATUS=unhealthy: {', '.join(problems)} ended")
            self.stopped_pinging = True
            return
        self._send("WATCHDOG=1")


def _sender() -> Callable[[str], None]:
    if not os.environ.get("NOTIFY_SOCKET"):
        return lambda _message: None
    import sdnotify

    notifier = sdnotify.SystemdNotifier()
    return notifier.notify


# Kivy's clock keeps only weak references to bound methods: the notifier lives here.
_running: Notifier | None = None


def start() -> Notifier:
    """Call once the first screen is built: READY=1 when its first frame is on the screen
    (Window's first on_flip), watchdog pings from then on."""
    global _running
    from kivy.clock import Clock
    from kivy.core.window import Window

    seen: set[str] = set()
    notifier = _running = Notifier(_sender(), lambda: dead_essential_threads(seen))

    def first_frame(*_args: object) -> None:
        Window.unbind(on_flip=first_frame)
        notifier.tick()
        Clock.schedule_interval(notifier.tick, watchdog_interval_s())

    notifier.first_frame = first_frame  # held here: Kivy may keep only a weak reference
    Window.bind(on_flip=first_frame)
    return notifier
