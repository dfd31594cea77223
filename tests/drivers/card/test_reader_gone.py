"""The reader going away is a NO_DEVICE status, never a crash; the driver comes back with it."""

from __future__ import annotations

import os
import signal

import pytest

from kiosk.drivers.card.monitor import CardMonitor
from kiosk.drivers.card.reader import SocialSecurityCardReader
from kiosk.drivers.status import DeviceKind, DeviceState, MediaState, ResultCode
from tests.support.processes import wait_for

from .conftest import current_status, insert

pytestmark = pytest.mark.pcsc  # pcscd with the vpcd virtual reader


def test_named_reader_that_is_not_there_is_no_device(card_sim, pcscd):
    insert(card_sim, "gen1")
    with SocialSecurityCardReader("pcsc://?name=ACS%20ACR39U") as reader:
        done = reader.read_basic()
        assert done.code is ResultCode.NO_DEVICE
        assert "Virtual PCD 00 00" in done.reason  # says which readers there are
        assert reader.status().state is DeviceState.NO_DEVICE


def test_status_is_the_last_known_and_refresh_status_asks_pcscd(card_sim, pcscd):
    insert(card_sim, "gen1")
    with SocialSecurityCardReader("pcsc://?name=ACS%20ACR39U") as reader:
        assert reader.status().state is DeviceState.OFFLINE  # not asked yet: status() does no I/O
        done = reader.refresh_status()
        assert done.code is ResultCode.NO_DEVICE and "Virtual PCD 00 00" in done.reason
        assert reader.status().state is DeviceState.NO_DEVICE
        assert reader.status().device is DeviceKind.CARD_READER
    with SocialSecurityCardReader("pcsc://") as reader:
        done = reader.refresh_status()
        assert done.ok and done.value.media is MediaState.PRESENT and done.value == reader.status()


def test_pcscd_killed_is_no_device_and_the_driver_recovers_after_restart(card_sim, pcscd, reader):
    if not pcscd.ours:
        pytest.skip("pcscd was running before the tests: they only ever stop a pcscd they started")
    insert(card_sim, "gen2")
    events = []
    monitor = CardMonitor("pcsc://", poll_ms=200, retry_s=0.1)
    monitor.add_listener(events.append)
    monitor.start()
    try:
        assert reader.read_basic().ok
        wait_for(lambda: [e.kind for e in events] == ["inserted"], timeout=3, what="the insertion event")

        os.kill(pcscd.running_pid(), signal.SIGKILL)  # ours, by PID: leaves its files behind
        wait_for(lambda: pcscd.running_pid() is None, timeout=3, what="pcscd to die")
        assert pcscd.state().stale_files

        done = reader.read_basic()
        assert done.code is ResultCode.NO_DEVICE
        assert reader.status().state is DeviceState.NO_DEVICE
        wait_for(lambda: monitor.status().state is DeviceState.NO_DEVICE, timeout=3, what="the monitor to say NO_DEVICE")
        assert [e.kind for e in events] == ["inserted", "removed"]

        assert pcscd.ensure_running() is True  # cleans the stale files, starts a new one
        assert not pcscd.state().stale_files
        # The card stayed "in the reader" and reconnects to the new vpcd by itself.
        wait_for(lambda: current_status(reader).media == "present", timeout=5, what="the card in the new pcscd")
        again = reader.read_basic()
        assert again.ok, again.reason
        wait_for(lambda: [e.kind for e in events][-1:] == ["inserted"], timeout=3, what="the monitor to recover")
        assert monitor.status().state is DeviceState.ONLINE
    finally:
        monitor.stop()
        if pcscd.running_pid() is None:
            pcscd.ensure_running()
