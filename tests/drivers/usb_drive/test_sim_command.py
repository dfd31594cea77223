"""`kiosk sim usb-drive` as a technician runs it: a folder inserted as a FAT drive, the kiosk's
driver reading it through sim://usb-drive, and `kiosk sim ctl usb-drive …` pulling it out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hwsim import kiosk_hooks
from kiosk.drivers.status import MediaState
from kiosk.drivers.usb_drive import UsbDrive
from tests.drivers.usb_drive.conftest import make_package
from tests.support.processes import start, stop, wait_for

KIOSK = str(Path(sys.executable).with_name("kiosk"))


def ctl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([KIOSK, "sim", "ctl", "usb-drive", *args, "--json"], capture_output=True, text=True, timeout=20)


def test_the_simulator_command_inserts_a_folder_and_pulls_it_out(tmp_path):
    stick = make_package(tmp_path / "stick")
    proc = start([KIOSK, "sim", "usb-drive", "--insert", str(stick)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        drive = UsbDrive("sim://usb-drive", resolve=kiosk_hooks.resolve)
        wait_for(lambda: drive.refresh_status().ok and drive.status().media is MediaState.PRESENT, 20, "the drive inserted")
        assert [p.path for p in drive.packages().value] == ["/报盘"]
        listed = ctl("files")
        assert listed.returncode == 0 and "/报盘/制卡明细表.xlsx" in json.loads(listed.stdout)
        assert ctl("pull").returncode == 0
        assert drive.refresh_status().value.media is MediaState.NOT_PRESENT
    finally:
        stop(proc)
    assert drive.refresh_status().ok is False  # the simulator gone: NO_DEVICE
