"""The simulator control plane: a technician steers a running simulator from another process."""

import json
import subprocess
import sys

from hwsim.control import ControlServer, Registration, resolve, send

KIOSK = [sys.executable, "-m", "kiosk"]


def test_command_reaches_the_simulator_and_reply_comes_back():
    state = {"paper": "full"}

    def paper_out(_args):
        state["paper"] = "out"
        return state

    server = ControlServer("printer", "/dev/pts/99", {"paper_out": paper_out}).start()
    try:
        assert resolve("printer") == "/dev/pts/99"
        run = subprocess.run([*KIOSK, "sim", "ctl", "printer", "paper_out", "--json"], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout) == {"paper": "out"}
        assert state["paper"] == "out"
    finally:
        server.stop()


def test_typed_arguments_are_passed():
    seen = {}
    server = ControlServer("card", "x", {"insert": lambda a: seen.update(a) or "ok"}).start()
    try:
        assert send("card", "insert", profile="v3", slot=1) == "ok"
        run = subprocess.run([*KIOSK, "sim", "ctl", "card", "insert", "slot=0", "fast=true", "profile=v2"], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert seen == {"profile": "v2", "slot": 0, "fast": True}
    finally:
        server.stop()


def test_unknown_verb_is_a_clear_failure_and_the_simulator_survives():
    server = ControlServer("camera", "x", {"scene": lambda a: a}).start()
    try:
        run = subprocess.run([*KIOSK, "sim", "ctl", "camera", "explode"], capture_output=True, text=True)
        assert run.returncode == 1
        assert "unknown command 'explode'" in run.stderr
        assert send("camera", "scene", name="dark") == {"name": "dark"}
    finally:
        server.stop()


def test_handler_error_is_reported_not_fatal():
    def broken(_args):
        raise ValueError("no such person")

    server = ControlServer("id-reader", "x", {"insert": broken}).start()
    try:
        run = subprocess.run([*KIOSK, "sim", "ctl", "id-reader", "insert", "person=nobody"], capture_output=True, text=True)
        assert run.returncode == 1 and "no such person" in run.stderr
        assert send("id-reader", "help") == ["help", "insert"]
    finally:
        server.stop()


def test_simulator_not_running_is_no_device():
    run = subprocess.run([*KIOSK, "sim", "ctl", "printer", "paper_out"], capture_output=True, text=True)
    assert run.returncode == 4
    assert "not running" in run.stderr


def test_stop_removes_the_registration():
    server = ControlServer("centre", "http://127.0.0.1:1", {}).start()
    server.stop()
    try:
        Registration.read("centre")
    except LookupError as exc:
        assert "not running" in str(exc)
    else:
        raise AssertionError("registration survived stop()")


def test_bad_argument_is_usage_error():
    run = subprocess.run([*KIOSK, "sim", "ctl", "printer", "paper_out", "oops"], capture_output=True, text=True)
    assert run.returncode == 2 and "key=value" in run.stderr


def test_garbled_registration_is_not_running_rather_than_a_crash():
    from hwsim.control import sim_dir

    (sim_dir() / "printer.json").write_text("")  # e.g. a disk that filled up as it was written
    try:
        resolve("printer")
    except LookupError as exc:
        assert "unreadable registration" in str(exc)
    else:
        raise AssertionError("an empty registration resolved to an address")

