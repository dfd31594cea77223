"""The printer simulator on a real pty, and the driver talking to it through pyserial."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from hwsim import kiosk_hooks
from hwsim.printer import PrinterSimulator
from kiosk.config import PrinterSettings, load_config
from kiosk.drivers.printer import ReceiptPrinter
from kiosk.keys import read_key_file
from kiosk.printing.test_voucher import issue_test_voucher

FAST = PrinterSettings(status_timeout_s=0.4)


@pytest.fixture
def sim():
    simulator = PrinterSimulator().start()
    yield simulator
    simulator.stop()


@pytest.fixture
def printer(sim):
    driver = ReceiptPrinter("sim://printer", FAST, resolve=kiosk_hooks.resolve)
    yield driver
    driver.close()


@pytest.fixture
def config():
    return load_config()  # the shipped simulator configuration; data dir from KIOSK_DATA_DIR


@pytest.fixture
def key(config):
    return read_key_file(config.key_file)


@pytest.fixture
def voucher(config):
    return issue_test_voucher(config)


def job_files(sim: PrinterSimulator) -> list[Path]:
    return sorted(sim.jobs_dir.glob("job-*.json"))


def wait_for_job(sim: PrinterSimulator, number: int, timeout: float = 5.0) -> dict:
    """The JSON of job `number` once the simulator has written it (PNG first, then JSON)."""
    path = sim.jobs_dir / f"job-{number:04d}.json"
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise AssertionError(f"job {number} never appeared in {sim.jobs_dir}")
        time.sleep(0.02)
    return json.loads(path.read_text(encoding="utf-8"))
