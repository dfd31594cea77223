"""The kiosk app's part in fleet health: once its services are built, the exporter, the
heartbeat and the device poll of kiosk.health run beside them, counting the flow host's
journeys; they stop with the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.health.journeys import JourneyCounter

if TYPE_CHECKING:  # the exporter (prometheus_client) is imported off the start path, with the services
    from kiosk.health.monitor import HealthMonitor


def start_health(services, journeys: JourneyCounter) -> HealthMonitor | None:
    """`services`: kiosk.flows.context.KioskServices. None when the terminal's config asks for
    neither the exporter nor a heartbeat."""
    config = services.config
    if not (config.metrics.enabled or config.metrics.heartbeat_s):
        return None
    from kiosk.health.monitor import HealthMonitor, statuses_of
    from kiosk.health.snapshot import HealthSources

    devices = [services.id_reader, services.printer, services.card_reader, services.usb_drive, services.staff_signal]
    sources = HealthSources(config, statuses_of(devices), journeys=journeys)
    return HealthMonitor(sources, config.metrics, centre=services.centre, poll=[services.printer, services.staff_signal]).start()
