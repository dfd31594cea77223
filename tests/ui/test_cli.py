"""`kiosk run` and `kiosk demo`, as a technician types them."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.cli import exitcodes
from tests.support.processes import start, stop, wait_for
from tests.ui.conftest import CHECKOUT_PATH, REPO

pytestmark = pytest.mark.ui
KIOSK = [sys.executable, "-m", "kiosk"]


def without_display() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    return {**env, "PYTHONPATH": CHECKOUT_PATH}


def test_run_without_a_display_says_so_and_suggests_the_demo():
    done = subprocess.run([*KIOSK, "run"], env=without_display(), cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == exitcodes.NO_DEVICE
    assert "no display" in done.stderr and "kiosk demo" in done.stderr


def test_run_refuses_a_plain_window_on_a_production_terminal(production_config):
    env = {**without_display(), "DISPLAY": ":0"}  # refused before any window opens
    done = subprocess.run(
        [*KIOSK, "run", "--config", str(production_config), "--window", "800x600"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == exitcodes.USAGE
    assert "full screen" in done.stderr


def test_run_opens_the_kiosk_keeps_it_open_and_stops_cleanly_on_sigterm(portrait_display, tmp_path):
    log = tmp_path / "kiosk.log"
    env = {"DISPLAY": portrait_display.name, "KIOSK_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": CHECKOUT_PATH}
    with open(log, "w") as err:
        proc = start([*KIOSK, "run"], env=env, cwd=REPO, stderr=err, stdout=subprocess.DEVNULL)
        try:
            wait_for(lambda: "Start application main loop" in log.read_text(), timeout=60, what="the kiosk window")
            time.sleep(1.0)
            assert proc.poll() is None, log.read_text()[-2000:]
            os.killpg(proc.pid, signal.SIGTERM)  # what systemd sends: the kiosk must not refuse it
            assert proc.wait(10) == exitcodes.OK
        finally:
            stop(proc)
    assert "SIGTERM: stopping the kiosk" in log.read_text()
    assert "Traceback" not in log.read_text()
    # Kivy's home is in the data dir, and Kivy writes no settings there (issue 12: a config it
    # never writes is one a keypress cannot change)
    assert not list(tmp_path.rglob("config.ini"))


def test_run_on_a_display_that_cannot_be_opened_says_so(tmp_path):
    number = next(n for n in range(4711, 4800) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    env = {**without_display(), "DISPLAY": f":{number}", "KIOSK_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([*KIOSK, "run"], env=env, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == exitcodes.NO_DEVICE
    assert f"cannot open the display (DISPLAY=:{number})" in done.stderr


def test_demo_walks_through_the_kiosk_and_prints_its_folder(tmp_path):
    out = tmp_path / "demo"
    done = subprocess.run(
        [*KIOSK, "demo", "--out", str(out)], env=without_display(), cwd=REPO, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == exitcodes.OK, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == str(out.resolve())
    shots = sorted(p.name for p in out.glob("*.png"))
    assert shots[:3] == ["01-attract.png", "02-home-zh.png", "03-home-en.png"]
    assert any(name.endswith("idle-countdown.png") for name in shots)
    assert any(name.endswith("attract-after-timeout.png") for name in shots)
    assert re.search(r"\[\d+/\d+\] switch to English", done.stdout)  # progress as it goes
    # Its Xvfb was stopped: the display's lock file is gone.
    number = re.search(r"screen :(\d+) \(Xvfb pid (\d+)\)", done.stderr).group(1)
    assert not Path(f"/tmp/.X{number}-lock").exists()
