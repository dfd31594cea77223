"""The card tests run the real stack: pcscd with vsmartcard-vpcd, our virtual card on vpcd's
TCP port, the driver on pyscard. pcscd is started once per session if it is not running
(and stopped again by its PID only if we started it); if it cannot start, every test that
needs it fails with the reason, none is skipped silently."""

from __future__ import annotations

import logging

import pytest

from hwsim.card.psam import SimulatedPsam
from hwsim.card.simulator import CardSimulator
from kiosk.drivers.card.reader import SocialSecurityCardReader
from kiosk.drivers.status import DeviceStatus
from tests.support.card import insert, pcscd  # noqa: F401  (pcscd is a fixture; tests import insert from here)
from tests.support.processes import wait_for

SLOT0 = "Virtual PCD 00 00"
SLOT1 = "Virtual PCD 00 01"


@pytest.fixture
def card_sim(pcscd):
    """Cards in vpcd's slots, in this process (the simulator's control socket is not needed)."""
    sim = CardSimulator(manage_pcscd=False).start(with_control=False)
    sim.settle()  # pcscd has seen the last test's cards go
    yield sim
    sim.stop()


@pytest.fixture
def trace():
    lines: list[str] = []
    return lines


@pytest.fixture
def reader(pcscd, trace):
    """The driver as a simulator terminal builds it: any reader holding a card, simulated PSAM."""
    driver = SocialSecurityCardReader("pcsc://", authenticator=SimulatedPsam(), trace=trace.append)
    yield driver
    driver.close()


def current_status(reader: SocialSecurityCardReader) -> DeviceStatus:
    """The reader's status as pcscd gives it now (`status()` alone is the last one known)."""
    reader.refresh_status()
    return reader.status()


def wait_until_empty(reader: SocialSecurityCardReader) -> None:
    """pcscd notices a removal at its next poll (400 ms)."""
    wait_for(lambda: current_status(reader).media != "present", timeout=3, what="pcscd to see the card go")


@pytest.fixture
def debug_logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog
