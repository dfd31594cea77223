"""FakePrinter behaves as the printer interface says, for the flows tested on it."""

from __future__ import annotations

import pytest

from kiosk.drivers.printer.fake import FakePrinter
from kiosk.drivers.status import CancelToken, CoverState, DeviceKind, DeviceState, Recovery, ResultCode, SupplyState

JOB = b"\x1b@voucher\n"


@pytest.fixture
def printer():
    return FakePrinter()


def test_a_ready_printer_prints_and_records_the_job(printer):
    assert printer.status().device is DeviceKind.PRINTER and printer.status().state is DeviceState.ONLINE
    done = printer.print_job(JOB)
    assert done.ok and done.value.bytes_sent == len(JOB)
    assert printer.printed == [JOB]


def test_paper_out_refuses_the_job_with_no_media_and_prints_nothing(printer):
    printer.run_out_of_paper()
    assert printer.status().supplies["paper"] is SupplyState.OUT
    done = printer.print_job(JOB)
    assert done.code is ResultCode.NO_MEDIA and done.recovery is Recovery.STAFF_CAN_CLEAR
    assert not done.detail.get("reprint") and printer.printed == []
    printer.load_paper()
    assert printer.print_job(JOB).ok and printer.printed == [JOB]


def test_an_open_cover_refuses_the_job(printer):
    printer.open_cover()
    assert printer.status().cover is CoverState.OPEN and printer.status().state is DeviceState.USER_ERROR
    assert printer.print_job(JOB).code is ResultCode.REFUSED
    printer.close_cover()
    assert printer.print_job(JOB).ok


def test_paper_low_still_prints_and_tells_staff(printer):
    printer.paper_low()
    done = printer.print_job(JOB)
    assert done.ok and done.value.status.supplies["paper"] is SupplyState.LOW
    assert done.value.status.recovery is Recovery.STAFF_CAN_CLEAR


def test_paper_running_out_mid_job_asks_for_a_reprint(printer):
    printer.paper_runs_out_mid_job()
    done = printer.print_job(JOB)
    assert done.code is ResultCode.NO_MEDIA and done.detail["reprint"] is True
    assert printer.printed == []
    printer.load_paper()
    assert printer.print_job(JOB).ok


def test_an_unplugged_printer_is_no_device_and_its_status_query_fails(printer):
    printer.unplug()
    printer.run_out_of_paper()  # what happens to an unplugged printer is not seen until it is back
    assert printer.refresh_status().code is ResultCode.NO_DEVICE
    assert printer.print_job(JOB).code is ResultCode.NO_DEVICE
    printer.plug()
    assert printer.refresh_status().value.supplies["paper"] is SupplyState.OUT


def test_refresh_status_answers_even_when_the_printer_cannot_print(printer):
    printer.run_out_of_paper()
    asked = printer.refresh_status()
    assert asked.ok and asked.value == printer.status()


def test_a_cancelled_job_prints_nothing(printer):
    cancel = CancelToken()
    cancel.cancel()
    assert printer.print_job(JOB, cancel=cancel).code is ResultCode.CANCELLED
    assert printer.printed == []
