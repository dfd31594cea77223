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
import time
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


def test_run_says_so_when_the_program_for_a_config_problem_cannot_start(tmp_path):
    """`kiosk run --on-config-problem` outside the image: a program that cannot be started is
    said, and the exit is the configuration's failure."""
    bad = tmp_path / "bad.toml"
    bad.write_text('production = true\nterminal_id = ""\n')
    env = {**terminal(tmp_path), "KIOSK_CONFIG": str(bad)}
    done = subprocess.run([sys.executable, "-m", "kiosk", "run", "--on-config-problem", str(tmp_path / "missing")],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == exitcodes.FAILED
    assert "config error:" in done.stderr and f"cannot start {tmp_path / 'missing'}" in done.stderr


def test_the_session_names_its_app_for_kiosk_stop(tmp_path):
    done, pid, state, shown = session(terminal(tmp_path), tmp_path / "none.toml")
    assert (tmp_path / "run/app.pid").read_text().strip() == str(pid) == str(shown["pid"])


def test_kiosk_stop_asks_the_app_first_and_waits_for_cage_to_follow(tmp_path):
    """systemd's SIGTERM to cage and its client at once aborted cage (cage-kiosk/cage#339)."""
    run = tmp_path / "run"
    run.mkdir()
    # cage stands in: the app's parent, it ends once its client has gone, as cage does
    cage = subprocess.Popen(["bash", "-c", f"sleep 300 & echo $! > {run / 'app.pid'}; wait $!; echo $? > {tmp_path / 'app.status'}"])
    try:
        wait_for_file = time.monotonic() + 10
        while not (run / "app.pid").exists() and time.monotonic() < wait_for_file:
            time.sleep(0.05)
        stop = subprocess.Popen([str(IMAGE / "bin/kiosk-stop")], env={**os.environ, "RUNTIME_DIRECTORY": str(run),
                                "MAINPID": str(cage.pid)}, stderr=subprocess.PIPE, text=True)
        assert cage.wait(5) == 0  # reaped here, as systemd reaps its main process
        _, err = stop.communicate(timeout=30)
        assert (tmp_path / "app.status").read_text().strip() == str(128 + 15)  # SIGTERM, the app's to handle
        assert stop.returncode == 0 and err == ""  # it saw cage go, not the 10 s limit
    finally:
        if cage.poll() is None:
            cage.kill()
            cage.wait()


def test_kiosk_stop_with_no_app_recorded_does_nothing(tmp_path):
    done = subprocess.run([str(IMAGE / "bin/kiosk-stop")], env={**os.environ, "RUNTIME_DIRECTORY": str(tmp_path)},
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0


def test_journal_tidy_removes_only_old_directories_of_other_machine_ids(tmp_path):
    journal = tmp_path / "journal"
    ours, old, recent = "a" * 32, "b" * 32, "c" * 32
    for name in (ours, old, recent, "not-a-machine-id"):
        (journal / name).mkdir(parents=True)
        (journal / name / "system.journal").write_bytes(b"x")
    month_ago = time.time() - 30 * 86400
    for name in (ours, old, "not-a-machine-id"):
        os.utime(journal / name, (month_ago, month_ago))
    (tmp_path / "machine-id").write_text(ours + "\n")
    done = subprocess.run([str(IMAGE / "bin/kiosk-journal-tidy"), str(journal), str(tmp_path / "machine-id")],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0
    assert sorted(p.name for p in journal.iterdir()) == sorted([ours, recent, "not-a-machine-id"])
    assert f"removed {old}" in done.stdout


def test_journal_tidy_without_a_machine_id_removes_nothing(tmp_path):
    journal = tmp_path / "journal"
    (journal / ("b" * 32)).mkdir(parents=True)
    os.utime(journal / ("b" * 32), (0, 0))
    done = subprocess.run([str(IMAGE / "bin/kiosk-journal-tidy"), str(journal), str(tmp_path / "none")],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and (journal / ("b" * 32)).is_dir()
