"""`kiosk sim card ...` and `kiosk devices read-card` as a technician runs them, in subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hwsim.control import Registration
from kiosk.cli import exitcodes
from tests.support.processes import wait_for

pytestmark = pytest.mark.pcsc  # pcscd with the vpcd virtual reader

KIOSK = [sys.executable, "-m", "kiosk"]


def kiosk(*args: str, check: bool = False) -> subprocess.CompletedProcess:
    done = subprocess.run([*KIOSK, *args], capture_output=True, text=True, timeout=60, env=os.environ.copy())
    if check:
        assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def card_sim_process(pcscd):
    """The card simulator as `kiosk sim card insert` leaves it: in the background. Stopped by
    `kiosk sim card stop`, and by its PID if that failed."""
    yield
    try:
        pid = Registration.read("card").pid
    except LookupError:
        return
    kiosk("sim", "card", "stop")
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        pass
    else:
        os.kill(pid, 15)
    time.sleep(0.6)  # pcscd sees the slots empty before the next test puts a card in


def test_insert_starts_the_simulator_and_read_card_prints_json(card_sim_process):
    inserted = kiosk("sim", "card", "insert", "--profile", "gen2", check=True)
    assert "slot 0" in inserted.stdout and "gen2" in inserted.stdout
    assert "starting the card simulator in the background" in inserted.stderr
    done = kiosk("devices", "read-card", "--json", "--unmask", check=True)
    data = json.loads(done.stdout)
    assert data["name"] == "李娜"
    assert data["social_security_number"] == "110105198507210429"
    assert data["generation"] == 2 and data["spec_version"] == "2.00"
    assert data["card_id_code"] == "110105D1560000052B00C0FFEE000042"
    assert data["region_code"] == "110105" and data["nation"] == "汉" and data["sex"] == "女"
    assert data["issue_date"] == "2016-09-01" and data["expiry_date"] == "2026-09-01"


def test_read_card_masks_personal_data_by_default(card_sim_process):
    kiosk("sim", "card", "insert", "--profile", "gen3", check=True)
    done = kiosk("devices", "read-card", check=True)
    assert "王*" in done.stdout and "500115********1283" in done.stdout
    assert "王芳" not in done.stdout and "500115199002151283" not in done.stdout


def test_read_card_exit_codes_say_what_is_wrong(card_sim_process):
    kiosk("sim", "card", "insert", "--profile", "bank-card", check=True)
    not_ours = kiosk("devices", "read-card")
    assert not_ours.returncode == exitcodes.DEVICE_ERROR
    assert "not a social security card" in not_ours.stderr
    missing = kiosk("devices", "read-card", "--reader", "No Such Reader")
    assert missing.returncode == exitcodes.NO_DEVICE
    kiosk("sim", "card", "remove", check=True)
    time.sleep(0.6)
    empty = kiosk("devices", "read-card", "--json")
    assert empty.returncode == exitcodes.NO_MEDIA
    assert json.loads(empty.stdout)["code"] == "no_media"


def test_sim_card_status_trace_and_stop(card_sim_process):
    kiosk("sim", "card", "insert", "--profile", "gen1", "--slot", "1", check=True)
    kiosk("devices", "read-card", check=True)
    reader = json.loads(kiosk("devices", "card-reader-status", "--json", check=True).stdout)
    assert reader["state"] == "online" and reader["media"] == "present"
    assert reader["detail"] == "card in Virtual PCD 00 01"
    status = json.loads(kiosk("sim", "card", "status", "--json", check=True).stdout)
    assert status["slots"][1]["card"]["profile"] == "gen1"
    assert status["slots"][0]["card"] is None
    assert status["pcscd"]["running"] is True
    trace = kiosk("sim", "card", "trace", "--slot", "1", check=True).stdout
    assert "00A404000F7378312E73682EC9E7BBE1B1A3D5CF -> 6118" in trace
    pid = Registration.read("card").pid
    kiosk("sim", "card", "stop", check=True)
    wait_for(lambda: not Path(f"/proc/{pid}").exists(), timeout=10, what="the card simulator to exit")


def test_profiles_are_listed_without_personal_data():
    done = kiosk("sim", "card", "profiles", "--json", check=True)
    rows = {row["profile"]: row for row in json.loads(done.stdout)}
    assert {"gen1", "gen2", "gen3", "long-name", "expired", "reported-lost", "not-activated", "pin-blocked"} <= set(rows)
    assert rows["reported-lost"]["centre_status"] == "reported_lost"
    assert rows["gen3"]["social_security_number"] == "500115********1283"


def test_unknown_profile_is_refused_with_the_known_ones(card_sim_process):
    done = kiosk("sim", "card", "insert", "--profile", "gen9")
    assert done.returncode == exitcodes.FAILED
    assert "no card profile 'gen9'" in done.stderr and "gen3" in done.stderr
