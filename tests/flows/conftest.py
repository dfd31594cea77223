"""The apply flow headless: a ScriptedPort for the resident, real simulators for the devices.

Every test gets the whole rig in this process (ID reader on a pty, camera over HTTP MJPEG,
printer on a pty, centre over HTTP) registered in its own $KIOSK_SIM_DIR, and the kiosk's
services built from the shipped simulator config, so the real drivers talk real protocols.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sqlite3
import time
from pathlib import Path

import pytest

from hwsim.rig import RigSettings, SimulatorRig
from kiosk.config import load_config
from kiosk.flows.apply_card import apply_for_card
from kiosk.flows.context import FlowTimeouts, KioskServices
from kiosk.flows.scripted import ScriptedPort
from tests.flows import journeys

FAST = FlowTimeouts(card_wait_s=1.5, card_poll_s=0.05, camera_wait_s=1.5, deliver_now_s=2.0, sync_idle_s=0.2)


@pytest.fixture
def rig(tmp_path):
    with SimulatorRig(RigSettings(people=journeys.people(), state_dir=tmp_path / "sim-state")) as running:
        yield running


@pytest.fixture
def config(rig):
    return dataclasses.replace(load_config(), centre_url=rig.centre.url)


@pytest.fixture
def services(config):
    built = KioskServices.build(config, timeouts=FAST)
    yield built
    built.close()


def run_flow(services, script, flow=apply_for_card, **port_options) -> ScriptedPort:
    """`port_options` for the ScriptedPort: service="batch_new", reactions=…"""
    port = ScriptedPort(script, services=services, **port_options)
    asyncio.run(asyncio.wait_for(flow(port), 60))
    assert port.remaining == 0, f"{port.remaining} scripted answers were never asked for; steps: {port.screens()}"
    return port


def printed_jobs(rig, count: int = 1, timeout: float = 5.0) -> list[dict]:
    """The printer simulator's job records, once `count` of them exist."""
    deadline = time.monotonic() + timeout
    while True:
        files = sorted(rig.printer.jobs_dir.glob("job-*.json"))
        if len(files) >= count or time.monotonic() > deadline:
            return [json.loads(p.read_text(encoding="utf-8")) for p in files]
        time.sleep(0.05)


def centre_rows(rig) -> list[sqlite3.Row]:
    """What the centre simulator stored (people only as person_hash)."""
    return centre_query(rig, "SELECT * FROM applications ORDER BY reference")


def centre_query(rig, sql: str, *args) -> list[sqlite3.Row]:
    """Rows of the centre simulator's store (tables: hardware-sim/hwsim/centre/store.py, batch.py)."""
    conn = sqlite3.connect(Path(rig.state_dir) / "centre" / "centre.sqlite3")
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()
