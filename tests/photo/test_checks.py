"""Each photo check against the simulator's generated scenes of a real face."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest

from kiosk.config import PhotoSettings
from kiosk.photo import CHECK_ORDER, assess, guidance
from tests.photo.scenes import camera_frame


def failing(scene: str, **settings) -> tuple[list[str], object]:
    check = assess(camera_frame(scene), PhotoSettings(**settings))
    return check.failing, check.guidance


@pytest.mark.parametrize("size", [(640, 480), (1280, 720)])
def test_white_background_astronaut_passes_every_check(size):
    check = assess(camera_frame("white", size))
    assert check.passed, check.to_dict()
    assert check.guidance == guidance.GOOD
    assert list(check.checks) == list(CHECK_ORDER)
    assert all(result.passed is True for result in check.checks.values())


def test_original_photo_fails_on_its_flag_and_shuttle_background():
    names, message = failing("original")
    assert names and set(names) <= {"background_whiteness", "background_saturation"}
    assert message == guidance.WHITE_BACKGROUND


def test_grey_background_fails_the_background_check():
    names, message = failing("grey-background")
    assert names == ["background_whiteness"]
    assert message == guidance.WHITE_BACKGROUND


def test_no_face_asks_the_resident_to_face_the_camera():
    check = assess(camera_frame("no-face"))
    assert check.failing == ["face_count"]
    assert check.checks["face_count"].value == 0
    assert check.guidance == guidance.FACE_CAMERA
    assert check.guidance.zh == "请正对摄像头" and check.guidance.en == "Please face the camera"


def test_two_faces_asks_for_only_one_person():
    check = assess(camera_frame("two-faces"))
    assert check.checks["face_count"].value == 2
    assert check.guidance == guidance.ONE_PERSON
    assert check.guidance.zh == "请只留一人在镜头前"


def test_dark_frame_says_too_dark():
    names, message = failing("dark")
    assert names[0] == "face_brightness"
    assert message == guidance.TOO_DARK


def test_bright_frame_says_too_bright():
    names, message = failing("bright")
    assert names[0] == "face_brightness"
    assert message == guidance.TOO_BRIGHT


def test_blurred_frame_says_keep_still():
    names, message = failing("blurred")
    assert names == ["sharpness"]
    assert message == guidance.HOLD_STILL_BLURRED


def test_person_at_the_camera_images_left_is_told_to_move_to_their_left():
    # An unmirrored camera sees the resident's right side on the image's left.
    names, message = failing("offset-camera-left")
    assert names == ["horizontal_offset"]
    assert message == guidance.MOVE_YOUR_LEFT


def test_person_at_the_camera_images_right_is_told_to_move_to_their_right():
    names, message = failing("offset-camera-right")
    assert names == ["horizontal_offset"]
    assert message == guidance.MOVE_YOUR_RIGHT


def test_a_mirroring_camera_swaps_left_and_right():
    mirrored = cv2.flip(camera_frame("offset-camera-left"), 1)  # the camera flips it itself
    check = assess(mirrored, PhotoSettings(camera_mirrored=True))
    assert check.guidance == guidance.MOVE_YOUR_LEFT


def test_too_far_says_come_closer():
    names, message = failing("too-far")
    assert names == ["face_size"]
    assert message == guidance.COME_CLOSER


def test_too_close_says_step_back():
    names, message = failing("too-close")
    assert names[0] == "face_size"
    assert message == guidance.STEP_BACK


def test_head_too_high_says_move_lower():
    names, message = failing("too-high")
    assert names[0] == "vertical_overflow"
    assert message == guidance.MOVE_LOWER


def test_head_too_low_says_sit_up():
    names, message = failing("too-low")
    assert names[0] == "vertical_overflow"
    assert message == guidance.MOVE_HIGHER


def test_the_most_important_failure_speaks_first():
    dark_and_off_centre = cv2.convertScaleAbs(camera_frame("offset-camera-left"), alpha=0.3)
    check = assess(dark_and_off_centre)
    assert {"face_brightness", "horizontal_offset"} <= set(check.failing)
    assert check.guidance == guidance.TOO_DARK


def test_too_dark_to_see_anything_says_too_dark_not_face_the_camera():
    check = assess(np.full((480, 640, 3), 12, np.uint8))
    assert check.failing[0] == "frame_brightness"
    assert check.guidance == guidance.TOO_DARK


def test_every_check_reports_value_threshold_and_result():
    data = assess(camera_frame("grey-background")).to_dict()
    assert set(data) >= {"passed", "guidance_zh", "guidance_en", "checks"}
    assert data["passed"] is False
    background = data["checks"]["background_whiteness"]
    assert background["threshold"] == {"min": PhotoSettings().min_background_whiteness}
    assert background["value"] < background["threshold"]["min"] and background["passed"] is False
    assert data["checks"]["face_size"]["threshold"] == {"min": 0.25, "max": 0.42}


def test_thresholds_come_from_the_settings():
    white = assess(camera_frame("white"))
    measured = white.checks["sharpness"].value
    stricter = dataclasses.replace(PhotoSettings(), min_sharpness=measured + 1)
    check = assess(camera_frame("white"), stricter)
    assert check.failing == ["sharpness"]
    assert check.checks["sharpness"].minimum == measured + 1


def test_preview_stops_measuring_at_the_first_failure():
    check = assess(camera_frame("too-far"), complete=False)
    assert check.failing == ["face_size"]
    later = CHECK_ORDER[CHECK_ORDER.index("face_size") + 1 :]
    assert all(check.checks[name].value is None and check.checks[name].passed is None for name in later)
    assert assess(camera_frame("too-far"), complete=True).checks["sharpness"].value is not None


def test_no_face_leaves_face_measurements_unmeasured_not_zero():
    check = assess(camera_frame("no-face"))
    assert check.checks["face_brightness"].value is None
    assert check.to_dict()["checks"]["sharpness"] == {"value": None, "threshold": {"min": 40.0}, "passed": None}


@pytest.mark.parametrize("bad", [None, np.zeros((480, 640), np.uint8), np.zeros((0, 0, 3), np.uint8), b"jpeg"])
def test_a_non_image_is_refused_with_a_clear_message(bad):
    with pytest.raises(ValueError, match="BGR image"):
        assess(bad)
