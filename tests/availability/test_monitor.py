"""The availability monitor: devices (the drivers' in-process fakes), the centre and the switch
feed one KioskAvailability, and listeners hear each change once."""

from __future__ import annotations

import threading

from kiosk.availability.monitor import AvailabilityMonitor, device_probes
from kiosk.availability.out_of_service import OutOfServiceReason, OutOfServiceSwitch
from kiosk.availability.rules import Availability as A, CentreReach
from kiosk.drivers.card.fake import FakeCardReader
from kiosk.drivers.id_reader.fake import FakeIdReader
from kiosk.drivers.printer.fake import FakePrinter
from kiosk.drivers.status import DeviceKind, DeviceState, DeviceStatus


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def rig(tmp_path, *, quiet=lambda: True, centre=lambda: True):
    printer, cards, ids, clock = FakePrinter(), FakeCardReader(), FakeIdReader(), Clock()
    monitor = AvailabilityMonitor(
        OutOfServiceSwitch(tmp_path), probes=device_probes(printer, cards, ids), centre_answers=centre,
        quiet=quiet, devices_every_s=3, centre_every_s=10, clock=clock,
    )  # fmt: skip
    heard: list = []
    monitor.changes.add(heard.append)
    return monitor, printer, cards, ids, clock, heard


def test_all_working_all_open(tmp_path):
    monitor, *_, heard = rig(tmp_path)
    assert monitor.current.centre is CentreReach.UNKNOWN  # before the first round
    kiosk = monitor.check()
    assert all(s.availability is A.OPEN for s in kiosk.services.values())
    assert kiosk.centre is CentreReach.REACHABLE
    assert heard == [kiosk]  # the centre was learnt
    monitor.check()
    assert heard == [kiosk]  # nothing new: nothing said


def test_printer_out_of_paper_closes_printing_services(tmp_path):
    monitor, printer, *_, heard = rig(tmp_path)
    monitor.check()
    printer.run_out_of_paper()
    monitor.wake()
    kiosk = monitor.check()
    assert kiosk.of("apply").availability is A.CLOSED_PRINTER and kiosk.of("pin_change").open
    assert len(heard) == 2 and heard[-1] is kiosk  # the centre learnt, then the paper


def test_unplugged_card_reader_closes_card_services(tmp_path):
    monitor, _, cards, *_ = rig(tmp_path)
    cards.unplug()
    kiosk = monitor.check()
    assert kiosk.of("pin_change").availability is A.CLOSED_CARD_READER
    assert kiosk.of("loss_report").open  # ID cards only


def test_unplugged_id_reader_closes_id_card_services(tmp_path):
    monitor, _, _, ids, *_ = rig(tmp_path)
    ids.unplug()
    kiosk = monitor.check()
    assert kiosk.of("loss_report").availability is A.CLOSED_ID_READER and kiosk.of("status_query").open


def test_devices_are_asked_every_few_seconds_not_every_round(tmp_path):
    monitor, printer, _, _, clock, _ = rig(tmp_path)
    monitor.check()
    printer.run_out_of_paper()
    clock.now = 1.0
    assert monitor.check().of("apply").open  # not due yet
    clock.now = 3.0
    assert not monitor.check().of("apply").open


def test_devices_are_not_asked_during_a_journey(tmp_path):
    journey = threading.Event()
    monitor, printer, _, _, clock, _ = rig(tmp_path, quiet=lambda: not journey.is_set())
    monitor.check()
    journey.set()
    printer.run_out_of_paper()
    clock.now = 100.0
    assert monitor.check().of("apply").open
    journey.clear()
    monitor.wake()  # the journey ended: ask now
    assert not monitor.check().of("apply").open


def test_paper_refilled_reopens_after_wake(tmp_path):
    monitor, printer, *_ = rig(tmp_path)
    printer.run_out_of_paper()
    assert not monitor.check().of("apply").open
    printer.load_paper()
    monitor.wake()
    assert monitor.check().of("apply").open


def test_centre_down_makes_queueable_services_say_so(tmp_path):
    answers = {"up": True}
    monitor, *_ = rig(tmp_path, centre=lambda: answers["up"])
    monitor.check()
    answers["up"] = False
    monitor.wake()
    kiosk = monitor.check()
    assert kiosk.centre is CentreReach.UNREACHABLE
    assert kiosk.of("apply").availability is A.OPEN_QUEUED and kiosk.of("pin_reset").availability is A.CLOSED_CENTRE


def test_a_centre_probe_that_raises_counts_as_unreachable(tmp_path):
    def boom():
        raise OSError("network unreachable")

    monitor, *_ = rig(tmp_path, centre=boom)
    assert monitor.check().centre is CentreReach.UNREACHABLE


def test_a_probe_that_raises_keeps_the_last_status(tmp_path):
    def boom():
        raise RuntimeError("driver bug")

    monitor = AvailabilityMonitor(OutOfServiceSwitch(tmp_path), probes={DeviceKind.PRINTER: boom})
    assert monitor.check().of("apply").open


def test_switch_is_read_every_round(tmp_path):
    monitor, *_, heard = rig(tmp_path)
    monitor.check()
    OutOfServiceSwitch(tmp_path).take_out(OutOfServiceReason.MAINTENANCE, "cli")
    kiosk = monitor.check()  # no wake needed
    assert kiosk.out_of_service and kiosk.of("pin_change").availability is A.OUT_OF_SERVICE
    assert heard[-1] is kiosk


def test_a_camera_status_noted_from_a_photo_session(tmp_path):
    monitor, *_ = rig(tmp_path)
    kiosk = monitor.note(DeviceStatus(DeviceKind.CAMERA, DeviceState.NO_DEVICE))
    assert kiosk.of("apply").availability is A.CLOSED_CAMERA


def test_background_thread_reports_a_change(tmp_path):
    printer = FakePrinter()
    monitor = AvailabilityMonitor(OutOfServiceSwitch(tmp_path), probes=device_probes(printer), devices_every_s=0)
    changed = threading.Event()
    monitor.changes.add(lambda _k: changed.set())
    monitor.start()
    try:
        printer.run_out_of_paper()
        monitor.wake()
        assert changed.wait(10)
        assert not monitor.current.of("apply").open
    finally:
        monitor.stop()
