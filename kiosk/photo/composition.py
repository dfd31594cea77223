"""The 1-inch photo's composition, and cutting it out of a camera frame.

The delivered photo is 358 x 441 px JPEG (seed 000: "1寸白底电子照片 … 宽度358 … 长度441";
seed 003: 1寸白底免冠登记照). 358 x 441 is the resident ID card photo of GA 461-2004
(居民身份证制证用数字相片技术要求): 350 dpi, 26 x 32 mm. (A printed 1-inch photo is
25 x 35 mm; at 300 dpi that would be 295 x 413 px, so the pixel size, not the millimetres,
is what the centre checks.) GA 461 places the person so that
  - the face is centred horizontally and 207 ± 14 px wide (cheek to cheek),
  - the top of the hair is 7-21 px below the top edge,
  - the eyes are at least 207 px above the bottom edge (this wins when both cannot hold),
which puts the head (hair to chin) at about two thirds of the height with the neck and
the top of the shoulders below it.

We locate the person by OpenCV's frontal-face Haar box, which on a frontal face spans
about cheek to cheek and mid-forehead to just below the mouth; the eyes sit ~0.38 box
heights below its top, the chin ~1.2 below it, and the top of the hair 0.45-0.55 above it.
So in the output photo the box is FACE_BOX_WIDTH wide (face ~200 px: inside 207 ± 14) with
its top at FACE_BOX_TOP: the eyes land ~196 px from the top (245 px above the bottom edge),
the hair top 9-26 px from the top, the chin ~365 px, leaving ~75 px of neck and shoulders.
"""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.photo.geometry import Box

PHOTO_WIDTH = 358
PHOTO_HEIGHT = 441
PHOTO_JPEG_QUALITY = 90
FACE_BOX_WIDTH = 205  # output pixels covered by the Haar face box's width
FACE_BOX_TOP = 118  # output row of the Haar face box's top edge


def crop_box(face: Box) -> Box:
    """Where the 1-inch photo lies in the frame (may reach past the frame's edges)."""
    scale = face.w / FACE_BOX_WIDTH  # frame pixels per output pixel
    width, height = PHOTO_WIDTH * scale, PHOTO_HEIGHT * scale
    cx, _ = face.centre
    return Box(cx - width / 2, face.y - FACE_BOX_TOP * scale, width, height)


def vertical_overflow(box: Box, frame_height: int) -> float:
    """How far the crop reaches past the frame, in frame heights: negative past the top
    (the head is too high), positive past the bottom (too low), 0 when it fits. A crop
    taller than the frame reports its larger overflow (the size check speaks first)."""
    above = max(0.0, -box.y)
    below = max(0.0, box.bottom - frame_height)
    if below > above:
        return below / frame_height
    return -above / frame_height if above else 0.0


def fit_inside(box: Box, width: int, height: int) -> Box:
    """Shift the crop back inside the frame (the checks allow only a small shift)."""
    dx = -box.x if box.x < 0 else min(0.0, width - box.right)
    dy = -box.y if box.y < 0 else min(0.0, height - box.bottom)
    return box.shifted(dx, dy)


def crop_one_inch(frame: np.ndarray, face: Box) -> np.ndarray:
    """The 358 x 441 BGR photo; pixels the frame lacks (only if the checks were skipped)
    repeat the nearest edge rather than turning black."""
    height, width = frame.shape[:2]
    box = fit_inside(crop_box(face), width, height)
    scale = PHOTO_WIDTH / box.w
    matrix = np.float32([[scale, 0, -box.x * scale], [0, scale, -box.y * scale]])
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    return cv2.warpAffine(
        frame, matrix, (PHOTO_WIDTH, PHOTO_HEIGHT), flags=interpolation, borderMode=cv2.BORDER_REPLICATE
    )


def encode_photo(photo: np.ndarray) -> bytes:
    """JPEG bytes of the 1-inch photo, proven to decode back to 358 x 441 before anyone
    stores or sends them."""
    if photo.shape[:2] != (PHOTO_HEIGHT, PHOTO_WIDTH):
        raise ValueError(f"photo is {photo.shape[1]}x{photo.shape[0]}, not {PHOTO_WIDTH}x{PHOTO_HEIGHT}")
    ok, data = cv2.imencode(".jpg", photo, [cv2.IMWRITE_JPEG_QUALITY, PHOTO_JPEG_QUALITY])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    decoded = cv2.imdecode(data, cv2.IMREAD_COLOR)
    if decoded is None or decoded.shape[:2] != (PHOTO_HEIGHT, PHOTO_WIDTH):
        raise RuntimeError("encoded photo does not decode back to 358x441")
    return data.tobytes()
