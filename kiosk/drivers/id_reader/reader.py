"""The resident ID card reader: a GA 467 SAM module on a serial line (115200 8N1).

Every operation returns a `Completion`; the reader's condition is kept in a
`StatusReporter` (DeviceKind.ID_READER) that `status()` reads. "No card" (SW3 80 on find) is `NO_MEDIA` with the
reader online; a missing or unplugged reader is `NO_DEVICE`; the link reopens by itself
when the reader comes back. A reply with a bad checksum, and a request the module says
arrived corrupted (SW3 10/11), are retried a bounded number of times.

Personal data never reaches logs, reasons or reprs: the driver logs status bytes and
sizes only.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import date
from typing import Callable

from kiosk.drivers.id_reader import status_words as sw
from kiosk.drivers.id_reader.checks import DocumentCheck, check_document
from kiosk.drivers.id_reader.documents import TEXT_LENGTH, DocumentError, IdentityDocument, parse_text
from kiosk.drivers.id_reader.frames import (
    Command,
    FaultKind,
    Frame,
    FrameFault,
    FrameParser,
    Reply,
    Request,
    parse_reply,
)
from kiosk.drivers.serial_link import LinkTimeout, NoDevice, SerialLink
from kiosk.drivers.simulation import Resolve
from kiosk.drivers.status import (
    CancelToken,
    Completion,
    DeviceKind,
    DeviceState,
    DeviceStatus,
    MediaState,
    Recovery,
    ResultCode,
    StatusReporter,
)

log = logging.getLogger(__name__)

BAUD = 115200
PHOTO_LENGTH = 1024
FINGERPRINT_LENGTH = 1024


@dataclass(frozen=True, repr=False)
class CardRead:
    """One read of an identity card: the document, its raw WLT photo, and the checks."""

    document: IdentityDocument
    photo_wlt: bytes  # WLT-compressed; only the vendor's library decodes it (to 102x126 BGR)
    fingerprints: bytes | None  # only from a read with fingerprints
    check: DocumentCheck

    @property
    def expired(self) -> bool:
        return self.check.expired

    @property
    def id_number_valid(self) -> bool:
        return self.check.id_number_valid

    def to_dict(self) -> dict:
        return {
            **self.document.to_dict(),
            "expired": self.check.expired,
            "id_number_valid": self.check.id_number_valid,
            "photo_wlt_bytes": len(self.photo_wlt),
            "fingerprint_bytes": len(self.fingerprints) if self.fingerprints is not None else None,
        }

    def __repr__(self) -> str:
        return f"CardRead({self.document!r}, expired={self.expired}, id_number_valid={self.id_number_valid})"


class IdCardReader:
    def __init__(
        self,
        url: str,
        *,
        command_timeout: float = 1.0,
        read_timeout: float = 3.0,
        retries: int = 2,
        today: Callable[[], date] = date.today,
        resolve: Resolve | None = None,
    ) -> None:
        self.url = url
        self.link = SerialLink(url, BAUD, resolve)
        self.command_timeout = command_timeout
        self.read_timeout = read_timeout
        self.retries = retries
        self.today = today
        self.reporter = StatusReporter(DeviceStatus(DeviceKind.ID_READER, DeviceState.OFFLINE, detail="not contacted yet"))
        self.noise_discarded = 0  # bytes of line noise skipped, for technicians
        self._parser = FrameParser()
        self._operation = threading.RLock()  # find+select+read must not interleave with a poll

    def status(self) -> DeviceStatus:
        """The reader's condition as the last operation found it (no I/O)."""
        return self.reporter.status

    def close(self) -> None:
        self.link.close()

    # --- one command ---------------------------------------------------------------

    def exchange(self, command: Command, *, timeout: float | None = None, cancel: CancelToken | None = None) -> Completion[Reply]:
        """Send `command` and wait for its reply (whatever its SW3)."""
        timeout = self.command_timeout if timeout is None else timeout
        request = Request.of(command).encode()
        last_problem = ""
        attempt, reopened = 0, False
        while attempt <= self.retries:
            try:
                with self.link.lock:
                    self.link.discard_input()
                    self._parser.reset()
                    self.link.write(request)
                    outcome = self._await_reply(time.monotonic() + timeout, cancel)
            except NoDevice as exc:
                if not reopened:  # a port left over from before an unplug: the reader may be back
                    reopened = True
                    continue
                return self._no_device(str(exc))
            finally:
                self.noise_discarded += self._parser.discarded
                self._parser.discarded = 0
            attempt += 1
            if isinstance(outcome, Reply):
                meaning = sw.interpret(outcome.sw3)
                if outcome.sw3 in (sw.REQUEST_CHECKSUM_ERROR, sw.REQUEST_LENGTH_ERROR) and attempt <= self.retries:
                    last_problem = meaning.reason
                    log.warning("id reader: %s on %s, retrying", meaning.label, command.label)
                    continue
                return Completion.success(outcome)
            if isinstance(outcome, FrameFault):
                last_problem = outcome.detail
                log.warning("id reader: %s on %s (attempt %d)", outcome.detail, command.label, attempt)
                continue
            if outcome is ResultCode.CANCELLED:
                return Completion.failure(ResultCode.CANCELLED, f"{command.label} cancelled", command=command.label)
            self.reporter.update(state=DeviceState.OFFLINE, recovery=Recovery.RETRY, detail="the reader did not answer in time")
            return Completion.failure(
                ResultCode.TIMEOUT, f"no answer to {command.label} within {timeout:g} s", Recovery.RETRY,
                command=command.label,
            )
        self.reporter.update(state=DeviceState.OFFLINE, recovery=Recovery.RETRY, detail=f"garbled replies: {last_problem}")
        return Completion.failure(
            ResultCode.PROTOCOL_ERROR,
            f"no intact reply to {command.label} in {1 + self.retries} attempts: {last_problem}",
            Recovery.RETRY,
            command=command.label,
        )

    def _await_reply(self, deadline: float, cancel: CancelToken | None) -> Reply | FrameFault | ResultCode:
        """The reply, a rejected frame, or TIMEOUT / CANCELLED."""
        while True:
            if cancel is not None and cancel.cancelled:
                return ResultCode.CANCELLED
            now = time.monotonic()
            if now >= deadline:
                return ResultCode.TIMEOUT
            try:
                chunk = self.link.read_some(min(deadline, now + 0.1))
            except LinkTimeout:
                continue
            items = self._parser.feed(chunk)
            frames = [item for item in items if isinstance(item, Frame)]
            if frames:
                return parse_reply(frames[0])
            # a preamble with an impossible length is noise: the reply may still follow
            faults = [item for item in items if item.kind is not FaultKind.BAD_LENGTH]
            if faults:
                return faults[0]

    def _no_device(self, reason: str) -> Completion:
        self.reporter.update(
            state=DeviceState.NO_DEVICE,
            media=MediaState.UNKNOWN,
            recovery=Recovery.NEEDS_MAINTENANCE,
            detail="the ID card reader is not connected",
        )
        return Completion.failure(ResultCode.NO_DEVICE, reason, Recovery.NEEDS_MAINTENANCE)

    def _status_command(self, command: Command, expected: int, *, timeout: float | None = None,
                        cancel: CancelToken | None = None) -> Completion[Reply]:
        """`exchange`, then the SW3 judged: success only with the `expected` status."""
        done = self.exchange(command, timeout=timeout, cancel=cancel)
        if not done.ok:
            return done
        reply = done.value
        meaning = sw.interpret(reply.sw3)
        media = self.status().media
        if command is Command.FIND_CARD and reply.sw3 in (sw.CARD_FOUND, sw.FIND_FAILED):
            media = MediaState.PRESENT if reply.sw3 == sw.CARD_FOUND else MediaState.NOT_PRESENT
        self.reporter.update(
            state=meaning.state,
            media=media,
            recovery=Recovery.NONE if meaning.state is DeviceState.ONLINE else meaning.recovery,
            detail="" if meaning.state is DeviceState.ONLINE else f"{meaning.label}: {meaning.reason}",
        )
        if reply.sw3 == expected:
            return done
        if meaning.ok:  # a success code, but not the one this command answers with
            return Completion.failure(
                ResultCode.PROTOCOL_ERROR, f"{command.label} answered {meaning.label}", Recovery.RETRY,
                command=command.label, sw3=f"{reply.sw3:02X}",
            )
        log.info("id reader: %s answered %s (%s)", command.label, meaning.label, meaning.reason)
        return Completion.failure(meaning.code, meaning.reason, meaning.recovery, command=command.label,
                                  sw3=f"{reply.sw3:02X}")

    # --- the SAM ------------------------------------------------------------------

    def reset_sam(self, *, cancel: CancelToken | None = None) -> Completion[None]:
        return self._without_value(self._status_command(Command.RESET_SAM, sw.OK, cancel=cancel))

    def sam_status(self, *, cancel: CancelToken | None = None) -> Completion[None]:
        return self._without_value(self._status_command(Command.SAM_STATUS, sw.OK, cancel=cancel))

    def sam_id(self, *, cancel: CancelToken | None = None) -> Completion[str]:
        """The SAM's 16-byte id, in hex (vendors print it in several formats)."""
        done = self._status_command(Command.SAM_ID, sw.OK, cancel=cancel)
        if not done.ok:
            return done
        if len(done.value.data) != 16:
            return Completion.failure(ResultCode.PROTOCOL_ERROR, f"SAM id of {len(done.value.data)} bytes, not 16")
        return Completion.success(done.value.data.hex().upper())

    # --- the card -----------------------------------------------------------------

    def card_present(self, *, cancel: CancelToken | None = None) -> Completion[bool]:
        """Find card: True with a card, False without; a failure only for a reader problem."""
        with self._operation:
            done = self._status_command(Command.FIND_CARD, sw.CARD_FOUND, cancel=cancel)
        if done.ok:
            return Completion.success(True)
        if done.code is ResultCode.NO_MEDIA:
            return Completion.success(False)
        return done

    def read_card(self, *, fingerprints: bool = False, cancel: CancelToken | None = None) -> Completion[CardRead]:
        """Find, select and read the card on the reader."""
        with self._operation:
            found = self._status_command(Command.FIND_CARD, sw.CARD_FOUND, cancel=cancel)
            if not found.ok:
                return found
            selected = self._status_command(Command.SELECT_CARD, sw.OK, cancel=cancel)
            if not selected.ok:
                return selected
            command = Command.READ_WITH_FINGERPRINT if fingerprints else Command.READ_TEXT_PHOTO
            self.reporter.update(state=DeviceState.BUSY, detail="reading a card")
            read = self._status_command(command, sw.OK, timeout=self.read_timeout, cancel=cancel)
            if not read.ok:
                if self.status().state is DeviceState.BUSY:  # cancelled: the reader itself is fine
                    self.reporter.update(state=DeviceState.ONLINE, detail="")
                return read
        return card_read_from(read.value.data, fingerprints, self.today())

    @staticmethod
    def _without_value(done: Completion[Reply]) -> Completion[None]:
        return Completion.success(None) if done.ok else done


def card_read_from(data: bytes, fingerprints: bool, today: date) -> Completion[CardRead]:
    """The data of a successful 30 01 / 30 10 reply, parsed and checked; never raises."""
    sections = split_read_data(data, fingerprints)
    if isinstance(sections, str):
        return Completion.failure(ResultCode.PROTOCOL_ERROR, sections, Recovery.RETRY)
    text, photo, prints = sections
    try:
        document = parse_text(text)
    except DocumentError as exc:
        return Completion.failure(
            ResultCode.INVALID_DATA, f"the card's text cannot be read: {exc}", Recovery.NEEDS_MAINTENANCE
        )
    read = CardRead(document, photo, prints, check_document(document, today))
    log.info("id reader: read a %s (expired=%s, number valid=%s)", document.kind, read.expired, read.id_number_valid)
    return Completion.success(read)


def split_read_data(data: bytes, fingerprints: bool) -> tuple[bytes, bytes, bytes | None] | str:
    """(text, photo, fingerprints) of a 30 01 / 30 10 reply, or why its data is malformed."""
    header = 6 if fingerprints else 4
    if len(data) < header:
        return f"read reply of {len(data)} bytes has no length header"
    lengths = [int.from_bytes(data[i : i + 2], "big") for i in range(0, header, 2)]
    text_len, photo_len = lengths[0], lengths[1]
    prints_len = lengths[2] if fingerprints else 0
    if text_len != TEXT_LENGTH or photo_len > PHOTO_LENGTH or prints_len > FINGERPRINT_LENGTH:
        return f"read reply announces text {text_len}, photo {photo_len}, fingerprints {prints_len} bytes"
    if len(data) != header + text_len + photo_len + prints_len:
        return f"read reply carries {len(data) - header} bytes where the header announces {text_len + photo_len + prints_len}"
    text = data[header : header + text_len]
    photo = data[header + text_len : header + text_len + photo_len]
    prints = data[header + text_len + photo_len :] if fingerprints else None
    return text, photo, prints
