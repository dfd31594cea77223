"""The real driver's udev side, as far as this machine allows: it has no udevd (a container),
so what is tested is the refusal to pretend and the rule for which block devices count."""

from __future__ import annotations

from kiosk.drivers.status import DeviceState, ResultCode
from kiosk.drivers.usb_drive import UsbDrive, sources


def test_without_udevd_the_drive_is_no_device_not_an_empty_slot(monkeypatch, tmp_path):
    monkeypatch.setattr(sources, "UDEV_CONTROL", str(tmp_path / "no-udevd"))
    drive = UsbDrive("udev://")
    assert drive.refresh_status().code is ResultCode.NO_DEVICE
    assert drive.status().state is DeviceState.NO_DEVICE and "udevd is not running" in drive.status().detail


def test_only_a_filesystem_on_the_usb_bus_counts_as_the_drive():
    assert sources.is_usb_filesystem({"ID_BUS": "usb", "ID_FS_USAGE": "filesystem", "ID_FS_TYPE": "vfat"})
    assert not sources.is_usb_filesystem({"ID_BUS": "ata", "ID_FS_USAGE": "filesystem"})  # the kiosk's own disk
    assert not sources.is_usb_filesystem({"ID_BUS": "usb", "ID_FS_USAGE": "raid"})
    assert not sources.is_usb_filesystem({"ID_BUS": "usb"})  # the whole stick when its partition holds the filesystem


def test_an_unknown_scheme_is_no_device_with_the_urls_it_takes():
    drive = UsbDrive("smb://server/share")
    assert drive.refresh_status().code is ResultCode.NO_DEVICE and "udev://" in drive.status().detail
