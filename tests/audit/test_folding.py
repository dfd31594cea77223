"""Repeats from polling: the first at once, the rest of the run as one line with `repeats: N`."""

import json
import threading

import pytest

from kiosk.audit import AuditEvent, AuditTrail


class HandClock:
    """A hand-driven monotonic clock: set `now`, call it."""

    now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return HandClock()


@pytest.fixture
def trail(tmp_path, clock):
    trail = AuditTrail(terminal_id="T01", version="0.1.0", directory=tmp_path, fold_window_s=60, clock=clock)
    yield trail
    trail.close()


def written(trail) -> list[tuple[str, dict, int | None]]:
    if not trail.file.path.exists():
        return []
    return [(e["event"], e["fields"], e.get("repeats")) for e in map(json.loads, trail.file.path.read_text().splitlines())]


PAPER_OUT = {"device": "printer", "state": "paper_out"}


def test_the_first_of_a_run_is_written_at_once(trail):
    trail.record(AuditEvent.DEVICE_FAULT, **PAPER_OUT)
    assert written(trail) == [("device-fault", PAPER_OUT, None)]


def test_repeats_within_the_window_become_one_line_when_it_passes(trail, clock):
    for _ in range(10):
        trail.record(AuditEvent.DEVICE_FAULT, **PAPER_OUT)
        clock.now += 5
    assert len(written(trail)) == 1
    clock.now = 1000 + 60
    trail.flush_due()
    assert written(trail) == [("device-fault", PAPER_OUT, None), ("device-fault", PAPER_OUT, 9)]


def test_the_same_event_after_the_window_starts_a_new_run(trail, clock):
    trail.record(AuditEvent.DEVICE_FAULT, **PAPER_OUT)
    trail.record(AuditEvent.DEVICE_FAULT, **PAPER_OUT)
    clock.now += 61
    trail.record(AuditEvent.DEVICE_FAULT, **PAPER_OUT)
    assert written(trail) == [
        ("device-fault", PAPER_OUT, None), ("device-fault", PAPER_OUT, 1), ("device-fault", PAPER_OUT, None),
    ]  # fmt: skip


def test_different_fields_are_not_folded_together(trail):
    trail.record(AuditEvent.DEVICE_FAULT, **PAPER_OUT)
    trail.record(AuditEvent.DEVICE_FAULT, device="printer", state="cover_open")
    trail.record(AuditEvent.DEVICE_FAULT, **PAPER_OUT)
    trail.close()
    assert written(trail) == [
        ("device-fault", PAPER_OUT, None), ("device-fault", {"device": "printer", "state": "cover_open"}, None),
        ("device-fault", PAPER_OUT, 1),
    ]  # fmt: skip


def test_events_not_marked_fold_are_never_folded(trail):
    for _ in range(3):
        trail.record(AuditEvent.SESSION_STARTED)
    assert len(written(trail)) == 3


def test_close_writes_the_repeats_still_held(trail):
    trail.record(AuditEvent.DEVICE_RECOVERED, device="printer", state="online")
    trail.record(AuditEvent.DEVICE_RECOVERED, device="printer", state="online")
    trail.close()
    assert written(trail)[-1][2] == 1


def test_a_timer_writes_the_repeats_without_further_events(tmp_path):
    trail = AuditTrail(directory=tmp_path, fold_window_s=0.2)
    done = threading.Event()
    original = trail.flush_due
    trail.flush_due = lambda: (original(), done.set())
    trail.record(AuditEvent.DEVICE_FAULT, **PAPER_OUT)
    trail.record(AuditEvent.DEVICE_FAULT, **PAPER_OUT)
    assert done.wait(10), "the fold timer never fired"
    assert written(trail)[-1] == ("device-fault", PAPER_OUT, 1)
