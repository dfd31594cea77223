"""UI tests run the real kiosk on a virtual display (Xvfb), one process per scenario.

Kivy opens one window per process, so each scenario (tests/ui/scenarios.py) runs in its
own `python -m kiosk.ui.scripted` process; the tests assert on the JSON report it writes.
Screenshots are kept in artifacts/screenshots/<scenario>/ for people to look at.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.ui.display import VirtualDisplay
from tests.support.enrolment import enrol
from tests.support.processes import start, stop
from tests.ui.journey_sample import VARIABLE as JOURNEYS

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
# this checkout's kiosk and its own simulator (hwsim.kiosk_hooks), not an installed copy's
CHECKOUT_PATH = f"{REPO}{os.pathsep}{REPO / 'hardware-sim'}"
SCENARIO_TIMEOUT_S = 120


@dataclass
class ScenarioRun:
    name: str
    returncode: int
    result: dict
    stdout: str
    stderr: str
    out_dir: Path

    @property
    def report(self) -> dict:
        """What the scenario recorded; fails the test with the scenario's error if it broke."""
        if self.returncode != 0 or not self.result.get("ok"):
            pytest.fail(
                f"scenario {self.name} failed (exit {self.returncode}):\n{self.result.get('error')}\n"
                f"--- stderr (last 3000 chars) ---\n{self.stderr[-3000:]}"
            )
        return self.result["report"]


PRODUCTION_CONFIG = """\
production = true
outlet_id = "CS-01"
terminal_id = "T09"
region = "chongqing-changshou"
centre_url = "https://centre.example.invalid/api"
key_file = "terminal.key"
data_dir = "data"
language = "zh"

[devices]
id_reader = "serial:///dev/ttyUSB0?baud=115200"
printer = "serial:///dev/ttyS1?baud=9600"
camera = "v4l2://0"
card_reader = "pcsc://"
"""


@pytest.fixture(scope="session")
def production_config(tmp_path_factory):
    folder = tmp_path_factory.mktemp("production")
    (folder / "terminal.key").write_text("# test terminal key\n" + "ab" * 32 + "\n")
    (folder / "terminal.key").chmod(0o600)  # a production key file others can read is refused
    enrol(folder / "tls", "T09")
    (folder / "terminal.toml").write_text(PRODUCTION_CONFIG)
    return folder / "terminal.toml"


@pytest.fixture(scope="session")
def portrait_display():
    with VirtualDisplay(1080, 1920) as display:
        yield display


@pytest.fixture(scope="session")
def landscape_display():
    with VirtualDisplay(1920, 1080) as display:
        yield display


def run_scenario(
    name: str,
    display: VirtualDisplay,
    work: Path,
    *,
    shots: str | None = None,
    config: Path | None = None,
    idle_timeout_s: float | None = None,
    idle_warning_s: float | None = None,
    module: str = "tests.ui.scenarios",
    extra_env: dict[str, str] | None = None,
    watch_devices: bool = False,
) -> ScenarioRun:
    """`watch_devices`: services close for device and centre faults, as on a terminal. Off
    unless asked, since most scenarios run with no device at all or stop the centre on
    purpose, and test the screens, not which services a fault closes (tests/ui/test_degraded.py)."""
    out = work / "out"
    data, sim = work / "data", work / "sim"
    data.mkdir(parents=True, exist_ok=True)
    sim.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "kiosk.ui.scripted", "--script", f"{module}:{name}", "--out", str(out)]
    if config:
        cmd += ["--config", str(config)]
    if idle_timeout_s:
        cmd += ["--idle-timeout", str(idle_timeout_s)]
    if idle_warning_s:
        cmd += ["--idle-warning", str(idle_warning_s)]
    if not watch_devices:
        cmd += ["--no-device-watch"]
    env = {
        "DISPLAY": display.name,
        "KIOSK_DATA_DIR": str(data),
        "KIOSK_SIM_DIR": str(sim),
        "PYTHONPATH": CHECKOUT_PATH,
        "KIOSK_CONFIG": "",
        # which residents a many-journey scenario walks (tests/ui/journey_sample.py)
        **({JOURNEYS: os.environ[JOURNEYS]} if JOURNEYS in os.environ else {}),
        **(extra_env or {}),
    }
    proc = start(cmd, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = proc.communicate(timeout=SCENARIO_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        stop(proc)
        stdout, stderr = proc.communicate()
    finally:
        stop(proc)
    report_path = out / "report.json"
    result = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else {"ok": False, "error": "no report"}
    keep = SCREENSHOTS / (shots or name)
    if keep.exists():
        shutil.rmtree(keep)
    for png in out.glob("*.png"):
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copy2(png, keep / png.name)
    return ScenarioRun(name, proc.returncode, result, stdout, stderr, out)


def pytest_terminal_summary(terminalreporter) -> None:
    """The screen checks' per-screen tables (tests/ui/test_screen_checks.py), when they ran."""
    rules = sys.modules.get("tests.ui.screen_rules")
    for text in getattr(rules, "TABLES", ()):
        terminalreporter.write_sep("-", "screen checks (artifacts/screen-checks/)")
        terminalreporter.write_line(text)
