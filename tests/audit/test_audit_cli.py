"""`kiosk audit` through the real command line: --json, --since, --event, record, catalogue."""

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

from kiosk.audit import AuditEvent, AuditTrail, catalogue
from kiosk.audit.markdown import render
from kiosk.cli import exitcodes

KIOSK = [sys.executable, "-m", "kiosk"]


def kiosk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*KIOSK, *args], capture_output=True, text=True, timeout=60)


def data_dir():
    return os.environ["KIOSK_DATA_DIR"]


def at(moment: datetime):
    return lambda: moment


def test_json_lists_what_the_kiosk_wrote():
    AuditTrail(terminal_id="T01", directory=data_dir()).record(AuditEvent.SERVICE_STARTED, service="activate")
    result = kiosk("audit", "--json")
    assert result.returncode == exitcodes.OK, result.stderr
    (entry,) = json.loads(result.stdout)
    assert entry["event"] == "service-started" and entry["fields"] == {"service": "activate"}


def test_since_leaves_out_older_events():
    now = datetime.now(timezone.utc)
    AuditTrail(directory=data_dir(), wall_clock=at(now - timedelta(days=3))).record(AuditEvent.SESSION_STARTED)
    AuditTrail(directory=data_dir(), wall_clock=at(now - timedelta(minutes=5))).record(AuditEvent.SESSION_ENDED, reason="home-pressed")
    recent = json.loads(kiosk("audit", "--since", "1h", "--json").stdout)
    assert [e["event"] for e in recent] == ["session-ended"]
    by_date = json.loads(kiosk("audit", "--since", (now - timedelta(days=4)).date().isoformat(), "--json").stdout)
    assert len(by_date) == 2


def test_a_time_that_is_not_one_is_a_usage_error():
    result = kiosk("audit", "--since", "yesterday")
    assert result.returncode == exitcodes.USAGE and "not a time" in result.stderr


def test_event_filter_keeps_both_halves_of_a_pair():
    trail = AuditTrail(directory=data_dir())
    with trail.begin(AuditEvent.KIOSK_START):
        trail.record(AuditEvent.SESSION_STARTED)
    shown = json.loads(kiosk("audit", "--event", "kiosk-start", "--json").stdout)
    assert [(e["event"], e.get("disposition")) for e in shown] == [("kiosk-start-init", None), ("kiosk-start-complete", "success")]


def test_an_unknown_event_filter_is_a_usage_error():
    result = kiosk("audit", "--event", "card-eaten")
    assert result.returncode == exitcodes.USAGE and "kiosk audit catalogue" in result.stderr


def test_human_table_shows_fields_and_repeats():
    trail = AuditTrail(directory=data_dir())
    trail.record(AuditEvent.DEVICE_FAULT, device="printer", state="paper_out")
    trail.record(AuditEvent.DEVICE_FAULT, device="printer", state="paper_out")
    trail.close()
    result = kiosk("audit")
    assert result.returncode == exitcodes.OK
    assert "device-fault" in result.stdout and "device=printer state=paper_out" in result.stdout
    assert "(×1 more)" in result.stdout


def test_an_empty_trail_says_so():
    result = kiosk("audit")
    assert result.returncode == exitcodes.OK and "no audit events" in result.stdout


def test_record_writes_an_update_event_for_the_hooks():
    result = kiosk("audit", "record", "update-installed", "slot=B", "version=0.2.0")
    assert result.returncode == exitcodes.OK, result.stderr
    (entry,) = json.loads(kiosk("audit", "--json").stdout)
    assert entry["event"] == "update-installed" and entry["fields"] == {"slot": "B", "version": "0.2.0"}
    assert entry["terminal"] == "T01"
    assert '"event":"update-installed"' in result.stderr  # the journal's copy, from the hook's stderr


def test_record_refuses_events_other_than_the_updates():
    result = kiosk("audit", "record", "staff-entry", "outcome=accepted")
    assert result.returncode == exitcodes.USAGE and "invalid choice" in result.stderr


def test_record_refuses_a_bad_field_and_writes_nothing():
    result = kiosk("audit", "record", "slot-marked-good", "slot=C", "version=0.2.0")
    assert result.returncode == exitcodes.USAGE and "field 'slot'" in result.stderr
    assert json.loads(kiosk("audit", "--json").stdout) == []


def test_record_refuses_words_that_are_not_key_value():
    result = kiosk("audit", "record", "slot-marked-good", "B")
    assert result.returncode == exitcodes.USAGE and "KEY=VALUE" in result.stderr


def test_catalogue_markdown_is_the_rendered_page():
    result = kiosk("audit", "catalogue", "--markdown")
    assert result.returncode == exitcodes.OK and result.stdout == render(catalogue())


def test_catalogue_json_lists_every_event():
    listed = json.loads(kiosk("audit", "catalogue", "--json").stdout)
    assert [e["id"] for e in listed["events"]] == list(catalogue().events)


def test_a_trail_that_cannot_be_read_exits_1():
    os.mkdir(os.path.join(data_dir(), "audit.jsonl"))  # root reads any file: a folder in its place cannot be read
    result = kiosk("audit")
    assert result.returncode == exitcodes.FAILED and "cannot read the audit trail" in result.stderr
