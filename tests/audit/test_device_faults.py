"""Which device status changes are faults, and how a flapping device is folded."""

from __future__ import annotations

import pytest

from kiosk import audit
from kiosk.drivers.fake_device import FakeDevice
from kiosk.drivers.printer.fake import FakePrinter
from kiosk.drivers.status import DeviceKind, DeviceState, MediaState, Recovery


@pytest.fixture
def trail(tmp_path):
    configured = audit.configure(tmp_path, "T01")
    yield configured
    audit.configure(None, "")


def written(trail) -> list[tuple[str, dict, int | None]]:
    return [(e["event"], e["fields"], e.get("repeats")) for e in trail.file.read().entries]


def test_paper_low_is_a_fault_and_loading_paper_a_recovery(trail):
    printer = FakePrinter()
    printer.paper_low()
    printer.load_paper()
    assert written(trail) == [
        ("device-fault", {"device": "printer", "state": "paper_low"}, None),
        ("device-recovered", {"device": "printer", "state": "online"}, None),
    ]


def test_an_open_cover_is_a_fault(trail):
    FakePrinter().open_cover()
    assert written(trail) == [("device-fault", {"device": "printer", "state": "cover_open"}, None)]


def test_an_unplugged_device_is_a_fault(trail):
    FakeDevice(DeviceKind.CAMERA).unplug()
    assert written(trail) == [("device-fault", {"device": "camera", "state": "no_device"}, None)]


def test_a_closed_camera_is_not_a_fault(trail):
    FakeDevice(DeviceKind.CAMERA).set_status(state=DeviceState.OFFLINE, recovery=Recovery.NONE, detail="closed")
    assert not trail.file.path.exists()


def test_a_residents_unreadable_stick_is_not_a_fault(trail):
    drive = FakeDevice(DeviceKind.USB_DRIVE)
    drive.set_status(state=DeviceState.USER_ERROR, media=MediaState.PRESENT, recovery=Recovery.RESIDENT_CAN_FIX)
    assert not trail.file.path.exists()


def test_a_fault_that_changes_is_recorded_again(trail):
    printer = FakePrinter()
    printer.paper_low()
    printer.run_out_of_paper()
    assert [fields["state"] for _, fields, _ in written(trail)] == ["paper_low", "paper_out"]


def test_a_flapping_device_is_folded(trail):
    reader = FakeDevice(DeviceKind.ID_READER)
    for _ in range(5):
        reader.unplug()
        reader.plug()
    trail.close()
    assert written(trail) == [
        ("device-fault", {"device": "id_reader", "state": "no_device"}, None),
        ("device-recovered", {"device": "id_reader", "state": "online"}, None),
        ("device-fault", {"device": "id_reader", "state": "no_device"}, 4),
        ("device-recovered", {"device": "id_reader", "state": "online"}, 4),
    ]
