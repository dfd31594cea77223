"""The scene image: the whole camera frame at the moment of the transaction, downscaled,
kept for the archive as the procedure asks (seed 003: 留存办理场景影像). Unlike the 1-inch
photo it is not mirrored, cropped or checked: it records what the camera saw."""

from __future__ import annotations

import cv2
import numpy as np

SCENE_MAX_WIDTH = 480  # enough to see who stood at the kiosk; ~20-30 KB
SCENE_JPEG_QUALITY = 75


def encode_scene(frame: np.ndarray) -> bytes:
    height, width = frame.shape[:2]
    if width > SCENE_MAX_WIDTH:
        size = (SCENE_MAX_WIDTH, round(height * SCENE_MAX_WIDTH / width))
        frame = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, SCENE_JPEG_QUALITY])
    if not ok:
        raise RuntimeError("JPEG encoding of the scene image failed")
    return data.tobytes()
