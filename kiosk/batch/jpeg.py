"""What a JPEG's header says, without decoding the image.

A batch of 2,000 people holds 6,000 images: decoding each to check its size would cost far
more than reading it. The frame header (SOFn) carries the width and height; walking the
markers up to it reads a few hundred bytes past the EXIF block, so the head of the file and
its last few kilobytes answer every question asked here. A file that does not start
with SOI (FF D8 FF) is not a JPEG whatever its name; one without a frame header, or whose
last marker is not EOI (FF D9, trailing padding allowed), is damaged or cut short, as a copy
interrupted on the office PC leaves it. A header that claims more pixels than the limit is a
decompression bomb and is refused before anything decodes it.
"""

from __future__ import annotations

import struct
from typing import NamedTuple
from enum import StrEnum

SOI = b"\xff\xd8\xff"
EOI = b"\xff\xd9"
# Start-of-frame markers: baseline, extended, progressive, lossless, arithmetic (not DHT C4, JPG C8, DAC CC).
_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM, RSTn: no length field
_TRAILING_PADDING = 4096  # some scanners pad after EOI


class JpegVerdict(StrEnum):
    OK = "ok"
    NOT_JPEG = "not_jpeg"
    DAMAGED = "damaged"
    TOO_LARGE = "too_large"
    NEEDS_MORE = "needs_more"  # the frame header is further in than the bytes given


class JpegInfo(NamedTuple):
    verdict: JpegVerdict
    width: int = 0
    height: int = 0

    @property
    def pixels(self) -> int:
        return self.width * self.height


def probe(head: bytes, max_pixels: int, *, tail: bytes = b"", whole: bool = True) -> JpegInfo:
    """The verdict on an image whose first bytes are `head` (all of it when `whole`) and whose
    last bytes are `tail` (when not). NEEDS_MORE: the frame header lies beyond `head`."""
    if not head.startswith(SOI):
        return JpegInfo(JpegVerdict.NOT_JPEG)
    frame = _frame_size(head)
    if frame is None:
        return JpegInfo(JpegVerdict.DAMAGED if whole else JpegVerdict.NEEDS_MORE)
    width, height = frame
    if width == 0 or height == 0:
        return JpegInfo(JpegVerdict.DAMAGED, width, height)
    if width * height > max_pixels:
        return JpegInfo(JpegVerdict.TOO_LARGE, width, height)
    if not _ends_with_eoi(head if whole else tail):
        return JpegInfo(JpegVerdict.DAMAGED, width, height)
    return JpegInfo(JpegVerdict.OK, width, height)


def _frame_size(data: bytes) -> tuple[int, int] | None:
    pos, n = 2, len(data)
    while pos + 4 <= n:
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in _STANDALONE:
            pos += 2
            continue
        if marker in (0xD9, 0xDA):  # EOI or start of scan before any frame header
            return None
        (length,) = struct.unpack_from(">H", data, pos + 2)
        if length < 2:
            return None
        if marker in _SOF:
            if pos + 9 > n:
                return None
            height, width = struct.unpack_from(">HH", data, pos + 5)
            return width, height
        pos += 2 + length
    return None


def _ends_with_eoi(data: bytes) -> bool:
    tail = data[-_TRAILING_PADDING:].rstrip(b"\x00")
    return tail.endswith(EOI)
