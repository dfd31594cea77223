"""A camera in the test's hand: show it a picture, make it see nothing, unplug it.

It answers like `Camera` (kiosk.drivers.camera.interface) without a thread or a device:
each capture is a new frame of the picture it is shown now (a camera with frames always
ready), and with nothing to show a capture ends in TIMEOUT at once instead of waiting.
"""

from __future__ import annotations

import time

import numpy as np

from kiosk.drivers.camera.camera import CapturedFrame
from kiosk.drivers.fake_device import FakeDevice
from kiosk.drivers.status import CancelToken, Completion, DeviceKind, DeviceState, Recovery, ResultCode

NOT_STARTED = {"state": DeviceState.OFFLINE, "recovery": Recovery.NONE, "detail": "not started"}


class FakeCamera(FakeDevice):
    def __init__(self, picture: np.ndarray | None = None) -> None:
        super().__init__(DeviceKind.CAMERA, **NOT_STARTED)
        self.picture = picture
        self.running = False
        self._sequence = 0
        self._latest: CapturedFrame | None = None

    # --- steering ------------------------------------------------------------------------

    def show(self, picture: np.ndarray | None) -> None:
        """What the camera sees from now on (a BGR image); None: it delivers no frames."""
        self.picture = picture

    def _plugged_in(self) -> dict:
        return {"state": DeviceState.ONLINE, "recovery": Recovery.NONE, "detail": ""} if self.running else NOT_STARTED

    # --- CameraDevice --------------------------------------------------------------------

    def start(self) -> FakeCamera:
        self.running = True
        if self.plugged:
            self.set_status(**self._plugged_in())
        return self

    def close(self) -> None:
        super().close()
        self.running = False
        self.set_status(state=DeviceState.OFFLINE, recovery=Recovery.NONE, detail="closed")

    def __enter__(self) -> FakeCamera:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def latest(self) -> CapturedFrame | None:
        return self._latest

    def capture(
        self, timeout: float = 3.0, cancel: CancelToken | None = None, after: int | None = None
    ) -> Completion[CapturedFrame]:
        failed = self._unusable("capture", cancel)
        if failed is not None:
            return failed
        if self.picture is None:
            return Completion.failure(ResultCode.TIMEOUT, f"no frame within {timeout:g} s", Recovery.RETRY)
        self._sequence = max(self._sequence, after or 0) + 1
        self._latest = CapturedFrame(self.picture.copy(), self._sequence, time.monotonic())
        return Completion.success(self._latest)
