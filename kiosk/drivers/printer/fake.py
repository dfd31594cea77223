"""A receipt printer in the test's hand: run it out of paper, open its cover, see what it printed.

It answers like `ReceiptPrinter` (kiosk.drivers.printer.interface) without ESC/POS: its
condition is a set of `PrinterSensors` turned into a status by the real driver's own
`device_status`, and a job it cannot print is refused by the real driver's `refusal`, so a
flow meets the very NO_MEDIA / REFUSED / reprint=True values it meets on the hardware.
"""

from __future__ import annotations

import dataclasses

from kiosk.drivers.fake_device import FakeDevice
from kiosk.drivers.printer.driver import PrintReport, Progress, cannot_print, refusal
from kiosk.drivers.printer.status import PrinterSensors, device_status
from kiosk.drivers.status import CancelToken, Completion, DeviceKind, DeviceState, DeviceStatus


class FakePrinter(FakeDevice):
    def __init__(self) -> None:
        super().__init__(DeviceKind.PRINTER)
        self.printed: list[bytes] = []  # every job that came out whole, in order
        self._sensors = PrinterSensors()
        self._paper_runs_out_mid_job = False
        self.plug()

    # --- steering ------------------------------------------------------------------------

    def set_sensors(self, **sensors: bool) -> DeviceStatus:
        """Set any of PrinterSensors' flags (offline, cover_open, error, paper_near_end, paper_end, …)."""
        self._sensors = dataclasses.replace(self._sensors, **sensors)
        return self.set_status(**self._plugged_in()) if self.plugged else self.status()

    def run_out_of_paper(self) -> None:
        self.set_sensors(paper_end=True, paper_near_end=True)

    def paper_low(self) -> None:
        self.set_sensors(paper_near_end=True, paper_end=False)

    def load_paper(self) -> None:
        self.set_sensors(paper_end=False, paper_near_end=False, stopped_at_paper_end=False)

    def open_cover(self) -> None:
        self.set_sensors(cover_open=True)

    def close_cover(self) -> None:
        self.set_sensors(cover_open=False)

    def paper_runs_out_mid_job(self) -> None:
        """The next job stops part-way: the paper ends while it prints."""
        self._paper_runs_out_mid_job = True

    def _plugged_in(self) -> dict:
        """What the sensors say, as the real driver reads it."""
        status = device_status(self._sensors)
        return {name: getattr(status, name) for name in status.__dataclass_fields__ if name != "device"}

    # --- PrinterDevice -------------------------------------------------------------------

    def refresh_status(self, cancel: CancelToken | None = None) -> Completion[DeviceStatus]:
        status = self.status()  # paper out or cover open is an answer; only silence is a failure
        if status.state is DeviceState.NO_DEVICE or (cancel is not None and cancel.cancelled):
            return self._unusable("status query", cancel)  # type: ignore[return-value]
        return Completion.success(status)

    def print_job(
        self, job: bytes, cancel: CancelToken | None = None, progress: Progress | None = None
    ) -> Completion[PrintReport]:
        refused = cannot_print(self, cancel)
        if refused is not None:
            return refused
        if self._paper_runs_out_mid_job:
            self._paper_runs_out_mid_job = False
            self.set_sensors(paper_end=True, paper_near_end=True, stopped_at_paper_end=True)
            return refusal(self.status(), sent=True)  # type: ignore[return-value]
        if progress is not None:
            progress(len(job), len(job))
        self.printed.append(job)
        return Completion.success(PrintReport(len(job), 0.0, self.status()))
