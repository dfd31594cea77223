"""The 1-inch photo checks. Each is a value measured on the frame against thresholds from
the terminal's PhotoSettings; the result carries every measurement, pass/fail per check and
ONE sentence for the resident: the most important thing to fix.

Checks run in order of importance (CHECK_ORDER). With `complete=False` (the live preview)
measuring stops at the first failure, since that frame cannot pass anyway; later checks
are then reported as not measured (value None, passed None). `complete=True` (technicians,
the final capture) measures everything that can be measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import cv2
import numpy as np

from kiosk.config import PhotoSettings
from kiosk.i18n import Bilingual
from kiosk.photo import composition, guidance
from kiosk.photo.face import FaceDetector, detection_scale
from kiosk.photo.geometry import Box

CHECK_ORDER = (
    "frame_brightness",  # mean grey of the whole frame: is there light at all
    "face_count",  # faces found
    "face_brightness",  # mean grey inside the face box
    "face_size",  # face box width / frame height
    "horizontal_offset",  # (face centre - frame centre) / frame width; < 0: face left in the camera image
    "vertical_overflow",  # how far the 1-inch crop reaches past the top (< 0) or bottom (> 0), in frame heights
    "sharpness",  # variance of the Laplacian on the face, scaled to SHARPNESS_WIDTH pixels wide
    "background_whiteness",  # mean grey of the background beside and above the head
    "background_saturation",  # mean HSV saturation (0..255) of that background
)

SHARPNESS_WIDTH = 128  # measure blur at one scale, whatever the camera's resolution or distance
# The background region: the photo's upper corners, in fractions of the 1-inch crop. GA 461
# keeps these clear (the head is centred and ~200 of 358 px wide, the shoulders start
# below the chin), so they show the backdrop and little hair even on a full hair-do.
BACKGROUND_CORNER_WIDTH = 0.12
BACKGROUND_CORNER_HEIGHT = 0.30


@dataclass(frozen=True)
class CheckResult:
    value: float | None  # None: not measured
    minimum: float | None = None
    maximum: float | None = None

    @property
    def too_low(self) -> bool:
        return self.value is not None and self.minimum is not None and self.value < self.minimum

    @property
    def too_high(self) -> bool:
        return self.value is not None and self.maximum is not None and self.value > self.maximum

    @property
    def passed(self) -> bool | None:
        if self.value is None:
            return None
        return not (self.too_low or self.too_high)

    def to_dict(self) -> dict:
        threshold = {}
        if self.minimum is not None:
            threshold["min"] = self.minimum
        if self.maximum is not None:
            threshold["max"] = self.maximum
        value = self.value if self.value is None or isinstance(self.value, int) else round(float(self.value), 4)
        return {"value": value, "threshold": threshold, "passed": self.passed}


@dataclass(frozen=True)
class PhotoCheck:
    checks: dict[str, CheckResult]  # in CHECK_ORDER
    guidance: Bilingual
    frame_size: tuple[int, int]  # width, height
    face: Box | None = None  # the largest face, frame pixels
    crop: Box | None = None  # the 1-inch photo's place in the frame, before fitting inside it

    @property
    def passed(self) -> bool:
        return all(check.passed is True for check in self.checks.values())

    @property
    def failing(self) -> list[str]:
        return [name for name, check in self.checks.items() if check.passed is False]

    def to_dict(self) -> dict:
        return {
            "passed": self.passed,
            "guidance_zh": self.guidance.zh,
            "guidance_en": self.guidance.en,
            "checks": {name: check.to_dict() for name, check in self.checks.items()},
            "frame": {"width": self.frame_size[0], "height": self.frame_size[1]},
            "face": self.face.to_dict() if self.face else None,
        }


def _guidance_for(name: str, check: CheckResult, settings: PhotoSettings) -> Bilingual:
    low = check.too_low
    if name in ("frame_brightness", "face_brightness"):
        return guidance.TOO_DARK if low else guidance.TOO_BRIGHT
    if name == "face_count":
        return guidance.FACE_CAMERA if low else guidance.ONE_PERSON
    if name == "face_size":
        return guidance.COME_CLOSER if low else guidance.STEP_BACK
    if name == "horizontal_offset":
        # The face is left of centre in an unmirrored camera image: the person stands to
        # their own right of the camera and must move to their own left.
        to_their_left = low != settings.camera_mirrored
        return guidance.MOVE_YOUR_LEFT if to_their_left else guidance.MOVE_YOUR_RIGHT
    if name == "vertical_overflow":
        return guidance.MOVE_LOWER if low else guidance.MOVE_HIGHER
    if name == "sharpness":
        return guidance.HOLD_STILL_BLURRED
    return guidance.WHITE_BACKGROUND


class _Sheet:
    """Collects results in order; once a check fails and `complete` is off, nothing more
    is computed."""

    def __init__(self, complete: bool) -> None:
        self.results: dict[str, CheckResult] = {}
        self.complete = complete
        self.stopped = False

    def add(self, name: str, measure: Callable[[], float | None], minimum=None, maximum=None) -> None:
        value = None if self.stopped else measure()
        result = CheckResult(value, minimum, maximum)
        self.results[name] = result
        if result.passed is False and not self.complete:
            self.stopped = True


def _face_grey(frame: np.ndarray, face: Box) -> np.ndarray:
    rows, cols = face.clipped(frame.shape[1], frame.shape[0]).pixels()
    return cv2.cvtColor(frame[rows, cols], cv2.COLOR_BGR2GRAY)


def sharpness(frame: np.ndarray, face: Box) -> float:
    grey = _face_grey(frame, face)
    if grey.size == 0:
        return 0.0
    size = (SHARPNESS_WIDTH, max(1, round(SHARPNESS_WIDTH * grey.shape[0] / grey.shape[1])))
    grey = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    return float(cv2.Laplacian(grey, cv2.CV_64F).var())


def background_regions(crop: Box, width: int, height: int) -> list[Box]:
    corner_w, corner_h = crop.w * BACKGROUND_CORNER_WIDTH, crop.h * BACKGROUND_CORNER_HEIGHT
    corners = [Box(crop.x, crop.y, corner_w, corner_h), Box(crop.right - corner_w, crop.y, corner_w, corner_h)]
    return [box for box in (c.clipped(width, height) for c in corners) if box.w >= 1 and box.h >= 1]


def background_pixels(frame: np.ndarray, crop: Box) -> np.ndarray | None:
    """The backdrop beside and above the head as one row of BGR pixels, or None when the
    crop lies outside the frame."""
    parts = [frame[box.pixels()].reshape(-1, 3) for box in background_regions(crop, frame.shape[1], frame.shape[0])]
    parts = [p for p in parts if len(p)]
    return np.concatenate(parts)[None, :, :] if parts else None


def assess(
    frame: np.ndarray,
    settings: PhotoSettings | None = None,
    *,
    complete: bool = True,
    detector: FaceDetector | None = None,
) -> PhotoCheck:
    if not isinstance(frame, np.ndarray) or frame.ndim != 3 or frame.shape[2] != 3 or frame.size == 0:
        raise ValueError("assess() needs a BGR image (height x width x 3)")
    s = settings or PhotoSettings()
    detector = detector or FaceDetector()
    height, width = frame.shape[:2]
    scale = detection_scale(height)
    small = frame if scale >= 1 else cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    grey_small = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    sheet = _Sheet(complete)

    sheet.add("frame_brightness", lambda: float(grey_small.mean()), minimum=s.min_frame_brightness)
    faces: list[Box] = []

    def count_faces() -> int:
        # Faces down to half the smallest accepted size still count, so a person standing
        # too far back hears "come closer" rather than "face the camera".
        min_width = s.min_face_size / 2 * grey_small.shape[0]
        faces.extend(box.scaled(1 / scale) for box in detector.detect(grey_small, min_width))
        return len(faces)

    sheet.add("face_count", count_faces, minimum=1, maximum=1)
    face = faces[0] if faces else None
    crop = composition.crop_box(face) if face else None

    def on_face(measure: Callable[[Box], float]) -> Callable[[], float | None]:
        return lambda: measure(face) if face else None

    sheet.add("face_brightness", on_face(lambda f: float(_face_grey(frame, f).mean())), s.min_brightness, s.max_brightness)
    sheet.add("face_size", on_face(lambda f: f.w / height), s.min_face_size, s.max_face_size)
    sheet.add(
        "horizontal_offset",
        on_face(lambda f: (f.centre[0] - width / 2) / width),
        -s.max_centre_offset,
        s.max_centre_offset,
    )
    sheet.add(
        "vertical_overflow",
        on_face(lambda f: composition.vertical_overflow(crop, height)),
        -s.max_crop_overflow,
        s.max_crop_overflow,
    )
    sheet.add("sharpness", on_face(lambda f: sharpness(frame, f)), minimum=s.min_sharpness)
    background: list[np.ndarray | None] = []

    def background_measure(channel: Callable[[np.ndarray], float]) -> Callable[[], float | None]:
        def measure() -> float | None:
            if crop is None:
                return None
            if not background:
                background.append(background_pixels(frame, crop))
            pixels = background[0]
            return None if pixels is None else channel(pixels)

        return measure

    sheet.add(
        "background_whiteness",
        background_measure(lambda px: float(cv2.cvtColor(px, cv2.COLOR_BGR2GRAY).mean())),
        minimum=s.min_background_whiteness,
    )
    sheet.add(
        "background_saturation",
        background_measure(lambda px: float(cv2.cvtColor(px, cv2.COLOR_BGR2HSV)[..., 1].mean())),
        maximum=s.max_background_saturation,
    )

    failing = [name for name in CHECK_ORDER if sheet.results[name].passed is False]
    if failing:
        message = _guidance_for(failing[0], sheet.results[failing[0]], s)
    elif all(check.passed for check in sheet.results.values()):
        message = guidance.GOOD
    else:  # something could not be measured although nothing failed: no usable face
        message = guidance.FACE_CAMERA
    return PhotoCheck(sheet.results, message, (width, height), face, crop)
