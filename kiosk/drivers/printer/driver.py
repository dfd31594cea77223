"""The receipt printer driver: status before and after every job, ESC/POS over a serial line.

A job is only sent when the printer says it can print it (paper present, cover closed, no
error); paper near end prints and is reported for staff. After the job the driver sends
`GS r 1`: unlike `DLE EOT`, it is answered only when the printer has processed everything
before it, so its answer proves the whole job went onto paper. While waiting, the driver
polls `DLE EOT 2` and `DLE EOT 4` (answered at once, even while printing): paper end or an
open cover there means the job stopped part-way, and the driver says so (NO_MEDIA, reprint
needed) instead of claiming success. Silence is a NO_DEVICE error, never "paper adequate".
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from kiosk.config import PrinterSettings
from kiosk.drivers.printer.status import (
    GS_R_PAPER,
    REALTIME_QUERIES,
    PrinterSensors,
    StatusByteError,
    device_status,
    is_gs_r_answer,
    is_realtime_answer,
    parse_gs_r_paper,
    sensors_from_answers,
)
from kiosk.drivers.serial_link import LinkTimeout, NoDevice, SerialLink, baud_of
from kiosk.drivers.simulation import Resolve
from kiosk.drivers.status import (
    CancelToken,
    Completion,
    CoverState,
    DeviceKind,
    DeviceState,
    DeviceStatus,
    Recovery,
    ResultCode,
    StatusReporter,
    SupplyState,
)

DEFAULT_BAUD = 9600  # ESC/POS serial printers ship at 9600 8N1 (python-escpos's default too)
CHUNK_BYTES = 256  # one write stays far inside pyserial's 2 s write timeout even at 9600 baud
PRINT_ALLOWANCE_S = 3.0  # time a printer may take to put a voucher on paper after the last byte

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PrintReport:
    """What a finished job looked like: bytes sent, time taken, the printer's status after."""

    bytes_sent: int
    seconds: float
    status: DeviceStatus

    def to_dict(self) -> dict:
        return {"bytes_sent": self.bytes_sent, "seconds": round(self.seconds, 3), "status": self.status.to_dict()}


class _Silent(Exception):
    def __init__(self, query: str) -> None:
        super().__init__(query)
        self.query = query


class _Cancelled(Exception):
    pass


class ReceiptPrinter:
    def __init__(
        self,
        url: str,
        settings: PrinterSettings | None = None,
        default_baud: int = DEFAULT_BAUD,
        *,
        resolve: Resolve | None = None,
    ) -> None:
        self.url = url
        self.settings = settings or PrinterSettings()
        self.default_baud = default_baud
        self.link = SerialLink(url, default_baud, resolve)
        self.reporter = StatusReporter(DeviceStatus(DeviceKind.PRINTER, DeviceState.NO_DEVICE, detail="not asked yet"))

    def status(self) -> DeviceStatus:
        """The printer's condition as last asked (no I/O); `refresh_status` asks it now."""
        return self.reporter.status

    def close(self) -> None:
        self.link.close()

    # --- status ------------------------------------------------------------------------

    def refresh_status(self, cancel: CancelToken | None = None) -> Completion[DeviceStatus]:
        """Ask the printer; success carries its status (which may say paper out)."""
        with self.link.lock:
            for attempt in (1, 2):
                try:
                    self.link.discard_input()
                    sensors = self._read_sensors(cancel)
                    break
                except NoDevice as exc:
                    # The first failure may be a port left over from before an unplug, with
                    # the printer back already: the link reopens on the second attempt.
                    if attempt == 2:
                        return self._status_failure(exc)
                except Exception as exc:  # every way of failing becomes a status, never a crash
                    return self._status_failure(exc)
        return Completion.success(self._report(device_status(sensors)))

    def _read_sensors(self, cancel: CancelToken | None, with_gs_r: bool = True) -> PrinterSensors:
        answers: dict[str, int] = {}
        for name, query in REALTIME_QUERIES.items():
            if cancel is not None and cancel.cancelled:
                raise _Cancelled()
            answers[name] = self._ask_realtime(name, query)
        sensors = sensors_from_answers(answers)
        if with_gs_r and not (sensors.offline or sensors.cover_open or sensors.paper_end):
            # GS r waits behind buffered data, and an offline printer never answers it.
            self.link.write(GS_R_PAPER)
            answers["gs_r"] = self._await_byte("GS r 1", is_gs_r_answer, self._deadline())
            sensors = sensors_from_answers(answers)
        return sensors

    def _deadline(self, extra: float = 0.0) -> float:
        return time.monotonic() + self.settings.status_timeout_s + extra

    def _ask_realtime(self, name: str, query: bytes) -> int:
        self.link.write(query)
        return self._await_byte(f"DLE EOT {query[-1]} ({name})", is_realtime_answer, self._deadline())

    def _await_byte(self, query: str, wanted: Callable[[int], bool], deadline: float) -> int:
        """The next byte, which must be shaped like an answer to `query`."""
        byte = self._next_byte(deadline)
        if byte is None:
            raise _Silent(query)
        if not wanted(byte):
            raise StatusByteError(f"0x{byte:02X} is not an answer to {query}")
        return byte

    def _status_failure(self, exc: Exception) -> Completion:
        timeout = self.settings.status_timeout_s
        if isinstance(exc, _Cancelled):
            return Completion.failure(ResultCode.CANCELLED, "status query cancelled")
        if isinstance(exc, _Silent):
            reason = (
                f"no answer to {exc.query} within {timeout:g} s: printer off, wrong port or wrong baud rate "
                "(paper state unknown, not assumed adequate)"
            )
            self._report(DeviceStatus(DeviceKind.PRINTER, DeviceState.NO_DEVICE, recovery=Recovery.NEEDS_MAINTENANCE, detail=reason))
            return Completion.failure(ResultCode.NO_DEVICE, reason, Recovery.NEEDS_MAINTENANCE)
        if isinstance(exc, NoDevice):
            reason = f"printer not connected: {exc}"
            self._report(DeviceStatus(DeviceKind.PRINTER, DeviceState.NO_DEVICE, recovery=Recovery.NEEDS_MAINTENANCE, detail=reason))
            return Completion.failure(ResultCode.NO_DEVICE, reason, Recovery.NEEDS_MAINTENANCE)
        if isinstance(exc, StatusByteError):
            reason = f"printer answered nonsense: {exc}"
            try:
                self.link.discard_input()
            except NoDevice:
                pass
            self._report(DeviceStatus(DeviceKind.PRINTER, DeviceState.HARDWARE_ERROR, recovery=Recovery.NEEDS_MAINTENANCE, detail=reason))
            return Completion.failure(ResultCode.PROTOCOL_ERROR, reason, Recovery.NEEDS_MAINTENANCE)
        reason = f"unexpected {type(exc).__name__}: {exc}"
        self._report(DeviceStatus(DeviceKind.PRINTER, DeviceState.HARDWARE_ERROR, recovery=Recovery.NEEDS_MAINTENANCE, detail=reason))
        return Completion.failure(ResultCode.DEVICE_ERROR, reason, Recovery.NEEDS_MAINTENANCE)

    def _report(self, status: DeviceStatus) -> DeviceStatus:
        self.reporter.update(**{k: getattr(status, k) for k in status.__dataclass_fields__})
        return status

    # --- printing ------------------------------------------------------------------------

    def print_job(
        self, job: bytes, cancel: CancelToken | None = None, progress: Progress | None = None
    ) -> Completion[PrintReport]:
        """Print `job` if the printer can take it; the Completion says whether it all got out.

        Refusals (nothing printed): NO_MEDIA for paper out, REFUSED for an open cover,
        DEVICE_ERROR for a printer error, NO_DEVICE / PROTOCOL_ERROR when the status could
        not be read. After sending, NO_MEDIA / REFUSED with detail `reprint=True` when the
        job stopped part-way: load paper or close the cover, then send the same job again.
        """
        with self.link.lock:  # nobody else talks to the printer between the checks and the job
            return self._print_locked(job, cancel, progress)

    def _print_locked(self, job: bytes, cancel: CancelToken | None, progress: Progress | None) -> Completion[PrintReport]:
        started = time.monotonic()
        refused = cannot_print(self, cancel)
        if refused is not None:
            return refused
        try:
            sent = self._send(job, cancel, progress)
        except NoDevice as exc:
            return self._incomplete(self._status_failure(exc), "the printer went away while the job was sent")
        if sent < len(job):
            return Completion.failure(
                ResultCode.CANCELLED,
                f"cancelled after {sent} of {len(job)} bytes; the printed part is not a valid voucher",
                Recovery.RETRY,
                reprint=True,
                bytes_sent=sent,
            )
        try:
            confirmed, sensors = self._await_job_end(len(job))
        except Exception as exc:
            return self._incomplete(self._status_failure(exc), "no confirmation that the job was printed")
        status = self._report(device_status(sensors))
        if confirmed:
            return Completion.success(PrintReport(len(job), time.monotonic() - started, status))
        return refusal(status, sent=True) or Completion.failure(
            ResultCode.DEVICE_ERROR, f"printer stopped during the job: {status.detail}", status.recovery, reprint=True
        )

    @staticmethod
    def _incomplete(failure: Completion, why: str) -> Completion:
        return Completion.failure(failure.code, f"{why}; reprint needed: {failure.reason}", failure.recovery, reprint=True)

    def _send(self, job: bytes, cancel: CancelToken | None, progress: Progress | None) -> int:
        sent = 0
        while sent < len(job):
            if cancel is not None and cancel.cancelled:
                return sent
            chunk = job[sent : sent + CHUNK_BYTES]
            self.link.write(chunk)
            sent += len(chunk)
            if progress is not None:
                progress(sent, len(job))
        return sent

    def _await_job_end(self, job_bytes: int) -> tuple[bool, PrinterSensors]:
        """(confirmed, sensors): wait for the `GS r 1` sent after the job, polling meanwhile.

        Confirmed means the printer processed every byte of the job. Not confirmed means it
        stopped part-way (paper end, cover opened, error), as the polled sensors show.
        """
        baud = baud_of(self.url, self.default_baud)
        deadline = self._deadline(PRINT_ALLOWANCE_S + job_bytes * 10 / baud)
        self.link.write(GS_R_PAPER)
        while True:
            byte = self._next_byte(min(deadline, time.monotonic() + self.settings.status_timeout_s / 2))
            if byte is not None and not is_gs_r_answer(byte):
                raise StatusByteError(f"0x{byte:02X} is not an answer to GS r 1")
            confirmation = byte
            if confirmation is None:
                # Not confirmed yet: still printing, or stopped? DLE EOT is answered as soon
                # as it arrives, which may be after job bytes still on the line.
                confirmation, sensors = self._poll_while_printing(deadline)
                if confirmation is None:
                    if sensors.paper_end or sensors.cover_open or sensors.error or sensors.stopped_at_paper_end:
                        return False, sensors
                    if time.monotonic() >= deadline:
                        raise _Silent("GS r 1 after the job")
                    continue
            after = self._read_sensors(cancel=None, with_gs_r=False)
            finished = parse_gs_r_paper(confirmation)
            return True, PrinterSensors(
                **{
                    **after.to_dict(),
                    "paper_end": after.paper_end or finished["paper_end"],
                    "paper_near_end": after.paper_near_end or finished["paper_near_end"],
                }
            )

    def _next_byte(self, until: float) -> int | None:
        try:
            return self.link.read_some(until, max_bytes=1)[0]
        except LinkTimeout:
            return None

    def _poll_while_printing(self, job_deadline: float) -> tuple[int | None, PrinterSensors]:
        """`DLE EOT 2` and `4`, and the `GS r` answer if it arrives in between."""
        answers: dict[str, int] = {}
        confirmation: int | None = None
        for name in ("offline_cause", "roll_paper"):
            self.link.write(REALTIME_QUERIES[name])
            deadline = max(job_deadline, self._deadline())
            while name not in answers:
                byte = self._next_byte(deadline)
                if byte is None:
                    raise _Silent(f"DLE EOT ({name}) while printing")
                if is_gs_r_answer(byte):
                    confirmation = byte
                elif is_realtime_answer(byte):
                    answers[name] = byte
                else:
                    raise StatusByteError(f"0x{byte:02X} is not an answer to DLE EOT ({name})")
        return confirmation, sensors_from_answers(answers)


def cannot_print(printer, cancel: CancelToken | None = None) -> Completion | None:
    """Asks `printer` (a PrinterDevice) now: why a job must not be sent to it (no answer, or
    an answer that says it cannot print), else None."""
    before = printer.refresh_status(cancel)
    if not before.ok:
        return before
    return refusal(before.value)


def refusal(status: DeviceStatus, sent: bool = False) -> Completion | None:
    """The failure for a printer in `status` that cannot print (or, with `sent`, could not finish), else None."""
    if sent:
        how = "the job stopped part-way and must be reprinted"
    else:
        how = "nothing was printed"
    extra = {"reprint": True} if sent else {}
    if status.state is DeviceState.HARDWARE_ERROR:
        return Completion.failure(ResultCode.DEVICE_ERROR, f"{status.detail}; {how}", status.recovery, **extra)
    if status.cover is CoverState.OPEN:
        return Completion.failure(ResultCode.REFUSED, f"printer cover is open; {how}", Recovery.STAFF_CAN_CLEAR, cover="open", **extra)
    if status.supplies.get("paper") is SupplyState.OUT:
        return Completion.failure(ResultCode.NO_MEDIA, f"out of paper; {how}", Recovery.STAFF_CAN_CLEAR, paper="out", **extra)
    if status.state is DeviceState.OFFLINE:
        return Completion.failure(ResultCode.DEVICE_ERROR, f"{status.detail}; {how}", status.recovery, **extra)
    return None
