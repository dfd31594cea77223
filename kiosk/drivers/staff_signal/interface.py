"""What the kiosk may ask of the staff-call signal, whichever device it is.

`RelaySignal` (a USB-serial relay driving a light tower) and `FakeStaffSignal` (in-process,
for flow tests) both satisfy it; tests/drivers/test_interfaces.py-style checks keep them to it.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from kiosk.drivers.status import Completion, DeviceStatus


@runtime_checkable
class StaffSignalDevice(Protocol):
    url: str

    def status(self) -> DeviceStatus:
        """The signal's condition as last seen (no I/O; never blocks)."""
        ...

    def refresh_status(self) -> Completion[DeviceStatus]:
        """Reach the device now; success carries its status."""
        ...

    def call(self) -> Completion[None]:
        """Light the signal: a resident is waiting for staff. NO_DEVICE when it is not there."""
        ...

    def clear(self) -> Completion[None]:
        """Switch it off (the resident left, staff came)."""
        ...

    def close(self) -> None: ...
