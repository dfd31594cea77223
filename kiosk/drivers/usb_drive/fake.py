"""A removable drive in the test's hand: a local folder stands for the stick.

It answers like `UsbDrive` (kiosk.drivers.usb_drive.interface): the same package finding and
copying code (package_copy) runs over the folder instead of a FAT volume, so a flow meets the
very MEDIA_REMOVED / DISK_FULL / WRITE_PROTECTED values it meets with a real stick.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.drivers.fake_device import FakeDevice
from kiosk.drivers.status import CancelToken, Completion, Detail, DeviceKind, DeviceState, DeviceStatus
from kiosk.drivers.status import MediaState, Recovery, ResultCode
from kiosk.drivers.usb_drive.package_copy import DrivePackage, Progress, copy_package, find_packages
from kiosk.drivers.usb_drive.package_copy import free_name


class FakeUsbDrive(FakeDevice):
    def __init__(self) -> None:
        super().__init__(DeviceKind.USB_DRIVE, media=MediaState.NOT_PRESENT)
        self.root: Path | None = None
        self.written: dict[str, bytes] = {}  # path on the drive -> what put_back wrote
        self._pull_after_files: int | None = None
        self._write_protected = False
        self._pull_during_write = False
        self.free_bytes: int | None = None  # None: room for anything

    # --- steering ------------------------------------------------------------------------

    def insert(self, root: Path) -> None:
        """A drive whose files are those under `root`."""
        self.root = Path(root)
        self.set_status(media=MediaState.PRESENT)

    def insert_unreadable(self, why: str = "unsupported format: exFAT") -> None:
        """A drive in a format the kiosk does not read (the real driver's USER_ERROR)."""
        self.root = None
        self.set_status(state=DeviceState.USER_ERROR, media=MediaState.PRESENT, recovery=Recovery.RESIDENT_CAN_FIX, detail=why)

    def pull(self) -> None:
        self.root = None
        self.set_status(state=DeviceState.ONLINE, media=MediaState.NOT_PRESENT, recovery=Recovery.NONE, detail="")

    def pull_during_copy(self, after_files: int = 1) -> None:
        """The next copy loses the drive after `after_files` files."""
        self._pull_after_files = after_files

    def write_protect(self) -> None:
        self._write_protected = True

    def pull_during_write(self) -> None:
        """The next write loses the drive half-way: nothing of it is left."""
        self._pull_during_write = True

    def fill_up(self, free_bytes: int = 0) -> None:
        """The drive has only `free_bytes` left."""
        self.free_bytes = free_bytes

    # --- the drive as package_copy sees it ----------------------------------------------

    def _local(self, path: str) -> Path:
        assert self.root is not None
        return self.root / path.lstrip("/")

    def _listdir(self, path: str) -> list[tuple[str, bool, int]]:
        return [(p.name, p.is_dir(), 0 if p.is_dir() else p.stat().st_size) for p in sorted(self._local(path).iterdir())]

    def _read_chunks(self, path: str):
        yield self._local(path).read_bytes()
        if self._pull_after_files is not None:
            self._pull_after_files -= 1
            if self._pull_after_files <= 0:
                self._pull_after_files = None
                self.pull()

    def _no_drive(self, what: str, cancel: CancelToken | None) -> Completion | None:
        unusable = self._unusable(what, cancel)
        if unusable is not None:
            return unusable
        if self.root is None:
            return Completion.failure(ResultCode.NO_MEDIA, f"{what}: no drive inserted", Recovery.RESIDENT_CAN_FIX)
        return None

    # --- DriveDevice ---------------------------------------------------------------------

    def refresh_status(self, cancel: CancelToken | None = None) -> Completion[DeviceStatus]:
        if self.status().state is DeviceState.NO_DEVICE or (cancel is not None and cancel.cancelled):
            return self._unusable("status query", cancel)  # type: ignore[return-value]
        return Completion.success(self.status())

    def wait_for_drive(self, cancel: CancelToken | None = None, timeout: float = 120.0) -> Completion[DeviceStatus]:
        if self.status().state is DeviceState.USER_ERROR:
            return Completion.failure(ResultCode.INVALID_DATA, self.status().detail, Recovery.RESIDENT_CAN_FIX)
        unusable = self._unusable("waiting for the drive", cancel)
        if unusable is not None:
            return unusable
        if self.root is None:
            return Completion.failure(ResultCode.TIMEOUT, "no drive inserted", Recovery.RESIDENT_CAN_FIX)
        return Completion.success(self.status())

    def wait_for_removal(self, cancel: CancelToken | None = None, timeout: float = 60.0) -> Completion[DeviceStatus]:
        self.pull()  # the test's handler always takes the stick back
        return Completion.success(self.status())

    def packages(self, cancel: CancelToken | None = None) -> Completion[list[DrivePackage]]:
        return self._no_drive("listing the drive", cancel) or Completion.success(find_packages(self._listdir))

    def copy_package(
        self, package: DrivePackage, destination: Path, cancel: CancelToken | None = None, progress: Progress | None = None
    ) -> Completion[Path]:
        return self._no_drive("copying the package", cancel) or copy_package(
            package, self._listdir, self._read_chunks, lambda: self.root is not None, destination, cancel, progress,
            lambda path: self._local(path).stat().st_mtime,
        )

    def put_back(self, local_file: Path, beside: DrivePackage, cancel: CancelToken | None = None) -> Completion[str]:
        return self.write_new_file(local_file, beside.folder, cancel)

    def write_new_file(self, local_file: Path, folder: str = "/", cancel: CancelToken | None = None) -> Completion[str]:
        refused = self._no_drive(f"writing {local_file.name} to the drive", cancel)
        if refused is not None:
            return refused
        if self._write_protected:
            return Completion.failure(ResultCode.REFUSED, "the drive is write-protected", Recovery.RESIDENT_CAN_FIX, **{Detail.WRITE_PROTECTED: True})
        if self._pull_during_write:
            self._pull_during_write = False
            self.pull()
            return Completion.failure(ResultCode.MEDIA_REMOVED, f"writing {local_file.name}: the drive was pulled out", Recovery.RESIDENT_CAN_FIX)
        data = local_file.read_bytes()
        if self.free_bytes is not None and len(data) > self.free_bytes:
            return Completion.failure(ResultCode.REFUSED, "the drive is full", Recovery.RESIDENT_CAN_FIX, **{Detail.DISK_FULL: True})
        taken = [name for name, _, _ in self._listdir(folder)] + [p.rsplit("/", 1)[-1] for p in self.written]
        target = f"{folder.rstrip('/')}/{free_name(local_file.name, taken)}"
        self.written[target] = data
        return Completion.success(target)
