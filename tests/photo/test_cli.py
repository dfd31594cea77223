"""`kiosk sim camera` and `kiosk devices camera-check`, each as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import pytest

from kiosk.cli import exitcodes
from tests.support.processes import start, stop, wait_for

KIOSK = [sys.executable, "-m", "kiosk"]


@pytest.fixture(scope="module")
def sim_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("camera-sim")


@pytest.fixture(scope="module")
def camera_simulator(sim_dir):
    """One `kiosk sim camera` for the module, in its own simulator directory."""
    env = {"KIOSK_SIM_DIR": str(sim_dir)}
    proc = start([*KIOSK, "sim", "camera", "--scene", "white"], env=env, stdout=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: (sim_dir / "camera.json").exists() or proc.poll() is not None, timeout=30,
                 what="the camera simulator to register")
        assert proc.poll() is None, "kiosk sim camera exited"
        yield proc
    finally:
        stop(proc)


def kiosk(*args: str, sim_dir: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "KIOSK_SIM_DIR": str(sim_dir)}
    return subprocess.run([*KIOSK, *args], env=env, capture_output=True, text=True, timeout=timeout)


def set_scene(name: str, sim_dir: Path) -> None:
    done = kiosk("sim", "ctl", "camera", "scene", f"name={name}", sim_dir=sim_dir)
    assert done.returncode == 0, done.stderr


def test_sim_camera_prints_its_url(camera_simulator, sim_dir):
    registration = json.loads((sim_dir / "camera.json").read_text())
    first_line = camera_simulator.stdout.readline()
    assert registration["address"] in first_line and registration["pid"] == camera_simulator.pid


def test_camera_check_passes_and_writes_the_photo_and_the_scene(camera_simulator, sim_dir, tmp_path):
    set_scene("white", sim_dir)
    done = kiosk("devices", "camera-check", "--out", str(tmp_path), "--json", sim_dir=sim_dir)
    assert done.returncode == exitcodes.OK, done.stderr
    data = json.loads(done.stdout)
    assert data["passed"] is True
    assert data["guidance_zh"] == "很好，请保持不动" and data["guidance_en"]
    assert all(check["passed"] is True and "value" in check and "threshold" in check for check in data["checks"].values())
    assert cv2.imread(data["photo_path"]).shape == (441, 358, 3)
    assert cv2.imread(data["scene_path"]).shape == (360, 480, 3)


def test_camera_check_that_fails_exits_1_and_writes_no_photo(camera_simulator, sim_dir, tmp_path):
    set_scene("grey-background", sim_dir)
    out = tmp_path / "out"
    done = kiosk("devices", "camera-check", "--out", str(out), "--seconds", "1", "--json", sim_dir=sim_dir)
    assert done.returncode == exitcodes.FAILED, done.stderr
    data = json.loads(done.stdout)
    assert data["passed"] is False and data["photo_path"] is None
    assert data["checks"]["background_whiteness"]["passed"] is False
    assert data["guidance_en"].startswith("The background is not white")
    assert [p.name for p in out.iterdir()] == [Path(data["scene_path"]).name]


def test_camera_check_human_output_says_why_no_photo(camera_simulator, sim_dir, tmp_path):
    set_scene("two-faces", sim_dir)
    done = kiosk("devices", "camera-check", "--out", str(tmp_path), "--seconds", "1", sim_dir=sim_dir)
    assert done.returncode == exitcodes.FAILED
    assert "请只留一人在镜头前" in done.stdout and "FAIL face_count" in done.stdout
    assert "not written: the checks did not pass" in done.stdout


def test_camera_check_without_a_camera_exits_no_device(tmp_path):
    out = tmp_path / "out"
    done = kiosk("devices", "camera-check", "--out", str(out), "--seconds", "0.5", "--json", sim_dir=tmp_path)
    assert done.returncode == exitcodes.NO_DEVICE, done.stderr
    assert json.loads(done.stdout)["camera"]["state"] == "no_device"
    assert not any(out.iterdir())


def test_camera_check_with_a_url_no_camera_has_is_a_usage_error(tmp_path):
    done = kiosk("devices", "camera-check", "--source", "usb://0", "--out", str(tmp_path), sim_dir=tmp_path)
    assert done.returncode == exitcodes.USAGE
    assert "camera URL starts with" in done.stderr


def test_sim_camera_with_an_unknown_scene_is_a_usage_error(tmp_path):
    done = kiosk("sim", "camera", "--scene", "sunset", sim_dir=tmp_path)
    assert done.returncode == exitcodes.USAGE
    assert "two-faces" in done.stderr  # names the scenes there are
