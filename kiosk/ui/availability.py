"""The shell's side of degraded service: the availability monitor started beside the kiosk's
services, its changes brought to the UI thread, and the notice a resident gets on touching a
service that is closed just now.

The monitor (kiosk.availability.monitor) runs on its own thread; this host only publishes
what it finds (`publish`, on the UI thread through the Kivy clock) so the screens observe
one `KioskAvailability` property and never block on a device or the network.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable, Iterable

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import ObjectProperty

from kiosk.availability.clock_floor import ClockFloor
from kiosk.availability.monitor import AvailabilityMonitor, device_probes
from kiosk.availability.out_of_service import OutOfServiceSwitch
from kiosk.availability.rules import CentreReach, KioskAvailability, kiosk_availability
from kiosk.config import Config
from kiosk.i18n import Bilingual, bi
from kiosk.ui.modal import Modal

log = logging.getLogger(__name__)

CENTRE_PROBE_TIMEOUT_S = 3.0  # the health check; a resident never waits on it
UNAVAILABLE_TITLE = bi("这项业务暂时不能办理", "This service is closed just now")
UNDERSTOOD = bi("知道了", "OK")


class UnavailableNotice(Modal):
    title = ObjectProperty(UNAVAILABLE_TITLE)
    ok_label = ObjectProperty(UNDERSTOOD)
    service = ObjectProperty(None, allownone=True)  # Bilingual: what was touched
    reason = ObjectProperty(None, allownone=True)  # Bilingual: why it is closed

    def phrases(self) -> list[Bilingual]:
        return [p for p in (self.title, self.service, self.reason) if p is not None]


class AvailabilityHost:
    """Starts and stops the monitor, and tells the app of each change on the UI thread."""

    def __init__(
        self,
        config: Config,
        services_here: Iterable[str],
        publish: Callable[[KioskAvailability], None],
        quiet: Callable[[], bool],
        say: Callable[[list[Bilingual]], None],
        *,
        watch_devices: bool = True,
    ) -> None:
        self.config = config
        self.services_here = tuple(services_here)
        self.switch = OutOfServiceSwitch(config.data_dir)
        self.notice = UnavailableNotice()
        self._publish = publish
        self._quiet = quiet
        self._say = say
        self._watch_devices = watch_devices
        self._centre = None
        self.monitor: AvailabilityMonitor | None = None

    def initial(self) -> KioskAvailability:
        """Before the monitor's first round: the switch alone (one small file), devices unknown."""
        return kiosk_availability({}, CentreReach.UNKNOWN, self.switch.read(), self.services_here)

    def start(self, services: Any | None) -> None:
        """On the thread that built the kiosk's services (None: they could not start; the
        switch is still watched, and so it is without `watch_devices`)."""
        probes = {}
        centre_answers = None
        if services is not None and self._watch_devices:
            probes = device_probes(services.printer, services.card_reader, services.id_reader)
            centre_answers = self._centre_probe()
        self.monitor = AvailabilityMonitor(
            self.switch, probes=probes, centre_answers=centre_answers, services=self.services_here, quiet=self._quiet,
            clock_floor=ClockFloor(self.config.not_before),  # a clock behind the build day closes what dates a voucher
        )
        self.monitor.changes.add(lambda kiosk: Clock.schedule_once(lambda _dt: self._publish(kiosk), 0))
        self.monitor.check()  # the first round at once: the home screen is right from its first showing
        self.monitor.start()

    def _centre_probe(self) -> Callable[[], bool]:
        import httpx  # here, when services start: not on the way to the first screen

        from kiosk.centre.connect import centre_client

        timeout = httpx.Timeout(CENTRE_PROBE_TIMEOUT_S, connect=min(2.0, CENTRE_PROBE_TIMEOUT_S))
        self._centre = centre_client(self.config, timeout=timeout, deadline_s=CENTRE_PROBE_TIMEOUT_S)
        return lambda: self._centre.health().ok

    def wake(self) -> None:
        """A journey ended (the printer may have run out mid-voucher): ask everything now."""
        if self.monitor is not None:
            self.monitor.wake()

    def stop(self) -> None:
        if self.monitor is not None:
            self.monitor.stop()
        if self._centre is not None:
            self._centre.close()

    # --- the notice ----------------------------------------------------------------------

    def show_closed(self, root: Any, what: Bilingual, reason: Bilingual | None) -> None:
        """Over the screen (kiosk.ui.shell.KioskRoot): what was touched, and why it is closed."""
        n = self.notice
        n.service, n.reason = what, reason
        root.show_overlay(n)
        self._say(n.phrases())

    def dismiss(self) -> None:
        if self.notice.parent is not None:
            self.notice.parent.remove_widget(self.notice)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
