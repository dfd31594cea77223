"""SIGKILL between the outbox commit and the voucher: after a restart nothing is lost.

A real process runs the apply flow against the real simulators and is killed (by its PID)
right after the commit, before any voucher is printed. Then the technician's commands do
what staff would: `kiosk queue list` shows the application, `kiosk queue voucher` its
voucher, `kiosk queue reprint` prints it on the printer simulator, and `kiosk queue sync`
delivers it to the centre with every image.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from hwsim.cli.cmd_sim_all import simulator_config
from hwsim.rig import RigSettings, SimulatorRig
from kiosk.config import SIMULATOR_CONFIG, load_config
from kiosk.domain.masking import mask_id_number, mask_name
from kiosk.domain.voucher import verify_payload
from kiosk.flows.record import PAUSE_AFTER_COMMIT
from kiosk.keys import read_key_file
from tests.flows import journeys
from tests.support.processes import start, stop, wait_for

REPO = Path(__file__).resolve().parents[2]
KIOSK = str(Path(sys.executable).with_name("kiosk"))


@pytest.fixture
def rig(tmp_path):
    with SimulatorRig(RigSettings(people=journeys.people(), state_dir=tmp_path / "sim-state")) as running:
        yield running


def kiosk(config: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([KIOSK, *args, "--config", str(config)], capture_output=True, text=True, timeout=60)


def test_killed_right_after_the_commit_nothing_is_lost_and_staff_reprint_the_voucher(rig, tmp_path):
    config = simulator_config(SIMULATOR_CONFIG, rig.centre.url, tmp_path / "kiosk.toml")
    marker = tmp_path / "committed"
    child = start([sys.executable, "-m", "tests.crash.submit_journey", "--config", str(config)],
                  env={PAUSE_AFTER_COMMIT: str(marker), "PYTHONPATH": f"{REPO}{os.pathsep}{REPO / 'hardware-sim'}"}, cwd=REPO,
                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        wait_for(lambda: marker.exists() or child.poll() is not None, 60, "the commit")
        assert marker.exists(), f"the kiosk ended before the commit: {child.stderr.read().decode()[-3000:]}"
        os.killpg(child.pid, signal.SIGKILL)  # by PID: the power cut, as far as the process can tell
        child.wait(10)
    finally:
        stop(child)
    assert child.returncode == -signal.SIGKILL
    item_id = int(marker.read_text())
    assert list(rig.printer.jobs_dir.glob("job-*.json")) == []  # it died before printing

    listed = kiosk(config, "queue", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    [item] = json.loads(listed.stdout)
    assert (item["id"], item["state"], item["kind"]) == (item_id, "pending", "application")
    assert item["attachments"] == ["photo", "scene", "signature"] and item["has_voucher"]

    shown = kiosk(config, "queue", "voucher", str(item_id), "--json")
    assert shown.returncode == 0, shown.stderr
    voucher = json.loads(shown.stdout)["voucher"]
    person = journeys.people()["resident"]
    assert voucher["serial"] == item["voucher_serial"] and voucher["uploaded"] is False
    assert voucher["id_number"] == mask_id_number(person.id_number) and voucher["holder_name"] == mask_name(person.fields["name"])

    reprinted = kiosk(config, "queue", "reprint", str(item_id), "--json")
    assert reprinted.returncode == 0, reprinted.stderr
    [job] = [json.loads(p.read_text(encoding="utf-8")) for p in rig.printer.jobs_dir.glob("job-*.json")]
    key = read_key_file(load_config(config).key_file)
    assert job["complete"] and verify_payload(job["qr"][0]["content"], key)["serial"] == item["voucher_serial"]

    synced = kiosk(config, "queue", "sync", "--json")
    assert synced.returncode == 0, synced.stderr
    assert json.loads(synced.stdout)["sent"] == 1
    [arrived] = rig.centre.store.applications()
    assert arrived["voucher_serial"] == item["voucher_serial"]
    assert sorted(arrived["attachments"]) == ["photo", "scene", "signature"]
