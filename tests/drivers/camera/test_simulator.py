"""The camera simulator's own behaviour: registration, verbs, HTTP endpoints, file scenes."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import cv2
import numpy as np
import pytest

from hwsim.camera.scenes import SCENES
from hwsim.control import resolve, send, sim_dir


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=3) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def test_registers_its_stream_url_as_sim_camera(simulator):
    assert resolve("camera") == simulator.url
    assert simulator.url.startswith("http://127.0.0.1:") and simulator.url.endswith("/stream.mjpg")
    registration = json.loads((sim_dir() / "camera.json").read_text())
    assert registration["address"] == simulator.url


def test_lists_every_generated_scene(simulator):
    assert send("camera", "list") == {name: scene.description for name, scene in SCENES.items()}


def test_unknown_scene_is_an_error_reply_and_the_stream_goes_on(simulator):
    with pytest.raises(RuntimeError, match="unknown scene 'sunset'"):
        send("camera", "scene", name="sunset")
    assert send("camera", "status")["scene"] == "white"


def test_snapshot_is_one_jpeg_and_unplugged_answers_503(simulator):
    base = simulator.url.rsplit("/", 1)[0]
    status, body = get(base + "/snapshot.jpg")
    assert status == 200 and cv2.imdecode(np.frombuffer(body, np.uint8), cv2.IMREAD_COLOR).shape == (480, 640, 3)
    assert get(base + "/elsewhere")[0] == 404
    send("camera", "unplug")
    assert get(base + "/snapshot.jpg")[0] == 503
    assert get(simulator.url)[0] == 503


def test_serves_an_image_file_as_the_scene(simulator, tmp_path):
    path = tmp_path / "board.png"
    cv2.imwrite(str(path), np.full((100, 200, 3), (0, 0, 255), np.uint8))
    assert send("camera", "scene", file=str(path))["scene"] == f"file:{path}"
    status, body = get(simulator.url.rsplit("/", 1)[0] + "/snapshot.jpg")
    image = cv2.imdecode(np.frombuffer(body, np.uint8), cv2.IMREAD_COLOR)
    assert image.shape == (100, 200, 3) and image[..., 2].mean() > 200


def test_missing_scene_file_is_an_error_reply(simulator, tmp_path):
    with pytest.raises(RuntimeError, match="no such file"):
        send("camera", "scene", file=str(tmp_path / "gone.mp4"))


def test_stop_removes_the_registration():
    from hwsim.camera.server import CameraSimulator

    sim = CameraSimulator("no-face").start()
    sim.stop()
    assert not (sim_dir() / "camera.json").exists()
    with pytest.raises(LookupError):
        resolve("camera")
