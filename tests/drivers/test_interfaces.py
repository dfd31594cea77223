"""Every device kind's real driver and its in-process fake keep to the kind's interface:
the same operations with the same parameters, so a flow tested on the fake runs on the
hardware. Compared by signature (names, kinds, defaults), not only by name, to catch drift."""

from __future__ import annotations

import inspect
from typing import Protocol

import pytest

from kiosk.drivers.camera import Camera
from kiosk.drivers.camera.fake import FakeCamera
from kiosk.drivers.camera.interface import CameraDevice
from kiosk.drivers.id_reader import IdCardReader
from kiosk.drivers.id_reader.fake import FakeIdReader
from kiosk.drivers.id_reader.interface import IdReaderDevice
from kiosk.drivers.printer import ReceiptPrinter
from kiosk.drivers.printer.fake import FakePrinter
from kiosk.drivers.printer.interface import PrinterDevice
from kiosk.drivers.status import DeviceKind
from kiosk.drivers.usb_drive import UsbDrive
from kiosk.drivers.usb_drive.fake import FakeUsbDrive
from kiosk.drivers.usb_drive.interface import DriveDevice

KINDS = {
    DeviceKind.ID_READER: (IdReaderDevice, lambda: IdCardReader("serial:///dev/nonexistent"), FakeIdReader),
    DeviceKind.PRINTER: (PrinterDevice, lambda: ReceiptPrinter("serial:///dev/nonexistent"), FakePrinter),
    DeviceKind.CAMERA: (CameraDevice, lambda: Camera("file:///nonexistent.jpg"), FakeCamera),
    DeviceKind.USB_DRIVE: (DriveDevice, lambda: UsbDrive("file:///nonexistent.img"), FakeUsbDrive),
}


def operations(protocol: type) -> dict[str, inspect.Signature]:
    own = {name: value for name, value in vars(protocol).items() if callable(value) and name != "__init__"}
    return {name: inspect.signature(value) for name, value in own.items() if not name.startswith("_") or name in ("__enter__", "__exit__")}


def shape(signature: inspect.Signature) -> list[tuple]:
    """What a caller relies on: each parameter's name, kind and default (not annotations)."""
    return [(p.name, p.kind, p.default) for p in signature.parameters.values()]


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_real_driver_and_the_fake_offer_the_interface_s_operations_with_its_signatures(kind):
    protocol, make_real, make_fake = KINDS[kind]
    wanted = operations(protocol)
    assert "status" in wanted  # the one status shape, on every kind
    for device in (make_real(), make_fake()):
        for name, signature in wanted.items():
            offered = getattr(type(device), name, None)
            assert offered is not None, f"{type(device).__name__} lacks {name}"
            assert shape(inspect.signature(offered)) == shape(signature), f"{type(device).__name__}.{name}"
        assert isinstance(device, protocol)
        device.close()


@pytest.mark.parametrize("kind", list(KINDS))
def test_status_is_a_method_that_names_the_device_kind(kind):
    _, make_real, make_fake = KINDS[kind]
    for device in (make_real(), make_fake()):
        assert inspect.ismethod(device.status)
        assert device.status().device is kind
        device.close()


def test_a_class_missing_an_operation_does_not_pass_for_the_interface():
    class Partial:
        url = "x"

        def status(self): ...

    assert not isinstance(Partial(), PrinterDevice)
    assert issubclass(PrinterDevice, Protocol)
