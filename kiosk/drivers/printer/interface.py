"""What flows and the CLI may ask of a receipt printer, whichever printer it is.

`ReceiptPrinter` (ESC/POS on a serial line) and `FakePrinter` (in-process, for flow tests)
both satisfy it; tests/drivers/test_interfaces.py checks that they keep to it.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from kiosk.drivers.printer.driver import PrintReport, Progress
from kiosk.drivers.status import CancelToken, Completion, DeviceStatus


@runtime_checkable
class PrinterDevice(Protocol):
    url: str

    def status(self) -> DeviceStatus:
        """The printer's condition as last asked (no I/O; never blocks)."""
        ...

    def refresh_status(self, cancel: CancelToken | None = None) -> Completion[DeviceStatus]:
        """Ask the printer now; success carries its status (which may say paper out), and
        `status()` says the same afterwards."""
        ...

    def print_job(
        self, job: bytes, cancel: CancelToken | None = None, progress: Progress | None = None
    ) -> Completion[PrintReport]:
        """Print `job` if the printer can take it. Refused (nothing printed): NO_MEDIA paper
        out, REFUSED cover open, DEVICE_ERROR, NO_DEVICE; stopped part-way: the same codes
        with detail reprint=True."""
        ...

    def close(self) -> None: ...
