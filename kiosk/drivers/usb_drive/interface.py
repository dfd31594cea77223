"""What the batch flow and the CLI may ask of a removable drive, whichever drive it is.

`UsbDrive` (a real stick through udev, or the simulator's FAT image) and `FakeUsbDrive`
(a local folder, for flow tests) both satisfy it; tests/drivers/test_interfaces.py checks
that they keep to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from kiosk.drivers.status import CancelToken, Completion, DeviceStatus
from kiosk.drivers.usb_drive.package_copy import DrivePackage, Progress


@runtime_checkable
class DriveDevice(Protocol):
    url: str

    def status(self) -> DeviceStatus:
        """The drive slot as last looked at (no I/O; never blocks): media PRESENT or NOT_PRESENT."""
        ...

    def refresh_status(self, cancel: CancelToken | None = None) -> Completion[DeviceStatus]:
        """Look now; NO_DEVICE when drives cannot be watched at all."""
        ...

    def wait_for_drive(self, cancel: CancelToken | None = None, timeout: float = 120.0) -> Completion[DeviceStatus]:
        """Until a readable drive is in: TIMEOUT, CANCELLED, NO_DEVICE, or INVALID_DATA for a
        drive in a format the kiosk does not read."""
        ...

    def wait_for_removal(self, cancel: CancelToken | None = None, timeout: float = 60.0) -> Completion[DeviceStatus]:
        """Until the drive has been taken out."""
        ...

    def packages(self, cancel: CancelToken | None = None) -> Completion[list[DrivePackage]]:
        """The submission packages on the drive (folders holding a sheet, .zip files)."""
        ...

    def copy_package(
        self, package: DrivePackage, destination: Path, cancel: CancelToken | None = None, progress: Progress | None = None
    ) -> Completion[Path]:
        """Copy a package into the new local folder `destination`; MEDIA_REMOVED if the drive
        is pulled out part-way, DEVICE_ERROR with Detail.DISK_FULL if the kiosk has no room;
        on failure nothing of the copy is left."""
        ...

    def put_back(self, local_file: Path, beside: DrivePackage, cancel: CancelToken | None = None) -> Completion[str]:
        """Write the marked-up sheet as a new file beside the package; REFUSED with
        Detail.WRITE_PROTECTED or Detail.DISK_FULL when the drive will not take it."""
        ...

    def write_new_file(self, local_file: Path, folder: str = "/", cancel: CancelToken | None = None) -> Completion[str]:
        """Write `local_file` as a NEW file in `folder` (a free name beside what is there);
        REFUSED with Detail.WRITE_PROTECTED or Detail.DISK_FULL, MEDIA_REMOVED if pulled out."""
        ...

    def close(self) -> None: ...
