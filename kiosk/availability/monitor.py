"""Where the kiosk learns what it has: devices asked, the centre asked, the switch read.

One background loop (kiosk.background) asks each device for its status every few seconds,
the card centre whether it answers every few more, and reads the out-of-service switch and
the clock (against the software's build day, `clock_floor`) every round; `rules` turns that into a `KioskAvailability`, and listeners hear of every
change (on this thread: a Kivy screen hops to its own). While a resident's journey uses the
devices (`quiet()` is False) the devices are not asked: their drivers' own last status is
fresh from the journey, and `wake()` after it ends has them asked at once.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Iterable, Mapping

from kiosk.availability.clock_floor import ClockFloor
from kiosk.availability.out_of_service import OutOfServiceSwitch
from kiosk.availability.rules import CentreReach, KioskAvailability, kiosk_availability
from kiosk.background import BackgroundLoop, Listeners
from kiosk.drivers.status import DeviceKind, DeviceStatus

log = logging.getLogger(__name__)

Probe = Callable[[], DeviceStatus]
"""Asks a device now (I/O, on the monitor's thread) and gives its status."""

ROUND_S = 1.0  # the switch is read this often; devices and the centre less often


def device_probes(printer=None, card_reader=None, id_reader=None) -> dict[DeviceKind, Probe]:
    """Probes for the devices a kiosk has (None: not fitted, not asked). The camera runs only
    while a photo is taken, so it is not asked: `AvailabilityMonitor.note` takes its status."""
    probes: dict[DeviceKind, Probe] = {}
    if printer is not None:
        probes[DeviceKind.PRINTER] = lambda: (printer.refresh_status(), printer.status())[1]
    if card_reader is not None:
        probes[DeviceKind.CARD_READER] = lambda: (card_reader.refresh_status(), card_reader.status())[1]
    if id_reader is not None:  # the security module's status: a command every reader answers
        probes[DeviceKind.ID_READER] = lambda: (id_reader.sam_status(), id_reader.status())[1]
    return probes


class AvailabilityMonitor:
    def __init__(
        self,
        switch: OutOfServiceSwitch,
        *,
        probes: Mapping[DeviceKind, Probe] | None = None,
        centre_answers: Callable[[], bool] | None = None,
        services: Iterable[str] | None = None,
        quiet: Callable[[], bool] = lambda: True,
        devices_every_s: float = 3.0,
        centre_every_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        clock_floor: ClockFloor | None = None,
    ) -> None:
        self.switch = switch
        self._clock_floor = clock_floor or ClockFloor(None)  # None: no build day known, never behind
        self._probes = dict(probes or {})
        self._centre_answers = centre_answers
        self._services = None if services is None else tuple(services)
        self._quiet = quiet
        self._devices_every_s, self._centre_every_s = devices_every_s, centre_every_s
        self._clock = clock
        self._lock = threading.Lock()
        self._statuses: dict[DeviceKind, DeviceStatus] = {}
        self._centre = CentreReach.UNKNOWN
        self._devices_due = self._centre_due = float("-inf")
        self._current = kiosk_availability({}, self._centre, switch.read(), self._services, self._clock_floor.behind())
        self.changes: Listeners[KioskAvailability] = Listeners("availability")
        self._loop = BackgroundLoop("availability", self.check, lambda: ROUND_S)

    @property
    def current(self) -> KioskAvailability:
        return self._current

    def statuses(self) -> dict[DeviceKind, DeviceStatus]:
        with self._lock:
            return dict(self._statuses)

    # --- what feeds it -------------------------------------------------------------------

    def check(self) -> KioskAvailability:
        """One round: the switch, and the devices and the centre when they are due."""
        now = self._clock()
        if now >= self._devices_due and self._quiet():
            self._devices_due = now + self._devices_every_s
            for kind, probe in self._probes.items():
                self._keep(kind, self._ask(kind, probe))
        if self._centre_answers is not None and now >= self._centre_due:
            self._centre_due = now + self._centre_every_s
            with self._lock:
                self._centre = CentreReach.REACHABLE if self._asked_centre() else CentreReach.UNREACHABLE
        return self._recompute()

    def note(self, status: DeviceStatus) -> KioskAvailability:
        """A status seen elsewhere (a photo session's camera, a journey's printer), taken at once."""
        self._keep(status.device, status)
        return self._recompute()

    def wake(self) -> None:
        """Ask everything at the next round, now (a journey ended, staff refilled the paper)."""
        self._devices_due = self._centre_due = float("-inf")
        self._loop.wake()

    def _ask(self, kind: DeviceKind, probe: Probe) -> DeviceStatus | None:
        try:
            return probe()
        except Exception:  # a driver must not stop the watch; the next round asks again
            log.exception("availability: asking the %s failed", kind)
            return None

    def _asked_centre(self) -> bool:
        try:
            return bool(self._centre_answers())
        except Exception:
            log.exception("availability: asking the card centre failed")
            return False

    def _keep(self, kind: DeviceKind, status: DeviceStatus | None) -> None:
        if status is not None:
            with self._lock:
                self._statuses[kind] = status

    def _recompute(self) -> KioskAvailability:
        clock_behind = self._clock_floor.behind()  # records a change in the audit trail, outside the lock
        with self._lock:
            new = kiosk_availability(self._statuses, self._centre, self.switch.read(), self._services, clock_behind)
            changed = new != self._current
            self._current = new
        if changed:
            closed = sorted(code for code, s in new.services.items() if not s.open)
            log.info("availability changed: centre %s, out of service %s, clock behind %s, closed: %s",
                     new.centre, new.out_of_service, new.clock_behind, ", ".join(closed) or "none")  # fmt: skip
            self.changes.emit(new)
        return new

    # --- its thread ----------------------------------------------------------------------

    def start(self) -> AvailabilityMonitor:
        self._loop.start()
        return self

    def stop(self, timeout_s: float = 10.0) -> None:
        self._loop.stop(timeout_s)
