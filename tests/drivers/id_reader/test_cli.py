"""`kiosk sim id-reader` and `kiosk devices read-id` as real processes, talking through the pty."""

import json
import subprocess
import sys

import pytest

from hwsim.control import send, sim_dir
from kiosk.cli import exitcodes
from tests.support.processes import start, stop, wait_for

KIOSK = [sys.executable, "-m", "kiosk"]


def kiosk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(KIOSK + list(args), capture_output=True, text=True, timeout=30)


@pytest.fixture
def sim_process():
    proc = start(KIOSK + ["sim", "id-reader", "--person", "hk-permit"], stdout=subprocess.PIPE, text=True)
    registration = sim_dir() / "id-reader.json"
    try:
        wait_for(registration.exists, timeout=15, what="the simulator to register")
        yield proc
    finally:
        stop(proc)


def test_simulator_prints_where_to_connect(sim_process):
    first_lines = [sim_process.stdout.readline() for _ in range(3)]
    assert f"pid {sim_process.pid}" in first_lines[0]
    assert str(sim_dir() / "id-reader.tty") in first_lines[1]
    assert "sim://id-reader" in first_lines[2]


def test_read_id_prints_the_card_as_json(sim_process):
    result = kiosk("devices", "read-id", "--port", "sim://id-reader", "--json")
    assert result.returncode == exitcodes.OK, result.stderr
    data = json.loads(result.stdout)
    assert data["doc_type"] == "hmt_residence_permit"
    assert data["name"] == "黄嘉欣" and data["sex"] == "女" and data["nation"] is None
    assert data["pass_number"] == "H60218733" and data["issue_count"] == 1
    assert data["id_number"].startswith("810000") and data["id_number_valid"] is True
    assert data["expired"] is False and data["valid_to"] is not None


def test_read_id_through_the_pty_path_and_steering_from_another_process(sim_process):
    send("id-reader", "insert", person="foreigner")
    tty = str(sim_dir() / "id-reader.tty")
    result = kiosk("devices", "read-id", "--port", f"serial://{tty}", "--json")
    data = json.loads(result.stdout)
    assert data["doc_type"] == "foreign_permanent_residence"
    assert (data["english_name"], data["chinese_name"], data["nationality"]) == ("MACDONALD, ANDREW JAMES", "安德鲁", "CAN")


def test_read_id_without_card_exits_no_media(sim_process):
    send("id-reader", "remove")
    result = kiosk("devices", "read-id", "--port", "sim://id-reader")
    assert result.returncode == exitcodes.NO_MEDIA
    assert "no card" in result.stderr


def test_read_id_with_failed_sam_exits_device_error(sim_process):
    send("id-reader", "fault", name="sam")
    result = kiosk("devices", "read-id", "--port", "sim://id-reader", "--json")
    assert result.returncode == exitcodes.DEVICE_ERROR
    assert json.loads(result.stdout)["sw3"] == "60"


def test_read_id_without_reader_exits_no_device(sim_process):
    stop(sim_process)
    result = kiosk("devices", "read-id", "--port", "sim://id-reader")
    assert result.returncode == exitcodes.NO_DEVICE
    assert "not running" in result.stderr


def test_stopping_the_simulator_cleans_up_its_registration(sim_process):
    stop(sim_process)
    assert sim_process.returncode == 0
    assert not (sim_dir() / "id-reader.json").exists()
    assert not (sim_dir() / "id-reader.tty").exists()


def test_human_output_shows_expiry_problem(tmp_path):
    proc = start(KIOSK + ["sim", "id-reader", "--person", "expired"], stdout=subprocess.DEVNULL)
    try:
        wait_for((sim_dir() / "id-reader.json").exists, timeout=15, what="the simulator to register")
        result = kiosk("devices", "read-id", "--port", "sim://id-reader")
    finally:
        stop(proc)
    assert result.returncode == exitcodes.OK
    assert "已过期" in result.stdout and "expired on 2023-06-01" in result.stdout


def test_second_simulator_refuses_to_take_over(sim_process):
    result = kiosk("sim", "id-reader")
    assert result.returncode == exitcodes.FAILED and "already running" in result.stderr
    assert send("id-reader", "status")["person"] == "hk-permit"  # the first one still answers


def test_list_people():
    result = kiosk("sim", "id-reader", "--list", "--json")
    listing = json.loads(result.stdout)
    assert {"resident", "elder", "tujia", "minor", "expired", "hk-permit", "foreigner"} <= set(listing)


def test_unknown_person_is_a_usage_error():
    result = kiosk("sim", "id-reader", "--person", "nobody")
    assert result.returncode == exitcodes.USAGE and "--list" in result.stderr


def test_status_command_reports_sam_and_card(sim_process):
    result = kiosk("devices", "id-reader-status", "--port", "sim://id-reader", "--json")
    assert result.returncode == exitcodes.OK, result.stderr
    data = json.loads(result.stdout)
    assert data["sam_ok"] and data["card_present"] is True and len(data["sam_id"]) == 32
    assert data["status"]["state"] == "online"
