"""Which services stay open with which fault: every service against every fault, as a table."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kiosk.availability.needs import NEEDS, CentreUse, needs_of
from kiosk.availability.out_of_service import REASON_WORDS, OutOfServiceReason, SwitchChange, SwitchReading
from kiosk.availability.rules import (
    CACHED, CENTRE_NEEDED, PAPER_OUT, QUEUED, Availability as A, CentreReach, device_works, kiosk_availability,
    service_availability,
)  # fmt: skip
from kiosk.domain.services import SERVICES
from kiosk.drivers.status import CoverState, DeviceKind as K, DeviceState, DeviceStatus, MediaState, SupplyState

IN_SERVICE = SwitchReading(None)
UP, DOWN = CentreReach.REACHABLE, CentreReach.UNREACHABLE

PAPER_OUT_STATUS = DeviceStatus(K.PRINTER, DeviceState.ONLINE, supplies={"paper": SupplyState.OUT})
FAULTS = {
    "paper_out": {K.PRINTER: PAPER_OUT_STATUS},
    "card_reader_gone": {K.CARD_READER: DeviceStatus(K.CARD_READER, DeviceState.NO_DEVICE)},
    "id_reader_gone": {K.ID_READER: DeviceStatus(K.ID_READER, DeviceState.NO_DEVICE)},
    "camera_broken": {K.CAMERA: DeviceStatus(K.CAMERA, DeviceState.HARDWARE_ERROR)},
    "both_readers_gone": {
        K.CARD_READER: DeviceStatus(K.CARD_READER, DeviceState.NO_DEVICE),
        K.ID_READER: DeviceStatus(K.ID_READER, DeviceState.OFFLINE),
    },
}

# service → (paper out, card reader gone, ID reader gone, camera broken, both readers gone, centre down)
O, Q = A.OPEN, A.OPEN_QUEUED
EXPECTED = {
    "apply":           (A.CLOSED_PRINTER, O, A.CLOSED_ID_READER, A.CLOSED_CAMERA, A.CLOSED_ID_READER, Q),
    "reissue":         (A.CLOSED_PRINTER, O, A.CLOSED_ID_READER, O, A.CLOSED_ID_READER, Q),
    "replace":         (A.CLOSED_PRINTER, O, O, O, A.CLOSED_READERS, Q),
    "upgrade":         (A.CLOSED_PRINTER, O, O, O, A.CLOSED_READERS, Q),
    "activate":        (O, A.CLOSED_CARD_READER, A.CLOSED_ID_READER, O, A.CLOSED_CARD_READER, A.CLOSED_CENTRE),
    "pin_change":      (O, A.CLOSED_CARD_READER, O, O, A.CLOSED_CARD_READER, O),
    "pin_reset":       (O, A.CLOSED_CARD_READER, A.CLOSED_ID_READER, O, A.CLOSED_CARD_READER, A.CLOSED_CENTRE),
    "loss_report":     (A.CLOSED_PRINTER, O, A.CLOSED_ID_READER, O, A.CLOSED_ID_READER, Q),
    "loss_cancel":     (A.CLOSED_PRINTER, A.CLOSED_CARD_READER, O, O, A.CLOSED_CARD_READER, Q),
    "status_query":    (O, O, O, O, A.CLOSED_READERS, A.OPEN_CACHED),
    "info_change":     (A.CLOSED_PRINTER, O, O, O, A.CLOSED_READERS, Q),
    "batch_new":       (A.CLOSED_PRINTER, O, O, A.CLOSED_CAMERA, A.CLOSED_READERS, Q),
    "batch_replace":   (A.CLOSED_PRINTER, O, O, A.CLOSED_CAMERA, A.CLOSED_READERS, Q),
    "unlock":          (O, O, O, O, O, O),
    "cancel_card":     (O, O, O, O, O, O),
    "batch_to_single": (O, O, O, O, O, O),
    "key_info_change": (O, O, O, O, O, O),
}  # fmt: skip
CASES = [
    pytest.param(service, fault, FAULTS[fault], UP, row[i], id=f"{service}-{fault}")
    for service, row in EXPECTED.items()
    for i, fault in enumerate(FAULTS)
] + [pytest.param(service, "centre_down", {}, DOWN, row[-1], id=f"{service}-centre_down") for service, row in EXPECTED.items()]


def test_every_service_has_its_needs_and_its_row_here():
    codes = {s.code for s in SERVICES}
    assert set(NEEDS) == codes
    assert set(EXPECTED) == codes


@pytest.mark.parametrize("service, fault, statuses, centre, expected", CASES)
def test_service_under_fault(service, fault, statuses, centre, expected):
    got = service_availability(statuses, centre, IN_SERVICE)[service]
    assert got.availability is expected
    if expected is A.OPEN:
        assert got.reason is None
    else:
        assert got.reason is not None and got.reason.zh and got.reason.en


@pytest.mark.parametrize("service", sorted(EXPECTED))
def test_everything_works_everything_is_open(service):
    working = {
        K.PRINTER: DeviceStatus(K.PRINTER, DeviceState.ONLINE, supplies={"paper": SupplyState.FULL}, cover=CoverState.CLOSED),
        K.CARD_READER: DeviceStatus(K.CARD_READER, DeviceState.ONLINE, MediaState.NOT_PRESENT),
        K.ID_READER: DeviceStatus(K.ID_READER, DeviceState.ONLINE),
        K.CAMERA: DeviceStatus(K.CAMERA, DeviceState.ONLINE),
    }
    assert service_availability(working, UP, IN_SERVICE)[service].availability is A.OPEN


def test_paper_out_says_so_in_the_residents_words():
    got = service_availability(FAULTS["paper_out"], UP, IN_SERVICE)["loss_report"]
    assert got.reason == PAPER_OUT
    assert got.reason.zh == "打印机缺纸，暂不能办理需要打印凭证的业务"


def test_paper_low_keeps_printing_services_open():
    low = {K.PRINTER: DeviceStatus(K.PRINTER, DeviceState.ONLINE, supplies={"paper": SupplyState.LOW})}
    assert service_availability(low, UP, IN_SERVICE)["apply"].availability is A.OPEN


@pytest.mark.parametrize(
    "status",
    [
        DeviceStatus(K.PRINTER, DeviceState.USER_ERROR, cover=CoverState.OPEN),
        DeviceStatus(K.PRINTER, DeviceState.ONLINE, supplies={"paper": SupplyState.JAMMED}),
        DeviceStatus(K.PRINTER, DeviceState.NO_DEVICE),
        DeviceStatus(K.PRINTER, DeviceState.OFFLINE),
        DeviceStatus(K.PRINTER, DeviceState.HARDWARE_ERROR),
    ],
    ids=["cover_open", "jammed", "unplugged", "offline", "hardware_error"],
)
def test_printer_that_cannot_print_closes_printing_services(status):
    assert not device_works(status)
    got = service_availability({K.PRINTER: status}, UP, IN_SERVICE)["apply"]
    assert got.availability is A.CLOSED_PRINTER and got.reason.zh.startswith("打印机暂时不能用")


def test_busy_reader_is_working():
    assert device_works(DeviceStatus(K.CARD_READER, DeviceState.BUSY))


def test_centre_not_asked_yet_counts_as_reachable():
    assert service_availability({}, CentreReach.UNKNOWN, IN_SERVICE)["activate"].availability is A.OPEN


def test_centre_down_wording():
    table = service_availability({}, DOWN, IN_SERVICE)
    assert table["apply"].reason == QUEUED and QUEUED.zh == "网络暂时中断，办理后会自动提交"
    assert table["status_query"].reason == CACHED
    assert table["pin_reset"].reason == CENTRE_NEEDED
    assert needs_of("loss_report").centre is CentreUse.QUEUED


@pytest.mark.parametrize("reason", list(OutOfServiceReason))
def test_out_of_service_closes_every_service_with_its_reason(reason):
    switch = SwitchReading(SwitchChange(True, reason, "cli", datetime(2026, 12, 3, tzinfo=timezone.utc)))
    table = service_availability({}, UP, switch)
    assert {s.availability for s in table.values()} == {A.OUT_OF_SERVICE}
    assert {s.reason for s in table.values()} == {REASON_WORDS[reason]}
    notice = kiosk_availability({}, UP, switch).closed_notice(["apply"])
    assert notice.zh.startswith(REASON_WORDS[reason].zh) and "服务窗口" in notice.zh


def test_out_of_service_wins_over_device_faults():
    switch = SwitchReading(SwitchChange(True, OutOfServiceReason.PAPER, "S01", datetime(2026, 12, 3, tzinfo=timezone.utc)))
    assert service_availability(FAULTS["paper_out"], DOWN, switch)["apply"].availability is A.OUT_OF_SERVICE


def test_every_service_closed_is_said_on_the_attract_screen():
    gone = {
        K.PRINTER: DeviceStatus(K.PRINTER, DeviceState.NO_DEVICE),
        **FAULTS["both_readers_gone"],
    }
    at_kiosk = [s.code for s in SERVICES if needs_of(s.code) != needs_of("unlock")]
    kiosk = kiosk_availability(gone, UP, IN_SERVICE)
    assert kiosk.every_closed(at_kiosk)
    assert kiosk.closed_notice(at_kiosk).zh.startswith("本机暂时不能办理业务")


def test_one_open_service_keeps_the_kiosk_open():
    kiosk = kiosk_availability(FAULTS["paper_out"], UP, IN_SERVICE)
    assert not kiosk.every_closed(["apply", "pin_change"])
    assert kiosk.closed_notice(["apply", "pin_change"]) is None


def test_group_tile_closed_only_when_every_service_in_it_is():
    from kiosk.availability.rules import group_availability

    kiosk = kiosk_availability({}, DOWN, IN_SERVICE)
    pin = group_availability(kiosk, "pin", ["pin_change", "pin_reset"])  # one open, one needs the centre
    assert pin.availability is A.OPEN and pin.reason is None
    assert group_availability(kiosk, "loss", ["loss_report", "loss_cancel"]).reason == QUEUED
    gone = kiosk_availability(FAULTS["card_reader_gone"], UP, IN_SERVICE)
    closed = group_availability(gone, "pin", ["pin_change", "pin_reset"])
    assert closed.availability is A.CLOSED_CARD_READER and closed.service == "pin"
