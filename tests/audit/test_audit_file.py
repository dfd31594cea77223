"""audit.jsonl: size cap and rotation, a full disk, damaged lines."""

import json
import logging
import os

import pytest

from kiosk.audit import AuditEvent, AuditFile, AuditTrail


def test_the_file_rotates_at_its_cap_and_keeps_a_fixed_number_of_backups(tmp_path):
    trail = AuditTrail(directory=tmp_path, max_bytes=1000, backups=2)
    for _ in range(100):
        trail.record(AuditEvent.SESSION_STARTED)
    files = trail.file.files()
    assert [p.name for p in files] == ["audit.jsonl.2", "audit.jsonl.1", "audit.jsonl"]
    assert all(p.stat().st_size <= 1000 for p in files)
    assert sum(p.stat().st_size for p in files) <= 3000
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in files)


def test_reading_returns_the_rotated_files_oldest_first(tmp_path):
    trail = AuditTrail(directory=tmp_path, max_bytes=400, backups=3)
    for n in range(8):
        trail.record(AuditEvent.STAFF_ACTION, action="test-voucher", count=n)
    counts = [e["fields"]["count"] for e in AuditFile(tmp_path, backups=3).read().entries]
    assert counts == sorted(counts) and counts[-1] == 7


def test_a_full_disk_is_said_once_and_the_kiosk_goes_on(tmp_path, caplog):
    os.symlink("/dev/full", tmp_path / "audit.jsonl")  # every write: ENOSPC
    trail = AuditTrail(directory=tmp_path)
    with caplog.at_level(logging.INFO):
        trail.record(AuditEvent.SESSION_STARTED)
        trail.record(AuditEvent.SESSION_ENDED, reason="idle-timeout")
    assert trail.file_failed == os.strerror(28)
    problems = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(problems) == 1 and "cannot be written" in problems[0] and "journal only" in problems[0]
    journal = [json.loads(r.getMessage())["event"] for r in caplog.records if r.name == "kiosk.audit"]
    assert journal == ["session-started", "session-ended"]


def test_writing_again_after_a_full_disk_is_said(tmp_path, caplog):
    os.symlink("/dev/full", tmp_path / "audit.jsonl")
    trail = AuditTrail(directory=tmp_path)
    trail.record(AuditEvent.SESSION_STARTED)
    (tmp_path / "audit.jsonl").unlink()
    with caplog.at_level(logging.INFO):
        trail.record(AuditEvent.SESSION_STARTED)
    assert trail.file_failed is None and "written to" in caplog.text
    assert len(trail.file.read().entries) == 1


def test_a_torn_line_is_counted_as_damaged_not_fatal(tmp_path):
    trail = AuditTrail(directory=tmp_path)
    trail.record(AuditEvent.SESSION_STARTED)
    with open(trail.file.path, "a") as f:
        f.write('{"ts":"2026-12-0\n')
    trail.record(AuditEvent.SESSION_STARTED)
    result = trail.file.read()
    assert len(result.entries) == 2 and result.damaged == 1


def test_a_size_cap_of_zero_is_refused(tmp_path):
    with pytest.raises(ValueError):
        AuditFile(tmp_path, max_bytes=0)
