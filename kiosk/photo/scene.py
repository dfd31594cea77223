"""The scene image: the whole camera frame at the moment of the transaction, downscaled,
kept for the archive as the procedure asks (seed 003: 留存办理场景影像). Unlike the 1-inch
photo it is not mirrored, cropped or checked: it records what the camera saw."""

from __future__ import annotations

import cv2
import numpy as np

SCENE_MAX_WIDTH = 480  # enough to see who stood at the kiosk; ~20-30 KB
SCENE_JPEG_QUALITY = 75


def encode_scene(frame: np.ndarray) -> bytes:
    return downscaled_jpeg(frame, SCENE_MAX_WIDTH, SCENE_JPEG_QUALITY)


def downscaled_jpeg(frame: np.ndarray, max_width: int, quality: int) -> bytes:
    """The frame as it is (not mirrored, not cropped), at most `max_width` wide, as JPEG."""
    height, width = frame.shape[:2]
    if width > max_width:
        size = (max_width, round(height * max_width / width))
        frame = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("JPEG encoding of a camera frame failed")
    return data.tobytes()
