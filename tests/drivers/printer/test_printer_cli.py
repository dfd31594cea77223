"""`kiosk sim printer`, `kiosk devices print-test` and `printer-status`, run as a technician
runs them: the real executable, the simulator in its own process."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hwsim.control import send, sim_dir
from kiosk.cli import exitcodes
from tests.support.processes import start, stop, wait_for
from tests.support.qr import scan_qr

KIOSK = Path(sys.executable).with_name("kiosk")


def kiosk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(KIOSK), *args], capture_output=True, text=True, timeout=60)


@pytest.fixture
def sim_process(tmp_path):
    jobs = tmp_path / "jobs"
    proc = start([str(KIOSK), "sim", "printer", "--json", "--out", str(jobs)], stdout=subprocess.PIPE, text=True)
    try:
        info = json.loads(proc.stdout.readline())
        wait_for(lambda: Path(info["port"]).exists(), what="the printer simulator's pty")
        yield proc, info, jobs
    finally:
        stop(proc)


def test_print_test_prints_a_voucher_that_voucher_verify_accepts(sim_process):
    _, _, jobs = sim_process
    run = kiosk("devices", "print-test", "--json")
    assert run.returncode == exitcodes.OK, run.stderr
    printed = json.loads(run.stdout)
    assert printed["serial"].startswith("TEST-")
    verify = kiosk("voucher", "verify", printed["payload"])
    assert verify.returncode == exitcodes.OK, verify.stderr
    wait_for(lambda: (jobs / "job-0001.json").exists(), what="the printed job")
    assert scan_qr(jobs / "job-0001.png") == printed["payload"]


def test_print_test_with_paper_out_exits_no_media_without_printing_or_using_a_serial(sim_process):
    _, _, jobs = sim_process
    send("printer", "paper_out")
    run = kiosk("devices", "print-test", "--json")
    assert run.returncode == exitcodes.NO_MEDIA
    assert json.loads(run.stdout)["paper"] == "out"
    assert not list(jobs.glob("job-*"))
    send("printer", "load_paper", meters=10)
    again = kiosk("devices", "print-test", "--json")
    assert again.returncode == exitcodes.OK, again.stderr
    assert json.loads(again.stdout)["serial"].endswith("-0001")  # the refused attempt used none


def test_print_test_with_cover_open_exits_no_media(sim_process):
    send("printer", "cover", state="open")
    run = kiosk("devices", "print-test")
    assert run.returncode == exitcodes.NO_MEDIA
    assert "cover is open" in run.stderr


def test_printer_status_warns_about_paper_near_end_but_succeeds(sim_process):
    send("printer", "paper_low")
    run = kiosk("devices", "printer-status")
    assert run.returncode == exitcodes.OK
    assert "paper low" in run.stdout
    assert "near end" in run.stderr


def test_printer_status_of_a_silent_printer_exits_no_device(sim_process):
    send("printer", "power", state="off")
    run = kiosk("devices", "printer-status", "--json")
    assert run.returncode == exitcodes.NO_DEVICE
    assert json.loads(run.stdout)["code"] == "no_device"


def test_printer_status_with_no_simulator_running_exits_no_device():
    run = kiosk("devices", "printer-status")
    assert run.returncode == exitcodes.NO_DEVICE
    assert "not running" in run.stderr


def test_sim_printer_stops_cleanly_on_sigterm(sim_process):
    proc, info, _ = sim_process
    stop(proc)
    assert proc.returncode == exitcodes.OK
    assert not Path(info["port"]).exists()
    assert not (sim_dir() / "printer.json").exists()


def test_printer_refilled_while_still_out_exits_no_media_then_prints_once_loaded(sim_process, tmp_path):
    import os

    _, _, jobs = sim_process
    env = {**os.environ, "KIOSK_DATA_DIR": str(tmp_path / "data")}
    refill = lambda: subprocess.run([str(KIOSK), "devices", "printer-refilled", "--json"],  # noqa: E731
                                    capture_output=True, text=True, timeout=60, env=env)  # fmt: skip
    send("printer", "paper_out")
    still_out = refill()
    assert still_out.returncode == exitcodes.NO_MEDIA
    assert not list(jobs.glob("job-*"))
    send("printer", "load_paper", meters=10)
    done = refill()
    assert done.returncode == exitcodes.OK, done.stderr
    assert json.loads(done.stdout)["serial"].startswith("TEST-")
    trail = [json.loads(line) for line in (tmp_path / "data" / "audit.jsonl").read_text().splitlines()]
    actions = [line["fields"]["action"] for line in trail if line["event"] == "staff-action"]
    assert actions == ["paper-refilled", "paper-refilled", "test-voucher"]
