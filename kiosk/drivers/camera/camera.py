"""The camera device: one thread reads frames as they come, everyone else takes the latest.

Reading on a thread of its own means a camera that hangs (a USB camera that stops
streaming, a network stream that stalls) never blocks the screen or the flow: `capture`
waits at most its timeout and can be cancelled. The thread reopens the camera by itself
when it stops delivering, so a camera plugged back in comes back without a restart.

States, as values from `status()` (and to listeners):
  ONLINE          frames are arriving
  NO_DEVICE       it cannot be opened (unplugged, no such device, simulator not running)
  HARDWARE_ERROR  it stopped delivering frames, or opens but delivers none
A URL that names no camera at all is a configuration mistake: CameraUrlError at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np

from kiosk.drivers.camera.sources import (
    CameraUrlError,
    SourceUnavailable,
    Target,
    check_url,
    describe_url,
    open_reader,
    parse_url,
)
from kiosk.drivers.simulation import Resolve
from kiosk.drivers.status import (
    CancelToken,
    Completion,
    DeviceKind,
    DeviceState,
    DeviceStatus,
    Recovery,
    ResultCode,
    StatusReporter,
)

@dataclass(frozen=True)
class CapturedFrame:
    image: np.ndarray  # BGR as the camera delivers it: not mirrored
    sequence: int  # counts up from 1 for every frame this Camera received
    monotonic: float  # time.monotonic() when it arrived


class Camera:
    def __init__(
        self,
        url: str,
        *,
        open_timeout_s: float = 3.0,
        read_timeout_s: float = 2.0,
        retry_interval_s: float = 0.5,
        resolve: Resolve | None = None,
    ) -> None:
        check_url(url)
        self.url = url
        self.open_timeout_s = open_timeout_s
        self.read_timeout_s = read_timeout_s
        self.retry_interval_s = retry_interval_s
        self._resolve = resolve
        self.reporter = StatusReporter(DeviceStatus(DeviceKind.CAMERA, DeviceState.OFFLINE, detail="not started"))
        self._latest: CapturedFrame | None = None
        self._sequence = 0
        self._frame_arrived = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- lifecycle -----------------------------------------------------------------

    def start(self) -> "Camera":
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="camera-reader", daemon=True)
            self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(self.read_timeout_s + self.open_timeout_s + 1.0)
        self.reporter.update(state=DeviceState.OFFLINE, recovery=Recovery.NONE, detail="closed")

    def __enter__(self) -> "Camera":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def status(self) -> DeviceStatus:
        """The camera's condition as its reader thread last found it (no I/O)."""
        return self.reporter.status

    # --- frames --------------------------------------------------------------------

    def latest(self) -> CapturedFrame | None:
        return self._latest

    def capture(
        self, timeout: float = 3.0, cancel: CancelToken | None = None, after: int | None = None
    ) -> Completion[CapturedFrame]:
        """A frame newer than sequence `after` (default: one that arrives after this call).

        Ends in SUCCESS, CANCELLED, or, when the time is up, NO_DEVICE / DEVICE_ERROR if the
        camera is in that state, else TIMEOUT."""
        deadline = time.monotonic() + timeout
        with self._frame_arrived:
            wanted = self._sequence if after is None else after
            while True:
                latest = self._latest
                if latest is not None and latest.sequence > wanted:
                    return Completion.success(latest)
                if cancel is not None and cancel.cancelled:
                    return Completion.failure(ResultCode.CANCELLED, "capture cancelled")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._frame_arrived.wait(min(remaining, 0.05))
        status = self.status()
        if status.state is DeviceState.NO_DEVICE:
            return Completion.failure(ResultCode.NO_DEVICE, status.detail, status.recovery)
        if status.state is DeviceState.HARDWARE_ERROR:
            return Completion.failure(ResultCode.DEVICE_ERROR, status.detail, status.recovery)
        return Completion.failure(ResultCode.TIMEOUT, f"no frame within {timeout:g} s", Recovery.RETRY)

    # --- the reader thread ---------------------------------------------------------

    def _report(self, state: DeviceState, detail: str, recovery: Recovery) -> None:
        self.reporter.update(state=state, detail=detail, recovery=recovery)

    def _open(self):
        target: Target = parse_url(self.url, resolve=self._resolve)
        return open_reader(target, self.open_timeout_s, self.read_timeout_s)

    def _run(self) -> None:
        where = describe_url(self.url)
        while not self._stop.is_set():
            try:
                reader = self._open()
            except SourceUnavailable as exc:
                self._report(DeviceState.NO_DEVICE, f"{where}: {exc}", Recovery.STAFF_CAN_CLEAR)
                self._stop.wait(self.retry_interval_s)
                continue
            except CameraUrlError as exc:  # sim:// resolved to something unusable
                self._report(DeviceState.HARDWARE_ERROR, str(exc), Recovery.NEEDS_MAINTENANCE)
                self._stop.wait(self.retry_interval_s)
                continue
            delivered = 0
            try:
                while not self._stop.is_set():
                    image = reader.read()
                    if image is None:
                        break
                    delivered += 1
                    self._publish(image)
            finally:
                reader.release()
            if self._stop.is_set():
                break
            if delivered:
                detail = f"{where}: stopped delivering frames; reopening"
            else:
                detail = f"{where}: opens but delivers no frames"
            self._report(DeviceState.HARDWARE_ERROR, detail, Recovery.NEEDS_MAINTENANCE)
            self._stop.wait(self.retry_interval_s)

    def _publish(self, image: np.ndarray) -> None:
        with self._frame_arrived:
            self._sequence += 1
            self._latest = CapturedFrame(image, self._sequence, time.monotonic())
            self._frame_arrived.notify_all()
        if self.status().state is not DeviceState.ONLINE:
            height, width = image.shape[:2]
            self._report(DeviceState.ONLINE, f"{describe_url(self.url)}: {width}x{height}", Recovery.NONE)
