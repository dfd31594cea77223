"""FakeIdReader behaves as the ID reader interface says, for the flows tested on it."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.domain.identity import IdKind
from kiosk.drivers.id_reader.documents import IdentityDocument, Sex
from kiosk.drivers.id_reader.fake import FakeIdReader
from kiosk.drivers.status import CancelToken, DeviceKind, DeviceState, MediaState, Recovery, ResultCode

TODAY = date(2026, 12, 3)


def document(valid_to: date | None = date(2036, 1, 1)) -> IdentityDocument:
    return IdentityDocument(
        kind=IdKind.RESIDENT, name="测试", sex=Sex.MALE, birth_date=date(1990, 3, 7),
        id_number="110105199003070017", valid_from=date(2016, 1, 1), valid_to=valid_to,
    )  # fmt: skip


@pytest.fixture
def reader():
    return FakeIdReader(today=lambda: TODAY)


def test_an_empty_reader_is_online_with_no_card_and_a_read_is_no_media(reader):
    assert reader.status().device is DeviceKind.ID_READER
    assert reader.status().media is MediaState.NOT_PRESENT
    assert reader.card_present().value is False
    read = reader.read_card()
    assert read.code is ResultCode.NO_MEDIA and read.recovery is Recovery.RESIDENT_CAN_FIX
    assert reader.reads == 0


def test_a_placed_card_is_present_and_read_with_the_real_checks(reader):
    reader.place(document(), photo_wlt=b"wlt")
    assert reader.status().media is MediaState.PRESENT
    assert reader.card_present().value is True
    read = reader.read_card()
    assert read.ok and read.value.document.id_number == "110105199003070017"
    assert read.value.photo_wlt == b"wlt" and read.value.fingerprints is None
    assert read.value.check.acceptable and reader.reads == 1


def test_an_expired_card_reads_but_the_check_says_so(reader):
    reader.place(document(valid_to=date(2020, 1, 1)))
    read = reader.read_card()
    assert read.ok and read.value.expired and not read.value.check.acceptable


def test_a_card_taken_away_is_gone(reader):
    reader.place(document())
    reader.take_away()
    assert reader.card_present().value is False
    assert reader.status().media is MediaState.NOT_PRESENT


def test_an_unplugged_reader_is_no_device_until_plugged_back(reader):
    reader.place(document())
    reader.unplug()
    assert reader.status().state is DeviceState.NO_DEVICE
    assert reader.card_present().code is ResultCode.NO_DEVICE
    assert reader.read_card().code is ResultCode.NO_DEVICE
    assert reader.sam_status().code is ResultCode.NO_DEVICE
    reader.plug()
    assert reader.read_card().ok and reader.sam_id().ok


def test_a_status_set_by_the_test_is_what_operations_meet(reader):
    reader.set_status(state=DeviceState.HARDWARE_ERROR, detail="SAM failed", recovery=Recovery.NEEDS_MAINTENANCE)
    failed = reader.sam_status()
    assert failed.code is ResultCode.DEVICE_ERROR and failed.reason == "SAM failed"


def test_a_cancelled_wait_is_cancelled(reader):
    cancel = CancelToken()
    cancel.cancel()
    assert reader.card_present(cancel=cancel).code is ResultCode.CANCELLED


def test_listeners_hear_a_card_placed(reader):
    seen = []
    reader.reporter.add_listener(lambda status: seen.append(status.media))
    reader.place(document())
    assert seen == [MediaState.PRESENT]
