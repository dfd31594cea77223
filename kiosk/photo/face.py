"""Finding faces fast enough for a live preview.

OpenCV's frontal-face Haar cascade (shipped in opencv-python 4.x as
`cv2.data.haarcascades`; OpenCV 5 moved CascadeClassifier and the cascade files to
opencv_contrib, hence the pin below 5) runs on a grey copy of the frame scaled to
DETECT_HEIGHT rows, so the cost per frame is the same for a 640x480 and a 1280x720
camera. The cascade file is parsed once per process and shared.
"""

from __future__ import annotations

import functools
import threading

import cv2
import numpy as np

from kiosk.photo.geometry import Box

DETECT_HEIGHT = 240
CASCADE_FILE = "haarcascade_frontalface_default.xml"
HAAR_SMALLEST = 24  # the cascade's own window: no face smaller than this is found


@functools.cache
def _shared_cascade(path: str) -> tuple[cv2.CascadeClassifier, threading.Lock]:
    cascade = cv2.CascadeClassifier(path)
    if cascade.empty():
        raise RuntimeError(f"cannot load the face cascade {path}")
    return cascade, threading.Lock()


class FaceDetector:
    def __init__(self, cascade_path: str | None = None) -> None:
        self._cascade, self._lock = _shared_cascade(cascade_path or cv2.data.haarcascades + CASCADE_FILE)

    def detect(self, grey_small: np.ndarray, min_width: int, max_width: int | None = None) -> list[Box]:
        """Faces in a grey frame already scaled for detection, largest first; `max_width`
        (optional) skips the larger scales, which a tracker knows it does not need."""
        min_width = max(HAAR_SMALLEST, int(min_width))
        max_size = (int(max_width), int(max_width)) if max_width and max_width >= min_width else (0, 0)
        with self._lock:
            found = self._cascade.detectMultiScale(
                grey_small, scaleFactor=1.1, minNeighbors=5, minSize=(min_width, min_width), maxSize=max_size
            )
        boxes = [Box(float(x), float(y), float(w), float(h)) for x, y, w, h in found]
        return sorted(boxes, key=lambda b: b.w, reverse=True)


def detection_scale(frame_height: int) -> float:
    """Factor from frame pixels to detection pixels (never enlarges a small frame)."""
    return min(1.0, DETECT_HEIGHT / frame_height)
