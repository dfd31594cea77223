"""Generated camera scenes: the astronaut on a white backdrop as the kiosk wants her, and
one variant per way a photo goes wrong.

Scenes are described by where the face should be (`Placement`, in fractions of the frame)
so the same scene can be rendered at any camera resolution. Frames are BGR as a camera
delivers them: not mirrored, so a person standing at the image's left is standing to
their own right.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import cv2
import numpy as np

from hwsim.camera.cutout import Cutout, astronaut, astronaut_cutout, find_face

DEFAULT_SIZE = (640, 480)
WHITE_BACKDROP = 242  # a white cloth under kiosk lights, photographed: near, not quite, 255
GREY_BACKDROP = 150


@dataclass(frozen=True)
class Placement:
    face_size: float  # face width / frame height
    centre_x: float  # face centre, fraction of the frame width
    centre_y: float  # face centre, fraction of the frame height


GOOD = Placement(face_size=0.33, centre_x=0.5, centre_y=0.45)


def _matrix(face_box, placement: Placement, size: tuple[int, int]) -> np.ndarray:
    width, height = size
    scale = placement.face_size * height / face_box.w
    cx, cy = face_box.centre
    return np.float32(
        [
            [scale, 0, placement.centre_x * width - scale * cx],
            [0, scale, placement.centre_y * height - scale * cy],
        ]
    )


def backdrop(size: tuple[int, int], level: int) -> np.ndarray:
    """A plain backdrop, a little lighter at the top as a lit cloth is."""
    width, height = size
    shade = np.linspace(level + 6, level - 6, height, dtype=np.float32).clip(0, 255)
    return np.repeat(np.repeat(shade[:, None, None], width, axis=1), 3, axis=2).astype(np.uint8)


def place(canvas: np.ndarray, person: Cutout, placement: Placement) -> np.ndarray:
    """Composite the person onto the canvas; her body continues past the bottom edge."""
    height, width = canvas.shape[:2]
    m = _matrix(person.face, placement, (width, height))
    image = cv2.warpAffine(person.image, m, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    alpha = cv2.warpAffine(person.alpha, m, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    a = alpha[..., None]
    return (canvas.astype(np.float32) * (1 - a) + image.astype(np.float32) * a).round().astype(np.uint8)


def _on_white(placement: Placement) -> Callable[[tuple[int, int]], np.ndarray]:
    return lambda size: place(backdrop(size, WHITE_BACKDROP), astronaut_cutout(), placement)


def white(size: tuple[int, int]) -> np.ndarray:
    return _on_white(GOOD)(size)


def original(size: tuple[int, int]) -> np.ndarray:
    """The photograph itself (flag, shuttle, grey backdrop), framed like the good scene."""
    source = astronaut()
    m = _matrix(find_face(source), GOOD, size)
    return cv2.warpAffine(source, m, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def grey_background(size: tuple[int, int]) -> np.ndarray:
    return place(backdrop(size, GREY_BACKDROP), astronaut_cutout(), GOOD)


def no_face(size: tuple[int, int]) -> np.ndarray:
    return backdrop(size, WHITE_BACKDROP)


def two_faces(size: tuple[int, int]) -> np.ndarray:
    frame = backdrop(size, WHITE_BACKDROP)
    for centre_x in (0.28, 0.72):
        frame = place(frame, astronaut_cutout(), Placement(0.30, centre_x, 0.45))
    return frame


def dark(size: tuple[int, int]) -> np.ndarray:
    """Under-exposed: a third of the light."""
    return cv2.convertScaleAbs(white(size), alpha=0.3, beta=0)


def bright(size: tuple[int, int]) -> np.ndarray:
    """Over-exposed: the backdrop clips and the face washes out, though it can still be found."""
    return cv2.convertScaleAbs(white(size), alpha=1.4, beta=40)


def blurred(size: tuple[int, int]) -> np.ndarray:
    """Out of focus (or moving): a Gaussian blur of about 1.2 % of the frame height."""
    return cv2.GaussianBlur(white(size), (0, 0), sigmaX=0.012 * size[1])


def letter(size: tuple[int, int]) -> np.ndarray:
    """A letter held up to the camera (the employer's 单位介绍信): a white page on the backdrop,
    lines of print, a red round seal over the last lines. No face: the photo checks would fail."""
    width, height = size
    frame = backdrop(size, GREY_BACKDROP)
    left, top, right, bottom = int(width * 0.2), int(height * 0.06), int(width * 0.8), int(height * 0.94)
    cv2.rectangle(frame, (left, top), (right, bottom), (250, 250, 250), thickness=-1)
    line = max(2, height // 120)
    for n, y in enumerate(range(top + height // 8, bottom - height // 6, height // 18)):
        end = right - (width // 12 if n % 4 == 3 else width // 30)
        cv2.line(frame, (left + width // 30, y), (end, y), (40, 40, 40), thickness=line)
    centre = (right - width // 7, bottom - height // 6)
    cv2.circle(frame, centre, height // 9, (40, 40, 220), thickness=max(3, height // 80))
    cv2.circle(frame, centre, height // 60, (40, 40, 220), thickness=-1)
    return frame


@dataclass(frozen=True)
class Scene:
    description: str
    render: Callable[[tuple[int, int]], np.ndarray]


SCENES: dict[str, Scene] = {
    "white": Scene("one person, white backdrop, well placed: passes", white),
    "original": Scene("the photograph as it is: flag and shuttle behind her", original),
    "grey-background": Scene("well placed, grey backdrop", grey_background),
    "no-face": Scene("the white backdrop, nobody in front of it", no_face),
    "two-faces": Scene("two people side by side", two_faces),
    "dark": Scene("under-exposed", dark),
    "bright": Scene("over-exposed", bright),
    "blurred": Scene("out of focus", blurred),
    "offset-camera-left": Scene(
        "at the left of the camera image (she must move to her own left)", _on_white(Placement(0.33, 0.25, 0.45))
    ),
    "offset-camera-right": Scene(
        "at the right of the camera image (she must move to her own right)", _on_white(Placement(0.33, 0.75, 0.45))
    ),
    "too-far": Scene("too far from the camera: small face", _on_white(Placement(0.17, 0.5, 0.5))),
    "too-close": Scene("too close to the camera: large face", _on_white(Placement(0.55, 0.5, 0.5))),
    "too-high": Scene("head too high in the frame: no room above it", _on_white(Placement(0.33, 0.5, 0.26))),
    "too-low": Scene("head too low in the frame: no room for the shoulders", _on_white(Placement(0.33, 0.5, 0.72))),
    "letter": Scene("a letter with a red seal held up to the camera (batch: the employer's letter)", letter),
}


def render(name: str, size: tuple[int, int] = DEFAULT_SIZE) -> np.ndarray:
    try:
        scene = SCENES[name]
    except KeyError:
        raise KeyError(f"unknown scene {name!r} (known: {', '.join(SCENES)})") from None
    return scene.render(size)
