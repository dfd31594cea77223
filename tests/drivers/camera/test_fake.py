"""FakeCamera behaves as the camera interface says, for the flows tested on it."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.drivers.camera.fake import FakeCamera
from kiosk.drivers.status import CancelToken, DeviceKind, DeviceState, ResultCode

PICTURE = np.full((480, 640, 3), 200, dtype=np.uint8)


@pytest.fixture
def camera():
    return FakeCamera(PICTURE)


def test_a_camera_not_started_delivers_nothing(camera):
    assert camera.status().device is DeviceKind.CAMERA and camera.status().state is DeviceState.OFFLINE
    assert camera.capture(0.1).code is ResultCode.TIMEOUT


def test_a_started_camera_delivers_new_frames_of_what_it_is_shown(camera):
    with camera:
        assert camera.status().state is DeviceState.ONLINE
        first = camera.capture().value
        second = camera.capture(after=first.sequence).value
        assert second.sequence > first.sequence and camera.latest() is second
        assert np.array_equal(second.image, PICTURE)
        other = np.zeros_like(PICTURE)
        camera.show(other)
        assert np.array_equal(camera.capture().value.image, other)
    assert camera.status().state is DeviceState.OFFLINE


def test_a_camera_shown_nothing_times_out(camera):
    camera.show(None)
    with camera:
        assert camera.capture(0.2).code is ResultCode.TIMEOUT


def test_an_unplugged_camera_is_no_device_even_once_started(camera):
    camera.unplug()
    with camera:
        assert camera.status().state is DeviceState.NO_DEVICE
        assert camera.capture().code is ResultCode.NO_DEVICE
        camera.plug()
        assert camera.capture().ok


def test_a_broken_camera_is_a_device_error(camera):
    with camera:
        camera.set_status(state=DeviceState.HARDWARE_ERROR, detail="stopped delivering frames")
        assert camera.capture().code is ResultCode.DEVICE_ERROR


def test_a_cancelled_capture_is_cancelled(camera):
    cancel = CancelToken()
    cancel.cancel()
    with camera:
        assert camera.capture(cancel=cancel).code is ResultCode.CANCELLED
