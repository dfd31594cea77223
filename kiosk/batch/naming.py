"""The image naming rule (seed 000 附件3, and the kiosk's rule for minors), read from the policy.

`<ID number>-正.jpg` / `-反.jpg` for the two sides of the ID card, `<ID number>-全.jpg` for
both sides in one image, `<ID number>.jpg` for the photo; for a minor, `<ID number>-户口.jpg`
(the household register's own page) and `<ID number>-增减.jpg` (its change page). Names are
read the way a Windows PC writes them: any folder, `.JPG` or `.jpeg`, full-width or lowercase
characters, a stray space, an underscore or dash of another width for the hyphen.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath

from kiosk.domain.policy import BatchRules, ImageKind

JPEG_SUFFIXES = frozenset({"jpg", "jpeg", "jpe"})
OTHER_IMAGE_SUFFIXES = frozenset({"png", "bmp", "gif", "tif", "tiff", "heic", "heif", "webp", "pdf"})
_HYPHENS = str.maketrans({"_": "-", "—": "-", "–": "-", "‐": "-", "―": "-"})
_ID_STEM = re.compile(r"(?P<id>[0-9A-Z]{15,18})(?P<tail>.*)")


@dataclass(frozen=True)
class ImageName:
    """What a member's name says: whose image of which kind, and whether it is named a JPEG."""

    id_number: str
    kind: ImageKind
    jpeg_name: bool


class NamingRule:
    """Matches member names to (ID number, image kind) under a region's batch rules."""

    def __init__(self, rules: BatchRules) -> None:
        self.rules = rules
        self._tails: dict[str, ImageKind] = {}
        for kind in ImageKind:
            stem = PurePosixPath(rules.image_name(kind, "\x00")).stem
            self._tails[_fold(stem.split("\x00", 1)[1])] = kind

    def read(self, member_name: str) -> ImageName | None:
        """The image a member is, or None if its name follows no rule."""
        stem, dot, suffix = member_name.rpartition("/")[2].rpartition(".")
        if not dot or suffix.lower() not in _IMAGE_SUFFIXES:
            return None
        match = _ID_STEM.fullmatch(_fold(stem).upper())
        if not match:
            return None
        kind = self._tails.get(match.group("tail"))
        if kind is None:
            return None
        return ImageName(match.group("id"), kind, suffix.lower() in JPEG_SUFFIXES)

    def expected(self, kind: ImageKind, id_number: str) -> str:
        return self.rules.image_name(kind, id_number)


_IMAGE_SUFFIXES = JPEG_SUFFIXES | OTHER_IMAGE_SUFFIXES


def is_image_name(member_name: str) -> bool:
    base = member_name.rpartition("/")[2]
    return "." in base and base.rpartition(".")[2].lower() in _IMAGE_SUFFIXES


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).translate(_HYPHENS)
