"""What the photo step and the CLI may ask of a camera, whichever camera it is.

`Camera` (V4L2, a file, a network stream or the simulator, read on its own thread) and
`FakeCamera` (in-process, for flow tests) both satisfy it; tests/drivers/test_interfaces.py
checks that they keep to it.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from kiosk.drivers.camera.camera import CapturedFrame
from kiosk.drivers.status import CancelToken, Completion, DeviceStatus


@runtime_checkable
class CameraDevice(Protocol):
    url: str

    def start(self) -> CameraDevice:
        """Start delivering frames (a camera runs only while a photo is being taken)."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> CameraDevice: ...

    def __exit__(self, *exc) -> None: ...

    def status(self) -> DeviceStatus:
        """The camera's condition as last seen (no I/O; never blocks)."""
        ...

    def latest(self) -> CapturedFrame | None:
        """The newest frame, if any arrived yet."""
        ...

    def capture(
        self, timeout: float = 3.0, cancel: CancelToken | None = None, after: int | None = None
    ) -> Completion[CapturedFrame]:
        """A frame newer than sequence `after` (default: one that arrives after this call);
        CANCELLED, or when the time is up NO_DEVICE / DEVICE_ERROR / TIMEOUT."""
        ...
