"""The resident's 1-inch photo: checks with guidance, the crop to the ID-photo
composition, and the scene image kept for the archive."""

from kiosk.photo.checks import CHECK_ORDER, CheckResult, PhotoCheck, assess
from kiosk.photo.composition import PHOTO_HEIGHT, PHOTO_WIDTH, crop_one_inch, encode_photo
from kiosk.photo.face import FaceDetector
from kiosk.photo.scene import encode_scene
from kiosk.photo.session import Attempt, PhotoSession, Preview

__all__ = [
    "Attempt",
    "PhotoSession",
    "Preview",
    "CHECK_ORDER",
    "CheckResult",
    "FaceDetector",
    "PHOTO_HEIGHT",
    "PHOTO_WIDTH",
    "PhotoCheck",
    "assess",
    "crop_one_inch",
    "encode_photo",
    "encode_scene",
]
