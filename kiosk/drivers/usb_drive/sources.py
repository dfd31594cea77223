"""Where a removable drive's bytes are: found by udev on a terminal, or at a fixed path.

- `udev://` (a terminal): the first USB block device udev lists with a filesystem on it
  (a partition such as /dev/sdb1, or a partitionless stick). Arrivals and removals wake a
  waiting flow through a udev monitor (pyudev); without udev the device reports NO_DEVICE.
- `file:///PATH`: the drive is there while PATH exists (an image file, or a fixed device
  node such as /dev/disk/by-path/…-usb-…-part1). The simulator serves its drive this way.
"""

from __future__ import annotations

import os
import time
from typing import Protocol

from kiosk.drivers.status import CancelToken


class DriveSource(Protocol):
    def find(self) -> str | None:
        """The device or image path of the drive inserted now, or None."""
        ...

    def wait_for_change(self, seconds: float, cancel: CancelToken | None) -> None:
        """Sleep until something may have been inserted or removed, at most `seconds`."""
        ...


class SourceUnavailable(Exception):
    """The way of finding drives does not work on this machine (the reason says why)."""


class FileSource:
    def __init__(self, path: str, poll_s: float = 0.2) -> None:
        self.path = path
        self.poll_s = poll_s

    def find(self) -> str | None:
        return self.path if os.path.exists(self.path) else None

    def wait_for_change(self, seconds: float, cancel: CancelToken | None) -> None:
        pause = min(seconds, self.poll_s)
        if cancel is not None:
            cancel.wait(pause)
        else:
            time.sleep(pause)


def is_usb_filesystem(properties: dict[str, str]) -> bool:
    """A udev block device the kiosk may read: on the USB bus, holding a filesystem."""
    return properties.get("ID_BUS") == "usb" and properties.get("ID_FS_USAGE") == "filesystem"


UDEV_CONTROL = "/run/udev/control"  # udevd's control socket: there while udevd runs (as systemd checks)


class UdevSource:
    def __init__(self) -> None:
        if not os.path.exists(UDEV_CONTROL):
            raise SourceUnavailable(f"udevd is not running ({UDEV_CONTROL} is missing): no drive would ever be seen")
        try:
            import pyudev

            self._context = pyudev.Context()
            self._monitor = pyudev.Monitor.from_netlink(self._context)
            self._monitor.filter_by("block")
            self._monitor.start()
        except (ImportError, OSError) as exc:
            raise SourceUnavailable(f"udev is not available: {exc}") from exc

    def find(self) -> str | None:
        for device in self._context.list_devices(subsystem="block"):
            if is_usb_filesystem(dict(device.properties)) and device.device_node:
                return device.device_node
        return None

    def wait_for_change(self, seconds: float, cancel: CancelToken | None) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not (cancel is not None and cancel.cancelled):
            if self._monitor.poll(timeout=min(0.25, max(0.0, deadline - time.monotonic()))) is not None:
                return
