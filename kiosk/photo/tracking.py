"""Following the resident's face from frame to frame, so the live preview stays cheap.

A full look (the Haar cascade over the whole detection frame, every size) costs ~10-15 ms
of this 2-core terminal; between two preview frames a face moves a little and keeps its
size. So after a full look that found exactly one face, the tracker looks only in a window
around it (TRACK_MARGIN face widths on each side) for faces of about the same size
(TRACK_SIZE_RANGE), with the window scaled so the face is about TRACK_FACE_PIXELS wide
(the cascade's cost is in the windows that look like a face, so a smaller face is what
makes it cheap; the box is a few frame pixels less exact, which the guidance's thresholds
do not feel). That costs about a tenth of a full look. It looks at the whole frame again
  - every FULL_LOOK_EVERY frames, so a second person stepping in is seen within a
    fraction of a second (the photo is never taken on a tracked look alone: the session
    measures the chosen frame again with a full look, `PhotoSession.accept`);
  - whenever the window holds no face (the resident moved fast, or left).
When the last full look found nobody, or several people, that answer stands until the next
full look: such a frame fails at the face count whatever else it shows, and someone
stepping in is seen within FULL_LOOK_EVERY frames.
It has the FaceDetector's `detect`, so `assess` takes either.
"""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.photo.face import FaceDetector
from kiosk.photo.geometry import Box

FULL_LOOK_EVERY = 5  # frames; at 15 frames a second a newcomer is seen within ~1/3 s
TRACK_MARGIN = 0.6  # face widths searched around the last face, on every side
TRACK_SIZE_RANGE = (0.7, 1.4)  # the face's size in the next frame, relative to the last
TRACK_FACE_PIXELS = 40  # the last face's width in the scaled window (the cascade's own window is 24)


class FaceTracker:
    def __init__(self, detector: FaceDetector | None = None, full_look_every: int = FULL_LOOK_EVERY) -> None:
        self.detector = detector or FaceDetector()
        self.full_look_every = full_look_every
        self.full_looks = 0  # counted for tests and the bench
        self.tracked_looks = 0  # near the last face (frames that repeat a count are neither)
        self._found: list[Box] | None = None  # what the last look found (detection pixels)
        self._shape: tuple[int, ...] | None = None
        self._since_full = 0

    def reset(self) -> None:
        self._found, self._shape, self._since_full = None, None, 0

    def detect(self, grey_small: np.ndarray, min_width: int, max_width: int | None = None) -> list[Box]:
        """Faces in a grey frame scaled for detection, largest first (as FaceDetector)."""
        due = self._found is None or grey_small.shape != self._shape or self._since_full >= self.full_look_every - 1
        if not due:
            self._since_full += 1
            if len(self._found) != 1:
                return list(self._found)  # nobody, or several: stands until the next full look
            found = self._look_near(grey_small, self._found[0], min_width)
            if len(found) == 1:
                self._found = found
                return list(found)
        return self._full_look(grey_small, min_width, max_width)

    def _full_look(self, grey_small: np.ndarray, min_width: int, max_width: int | None) -> list[Box]:
        self.full_looks += 1
        found = self.detector.detect(grey_small, min_width, max_width)
        self._found, self._shape, self._since_full = found, grey_small.shape, 0
        return list(found)

    def _look_near(self, grey_small: np.ndarray, last: Box, min_width: int) -> list[Box]:
        self.tracked_looks += 1
        height, width = grey_small.shape[:2]
        margin = last.w * TRACK_MARGIN
        window = Box(last.x - margin, last.y - margin, last.w + 2 * margin, last.h + 2 * margin).clipped(width, height)
        rows, cols = window.pixels()
        part = grey_small[rows, cols]
        scale = min(1.0, TRACK_FACE_PIXELS / last.w)
        if scale < 1.0:
            part = cv2.resize(part, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        smallest = max(min_width, last.w * TRACK_SIZE_RANGE[0]) * scale
        largest = last.w * TRACK_SIZE_RANGE[1] * scale
        found = self.detector.detect(part, smallest, largest)
        return [box.scaled(1 / scale).shifted(cols.start, rows.start) for box in found]
