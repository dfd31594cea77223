"""`kiosk sim all` and `kiosk queue reprint`, as a technician runs them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from hwsim.cli.cmd_sim_all import Simulators, simulator_config
from hwsim.control import Registration
from kiosk.cli import exitcodes
from kiosk.config import SIMULATOR_CONFIG, load_config
from tests.flows import journeys
from tests.flows.conftest import printed_jobs, run_flow
from tests.support.processes import start, stop, wait_for

KIOSK = str(Path(sys.executable).with_name("kiosk"))
SIMULATORS = ("id-reader", "printer", "camera", "centre")


def kiosk(*args: str, config: Path | None = None) -> subprocess.CompletedProcess:
    extra = ["--config", str(config)] if config else []
    return subprocess.run([KIOSK, *args, *extra], capture_output=True, text=True, timeout=60)


def test_sim_all_runs_every_simulator_in_one_process_and_stops_them_together(tmp_path):
    sims = Simulators.start(SIMULATOR_CONFIG, {}, "--centre-port", "0", "--no-card", "--person", "elder")
    try:
        pids = {name: Registration.read(name).pid for name in SIMULATORS}
        assert set(pids.values()) == {sims.proc.pid}
        assert sims.info["card"] is None and sims.centre_url.startswith("https://127.0.0.1:")
        read = kiosk("devices", "read-id", "--json")
        assert read.returncode == 0, read.stderr
        assert json.loads(read.stdout)["id_number"] == journeys.people()["elder"].id_number
        again = kiosk("sim", "all", "--centre-port", "0", "--no-card")
        assert again.returncode == exitcodes.FAILED and "already running" in again.stderr
    finally:
        sims.stop()
    assert sims.proc.returncode == 0
    listed = json.loads(kiosk("sim", "list", "--json").stdout)
    assert [row for row in listed if row.get("running")] == []


def test_sim_all_with_an_unknown_person_says_so(tmp_path):
    done = kiosk("sim", "all", "--centre-port", "0", "--no-card", "--person", "nobody")
    assert done.returncode == exitcodes.USAGE and "nobody" in done.stderr


def test_reprint_prints_the_stored_voucher_and_reports_a_printer_without_paper(rig, services, tmp_path):
    run_flow(services, journeys.for_myself("resident") + journeys.FINISH)
    [item] = services.outbox.items()
    config = simulator_config(SIMULATOR_CONFIG, rig.centre.url, tmp_path / "kiosk.toml")

    rig.printer.verbs()["paper_out"]({})
    no_paper = kiosk("queue", "reprint", str(item.id), "--json", config=config)
    assert no_paper.returncode == exitcodes.NO_MEDIA and "no_media" in no_paper.stderr

    rig.printer.verbs()["load_paper"]({})
    done = kiosk("queue", "reprint", str(item.id), "--json", config=config)
    assert done.returncode == exitcodes.OK, done.stderr
    assert json.loads(done.stdout) == {"item": item.id, "voucher_serial": item.voucher_serial, "printed": True, "code": "success", "reason": ""}
    first, again = printed_jobs(rig, 2)
    assert again["complete"] and again["qr"][0]["content"].split("/")[1] == item.voucher_serial
    assert "尚未上传" not in "\n".join(again["lines"])  # it was delivered meanwhile: the reprint says so


def test_reprint_of_an_unknown_item_fails_clearly(rig, tmp_path):
    config = simulator_config(SIMULATOR_CONFIG, rig.centre.url, tmp_path / "kiosk.toml")
    done = kiosk("queue", "reprint", "999", config=config)
    assert done.returncode == exitcodes.FAILED and "no outbox item 999" in done.stderr


def test_the_config_copy_points_at_the_given_centre_and_works_from_another_folder(tmp_path):
    copy = simulator_config(SIMULATOR_CONFIG, "http://127.0.0.1:1", tmp_path / "elsewhere.toml")
    checked = subprocess.run([KIOSK, "config", "check", "--json", "--config", str(copy)], capture_output=True, text=True,
                             cwd=tmp_path, timeout=60)  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    data = json.loads(checked.stdout)
    assert data["ok"] and data["centre_url"] == "http://127.0.0.1:1"
    assert load_config(copy).key_file == load_config(SIMULATOR_CONFIG).key_file


def test_simulators_started_for_a_run_end_when_the_run_is_killed(tmp_path):
    parent = start([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from hwsim.cli.cmd_sim_all import Simulators; "
        "from kiosk.config import SIMULATOR_CONFIG; "
        "sims = Simulators.start(SIMULATOR_CONFIG, {}, '--centre-port', '0', '--no-card'); "
        "print(sims.proc.pid, flush=True); time.sleep(600)")], stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        sims_pid = int(parent.stdout.readline())
        assert Registration.read("centre").pid == sims_pid
        os.killpg(parent.pid, signal.SIGKILL)  # the run dies without a word: no finally, no cleanup
        parent.wait(10)
        wait_for(lambda: not _alive(sims_pid), 15, "the simulators to end with their parent")
    finally:
        stop(parent)
    for name in SIMULATORS:
        with pytest.raises(LookupError):
            Registration.read(name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
