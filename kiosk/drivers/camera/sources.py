"""Where frames come from, chosen by the camera URL of the terminal configuration.

  v4l2://0, v4l2:///dev/video0?width=1280&height=720   a local camera through V4L2
  file:///path/still.jpg                                 a still image, re-read when it changes
  file:///path/clip.mp4                                  a video file, looped at its own frame rate
  http://host:port/stream.mjpg (https, rtsp)             a network stream through FFmpeg
  sim://camera                                           the running camera simulator (its MJPEG URL)

Each opener returns a `FrameReader` or raises `SourceUnavailable` with a reason a technician
can read; the camera thread turns those into device states. OpenCV and FFmpeg print their
own warnings to stderr when a device is missing; they are silenced here because the
state already says so.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")  # AV_LOG_QUIET

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from kiosk.drivers.simulation import SIM_SCHEME, Resolve, not_installed  # noqa: E402

cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)

STILL_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"}
STILL_FPS = 15.0  # a still image is offered as a camera delivering this many frames a second
NETWORK_SCHEMES = ("http", "https", "rtsp")


class CameraUrlError(ValueError):
    """The URL names no camera this driver can open (a configuration mistake)."""


class SourceUnavailable(Exception):
    """The camera cannot be opened right now; the message says why."""


class FrameReader(Protocol):
    def read(self) -> np.ndarray | None:
        """The next BGR frame, or None when the source stopped delivering."""

    def release(self) -> None: ...


def describe_url(url: str) -> str:
    """The URL without any user:password, safe for status details and logs."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    return url


@dataclass(frozen=True)
class Target:
    scheme: str  # v4l2, still, video, network
    location: str | int
    width: int | None = None
    height: int | None = None


def parse_url(url: str, resolve: Resolve | None = None) -> Target:
    """What to open for `url`; `resolve(url)` turns sim://NAME into the simulator's address
    (without it, a sim:// camera is unavailable: the simulator is not installed)."""
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if parts.scheme == "v4l2":
        spec = (parts.netloc + parts.path).strip() or "0"
        location: str | int = int(spec) if spec.isdigit() else unquote(parts.path or spec)
        try:
            width = int(query["width"]) if "width" in query else None
            height = int(query["height"]) if "height" in query else None
        except ValueError:
            raise CameraUrlError(f"{url}: width and height must be whole numbers") from None
        return Target("v4l2", location, width, height)
    if parts.scheme == "file":
        path = unquote(parts.path)
        if not path:
            raise CameraUrlError(f"{url}: no file path (file:///path/to/video.mp4)")
        return Target("still" if Path(path).suffix.lower() in STILL_SUFFIXES else "video", path)
    if parts.scheme in NETWORK_SCHEMES:
        if not parts.hostname:
            raise CameraUrlError(f"{url}: no host")
        return Target("network", url)
    if parts.scheme == SIM_SCHEME:
        if resolve is None:
            raise SourceUnavailable(not_installed(url))
        try:
            address = resolve(url)
        except LookupError as exc:
            raise SourceUnavailable(str(exc)) from None
        return parse_url(address)
    raise CameraUrlError(f"{url}: a camera URL starts with v4l2://, file://, http(s)://, rtsp:// or sim://")


def check_url(url: str) -> None:
    """Raise CameraUrlError for a URL no camera can have, without opening anything."""
    if urlsplit(url).scheme != SIM_SCHEME:
        parse_url(url)


class OpenCvReader:
    """A VideoCapture: V4L2 devices and FFmpeg streams."""

    def __init__(self, capture: cv2.VideoCapture) -> None:
        self.capture = capture

    def read(self) -> np.ndarray | None:
        ok, frame = self.capture.read()
        return frame if ok and frame is not None and frame.size else None

    def release(self) -> None:
        self.capture.release()


class LoopingVideoReader(OpenCvReader):
    """A video file played at its own frame rate, from the start again at its end, as a
    camera pointed at a recorded scene."""

    def __init__(self, capture: cv2.VideoCapture) -> None:
        super().__init__(capture)
        fps = capture.get(cv2.CAP_PROP_FPS)
        self.interval = 1.0 / fps if 1 <= fps <= 120 else 1.0 / STILL_FPS
        self.next_at = time.monotonic()

    def read(self) -> np.ndarray | None:
        frame = super().read()
        if frame is None:
            self.capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            frame = super().read()
        _sleep_until(self.next_at)
        self.next_at = max(self.next_at + self.interval, time.monotonic())
        return frame


class StillImageReader:
    """A still image offered at STILL_FPS; re-read when the file changes, gone when the
    file is gone (so a technician can swap pictures while the kiosk runs)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.signature: tuple[int, int] | None = None
        self.frame: np.ndarray | None = None
        self.next_at = time.monotonic()

    def read(self) -> np.ndarray | None:
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        if (stat.st_mtime_ns, stat.st_size) != self.signature:
            self.frame = cv2.imread(self.path, cv2.IMREAD_COLOR)
            self.signature = (stat.st_mtime_ns, stat.st_size)
        _sleep_until(self.next_at)
        self.next_at = max(self.next_at + 1.0 / STILL_FPS, time.monotonic())
        return self.frame

    def release(self) -> None:
        self.frame = None


def _sleep_until(moment: float) -> None:
    delay = moment - time.monotonic()
    if delay > 0:
        time.sleep(delay)


def open_reader(target: Target, open_timeout_s: float, read_timeout_s: float) -> FrameReader:
    if target.scheme == "still":
        reader = StillImageReader(str(target.location))
        if reader.read() is None:
            raise SourceUnavailable(f"cannot read image {target.location}")
        return reader
    if target.scheme == "video":
        if not os.path.exists(str(target.location)):
            raise SourceUnavailable(f"no such file {target.location}")
        capture = cv2.VideoCapture(str(target.location), cv2.CAP_FFMPEG)
        if not capture.isOpened():
            raise SourceUnavailable(f"cannot decode video {target.location}")
        return LoopingVideoReader(capture)
    if target.scheme == "v4l2":
        capture = cv2.VideoCapture(target.location, cv2.CAP_V4L2)
        if not capture.isOpened():
            raise SourceUnavailable(f"no camera at v4l2 {target.location}")
        if target.width and target.height:
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, target.width)
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, target.height)
        return OpenCvReader(capture)
    params = [
        cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, int(open_timeout_s * 1000),
        cv2.CAP_PROP_READ_TIMEOUT_MSEC, int(read_timeout_s * 1000),
    ]  # fmt: skip
    capture = cv2.VideoCapture(str(target.location), cv2.CAP_FFMPEG, params)
    if not capture.isOpened():
        raise SourceUnavailable(f"cannot open stream {describe_url(str(target.location))}")
    return OpenCvReader(capture)
