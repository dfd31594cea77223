"""A simulated reader on a real pty, and the driver connected to it through pyserial."""

import pytest

from hwsim import kiosk_hooks
from hwsim.id_reader import IdReaderSimulator
from kiosk.drivers.id_reader import IdCardReader


@pytest.fixture
def simulator():
    sim = IdReaderSimulator().start()
    yield sim
    sim.stop()


@pytest.fixture
def reader(simulator):
    # short timeouts keep the failure-mode tests quick; the real defaults are 1 s / 3 s
    driver = IdCardReader(simulator.url, command_timeout=0.5, read_timeout=1.5, resolve=kiosk_hooks.resolve)
    yield driver
    driver.close()
