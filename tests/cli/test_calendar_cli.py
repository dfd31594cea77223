"""`kiosk calendar add-workdays`, run as a technician runs it: the real executable."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from kiosk.cli import exitcodes

KIOSK = Path(sys.executable).with_name("kiosk")


def kiosk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(KIOSK), *args], capture_output=True, text=True, timeout=60)


def test_prints_the_date_for_the_configured_region():
    run = kiosk("calendar", "add-workdays", "2026-09-30", "5")
    assert run.returncode == exitcodes.OK, run.stderr
    assert run.stdout == "2026-10-13 (5 working days after 2026-09-30, chongqing-changshou)\n"


def test_json_marks_a_span_into_2027_as_an_estimate():
    run = kiosk("calendar", "add-workdays", "2026-12-24", "10", "--region", "beijing", "--json")
    assert run.returncode == exitcodes.OK, run.stderr
    data = json.loads(run.stdout)
    assert {k: data[k] for k in ("start", "days", "region", "date", "estimated")} == {
        "start": "2026-12-24", "days": 10, "region": "beijing", "date": "2027-01-08", "estimated": True,
    }
    assert "2027" in data["note"]


def test_human_output_says_when_it_is_an_estimate():
    run = kiosk("calendar", "add-workdays", "2027-02-04", "1")
    lines = run.stdout.splitlines()
    assert lines[0] == "2027-02-11 (1 working day after 2027-02-04, chongqing-changshou)"
    assert lines[1].startswith("estimate: 2027")


def test_bad_date_is_a_usage_error():
    run = kiosk("calendar", "add-workdays", "2026-02-30", "5")
    assert run.returncode == exitcodes.USAGE
    assert "YYYY-MM-DD" in run.stderr and run.stdout == ""


def test_negative_count_is_a_usage_error():
    run = kiosk("calendar", "add-workdays", "2026-09-30", "-5")
    assert run.returncode == exitcodes.USAGE
    assert "from 0 to" in run.stderr


def test_non_numeric_count_is_a_usage_error():
    run = kiosk("calendar", "add-workdays", "2026-09-30", "five")
    assert run.returncode == exitcodes.USAGE
    assert "whole number" in run.stderr


def test_unknown_region_is_a_usage_error():
    run = kiosk("calendar", "add-workdays", "2026-09-30", "5", "--region", "atlantis")
    assert run.returncode == exitcodes.USAGE
    assert "chongqing-changshou" in run.stderr  # the known regions are listed


def test_region_calendar_overrides_are_applied(tmp_path, monkeypatch, capsys):
    """A region policy whose [calendar] table makes 2026-10-10 a holiday moves the date."""
    from kiosk.cli.main import main
    from kiosk.domain.policy import loader as policy

    policies = tmp_path / "policies"
    shutil.copytree(policy.POLICY_DIR, policies)
    with (policies / "chongqing-changshou.toml").open("a", encoding="utf-8") as f:
        f.write('\n[calendar]\nholidays = ["2026-10-10"]\n')
    monkeypatch.setattr(policy, "POLICY_DIR", policies)

    assert main(["calendar", "add-workdays", "2026-09-30", "5", "--region", "chongqing-changshou"]) == exitcodes.OK
    assert capsys.readouterr().out.startswith("2026-10-14 ")


def test_broken_region_calendar_is_reported(tmp_path, monkeypatch, capsys):
    from kiosk.cli.main import main
    from kiosk.domain.policy import loader as policy

    policies = tmp_path / "policies"
    shutil.copytree(policy.POLICY_DIR, policies)
    with (policies / "beijing.toml").open("a", encoding="utf-8") as f:
        f.write('\n[calendar]\nholidays = ["2026-10-32"]\n')
    monkeypatch.setattr(policy, "POLICY_DIR", policies)

    assert main(["calendar", "add-workdays", "2026-09-30", "5", "--region", "beijing"]) == exitcodes.FAILED
    assert "2026-10-32" in capsys.readouterr().err
