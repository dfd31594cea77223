"""The camera simulator's transport: an HTTP MJPEG stream on 127.0.0.1.

A network camera speaks exactly this (multipart/x-mixed-replace, one JPEG per part), and
OpenCV's FFmpeg backend opens it like any IP camera, so the kiosk's real driver runs
unchanged. The simulator registers its stream URL under the name "camera" (sim://camera)
and takes commands on its control socket (`kiosk sim ctl camera VERB key=value`):

  scene name=<scene> | scene file=<image or video>   what the camera sees
  unplug     the camera is gone: streams end, new connections get 503
  plug       back to normal
  stall      connected, but no frames (a hung camera)
  list       the generated scenes
  status     state, scene, URL, connected clients
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import cv2
import numpy as np

from hwsim.camera.scenes import DEFAULT_SIZE, SCENES, render
from hwsim.control import ControlServer

STREAMING, STALLED, UNPLUGGED = "streaming", "stalled", "unplugged"
BOUNDARY = "frame"
STILL_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"}


class StillSource:
    def __init__(self, image: np.ndarray, quality: int, label: str) -> None:
        self.label = label
        self.fps: float | None = None
        ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
        if not ok:
            raise RuntimeError("cannot encode the scene as JPEG")
        self.jpeg = data.tobytes()

    def next_jpeg(self) -> bytes:
        return self.jpeg

    def close(self) -> None:
        pass


class VideoSource:
    """A video file, looped, at its own frame rate."""

    def __init__(self, path: str, quality: int) -> None:
        self.label = f"file:{path}"
        self.quality = quality
        self.capture = cv2.VideoCapture(path, cv2.CAP_FFMPEG)
        if not self.capture.isOpened():
            raise ValueError(f"cannot decode video {path}")
        fps = self.capture.get(cv2.CAP_PROP_FPS)
        self.fps = fps if 1 <= fps <= 120 else None

    def next_jpeg(self) -> bytes:
        ok, frame = self.capture.read()
        if not ok:
            self.capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self.capture.read()
            if not ok:
                raise RuntimeError(f"{self.label} has no frames")
        return cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, self.quality])[1].tobytes()

    def close(self) -> None:
        self.capture.release()


def file_source(path: str, quality: int):
    if not Path(path).is_file():
        raise FileNotFoundError(f"no such file {path}")
    if Path(path).suffix.lower() in STILL_SUFFIXES:
        image = cv2.imread(path, cv2.IMREAD_COLOR)
        if image is None:
            raise ValueError(f"cannot decode image {path}")
        return StillSource(image, quality, f"file:{path}")
    return VideoSource(path, quality)


class CameraSimulator:
    def __init__(
        self,
        scene: str = "white",
        *,
        file: str | None = None,
        port: int = 0,
        fps: float = 15.0,
        size: tuple[int, int] = DEFAULT_SIZE,
        quality: int = 85,
        name: str = "camera",
    ) -> None:
        self.name = name
        self.fps = fps
        self.size = size
        self.quality = quality
        self.state = STREAMING
        self._source = file_source(file, quality) if file else StillSource(render(scene, size), quality, scene)
        self._jpeg = self._source.next_jpeg()
        self._sequence = 1
        self._changed = threading.Condition()
        self._running = False
        self._clients = 0
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._httpd.daemon_threads = True
        self._control: ControlServer | None = None
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/stream.mjpg"

    # --- lifecycle -----------------------------------------------------------------

    def start(self) -> "CameraSimulator":
        self._running = True
        serve = lambda: self._httpd.serve_forever(poll_interval=0.1)  # noqa: E731  (quick to stop)
        for target, label in ((serve, "http"), (self._produce, "frames")):
            thread = threading.Thread(target=target, name=f"camera-sim-{label}", daemon=True)
            thread.start()
            self._threads.append(thread)
        verbs = {
            "scene": self.set_scene,
            "unplug": lambda _args: self._set_state(UNPLUGGED),
            "plug": lambda _args: self._set_state(STREAMING),
            "stall": lambda _args: self._set_state(STALLED),
            "list": lambda _args: {name: scene.description for name, scene in SCENES.items()},
            "status": lambda _args: self.describe(),
        }
        self._control = ControlServer(self.name, self.url, verbs).start()
        return self

    def stop(self) -> None:
        if self._control is not None:
            self._control.stop()
            self._control = None
        with self._changed:
            self._running = False
            self._changed.notify_all()
        self._httpd.shutdown()
        self._httpd.server_close()
        for thread in self._threads:
            thread.join(2.0)
        self._source.close()

    def __enter__(self) -> "CameraSimulator":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- control verbs ---------------------------------------------------------------

    def describe(self) -> dict:
        return {"state": self.state, "scene": self._source.label, "url": self.url, "clients": self._clients}

    def set_scene(self, args: dict) -> dict:
        if "file" in args:
            source = file_source(str(args["file"]), self.quality)
        elif "name" in args:
            source = StillSource(render(str(args["name"]), self.size), self.quality, str(args["name"]))
        else:
            raise ValueError("say which scene: name=<scene> (see `list`) or file=<path>")
        with self._changed:
            old, self._source = self._source, source
            self._jpeg = source.next_jpeg()
            self._sequence += 1
            self._changed.notify_all()
        old.close()
        return self.describe()

    def _set_state(self, state: str) -> dict:
        with self._changed:
            self.state = state
            self._changed.notify_all()
        return self.describe()

    # --- frames ----------------------------------------------------------------------

    def _produce(self) -> None:
        next_at = time.monotonic()
        while True:
            with self._changed:
                if not self._running:
                    return
                if self.state == STREAMING:
                    self._jpeg = self._source.next_jpeg()
                    self._sequence += 1
                    self._changed.notify_all()
                interval = 1.0 / (self._source.fps or self.fps)
            next_at = max(next_at + interval, time.monotonic())
            with self._changed:
                self._changed.wait(max(0.0, next_at - time.monotonic()))

    def _next_frame(self, seen: int) -> tuple[bytes, int] | None:
        """Wait for a frame newer than `seen`; None when this client must be dropped."""
        with self._changed:
            while True:
                if not self._running or self.state == UNPLUGGED:
                    return None
                if self.state == STREAMING and self._sequence != seen:
                    return self._jpeg, self._sequence
                self._changed.wait(0.5)

    def _handler_class(self):
        sim = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if path not in ("/stream.mjpg", "/snapshot.jpg"):
                    self.send_error(404, "try /stream.mjpg or /snapshot.jpg")
                    return
                if sim.state == UNPLUGGED:
                    self.send_error(503, "camera unplugged")
                    return
                if path == "/snapshot.jpg":
                    frame = sim._next_frame(-1)
                    if frame is None:
                        self.send_error(503, "camera unplugged")
                        return
                    self.send_response(200)
                    self.send_header("Content-Type", "image/jpeg")
                    self.send_header("Content-Length", str(len(frame[0])))
                    self.end_headers()
                    self.wfile.write(frame[0])
                    return
                self.stream()

            def stream(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", f"multipart/x-mixed-replace; boundary={BOUNDARY}")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                seen = -1
                with sim._changed:
                    sim._clients += 1
                try:
                    while (frame := sim._next_frame(seen)) is not None:
                        jpeg, seen = frame
                        head = f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(jpeg)}\r\n\r\n"
                        self.wfile.write(head.encode() + jpeg + b"\r\n")
                        self.wfile.flush()
                except OSError:  # the kiosk hung up
                    pass
                finally:
                    with sim._changed:
                        sim._clients -= 1

        return Handler
