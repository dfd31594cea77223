"""The drive simulator's FAT images, and the kiosk's real driver reading them through sim://usb-drive."""

from __future__ import annotations

from pathlib import Path

import pytest

from hwsim import kiosk_hooks
from hwsim.usb_drive import UsbDriveSimulator
from kiosk.drivers.usb_drive import UsbDrive


def make_package(root: Path, folder: str = "报盘") -> Path:
    """A folder of the shape a handler brings: a sheet and images with Chinese names."""
    package = root / folder
    (package / "照片").mkdir(parents=True)
    (package / "制卡明细表.xlsx").write_bytes(b"PK\x03\x04 sheet bytes " * 50)
    (package / "照片" / "110101199003070011-正.jpg").write_bytes(b"\xff\xd8front" * 300)
    (package / "照片" / "110101199003070011-反.jpg").write_bytes(b"\xff\xd8back" * 300)
    (package / "110101199003070011.JPG").write_bytes(b"\xff\xd8photo" * 300)
    return root


@pytest.fixture
def sim(tmp_path):
    simulator = UsbDriveSimulator(tmp_path / "slot").start()
    yield simulator
    simulator.stop()


@pytest.fixture
def drive(sim):
    driver = UsbDrive("sim://usb-drive", resolve=kiosk_hooks.resolve)
    yield driver
    driver.close()


@pytest.fixture
def stick(tmp_path):
    return make_package(tmp_path / "stick")
