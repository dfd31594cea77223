"""What a terminal runs for its fleet's sake, by the config's `[metrics]`: the exporter, the
heartbeat, and a poll of the devices that can be asked, so their last status stays current
between residents (a printer runs out of paper on the last voucher, not on the next one).

The kiosk app starts one with its services (kiosk.ui.health_host); `kiosk metrics serve`
starts one for a terminal whose app does not (a headless terminal, a test).
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Iterable

from kiosk.background import BackgroundLoop
from kiosk.centre.client import CentreClient
from kiosk.config import MetricsSettings
from kiosk.drivers.status import DeviceStatus
from kiosk.health.exporter import MetricsServer, read_token
from kiosk.health.heartbeat import Heartbeat
from kiosk.health.snapshot import HealthSources

log = logging.getLogger(__name__)

DEVICE_POLL_S = 30.0  # a printer's paper state is at most this old on a scrape


def statuses_of(devices: Iterable[Any]) -> Callable[[], list[DeviceStatus]]:
    """The last known status of each device that is fitted (None: not at this terminal)."""
    fitted = [d for d in devices if d is not None and hasattr(d, "status")]
    return lambda: [d.status() for d in fitted]


def refresh_all(devices: Iterable[Any]) -> None:
    """Ask each device that can be asked; every failure is a status, never an exception (status.py)."""
    for device in devices:
        if device is not None and hasattr(device, "refresh_status"):
            device.refresh_status()


class HealthMonitor:
    def __init__(
        self,
        sources: HealthSources,
        settings: MetricsSettings,
        *,
        centre: CentreClient | None = None,
        poll: Iterable[Any] = (),
        poll_s: float = DEVICE_POLL_S,
    ) -> None:
        self.sources = sources
        self.settings = settings
        self.centre = centre
        self._poll = [d for d in poll if d is not None]
        self._poller = BackgroundLoop("device-poll", lambda: refresh_all(self._poll), lambda: poll_s)
        self.server: MetricsServer | None = None
        self.heartbeat: Heartbeat | None = None

    def start(self) -> "HealthMonitor":
        """Starts what the settings ask for; a port already taken is logged and the kiosk goes on."""
        if self._poll:
            self._poller.start()
        if self.settings.enabled:
            try:
                token = read_token(self.settings.token_file)
                self.server = MetricsServer(self.sources, self.settings.bind, self.settings.port, token)
            except (OSError, ValueError) as exc:
                log.error("the metrics exporter cannot listen on %s:%d: %s", self.settings.bind, self.settings.port, exc)
        if self.settings.heartbeat_s and self.centre is not None:
            self.heartbeat = Heartbeat(self.sources, self.centre, self.settings.heartbeat_s).start()
        return self

    def stop(self) -> None:
        if self.heartbeat is not None:
            self.heartbeat.stop()
        if self.server is not None:
            self.server.stop()
        if self._poller.running:
            self._poller.stop(10.0)
        self.sources.close()
