"""Reads a printed voucher's QR code the way a scanner would: OpenCV's two detectors.

The classic `QRCodeDetector` misses some valid codes outright. A test voucher whose serial and
time made one such code failed the CLI's print test now and then, while `QRCodeDetectorAruco`
read the same picture. So a code counts as readable if either detector reads it.
"""

from __future__ import annotations

from pathlib import Path

import cv2


def scan_qr(png: Path) -> str:
    """The text of the QR code in `png`; "" when neither detector finds one."""
    image = cv2.imread(str(png))
    assert image is not None, f"{png} is not a picture"
    for detector in (cv2.QRCodeDetectorAruco(), cv2.QRCodeDetector()):
        text, points, _ = detector.detectAndDecode(image)
        if text:
            return text
    return ""
