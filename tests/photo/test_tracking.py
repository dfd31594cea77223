"""The preview's face tracker: as right as a full look where it matters, and never the
reason a photo with two people in it is kept."""

from __future__ import annotations

import cv2

from kiosk.config import PhotoSettings
from kiosk.drivers.camera.fake import FakeCamera
from kiosk.photo import FaceDetector, PhotoSession, assess, guidance
from kiosk.photo.tracking import FULL_LOOK_EVERY, FaceTracker
from tests.photo.scenes import camera_frame

SETTINGS = PhotoSettings()


def preview_checks(tracker: FaceTracker, frames):
    return [assess(frame, SETTINGS, complete=False, detector=tracker) for frame in frames]


def test_a_tracked_face_is_where_a_full_look_finds_it():
    frame = camera_frame("white")
    full = assess(frame, SETTINGS, complete=False, detector=FaceDetector())
    tracker = FaceTracker()
    checks = preview_checks(tracker, [frame] * FULL_LOOK_EVERY)
    assert tracker.tracked_looks == FULL_LOOK_EVERY - 1 and tracker.full_looks == 1
    for check in checks:
        assert check.passed and check.guidance == guidance.GOOD
        assert abs(check.face.centre[0] - full.face.centre[0]) < 0.02 * frame.shape[1]
        assert abs(check.face.w - full.face.w) < 0.1 * full.face.w


def test_guidance_follows_a_resident_who_moves_while_tracked():
    tracker = FaceTracker(full_look_every=100)  # only tracked looks after the first
    good, off = camera_frame("white"), camera_frame("offset-camera-left")
    checks = preview_checks(tracker, [good, good, off])
    assert checks[1].passed and not checks[2].passed
    assert checks[2].guidance in (guidance.MOVE_YOUR_LEFT, guidance.MOVE_YOUR_RIGHT)


def test_a_second_person_stepping_in_is_seen_within_the_full_look_interval():
    tracker = FaceTracker()
    frames = [camera_frame("white")] * 2 + [camera_frame("two-faces")] * FULL_LOOK_EVERY
    checks = preview_checks(tracker, frames)
    assert any(check.guidance == guidance.ONE_PERSON for check in checks[2:])


def test_the_kept_photo_is_checked_with_a_full_look_not_the_tracked_one():
    camera = FakeCamera(camera_frame("white")).start()
    session = PhotoSession(camera, SETTINGS)
    preview = session.preview().value
    assert preview.check.passed
    camera.show(camera_frame("two-faces"))
    stale = session.preview().value  # the tracker still follows the one face it knew
    crowded = type(preview)(stale.frame, preview.check)  # a passing check on a crowded frame
    attempt = session.accept(crowded)
    assert not attempt.passed and attempt.check.guidance == guidance.ONE_PERSON


def test_nobody_there_is_looked_for_again_within_the_interval():
    tracker = FaceTracker()
    frames = [camera_frame("no-face")] * 2 + [camera_frame("white")] * FULL_LOOK_EVERY
    checks = preview_checks(tracker, frames)
    assert not checks[0].passed and checks[-1].passed
    assert tracker.full_looks <= 3
