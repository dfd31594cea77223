"""`kiosk service out|in|status`: the technician's switch, its exit codes and its JSON."""

from __future__ import annotations

import json

import pytest

from kiosk.availability.out_of_service import FILE_NAME
from kiosk.cli import exitcodes
from kiosk.cli.main import main


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KIOSK_CONFIG", "")
    return tmp_path


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def test_status_of_a_kiosk_never_switched(data_dir, capsys):
    assert main(["service", "status", "--json"]) == exitcodes.OK
    assert _json(capsys) == {"out_of_service": False, "last_change": None, "problem": None}


def test_out_then_status_then_in(data_dir, capsys):
    assert main(["service", "out", "--reason", "paper", "--by", "S0042"]) == exitcodes.OK
    assert "本机正在换打印纸" in capsys.readouterr().out
    assert main(["service", "status", "--json"]) == exitcodes.FAILED
    status = _json(capsys)
    assert status["out_of_service"] and status["last_change"]["reason"] == "paper" and status["last_change"]["by"] == "S0042"
    assert main(["service", "in", "--json"]) == exitcodes.OK
    assert _json(capsys)["by"] == "cli"
    assert main(["service", "status"]) == exitcodes.OK


def test_unknown_reason_is_a_usage_error(data_dir, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["service", "out", "--reason", "lunch"])
    assert exit.value.code == exitcodes.USAGE
    assert "maintenance" in capsys.readouterr().err
    assert not (data_dir / FILE_NAME).exists()


def test_bad_staff_id_is_a_usage_error(data_dir, capsys):
    assert main(["service", "out", "--reason", "update", "--by", "Zhang San"]) == exitcodes.USAGE
    assert "staff id" in capsys.readouterr().err


def test_damaged_switch_says_so_and_exits_1(data_dir, capsys):
    (data_dir / FILE_NAME).write_text("{half")
    assert main(["service", "status", "--json"]) == exitcodes.FAILED
    status = _json(capsys)
    assert not status["out_of_service"] and "damaged" in status["problem"]
