"""The camera driver against real transports: the simulator's HTTP MJPEG stream (through
OpenCV's FFmpeg backend), still images and video files."""

from __future__ import annotations

import threading
import time

import cv2
import numpy as np
import pytest

from hwsim import kiosk_hooks
from hwsim.control import send
from kiosk.drivers.camera import Camera, CameraUrlError
from kiosk.drivers.status import CancelToken, DeviceState, ResultCode
from kiosk.photo import assess, guidance
from tests.support.processes import wait_for

FAST = dict(open_timeout_s=1.0, read_timeout_s=0.6, retry_interval_s=0.1)


def test_captures_a_frame_through_the_simulators_mjpeg_stream(simulator):
    with Camera("sim://camera", **FAST, resolve=kiosk_hooks.resolve) as camera:
        got = camera.capture(timeout=5)
        assert got.ok, got.reason
        assert got.value.image.shape == (480, 640, 3)
        assert camera.status().state is DeviceState.ONLINE
        assert assess(got.value.image).passed


def test_a_scene_change_reaches_the_kiosk(simulator):
    with Camera(simulator.url, **FAST) as camera:
        assert camera.capture(timeout=5).ok
        send("camera", "scene", name="two-faces")
        wait_for(lambda: assess(camera.capture(timeout=2).value.image).guidance == guidance.ONE_PERSON,
                 timeout=5, what="the two-faces scene")


def test_each_capture_waits_for_a_newer_frame(simulator):
    with Camera(simulator.url, **FAST) as camera:
        first = camera.capture(timeout=5).value
        second = camera.capture(timeout=5).value
        assert second.sequence > first.sequence and second.monotonic > first.monotonic


def test_unplugged_camera_is_no_device_and_comes_back_by_itself_after_replug(simulator):
    states = []
    with Camera("sim://camera", **FAST, resolve=kiosk_hooks.resolve) as camera:
        camera.reporter.add_listener(lambda status: states.append(status.state))
        assert camera.capture(timeout=5).ok
        send("camera", "unplug")
        wait_for(lambda: camera.status().state is DeviceState.NO_DEVICE, timeout=5, what="NO_DEVICE")
        got = camera.capture(timeout=0.3)
        assert got.code is ResultCode.NO_DEVICE and "cannot open" in got.reason
        send("camera", "plug")
        assert camera.capture(timeout=5).ok
        assert camera.status().state is DeviceState.ONLINE
    assert DeviceState.NO_DEVICE in states and states[-2] is DeviceState.ONLINE  # last: closed


def test_stalled_camera_capture_times_out_and_becomes_a_hardware_error(simulator):
    with Camera(simulator.url, **{**FAST, "read_timeout_s": 2.0}) as camera:
        assert camera.capture(timeout=5).ok
        send("camera", "stall")
        camera.capture(timeout=0.1)  # a frame already on its way may still land
        started = time.monotonic()
        got = camera.capture(timeout=0.3)
        assert got.code is ResultCode.TIMEOUT
        assert time.monotonic() - started < 1.8  # it did not wait out the 2 s read timeout
        wait_for(lambda: camera.status().state is DeviceState.HARDWARE_ERROR, timeout=8, what="HARDWARE_ERROR")
        assert camera.capture(timeout=0.2).code is ResultCode.DEVICE_ERROR
        send("camera", "plug")
        assert camera.capture(timeout=5).ok


def test_capture_can_be_cancelled(simulator):
    send("camera", "stall")
    cancel = CancelToken()
    with Camera(simulator.url, **FAST) as camera:
        threading.Timer(0.2, cancel.cancel).start()
        started = time.monotonic()
        got = camera.capture(timeout=10, cancel=cancel)
    assert got.code is ResultCode.CANCELLED
    assert time.monotonic() - started < 2


def test_simulator_not_running_is_no_device_not_an_exception():
    with Camera("sim://camera", **FAST, resolve=kiosk_hooks.resolve) as camera:
        got = camera.capture(timeout=0.5)
        assert got.code is ResultCode.NO_DEVICE
        assert camera.status().state is DeviceState.NO_DEVICE
        assert "not running" in camera.status().detail


def test_stream_nobody_serves_is_no_device():
    with Camera("http://127.0.0.1:9/stream.mjpg", **FAST) as camera:
        assert camera.capture(timeout=0.5).code is ResultCode.NO_DEVICE


def test_v4l2_device_that_is_absent_is_no_device():
    with Camera("v4l2://63", **FAST) as camera:
        got = camera.capture(timeout=0.5)
    assert got.code is ResultCode.NO_DEVICE and "v4l2 63" in got.reason


def test_passwords_in_the_url_stay_out_of_the_status():
    with Camera("http://admin:s3cret@127.0.0.1:9/stream.mjpg", **FAST) as camera:
        wait_for(lambda: camera.status().state is DeviceState.NO_DEVICE, timeout=5, what="NO_DEVICE")
        assert "s3cret" not in camera.status().detail and "admin" not in camera.status().detail


@pytest.mark.parametrize("url", ["usb://0", "file://", "http:///nohost", "printer.example"])
def test_a_url_no_camera_can_have_is_refused_at_once(url):
    with pytest.raises(CameraUrlError):
        Camera(url)


def test_still_image_file_is_a_camera_that_goes_away_with_its_file(tmp_path):
    path = tmp_path / "still.png"
    cv2.imwrite(str(path), np.full((120, 160, 3), 200, np.uint8))
    with Camera(f"file://{path}", **FAST) as camera:
        first = camera.capture(timeout=2)
        assert first.ok and first.value.image.shape == (120, 160, 3)
        assert camera.capture(timeout=2).value.sequence > first.value.sequence
        path.unlink()
        wait_for(lambda: camera.status().state is DeviceState.NO_DEVICE, timeout=5, what="NO_DEVICE")
        cv2.imwrite(str(path), np.full((90, 160, 3), 50, np.uint8))
        got = camera.capture(timeout=3)
        assert got.ok and got.value.image.shape == (90, 160, 3)


def test_video_file_plays_in_a_loop(tmp_path):
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 60, (160, 120))
    for level in (0, 80, 160):
        writer.write(np.full((120, 160, 3), level, np.uint8))
    writer.release()
    with Camera(f"file://{path}", **FAST) as camera:
        levels = []
        for _ in range(7):
            got = camera.capture(timeout=2)
            assert got.ok, got.reason
            levels.append(round(float(got.value.image.mean()) / 80))
    assert set(levels) == {0, 1, 2}  # every frame shows up, again and again
    assert camera.status().state is DeviceState.OFFLINE  # closed


def test_missing_video_file_is_no_device(tmp_path):
    with Camera(f"file://{tmp_path}/none.mp4", **FAST) as camera:
        got = camera.capture(timeout=0.4)
    assert got.code is ResultCode.NO_DEVICE and "no such file" in got.reason
