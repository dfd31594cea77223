"""The employer's removable drive: seen arriving and leaving, read without mounting, written
once to put back the marked-up sheet.

`UsbDrive(url)` speaks kiosk.drivers.status: NO_DEVICE when drives cannot be watched at all
(no udev, the simulator not running), ONLINE with media NOT_PRESENT while the slot is empty,
PRESENT once a readable drive is in, USER_ERROR (the handler can fix it) for a drive in a
format the kiosk does not read. The same code reads a real stick (udev://) and the
simulator's FAT image (sim://usb-drive resolves to a file:// path).
"""

from __future__ import annotations

import errno
import time
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from kiosk.drivers.simulation import Resolve, is_simulator_url, not_installed
from kiosk.drivers.status import CancelToken, Completion, Detail, DeviceKind, DeviceState, DeviceStatus
from kiosk.drivers.status import MediaState, Recovery, ResultCode, StatusReporter
from kiosk.drivers.usb_drive.package_copy import DrivePackage, Progress, copy_package, find_packages
from kiosk.drivers.usb_drive.package_copy import free_name
from kiosk.drivers.usb_drive.sources import DriveSource, FileSource, SourceUnavailable, UdevSource
from kiosk.drivers.usb_drive.volume import FatVolume, UnsupportedFormat, VolumeError

DEFAULT_URL = "udev://"


def _source_for(url: str, resolve: Resolve | None) -> DriveSource:
    """The DriveSource a URL names; SourceUnavailable says why there is none."""
    if is_simulator_url(url):
        if resolve is None:
            raise SourceUnavailable(not_installed(url))
        try:
            url = resolve(url)
        except LookupError as exc:
            raise SourceUnavailable(str(exc)) from exc
    parts = urlsplit(url)
    if parts.scheme == "file":
        return FileSource(unquote(parts.path))
    if parts.scheme == "udev":
        return UdevSource()
    raise SourceUnavailable(f"{url}: not a drive URL (udev://, file:///PATH or sim://usb-drive)")


class UsbDrive:
    def __init__(self, url: str = DEFAULT_URL, *, resolve: Resolve | None = None) -> None:
        self.url = url
        self._resolve = resolve
        self._source: DriveSource | None = None
        self._checked: str | None = None  # the device last found readable (not re-read on every poll)
        self.reporter = StatusReporter(DeviceStatus(DeviceKind.USB_DRIVE, DeviceState.NO_DEVICE, detail="not looked at yet"))

    # --- status --------------------------------------------------------------------------

    def status(self) -> DeviceStatus:
        return self.reporter.status

    def _device(self) -> str | None:
        """The inserted drive's device path (None: slot empty); updates the status."""
        if self._source is None or is_simulator_url(self.url):  # a simulator may stop or move: ask each time
            try:
                self._source = _source_for(self.url, self._resolve)
            except SourceUnavailable as exc:
                self._source = self._checked = None
                self.reporter.update(state=DeviceState.NO_DEVICE, media=MediaState.UNKNOWN, recovery=Recovery.NEEDS_MAINTENANCE, detail=str(exc))
                return None
        device = self._source.find()
        if device is not None and device == self._checked:
            return device
        self._checked = None
        if device is None:
            self.reporter.update(state=DeviceState.ONLINE, media=MediaState.NOT_PRESENT, recovery=Recovery.NONE, detail="")
            return None
        try:
            FatVolume(device).close()
        except UnsupportedFormat as exc:
            self.reporter.update(state=DeviceState.USER_ERROR, media=MediaState.PRESENT, recovery=Recovery.RESIDENT_CAN_FIX, detail=f"unsupported format: {exc}")
            return None
        except VolumeError as exc:
            if self._source.find() is None:  # pulled out while we looked
                self.reporter.update(state=DeviceState.ONLINE, media=MediaState.NOT_PRESENT, recovery=Recovery.NONE, detail="")
            else:
                self.reporter.update(state=DeviceState.USER_ERROR, media=MediaState.PRESENT, recovery=Recovery.RESIDENT_CAN_FIX, detail=f"unreadable drive: {exc}")
            return None
        self.reporter.update(state=DeviceState.ONLINE, media=MediaState.PRESENT, recovery=Recovery.NONE, detail="")
        self._checked = device
        return device

    def refresh_status(self, cancel: CancelToken | None = None) -> Completion[DeviceStatus]:
        if cancel is not None and cancel.cancelled:
            return Completion.failure(ResultCode.CANCELLED, "status query cancelled")
        self._device()
        status = self.status()
        if status.state is DeviceState.NO_DEVICE:
            return Completion.failure(ResultCode.NO_DEVICE, status.detail, status.recovery)
        return Completion.success(status)

    def wait_for_drive(self, cancel: CancelToken | None = None, timeout: float = 120.0) -> Completion[DeviceStatus]:
        """Until a readable drive is in: success, or TIMEOUT / CANCELLED / NO_DEVICE, or
        INVALID_DATA for a drive the kiosk cannot read (the handler takes it out)."""
        deadline = time.monotonic() + timeout
        while True:
            if cancel is not None and cancel.cancelled:
                return Completion.failure(ResultCode.CANCELLED, "waiting for the drive cancelled")
            device = self._device()
            status = self.status()
            if device is not None:
                return Completion.success(status)
            if status.state is DeviceState.NO_DEVICE:
                return Completion.failure(ResultCode.NO_DEVICE, status.detail, status.recovery)
            if status.state is DeviceState.USER_ERROR:
                return Completion.failure(ResultCode.INVALID_DATA, status.detail, status.recovery)
            left = deadline - time.monotonic()
            if left <= 0:
                return Completion.failure(ResultCode.TIMEOUT, "no drive inserted", Recovery.RESIDENT_CAN_FIX)
            assert self._source is not None
            self._source.wait_for_change(left, cancel)

    def wait_for_removal(self, cancel: CancelToken | None = None, timeout: float = 60.0) -> Completion[DeviceStatus]:
        """Until the slot is empty again (the handler took the drive back)."""
        deadline = time.monotonic() + timeout
        while self._device() is not None or self.status().state is DeviceState.USER_ERROR:
            if cancel is not None and cancel.cancelled:
                return Completion.failure(ResultCode.CANCELLED, "waiting for removal cancelled")
            left = deadline - time.monotonic()
            if left <= 0:
                return Completion.failure(ResultCode.TIMEOUT, "the drive is still in", Recovery.RESIDENT_CAN_FIX)
            assert self._source is not None
            self._source.wait_for_change(left, cancel)
        return Completion.success(self.status())

    # --- reading -------------------------------------------------------------------------

    def _with_volume(self, what: str, use: Callable[[FatVolume, str], Completion], writable: bool = False) -> Completion:
        device = self._device()
        if device is None:
            status = self.status()
            code = {DeviceState.NO_DEVICE: ResultCode.NO_DEVICE, DeviceState.USER_ERROR: ResultCode.INVALID_DATA}.get(status.state, ResultCode.NO_MEDIA)
            return Completion.failure(code, status.detail or f"{what}: no drive inserted", status.recovery if status.recovery is not Recovery.NONE else Recovery.RESIDENT_CAN_FIX)
        try:
            with FatVolume(device, writable=writable) as volume:
                return use(volume, device)
        except (VolumeError, OSError) as exc:
            if self._source is not None and self._source.find() is None:
                self._checked = None
                self.reporter.update(media=MediaState.NOT_PRESENT)
                return Completion.failure(ResultCode.MEDIA_REMOVED, f"{what}: the drive was pulled out", Recovery.RESIDENT_CAN_FIX)
            if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                return Completion.failure(ResultCode.REFUSED, f"{what}: the drive is write-protected", Recovery.RESIDENT_CAN_FIX, **{Detail.WRITE_PROTECTED: True})
            return Completion.failure(ResultCode.DEVICE_ERROR, f"{what}: {exc}", Recovery.RETRY)

    def packages(self, cancel: CancelToken | None = None) -> Completion[list[DrivePackage]]:
        """The submission packages on the inserted drive (maybe none)."""
        return self._with_volume("listing the drive", lambda volume, _: Completion.success(find_packages(volume.listdir)))

    def copy_package(
        self, package: DrivePackage, destination: Path, cancel: CancelToken | None = None, progress: Progress | None = None
    ) -> Completion[Path]:
        """Copy `package` into the new local folder `destination` (kiosk.drivers.usb_drive.package_copy)."""

        def copy(volume: FatVolume, device: str) -> Completion[Path]:
            still_there = lambda: self._source is not None and self._source.find() == device  # noqa: E731
            return copy_package(package, volume.listdir, volume.read_chunks, still_there, destination, cancel, progress, volume.modified)

        return self._with_volume("copying the package", copy)

    # --- the one write -------------------------------------------------------------------

    def put_back(self, local_file: Path, beside: DrivePackage, cancel: CancelToken | None = None) -> Completion[str]:
        """Write `local_file` (the marked-up copy of the sheet) as a NEW file in the package's
        folder on the drive; success carries its path there. Nothing on the drive is changed."""
        return self.write_new_file(local_file, beside.folder, cancel)

    def write_new_file(self, local_file: Path, folder: str = "/", cancel: CancelToken | None = None) -> Completion[str]:
        """Write `local_file` as a NEW file in `folder` of the drive (a free name: `free_name`);
        success carries its path there. Nothing already on the drive is changed."""
        if cancel is not None and cancel.cancelled:
            return Completion.failure(ResultCode.CANCELLED, "writing to the drive cancelled")
        data = local_file.read_bytes()

        def write(volume: FatVolume, _device: str) -> Completion[str]:
            taken = [name for name, _, _ in volume.listdir(folder)]
            target = f"{folder.rstrip('/')}/{free_name(local_file.name, taken)}"
            if volume.free_bytes() < len(data):
                return Completion.failure(ResultCode.REFUSED, "the drive is full", Recovery.RESIDENT_CAN_FIX, **{Detail.DISK_FULL: True})
            volume.write_new_file(target, data)
            return Completion.success(target)

        return self._with_volume(f"writing {local_file.name} to the drive", write, writable=True)

    def close(self) -> None:
        self._source = None
