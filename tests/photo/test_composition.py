"""The 1-inch crop (GA 461: 358x441, face ~207 px wide, centred) and the scene image."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kiosk.photo import PHOTO_HEIGHT, PHOTO_WIDTH, FaceDetector, assess, crop_one_inch, encode_photo, encode_scene
from kiosk.photo.composition import FACE_BOX_TOP, FACE_BOX_WIDTH, crop_box, fit_inside, vertical_overflow
from kiosk.photo.geometry import Box
from tests.photo.scenes import camera_frame


def decode(data: bytes) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None, "does not decode"
    return image


@pytest.mark.parametrize("size", [(640, 480), (1280, 720)])
def test_photo_is_a_358_by_441_jpeg_that_decodes(size):
    frame = camera_frame("white", size)
    check = assess(frame)
    data = encode_photo(crop_one_inch(frame, check.face))
    assert data[:3] == b"\xff\xd8\xff"
    assert decode(data).shape == (PHOTO_HEIGHT, PHOTO_WIDTH, 3) == (441, 358, 3)


def test_face_in_the_photo_is_centred_and_ga461_sized():
    frame = camera_frame("white")
    photo = decode(encode_photo(crop_one_inch(frame, assess(frame).face)))
    grey = cv2.cvtColor(photo, cv2.COLOR_BGR2GRAY)
    (face,) = FaceDetector().detect(grey, min_width=100)
    assert abs(face.centre[0] - PHOTO_WIDTH / 2) <= 8
    assert abs(face.w - FACE_BOX_WIDTH) <= 16  # GA 461 face width 207 +- 14 px
    assert abs(face.y - FACE_BOX_TOP) <= 12
    eyes = face.y + 0.38 * face.h
    assert PHOTO_HEIGHT - eyes >= 207  # GA 461: eyes at least 207 px above the bottom edge


def test_background_above_the_head_stays_white_in_the_photo():
    frame = camera_frame("white")
    photo = crop_one_inch(frame, assess(frame).face)
    top_corners = np.concatenate([photo[:40, :30].reshape(-1, 3), photo[:40, -30:].reshape(-1, 3)])
    assert top_corners.mean() > 220


def test_crop_reaching_slightly_past_the_edge_is_shifted_inside_not_padded():
    frame = np.random.default_rng(1).integers(0, 255, (480, 640, 3), np.uint8)
    face = Box(250, 60, 150, 150)  # crop reaches above the top edge
    box = crop_box(face)
    assert box.y < 0 and vertical_overflow(box, 480) < 0
    inside = fit_inside(box, 640, 480)
    assert inside.y == 0 and inside.h == box.h
    photo = crop_one_inch(frame, face)
    expected = cv2.resize(frame[0 : round(box.h), round(inside.x) : round(inside.right)], (PHOTO_WIDTH, PHOTO_HEIGHT),
                          interpolation=cv2.INTER_CUBIC)
    assert np.abs(photo[:20].astype(int) - expected[:20].astype(int)).mean() < 40  # frame rows, not repeated edge


def test_vertical_overflow_is_zero_when_the_crop_fits():
    assert vertical_overflow(Box(100, 100, 200, 300), 480) == 0.0
    assert vertical_overflow(Box(100, 100, 200, 400), 480) == pytest.approx(20 / 480)
    assert vertical_overflow(Box(100, -24, 200, 300), 480) == pytest.approx(-24 / 480)


def test_encode_photo_refuses_an_image_of_the_wrong_size():
    with pytest.raises(ValueError, match="358x441"):
        encode_photo(np.zeros((440, 358, 3), np.uint8))


def test_scene_image_is_the_whole_frame_downscaled():
    frame = camera_frame("two-faces", (1280, 720))
    scene = decode(encode_scene(frame))
    assert scene.shape == (270, 480, 3)
    small = cv2.resize(frame, (480, 270), interpolation=cv2.INTER_AREA)
    assert np.abs(scene.astype(int) - small.astype(int)).mean() < 6  # the same picture, not a crop
