"""The out-of-service switch: kept across restarts, written atomically, damaged files said plainly."""

from __future__ import annotations

import json
import os
import signal

import pytest

from kiosk.availability.out_of_service import FILE_NAME, OutOfServiceReason, OutOfServiceSwitch


def test_switch_survives_a_restart(tmp_path):
    OutOfServiceSwitch(tmp_path).take_out(OutOfServiceReason.UPDATE, "S0042")
    reading = OutOfServiceSwitch(tmp_path).read()  # a new kiosk process reads the same file
    assert reading.out_of_service
    assert reading.change.reason is OutOfServiceReason.UPDATE and reading.change.by == "S0042"
    assert reading.words.zh == "本机正在更新，暂停服务"


def test_never_switched_is_in_service(tmp_path):
    reading = OutOfServiceSwitch(tmp_path / "not-yet").read()
    assert not reading.out_of_service and reading.change is None and reading.problem == ""


def test_put_back_in_service_records_who(tmp_path):
    switch = OutOfServiceSwitch(tmp_path)
    switch.take_out(OutOfServiceReason.PAPER, "cli")
    switch.put_in("S7")
    reading = switch.read()
    assert not reading.out_of_service and reading.change.by == "S7" and reading.words is None


def _killed_before_rename(data_dir) -> None:
    """A child process writes the switch and is SIGKILLed between the temporary file and the rename."""
    pid = os.fork()
    if pid == 0:
        try:
            os.replace = lambda *_a, **_k: os.kill(os.getpid(), signal.SIGKILL)
            OutOfServiceSwitch(data_dir).put_in("S9")
        finally:
            os._exit(0)  # only reached if the kill did not happen
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def test_kill9_between_write_and_rename_leaves_the_old_state(tmp_path):
    OutOfServiceSwitch(tmp_path).take_out(OutOfServiceReason.MAINTENANCE, "S1")
    _killed_before_rename(tmp_path)
    reading = OutOfServiceSwitch(tmp_path).read()
    assert reading.problem == ""
    assert reading.out_of_service and reading.change.by == "S1"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # the new state stayed in the temporary file
    OutOfServiceSwitch(tmp_path).put_in("S1")  # and the next write still works
    assert not OutOfServiceSwitch(tmp_path).read().out_of_service


@pytest.mark.parametrize(
    "content",
    [b"{half", b"\xff\xfe", b"[]", json.dumps({"out_of_service": True, "reason": "holiday", "by": "x", "at": "2026-12-03T10:00:00"}).encode(),
     json.dumps({"out_of_service": True, "by": "x", "at": "2026-12-03T10:00:00"}).encode(), b""],
    ids=["truncated_json", "not_text", "not_an_object", "unknown_reason", "no_reason", "empty"],
)
def test_damaged_file_reads_in_service_with_a_clear_problem(tmp_path, content):
    (tmp_path / FILE_NAME).write_bytes(content)
    reading = OutOfServiceSwitch(tmp_path).read()
    assert not reading.out_of_service
    assert str(tmp_path / FILE_NAME) in reading.problem and "stays in service" in reading.problem


def test_damaged_file_is_replaced_by_the_next_switch(tmp_path):
    (tmp_path / FILE_NAME).write_text("{half")
    OutOfServiceSwitch(tmp_path).take_out(OutOfServiceReason.NETWORK, "cli")
    assert OutOfServiceSwitch(tmp_path).read().out_of_service


@pytest.mark.parametrize("by", ["", "two words", "x" * 33, "tab\there"])
def test_who_must_be_a_staff_id_or_cli(tmp_path, by):
    with pytest.raises(ValueError):
        OutOfServiceSwitch(tmp_path).take_out(OutOfServiceReason.PAPER, by)
    assert not (tmp_path / FILE_NAME).exists()


def test_switch_file_is_private(tmp_path):
    OutOfServiceSwitch(tmp_path).take_out(OutOfServiceReason.PAPER, "cli")
    assert (tmp_path / FILE_NAME).stat().st_mode & 0o077 == 0
