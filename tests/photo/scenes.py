"""Camera frames of the simulator's scenes, as an MJPEG camera delivers them (JPEG, q 85)."""

from __future__ import annotations

import functools

import cv2
import numpy as np

from hwsim.camera.scenes import render


@functools.cache
def _frame(scene: str, size: tuple[int, int]) -> bytes:
    return cv2.imencode(".jpg", render(scene, size), [cv2.IMWRITE_JPEG_QUALITY, 85])[1].tobytes()


def camera_frame(scene: str, size: tuple[int, int] = (640, 480)) -> np.ndarray:
    return cv2.imdecode(np.frombuffer(_frame(scene, size), np.uint8), cv2.IMREAD_COLOR)
