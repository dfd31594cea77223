"""The live photo preview's cost per frame, against a bare decode in the same run.

The preview must keep up with 15 frames a second. Per camera size (640x480, 1280x720) and
scene, this times a camera JPEG (as the MJPEG stream delivers it) through
  baseline : cv2.imdecode + BGR->grey, the least any preview does with a frame;
  preview  : imdecode + assess(complete=False), what the live preview does per frame;
  complete : imdecode + assess(complete=True) + 1-inch crop + JPEG, once per accepted photo,
and prints milliseconds, frames per second and the ratio to the baseline (best of 5 rounds,
since the machine is shared with other work)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "hardware-sim")]

import cv2  # noqa: E402

from hwsim.camera.scenes import render  # noqa: E402
from kiosk.config import PhotoSettings  # noqa: E402
from kiosk.photo import FaceDetector, assess, crop_one_inch, encode_photo  # noqa: E402

SIZES = ((640, 480), (1280, 720))
SCENES = ("white", "no-face", "offset-camera-left")
TARGET_FPS = 15


def per_call(fn, rounds: int = 5, calls: int = 8) -> float:
    """The best of a few rounds: the machine is shared, and other work only ever adds time."""
    fn()  # warm up
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        best = min(best, (time.perf_counter() - start) / calls)
    return best


def main() -> int:
    settings = PhotoSettings()
    detector = FaceDetector()
    slowest_preview_fps = float("inf")
    print(f"cv2 {cv2.__version__}, {cv2.getNumThreads()} OpenCV threads; target {TARGET_FPS} fps for the preview")
    print(f"{'size':<10} {'scene':<20} {'step':<9} {'ms/frame':>9} {'fps':>8} {'ratio':>7}")
    for size in SIZES:
        for scene in SCENES:
            jpeg = cv2.imencode(".jpg", render(scene, size), [cv2.IMWRITE_JPEG_QUALITY, 85])[1]

            def baseline():
                cv2.cvtColor(cv2.imdecode(jpeg, cv2.IMREAD_COLOR), cv2.COLOR_BGR2GRAY)

            def preview():
                assess(cv2.imdecode(jpeg, cv2.IMREAD_COLOR), settings, complete=False, detector=detector)

            def complete():
                frame = cv2.imdecode(jpeg, cv2.IMREAD_COLOR)
                check = assess(frame, settings, complete=True, detector=detector)
                if check.face is not None:
                    encode_photo(crop_one_inch(frame, check.face))

            base = per_call(baseline)
            label = f"{size[0]}x{size[1]}"
            for step, fn in (("baseline", None), ("preview", preview), ("complete", complete)):
                t = base if fn is None else per_call(fn)
                print(f"{label:<10} {scene:<20} {step:<9} {t * 1000:9.2f} {1 / t:8.1f} {t / base:7.2f}")
                if step == "preview":
                    slowest_preview_fps = min(slowest_preview_fps, 1 / t)
    verdict = "ok" if slowest_preview_fps >= TARGET_FPS else "TOO SLOW"
    print(f"slowest preview: {slowest_preview_fps:.1f} fps ({verdict}, target {TARGET_FPS})")
    return 0 if slowest_preview_fps >= TARGET_FPS else 1


if __name__ == "__main__":
    sys.exit(main())
