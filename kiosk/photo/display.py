"""A camera frame as a Kivy texture wants its bytes, made on the preview's worker thread so
the UI thread only blits (one `blit_buffer` call per frame). No Kivy import here: the
bench measures it with the rest of the preview."""

from __future__ import annotations

import cv2
import numpy as np


def texture_pixels(image: np.ndarray, mirror: bool) -> bytes:
    """RGB rows bottom-up, as a GL texture wants them; mirrored left-right if asked."""
    rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    return cv2.flip(rgb, -1 if mirror else 0).tobytes()
