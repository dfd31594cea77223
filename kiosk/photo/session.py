"""Taking the resident's photo from a camera: a live preview with guidance, then the
accepted photo and the scene image.

The preview checks each new frame with `complete=False` (stop at the first failure: that
frame cannot pass) and finds the face with a `FaceTracker` (near where it was), fast enough
for 15+ frames a second. The frame that is kept is measured again completely with a full
look for faces, so a second person the tracker has not yet seen cannot slip into a photo;
when time runs out the last frame is measured completely too, so a technician or the flow
can say exactly what was wrong.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.config import PhotoSettings
from kiosk.drivers.camera import Camera, CapturedFrame
from kiosk.drivers.status import CancelToken, Completion, ResultCode
from kiosk.photo.checks import PhotoCheck, assess
from kiosk.photo.composition import crop_one_inch, encode_photo
from kiosk.photo.face import FaceDetector
from kiosk.photo.scene import encode_scene
from kiosk.photo.tracking import FaceTracker


@dataclass(frozen=True)
class Preview:
    frame: CapturedFrame
    check: PhotoCheck

    def mirrored(self) -> np.ndarray:
        """What the resident sees: a mirror, so moving left moves their image left."""
        return cv2.flip(self.frame.image, 1)


@dataclass(frozen=True)
class Attempt:
    """The outcome of trying for a photo: the last frame looked at and what it measured."""

    frame: CapturedFrame
    check: PhotoCheck
    scene_jpeg: bytes
    photo_jpeg: bytes | None  # 358x441 JPEG, only when every check passed

    @property
    def passed(self) -> bool:
        return self.photo_jpeg is not None


class PhotoSession:
    def __init__(self, camera: Camera, settings: PhotoSettings | None = None) -> None:
        self.camera = camera
        self.settings = settings or PhotoSettings()
        self.detector = FaceDetector()
        self.tracker = FaceTracker(self.detector)
        self._last_sequence: int | None = None

    def preview(self, timeout: float = 1.0, cancel: CancelToken | None = None) -> Completion[Preview]:
        """The next frame after the last one previewed, with its guidance."""
        got = self.camera.capture(timeout, cancel, after=self._last_sequence)
        if not got.ok:
            return Completion(got.code, None, got.reason, got.recovery, got.detail)
        self._last_sequence = got.value.sequence
        check = assess(got.value.image, self.settings, complete=False, detector=self.tracker)
        return Completion.success(Preview(got.value, check))

    def accept(self, preview: Preview) -> Attempt:
        """Crop and encode a previewed frame, measured again completely with a full look."""
        check = assess(preview.frame.image, self.settings, complete=True, detector=self.detector)
        photo = encode_photo(crop_one_inch(preview.frame.image, check.face)) if check.passed else None
        return Attempt(preview.frame, check, encode_scene(preview.frame.image), photo)

    def attempt(self, seconds: float, cancel: CancelToken | None = None) -> Completion[Attempt]:
        """Look at frames for up to `seconds` and take the first that passes. Fails only if
        the camera gives no frame at all; otherwise the Attempt says whether it passed."""
        deadline = time.monotonic() + seconds
        last: Preview | None = None
        while True:
            got = self.preview(max(0.0, deadline - time.monotonic()), cancel)
            if got.ok:
                last = got.value
                if last.check.passed:
                    break
            elif got.code is ResultCode.CANCELLED or last is None:
                return Completion(got.code, None, got.reason, got.recovery, got.detail)
            else:  # the camera stopped or time is up: judge the last frame seen
                break
            if time.monotonic() >= deadline:
                break
        return Completion.success(self.accept(last))
