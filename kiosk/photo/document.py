"""A paper document held up to the camera (the employer's letter, 单位介绍信): kept as the
camera saw it, large enough for the seal and the signature to be read at the window."""

from __future__ import annotations

import numpy as np

from kiosk.photo.scene import downscaled_jpeg

DOCUMENT_MAX_WIDTH = 1600
DOCUMENT_JPEG_QUALITY = 85


def document_jpeg(frame: np.ndarray) -> bytes:
    return downscaled_jpeg(frame, DOCUMENT_MAX_WIDTH, DOCUMENT_JPEG_QUALITY)
