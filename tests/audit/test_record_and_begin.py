"""record() and begin(): what a line holds, which fields the catalogue allows, pairs."""

import json
import logging

import pytest

from kiosk import audit
from kiosk.audit import AuditEvent, AuditTrail, Disposition, catalogue


def lines(trail: AuditTrail) -> list[dict]:
    return [json.loads(line) for line in trail.file.path.read_text().splitlines()]


@pytest.fixture
def trail(tmp_path):
    return AuditTrail(terminal_id="T01", version="0.1.0", directory=tmp_path)


def test_every_catalogue_event_is_an_enum_member():
    assert {e.value for e in AuditEvent} == set(catalogue().events)
    assert AuditEvent.SESSION_STARTED == "session-started"


def test_a_line_carries_time_event_fields_terminal_and_version(trail):
    trail.record(AuditEvent.SERVICE_STARTED, service="apply")
    (line,) = lines(trail)
    assert line["event"] == "service-started" and line["fields"] == {"service": "apply"}
    assert line["terminal"] == "T01" and line["version"] == "0.1.0"
    assert line["ts"].endswith("+00:00") and "disposition" not in line


def test_the_file_is_readable_by_its_owner_only(trail):
    trail.record(AuditEvent.SESSION_STARTED)
    assert trail.file.path.stat().st_mode & 0o777 == 0o600


def test_the_same_line_goes_to_the_journal(trail, caplog):
    with caplog.at_level(logging.INFO, logger=audit.JOURNAL):
        trail.record(AuditEvent.STAFF_ENTRY, outcome="refused-pin")
    journal = [json.loads(r.getMessage()) for r in caplog.records if r.name == audit.JOURNAL]
    assert journal == lines(trail)


def test_unknown_field_is_refused(trail):
    with pytest.raises(ValueError, match="unknown field 'name'"):
        trail.record(AuditEvent.SERVICE_STARTED, service="apply", name="张三")
    assert not trail.file.path.exists()


def test_missing_field_is_refused(trail):
    with pytest.raises(ValueError, match="missing field 'state'"):
        trail.record(AuditEvent.DEVICE_FAULT, device="printer")


def test_optional_field_may_be_left_out(trail):
    trail.record(AuditEvent.STAFF_CALL, screen="home")
    trail.record(AuditEvent.STAFF_CALL, screen="photo", service="apply")
    assert [line["fields"] for line in lines(trail)] == [{"screen": "home"}, {"screen": "photo", "service": "apply"}]


def test_value_outside_a_closed_list_is_refused(trail):
    with pytest.raises(ValueError, match="field 'action' is not a action"):
        trail.record(AuditEvent.STAFF_ACTION, action="format-disk")


def test_unknown_event_is_refused(trail):
    with pytest.raises(ValueError, match="no audit event 'card-eaten'"):
        trail.record("card-eaten")


@pytest.mark.parametrize(
    "personal",
    ["110105194912310021", "13800138000", "张三", "Zhang San", "123456", "5001 2345 6789"],
    ids=["id-number", "phone", "chinese-name", "latin-name", "pin", "card-number"],
)
def test_no_field_type_takes_personal_data(personal):
    cat = catalogue()
    for type_, spec in cat.types.items():
        assert not spec.accepts(personal), f"{type_} accepts {personal!r}"


def test_a_pair_event_needs_begin_and_a_single_one_record(trail):
    with pytest.raises(ValueError, match="use begin"):
        trail.record(AuditEvent.KIOSK_START)
    with pytest.raises(ValueError, match="use record"):
        with trail.begin(AuditEvent.SESSION_STARTED):
            pass


def test_begin_writes_init_then_complete_with_success(trail):
    with trail.begin(AuditEvent.KIOSK_START):
        assert [line["event"] for line in lines(trail)] == ["kiosk-start-init"]
    init, complete = lines(trail)
    assert complete["event"] == "kiosk-start-complete" and complete["disposition"] == Disposition.SUCCESS
    assert "disposition" not in init


def test_begin_writes_failure_and_reraises(trail):
    with pytest.raises(RuntimeError, match="no outbox"):
        with trail.begin(AuditEvent.KIOSK_START):
            raise RuntimeError("no outbox")
    assert [(line["event"], line.get("disposition")) for line in lines(trail)] == [
        ("kiosk-start-init", None), ("kiosk-start-complete", "failure"),
    ]


def test_module_level_record_writes_to_the_configured_data_dir(tmp_path):
    try:
        trail = audit.configure(tmp_path, "T07")
        audit.record(AuditEvent.SESSION_ENDED, reason="idle-timeout")
        assert lines(trail)[0]["terminal"] == "T07"
    finally:
        audit.configure(None, "")


def test_values_that_look_personal_to_the_session_are_masked_in_the_line(trail):
    from kiosk.logs import session_secrets

    session_secrets.add("home-pressed")  # absurd, but shows the line goes through the same scrub
    trail.record(AuditEvent.SESSION_ENDED, reason="home-pressed")
    assert "home-pressed" not in trail.file.path.read_text()
