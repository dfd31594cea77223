"""What the kiosk app starts for the fleet once its services are built (kiosk/ui/health_host.py):
with [metrics] on, the exporter serves the services' devices and outbox and the heartbeat reaches
the centre; with it off (the simulator config), nothing starts."""

from __future__ import annotations

import dataclasses
import urllib.request

from kiosk.config import MetricsSettings
from kiosk.flows.context import KioskServices
from kiosk.health.journeys import JourneyCounter, JourneyEvent
from kiosk.ui.health_host import start_health
from tests.flows.conftest import FAST, config  # noqa: F401
from tests.flows.fake_rig import rig  # noqa: F401
from tests.support.processes import wait_for


def test_with_metrics_on_the_app_serves_its_services_health_and_beats_to_the_centre(rig, config):  # noqa: F811
    on = dataclasses.replace(config, metrics=MetricsSettings(enabled=True, port=0, heartbeat_s=60))
    services = KioskServices.build(on, timeouts=FAST, devices=rig.devices())
    journeys = JourneyCounter()
    journeys.count("status_query", JourneyEvent.STARTED)
    monitor = start_health(services, journeys)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{monitor.server.port}/metrics", timeout=5) as response:
            scraped = response.read().decode()
        wait_for(lambda: rig.centre.fleet.terminals(), timeout=10, what="the app's first heartbeat")
    finally:
        monitor.stop()
        services.close()
    assert 'kiosk_journeys_total{event="started",service="status_query"} 1.0' in scraped
    assert 'kiosk_outbox_readable 1.0' in scraped
    assert 'kiosk_device_state{device="printer",state="online"} 1.0' in scraped
    [entry] = rig.centre.fleet.terminals()
    assert entry["terminal_id"] == config.terminal_id


def test_with_the_simulator_config_nothing_is_started(rig, config):  # noqa: F811
    services = KioskServices.build(config, timeouts=FAST, devices=rig.devices())
    try:
        assert start_health(services, JourneyCounter()) is None
    finally:
        services.close()


def test_the_sync_worker_counts_each_delivery_by_kind_and_result(rig, config):  # noqa: F811
    from kiosk.offline.delivery_tally import DELIVERIES
    from kiosk.offline.item_states import ItemState
    from kiosk.offline.items import Kind

    services = KioskServices.build(config, timeouts=FAST, devices=rig.devices())
    try:
        before = DELIVERIES.counts().get(("staff_call", ItemState.SENT), 0)
        services.outbox.enqueue(Kind.STAFF_CALL, {"outlet_id": "CS-01", "terminal_id": "T01", "screen": "home",
                                                  "called_at": "2026-12-03T15:50:12+08:00"})  # fmt: skip
        assert services.sync.sync_once().sent == 1
    finally:
        services.close()
    assert DELIVERIES.counts()[("staff_call", ItemState.SENT)] == before + 1
