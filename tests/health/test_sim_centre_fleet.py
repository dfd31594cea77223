"""`kiosk sim centre` prints its fleet view as heartbeats arrive and serves the heartbeat ages
to Prometheus (`--fleet-every`, `--metrics-port`): the real simulator process, a real
heartbeat over mutual TLS."""

from __future__ import annotations

import queue
import threading
import time
import urllib.request

from kiosk.centre.connect import centre_client
from kiosk.drivers.status import DeviceKind, DeviceState, DeviceStatus, SupplyState
from kiosk.health.heartbeat import Heartbeat
from kiosk.health.snapshot import HealthSources
from tests.centre.fixtures import start_centre, unused_port
from tests.health.terminals import terminal_config
from tests.support.processes import stop

PAPER_OUT = DeviceStatus(DeviceKind.PRINTER, DeviceState.ONLINE, supplies={"paper": SupplyState.OUT})


def lines_until(proc, wanted: str, timeout: float = 10.0) -> list[str]:
    """The process's output lines up to the first one that contains `wanted` (read on a thread:
    a pipe's buffered lines are invisible to select)."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            seen.append(lines.get(timeout=0.2))
        except queue.Empty:
            continue
        if wanted in seen[-1]:
            return seen
    raise AssertionError(f"no {wanted!r} in the output: {''.join(seen)}")


def test_the_simulator_prints_the_fleet_and_serves_heartbeat_ages(tmp_path):
    port = unused_port()
    centre = start_centre(tmp_path / "centre", "--fleet-every", "0.2", "--metrics-port", str(port))
    try:
        config = terminal_config(tmp_path / "data", centre_url=centre.url)
        with centre_client(config) as client:
            assert Heartbeat(HealthSources(config, lambda: [PAPER_OUT]), client, 60).beat().ok
        out = lines_until(centre.proc, f"{config.terminal_id} ")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            scraped = response.read().decode()
    finally:
        stop(centre.proc)
    assert "paper out" in out[-1] and config.outlet_id in out[-1]
    assert f'sscard_centre_heartbeat_age_seconds{{outlet_id="{config.outlet_id}",terminal_id="{config.terminal_id}"}}' in scraped
