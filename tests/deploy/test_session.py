"""kiosk-session and kiosk-config-problem, the image's programs inside cage: which screen a
terminal shows, the state kiosk-slot-health reads, and one process from cage's child to the
screen (`kiosk run` checks the configuration itself and hands over with exec).

They run here as on a terminal, with a stand-in venv (this Python) and a stand-in
out-of-service screen that records what it was asked to show and its process id.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from kiosk.cli import exitcodes
from tests.deploy.test_scripts import IMAGE, provision_on_this_machine
from tests.support.enrolment import enrol

REPO = IMAGE.parent.parent
SCREEN = """import json, os, sys
with open(os.environ["SCREEN_RECORD"], "w") as f:
    json.dump({"argv": sys.argv[1:], "pid": os.getpid()}, f)
"""


def terminal(tmp_path: Path) -> dict:
    """A venv whose `kiosk` and `python` are this checkout's, the image's lib folder with the
    screen stood in for, a runtime folder; the environment kiosk.service gives."""
    venv, lib, run = tmp_path / "venv/bin", tmp_path / "lib", tmp_path / "run"
    for d in (venv, lib, run):
        d.mkdir(parents=True)
    (venv / "python").symlink_to(sys.executable)
    (venv / "kiosk").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m kiosk "$@"\n')
    (venv / "kiosk").chmod(0o755)
    shutil.copy(IMAGE / "bin/kiosk-config-problem", lib / "kiosk-config-problem")
    (lib / "out_of_service.py").write_text(SCREEN)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    pythonpath = os.pathsep.join([str(REPO), str(REPO / "hardware-sim")])
    return {**env, "KIOSK_VENV": str(venv.parent), "KIOSK_LIB": str(lib), "RUNTIME_DIRECTORY": str(run),
            "SCREEN_RECORD": str(tmp_path / "screen.json"), "PYTHONPATH": pythonpath}


def session(env: dict, config: Path) -> tuple[subprocess.CompletedProcess, int, str, dict | None]:
    proc = subprocess.Popen(["bash", str(IMAGE / "bin/kiosk-session")], env={**env, "KIOSK_CONFIG": str(config)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=120)
    state = (Path(env["RUNTIME_DIRECTORY"]) / "state").read_text().strip()
    record = Path(env["SCREEN_RECORD"])
    shown = json.loads(record.read_text()) if record.exists() else None
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), proc.pid, state, shown


def provisioned(tmp_path: Path):
    provision = provision_on_this_machine(tmp_path)
    provision.KEPT.write_text('outlet_id = "CS-01"\nterminal_id = "T42"\ncentre_url = "https://centre.example.invalid/api"\n')
    assert provision.provision(None) == 0
    return provision


def test_no_configuration_shows_unprovisioned(tmp_path):
    done, pid, state, shown = session(terminal(tmp_path), tmp_path / "none.toml")
    assert state == "unprovisioned"
    assert shown["argv"][0] == "unprovisioned" and "provisioning drive" in shown["argv"][1]
    assert shown["pid"] == pid


def test_a_configured_terminal_not_yet_enrolled_shows_unenrolled_in_the_same_process(tmp_path):
    provision = provisioned(tmp_path)
    done, pid, state, shown = session(terminal(tmp_path), provision.CONFIG)
    assert state == "unenrolled", done.stderr
    assert shown["argv"][0] == "unenrolled" and "enrolment/<terminal id>/client.csr" in shown["argv"][1]
    assert "config error:" in done.stderr and "tls_dir:" in done.stderr  # `kiosk run` said what it found before handing over
    # bash → kiosk run → kiosk-config-problem → the screen, each by exec: one process, cage's child
    assert shown["pid"] == pid


def test_a_configuration_with_mistakes_shows_config_invalid_with_the_problems(tmp_path):
    provision = provisioned(tmp_path)
    provision.CONFIG.write_text(provision.CONFIG.read_text().replace('outlet_id = "CS-01"', 'outlet_id = "NOWHERE"'))
    done, pid, state, shown = session(terminal(tmp_path), provision.CONFIG)
    assert state == "config-invalid", done.stderr
    assert shown["argv"][0] == "config-invalid" and "outlet_id" in shown["argv"][1]
    assert shown["pid"] == pid


def test_an_enrolled_terminal_runs_the_kiosk_and_no_screen_of_ours(tmp_path):
    provision = provisioned(tmp_path)
    enrol(provision.CONFIG_DIR / "tls", "T42")
    done, pid, state, shown = session(terminal(tmp_path), provision.CONFIG)
    assert state == "running"
    assert shown is None
    # The kiosk itself was started: with no display here it says so (on a terminal, cage gives one).
    assert done.returncode == exitcodes.NO_DEVICE and "no display" in done.stderr, done.stderr


def test_run_hands_over_only_when_the_configuration_has_problems(tmp_path):
    """`kiosk run --on-config-problem` outside the image: a program that cannot be started is
    said, and the exit is the configuration's failure."""
    bad = tmp_path / "bad.toml"
    bad.write_text('production = true\nterminal_id = ""\n')
    env = {**terminal(tmp_path), "KIOSK_CONFIG": str(bad)}
    done = subprocess.run([sys.executable, "-m", "kiosk", "run", "--on-config-problem", str(tmp_path / "missing")],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == exitcodes.FAILED
    assert "config error:" in done.stderr and f"cannot start {tmp_path / 'missing'}" in done.stderr
