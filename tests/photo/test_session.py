"""The photo session: live preview with guidance, then the accepted photo, from a camera
reading the simulator's stream."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from hwsim import kiosk_hooks
from hwsim.camera.server import CameraSimulator
from hwsim.control import send
from kiosk.drivers.camera import Camera
from kiosk.drivers.status import CancelToken, DeviceState, ResultCode
from kiosk.photo import PhotoSession, guidance
from tests.support.processes import wait_for


@pytest.fixture
def camera():
    sim = CameraSimulator("white", fps=20).start()
    cam = Camera("sim://camera", open_timeout_s=1.0, read_timeout_s=0.6, retry_interval_s=0.1, resolve=kiosk_hooks.resolve).start()
    yield cam
    cam.close()
    sim.stop()


def test_preview_gives_guidance_for_every_new_frame_and_mirrors_for_the_resident(camera):
    session = PhotoSession(camera)
    first = session.preview(timeout=5).value
    second = session.preview(timeout=5).value
    assert second.frame.sequence > first.frame.sequence
    assert first.check.guidance == guidance.GOOD
    assert np.array_equal(first.mirrored(), cv2.flip(first.frame.image, 1))


def test_attempt_takes_the_first_frame_that_passes(camera):
    done = PhotoSession(camera).attempt(seconds=5)
    assert done.ok and done.value.passed
    photo = cv2.imdecode(np.frombuffer(done.value.photo_jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert photo.shape == (441, 358, 3)
    assert cv2.imdecode(np.frombuffer(done.value.scene_jpeg, np.uint8), cv2.IMREAD_COLOR).shape == (360, 480, 3)


def test_failed_attempt_measures_every_check_of_its_last_frame(camera):
    send("camera", "scene", name="too-far")
    session = PhotoSession(camera)
    wait_for(lambda: session.preview(timeout=2).value.check.guidance == guidance.COME_CLOSER, timeout=5,
             what="frames of the new scene")
    done = session.attempt(seconds=0.5)
    assert done.ok and not done.value.passed and done.value.photo_jpeg is None
    assert done.value.check.guidance == guidance.COME_CLOSER
    assert all(check.value is not None for check in done.value.check.checks.values())


def test_attempt_without_frames_fails_with_the_cameras_reason(camera):
    send("camera", "unplug")
    wait_for(lambda: camera.status().state is DeviceState.NO_DEVICE, timeout=5, what="NO_DEVICE")
    done = PhotoSession(camera).attempt(seconds=0.5)
    assert done.code is ResultCode.NO_DEVICE


def test_attempt_can_be_cancelled(camera):
    send("camera", "stall")
    cancel = CancelToken()
    cancel.cancel()
    assert PhotoSession(camera).attempt(seconds=5, cancel=cancel).code is ResultCode.CANCELLED
