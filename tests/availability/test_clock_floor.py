"""The clock floor closes the services that date something: a terminal whose clock is behind
the day its software was built (a flat clock battery, no time server yet) closes every service
that numbers a voucher or dates a record before a resident starts one, says why, records it
in the audit trail, and opens them again by itself once the clock is set. On the monitor with
the drivers' in-process fakes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kiosk import audit
from kiosk.availability.clock_floor import ClockFloor
from kiosk.availability.monitor import AvailabilityMonitor, device_probes
from kiosk.availability.needs import DATES_A_VOUCHER_OR_RECORD, NEEDS, needs_of
from kiosk.availability.out_of_service import REASON_WORDS, OutOfServiceReason, OutOfServiceSwitch, SwitchReading
from kiosk.availability.rules import CLOCK_WRONG, Availability as A, CentreReach, kiosk_availability
from kiosk.domain.services import SERVICES
from kiosk.drivers.card.fake import FakeCardReader
from kiosk.drivers.id_reader.fake import FakeIdReader
from kiosk.drivers.printer.fake import FakePrinter

BUILD_DAY = date(2026, 12, 3)
FLAT_BATTERY = date(2000, 1, 1)  # what a terminal's clock says after losing its battery


class Today:
    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


@pytest.fixture
def trail(tmp_path):
    configured = audit.configure(tmp_path / "audit", "T01")
    yield configured
    audit.configure(None, "")


def written(trail) -> list[tuple[str, dict]]:
    return [(e["event"], e["fields"]) for e in trail.file.read().entries] if trail.file.path.exists() else []


def monitor_with(tmp_path, today: Today, not_before: date | None = BUILD_DAY) -> AvailabilityMonitor:
    return AvailabilityMonitor(
        OutOfServiceSwitch(tmp_path), probes=device_probes(FakePrinter(), FakeCardReader(), FakeIdReader()),
        centre_answers=lambda: True, clock_floor=ClockFloor(not_before, today),
    )  # fmt: skip


def test_a_clock_before_the_build_day_closes_the_services_that_date_a_voucher(tmp_path, trail):
    kiosk = monitor_with(tmp_path, Today(FLAT_BATTERY)).check()
    assert kiosk.clock_behind
    for code in DATES_A_VOUCHER_OR_RECORD:
        assert kiosk.of(code).availability is A.CLOSED_CLOCK and kiosk.of(code).reason == CLOCK_WRONG, code
    assert kiosk.of("status_query").open and kiosk.of("unlock").open  # they number and keep nothing


def test_the_reason_is_said_in_chinese_first_then_english_in_plain_words():
    assert CLOCK_WRONG.zh == "本机时间不准，暂停办理，请找工作人员"
    assert CLOCK_WRONG.en == "This kiosk's clock is wrong. Services are paused: please ask staff"


def test_a_clock_behind_the_build_day_is_recorded_in_the_audit_trail_once(tmp_path, trail):
    monitor = monitor_with(tmp_path, Today(BUILD_DAY - timedelta(days=3)))
    monitor.check()
    monitor.check()
    assert written(trail) == [("clock-behind", {"days": 3})]


def test_the_services_reopen_by_themselves_when_the_clock_is_set(tmp_path, trail):
    today = Today(FLAT_BATTERY)
    monitor = monitor_with(tmp_path, today)
    heard: list = []
    monitor.changes.add(heard.append)
    assert not monitor.check().of("apply").open
    today.day = BUILD_DAY + timedelta(days=1)  # timesyncd reached its server
    kiosk = monitor.check()  # the next round, with no one's help
    assert not kiosk.clock_behind and kiosk.of("apply").availability is A.OPEN
    assert heard[-1] is kiosk and not heard[-2].of("apply").open
    assert [event for event, _ in written(trail)] == ["clock-behind", "clock-set"]


def test_a_clock_on_the_build_day_closes_nothing(tmp_path, trail):
    kiosk = monitor_with(tmp_path, Today(BUILD_DAY)).check()
    assert not kiosk.clock_behind and all(s.open for s in kiosk.services.values())
    assert written(trail) == []


def test_without_a_build_day_a_clock_closes_nothing(tmp_path, trail):
    """A developer's machine or a config without build_info: nothing to compare with."""
    kiosk = monitor_with(tmp_path, Today(FLAT_BATTERY), not_before=None).check()
    assert not kiosk.clock_behind and kiosk.of("apply").open
    assert written(trail) == []


def test_staff_taking_the_kiosk_out_of_service_is_said_before_the_clock(tmp_path, trail):
    monitor = monitor_with(tmp_path, Today(FLAT_BATTERY))
    monitor.switch.take_out(OutOfServiceReason.MAINTENANCE, "S0042")
    kiosk = monitor.check()
    assert kiosk.of("apply").availability is A.OUT_OF_SERVICE
    assert kiosk.of("apply").reason == REASON_WORDS[OutOfServiceReason.MAINTENANCE]


def test_the_clock_is_said_before_a_device_fault(tmp_path, trail):
    """Fixing the printer would not open the service: the clock is what staff must see first."""
    printer = FakePrinter()
    printer.run_out_of_paper()
    monitor = AvailabilityMonitor(OutOfServiceSwitch(tmp_path), probes=device_probes(printer),
                                  clock_floor=ClockFloor(BUILD_DAY, Today(FLAT_BATTERY)))
    assert monitor.check().of("apply").availability is A.CLOSED_CLOCK


def test_the_technicians_view_says_the_clock_is_behind():
    kiosk = kiosk_availability({}, CentreReach.REACHABLE, SwitchReading(None), clock_behind=True)
    described = kiosk.to_dict()
    assert described["clock_behind"] is True
    assert described["services"]["apply"]["availability"] == "closed_clock"


def test_every_service_that_prints_a_numbered_voucher_needs_a_right_clock():
    printing = {code for code, needs in NEEDS.items() if needs.prints}
    assert printing <= DATES_A_VOUCHER_OR_RECORD
    assert DATES_A_VOUCHER_OR_RECORD <= {s.code for s in SERVICES}
    for code in DATES_A_VOUCHER_OR_RECORD:
        needs_of(code)  # each has its row of needs
