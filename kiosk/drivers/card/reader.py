"""The social security card reader driver: basic data and PIN operations over PC/SC.

    reader = SocialSecurityCardReader("pcsc://", authenticator=psam)
    done = reader.read_basic(timeout_s=10)          # Completion[CardData]
    if done.ok: ...done.value.name...
    reader.verify_pin("123456")                      # Completion[None]: REFUSED + tries_left

Every public method returns a Completion and never raises for anything a card, a
reader or pcscd can do. Operations run one at a time; the connection to a card is kept
between them (a verified PIN stays verified) until the card is taken out or `close()`.

Reading tries the configured READ RECORD form first (tag form by default) and, if the
card answers the first record with 6A83/6A82 (it does not address records that way),
falls back through the other forms in PROTOCOLS.md order; `fallback=False` pins one form.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable, TypeVar

from kiosk.drivers.card import apdu
from kiosk.drivers.card.auth import NO_PSAM_REASON, Authenticator
from kiosk.drivers.card.errors import CardFailure, pin_refused, unexpected
from kiosk.drivers.card.pcsc import Channel, Context, PcscFailure, ReaderChoice, choose_reader
from kiosk.drivers.card.pin import BadPin, Pin, as_pin
from kiosk.drivers.card.records import (
    DF_SSSE,
    EF05,
    EF06,
    EXTERNAL_AUTH_KEY_ID,
    CardData,
    CardDataError,
    Field,
    RecordForm,
    decode,
    fields_of,
    parse_record,
)
from kiosk.drivers.card.session import Deadline, Session, Trace
from kiosk.drivers.status import (
    CancelToken,
    Completion,
    DeviceState,
    DeviceStatus,
    MediaState,
    Recovery,
    ResultCode,
    StatusReporter,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
DEVICE = "card_reader"
FORM_ORDER = (RecordForm.TAG, RecordForm.TAG_SFI, RecordForm.RECNO_SFI, RecordForm.RECNO_CURRENT)
# Answers meaning "I do not address records that way" rather than "no such record".
FORM_REFUSALS = {0x6A83, 0x6A82, 0x6986, 0x6A86, 0x6A81}


@dataclass(frozen=True)
class PinStatus:
    tries_left: int | None  # None when the card does not say (it answers 9000 once verified)
    verified: bool
    blocked: bool


class _FormRefused(Exception):
    def __init__(self, form: RecordForm, sw: int) -> None:
        self.form = form
        self.sw = sw


class _NeedsAuthentication(Exception):
    pass


class SocialSecurityCardReader:
    def __init__(
        self,
        url: str = "pcsc://",
        *,
        authenticator: Authenticator | None = None,
        record_form: RecordForm | str = RecordForm.TAG,
        fallback: bool = True,
        exact_le: bool = True,
        trace: Trace | None = None,
    ) -> None:
        self.choice = ReaderChoice.from_url(url)
        self.authenticator = authenticator
        self.record_form = RecordForm(record_form)
        self.fallback = fallback
        self.exact_le = exact_le  # False: Le = 00 and let the card correct it with 6Cxx
        self.trace = trace
        self.reporter = StatusReporter(DeviceStatus(DEVICE, DeviceState.OFFLINE, MediaState.UNKNOWN))
        self._context: Context | None = None
        self._session: Session | None = None
        self._lock = threading.RLock()

    # --- public operations ---------------------------------------------------------------

    def read_basic(self, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[CardData]:
        """The card's basic data (EF05 + EF06), authenticating first on 3.00 cards."""
        return self._run("reading the card", self._read_basic, timeout_s, cancel)

    def verify_pin(self, pin: Pin | str, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[None]:
        """VERIFY. Wrong PIN: REFUSED with detail tries_left; blocked: DEVICE_ERROR, blocked=True."""
        try:
            checked = as_pin(pin)
        except BadPin as exc:
            return _bad_pin(exc)
        return self._run("verifying the PIN", lambda s, d: self._verify(s, d, checked), timeout_s, cancel)

    def pin_status(self, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[PinStatus]:
        """How many PIN tries are left, without using one (VERIFY with no data)."""
        return self._run("reading the PIN tries left", self._pin_status, timeout_s, cancel)

    def change_pin(
        self, old: Pin | str, new: Pin | str, *, timeout_s: float = 10.0, cancel: CancelToken | None = None
    ) -> Completion[None]:
        """CHANGE PIN on the card itself; a wrong old PIN counts down like VERIFY."""
        try:
            old_pin, new_pin = as_pin(old), as_pin(new)
        except BadPin as exc:
            return _bad_pin(exc)
        return self._run("changing the PIN", lambda s, d: self._change(s, d, old_pin, new_pin), timeout_s, cancel)

    def get_challenge(self, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[bytes]:
        """The card's 8-byte random; the centre needs it to compute a PIN reload block."""
        return self._run("getting a challenge", self._challenge, timeout_s, cancel)

    def reload_pin(self, block: bytes, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[None]:
        """RELOAD (reset and unblock) the PIN with the 20-byte block the centre's HSM computed
        for the card's last challenge (`get_challenge` first, same card session)."""
        if not isinstance(block, (bytes, bytearray)) or len(block) != 20:
            return Completion.failure(ResultCode.INVALID_DATA, "a PIN reload block is 20 bytes")
        return self._run("reloading the PIN", lambda s, d: self._reload(s, d, bytes(block)), timeout_s, cancel)

    def wait_for_card(self, *, timeout_s: float = 30.0, cancel: CancelToken | None = None) -> Completion[str]:
        """Wait until a card is in the reader; the reader's name. NO_DEVICE at once if there
        is no reader, NO_MEDIA if no card came within `timeout_s`."""
        deadline = Deadline(timeout_s, cancel)
        while True:
            try:
                with self._lock:
                    context = self._ensure_context()
                    state = choose_reader(context, self.choice)
                self._report(DeviceState.ONLINE, MediaState.PRESENT, f"card in {state.name}")
                return Completion.success(state.name)
            except PcscFailure as failure:
                if failure.code is not ResultCode.NO_MEDIA:
                    self._forget_context(failure)
                    self._report_failure(failure.code, failure.reason)
                    return Completion.failure(failure.code, failure.reason, failure.recovery)
                self._report(DeviceState.ONLINE, MediaState.NOT_PRESENT, failure.reason)
            if cancel is not None and cancel.cancelled:
                return Completion.failure(ResultCode.CANCELLED, "cancelled while waiting for a card")
            if deadline.remaining() <= 0:
                return Completion.failure(
                    ResultCode.NO_MEDIA, f"no card was put in within {timeout_s:g} s", Recovery.RESIDENT_CAN_FIX
                )
            wait = min(0.1, max(0.0, deadline.remaining()))
            if cancel is not None:
                cancel.wait(wait)
            else:
                time.sleep(wait)

    def status(self) -> DeviceStatus:
        """The reader's state now: NO_DEVICE without pcscd or reader, else ONLINE with the media."""
        with self._lock:
            try:
                context = self._ensure_context()
                readers = context.readers()
                if not readers:
                    return self._report(DeviceState.NO_DEVICE, MediaState.UNKNOWN, "no card reader is connected", Recovery.NEEDS_MAINTENANCE)
                if self.choice.name is not None:
                    name = self.choice.match(readers)
                    if name is None:
                        return self._report(
                            DeviceState.NO_DEVICE, MediaState.UNKNOWN,
                            f"no {self.choice.describe()} (readers: {', '.join(readers)})", Recovery.NEEDS_MAINTENANCE,
                        )  # fmt: skip
                    readers = [name]
                states = context.states(readers)
            except PcscFailure as failure:
                self._forget_context(failure)
                return self._report_failure(failure.code, failure.reason)
        holding = [s.name for s in states if s.present]
        media = MediaState.PRESENT if holding else MediaState.NOT_PRESENT
        detail = f"card in {holding[0]}" if holding else f"no card ({', '.join(readers)})"
        return self._report(DeviceState.ONLINE, media, detail)

    def close(self) -> None:
        with self._lock:
            self._drop_session()
            if self._context is not None:
                self._context.release()
                self._context = None

    def __enter__(self) -> "SocialSecurityCardReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- the machinery around every operation --------------------------------------------

    def _run(self, what: str, step: Callable[[Session, Deadline], T], timeout_s: float, cancel: CancelToken | None) -> Completion[T]:
        with self._lock:
            deadline = Deadline(timeout_s, cancel)
            try:
                session = self._ensure_session(deadline)
                value = session.run(what, step, deadline)
            except CardFailure as failure:
                return self._failed(what, failure)
            except PcscFailure as failure:
                return self._failed(what, CardFailure.from_pcsc(failure))
        self._report(DeviceState.ONLINE, MediaState.PRESENT, f"card in {session.reader}")
        return Completion.success(value)

    def _failed(self, what: str, failure: CardFailure) -> Completion:
        log.info("%s failed: %s (%s)", what, failure.reason, failure.code)
        session = self._session
        if failure.code in (ResultCode.NO_DEVICE, ResultCode.NO_MEDIA, ResultCode.MEDIA_REMOVED) or (
            session is not None and session.broken
        ):
            self._drop_session()
        if failure.code is ResultCode.NO_DEVICE:
            self._forget_context(None)
        media = {
            ResultCode.NO_MEDIA: MediaState.NOT_PRESENT,
            ResultCode.MEDIA_REMOVED: MediaState.NOT_PRESENT,
        }.get(failure.code)
        if failure.code is ResultCode.NO_DEVICE:
            self._report(DeviceState.NO_DEVICE, MediaState.UNKNOWN, failure.reason, Recovery.NEEDS_MAINTENANCE)
        elif media is not None:
            self._report(DeviceState.ONLINE, media, failure.reason)
        return failure.completion()

    def _ensure_context(self) -> Context:
        if self._context is None:
            self._context = Context()
        return self._context

    def _forget_context(self, failure: PcscFailure | None) -> None:
        """After pcscd went away its context is dead: the next call makes a new one."""
        if failure is not None and failure.code is not ResultCode.NO_DEVICE:
            return
        self._drop_session()
        if self._context is not None:
            try:
                self._context.release()
            except Exception:  # pyscard on a dead pcscd: nothing left to release
                pass
            self._context = None

    def _ensure_session(self, deadline: Deadline) -> Session:
        deadline.check("connecting to the card")
        session = self._session
        if session is not None and not session.broken and session.channel.alive():
            return session
        self._drop_session()
        for attempt in (1, 2):
            try:
                context = self._ensure_context()
                state = choose_reader(context, self.choice)
                channel = Channel(context, state.name)
                break
            except PcscFailure as failure:
                if failure.code is ResultCode.NO_DEVICE and attempt == 1 and self._context is not None:
                    self._forget_context(failure)  # a context from before a pcscd restart: try a fresh one
                    continue
                raise
        self._session = Session(channel, self.trace)
        log.info("connected to the card in %s (%s)", channel.reader, channel.protocol_name)
        return self._session

    def _drop_session(self) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        if session.stuck:  # its context would block on the stuck command: give both up
            context, self._context = self._context, None
            session.close(context)
        else:
            session.close()

    def _report(self, state: DeviceState, media: MediaState, detail: str, recovery: Recovery = Recovery.NONE) -> DeviceStatus:
        return self.reporter.update(state=state, media=media, detail=detail, recovery=recovery)

    def _report_failure(self, code: ResultCode, reason: str) -> DeviceStatus:
        if code is ResultCode.NO_DEVICE:
            return self._report(DeviceState.NO_DEVICE, MediaState.UNKNOWN, reason, Recovery.NEEDS_MAINTENANCE)
        return self._report(DeviceState.HARDWARE_ERROR, MediaState.UNKNOWN, reason, Recovery.RETRY)

    # --- SSSE application --------------------------------------------------------------------

    def _select_ssse(self, s: Session, d: Deadline) -> None:
        cmd = apdu.select_df(DF_SSSE)
        response = s.exchange(cmd, d)
        if response.sw == apdu.SW_FILE_NOT_FOUND:
            raise CardFailure(
                ResultCode.INVALID_DATA,
                "this is not a social security card: it has no SSSE application (SELECT answered 6A82)",
                Recovery.RESIDENT_CAN_FIX,
                sw="6A82",
            )
        if not response.ok:
            raise unexpected(cmd, response.sw)
        if DF_SSSE not in response.data:
            raise CardFailure(ResultCode.PROTOCOL_ERROR, "SELECT SSSE: the FCI does not name the application", Recovery.RETRY)
        s.ssse_selected = True
        s.authenticated = False

    def _ensure_ssse(self, s: Session, d: Deadline) -> None:
        if not s.ssse_selected:
            self._select_ssse(s, d)

    def _read_basic(self, s: Session, d: Deadline) -> CardData:
        self._select_ssse(s, d)
        values = self._read_ef(s, d, EF05, None)
        spec = values.get(0x03, b"").decode("ascii", "replace")
        if spec == "3.00":
            self._authenticate(s, d, values.get(0x01, b""))
        try:
            holder = self._read_ef(s, d, EF06, spec)
        except _NeedsAuthentication:
            self._authenticate(s, d, values.get(0x01, b""))
            try:
                holder = self._read_ef(s, d, EF06, spec)
            except _NeedsAuthentication:
                raise CardFailure(
                    ResultCode.DEVICE_ERROR,
                    "the card still refuses the holder data after EXTERNAL AUTHENTICATE (6982)",
                    Recovery.NEEDS_MAINTENANCE,
                    sw="6982",
                ) from None
        values.update(holder)
        try:
            return decode(values, atr=s.atr, reader=s.reader)
        except CardDataError as exc:
            raise CardFailure(ResultCode.PROTOCOL_ERROR, f"the card's data cannot be decoded: {exc}", Recovery.RETRY) from None

    def _forms(self, s: Session) -> list[RecordForm]:
        if s.working_form is not None:
            return [s.working_form]
        if not self.fallback:
            return [self.record_form]
        return [self.record_form] + [f for f in FORM_ORDER if f is not self.record_form]

    def _read_ef(self, s: Session, d: Deadline, ef: int, spec: str | None) -> dict[int, bytes]:
        refusals: list[str] = []
        for form in self._forms(s):
            try:
                values = self._read_ef_as(s, d, ef, spec, form)
            except _FormRefused as refused:
                refusals.append(f"{refused.form}: {refused.sw:04X}")
                continue
            s.working_form = form
            return values
        raise CardFailure(
            ResultCode.DEVICE_ERROR,
            f"the card answered none of the READ RECORD forms for EF{ef:04X} ({'; '.join(refusals)})",
            Recovery.RESIDENT_CAN_FIX,
        )

    def _le(self, field: Field) -> int:
        return 2 + field.length if self.exact_le else 0x00

    def _read_ef_as(self, s: Session, d: Deadline, ef: int, spec: str | None, form: RecordForm) -> dict[int, bytes]:
        confirmed = s.working_form is form
        if form.needs_select:
            cmd = apdu.select_ef(ef)
            response = s.exchange(cmd, d)
            if not response.ok:
                raise unexpected(cmd, response.sw)
        values: dict[int, bytes] = {}
        for number, field in enumerate(fields_of(ef, spec), start=1):
            p1 = field.tag if form.by_tag else number
            cmd = apdu.read_record(p1, form.p2(ef), self._le(field))
            response = s.exchange(cmd, d)
            if response.sw == apdu.SW_SECURITY_NOT_SATISFIED:
                raise _NeedsAuthentication()
            if not response.ok:
                if not values and not confirmed and response.sw in FORM_REFUSALS:
                    raise _FormRefused(form, response.sw)
                if response.sw == apdu.SW_RECORD_NOT_FOUND:
                    if form.by_tag:
                        continue  # an optional field this card does not have (checked in decode)
                    break  # by number: past the last record
                raise unexpected(cmd, response.sw)
            try:
                tag, value = parse_record(response.data)
            except CardDataError as exc:
                raise CardFailure(ResultCode.PROTOCOL_ERROR, f"EF{ef:04X}: {exc}", Recovery.RETRY) from None
            if form.by_tag and tag != field.tag:
                raise CardFailure(
                    ResultCode.PROTOCOL_ERROR,
                    f"READ RECORD for tag {field.tag:02X} answered tag {tag:02X}",
                    Recovery.RETRY,
                )
            values[tag] = value
        return values

    def _authenticate(self, s: Session, d: Deadline, card_id_code: bytes) -> None:
        if s.authenticated:
            return
        if self.authenticator is None:
            raise CardFailure(ResultCode.DEVICE_ERROR, NO_PSAM_REASON, Recovery.NEEDS_MAINTENANCE)
        challenge = self._challenge(s, d)
        try:
            cryptogram = self.authenticator.external_auth_cryptogram(EXTERNAL_AUTH_KEY_ID, challenge, card_id_code)
        except Exception as exc:  # the PSAM's own failure, whatever it is, is a device error
            raise CardFailure(
                ResultCode.DEVICE_ERROR, f"the PSAM could not compute the cryptogram ({type(exc).__name__})", Recovery.NEEDS_MAINTENANCE
            ) from None
        cmd = apdu.external_authenticate(EXTERNAL_AUTH_KEY_ID, cryptogram)
        response = s.exchange(cmd, d)
        if response.sw == 0x6300:
            raise CardFailure(
                ResultCode.DEVICE_ERROR,
                "the card refused the terminal's EXTERNAL AUTHENTICATE (6300): wrong PSAM key?",
                Recovery.NEEDS_MAINTENANCE,
                sw="6300",
            )
        if not response.ok:
            raise unexpected(cmd, response.sw)
        s.authenticated = True

    def _challenge(self, s: Session, d: Deadline) -> bytes:
        self._ensure_ssse(s, d)
        cmd = apdu.get_challenge(8)
        response = s.exchange(cmd, d)
        if not response.ok or len(response.data) != 8:
            raise unexpected(cmd, response.sw)
        return response.data

    # --- PIN ---------------------------------------------------------------------------------

    def _verify(self, s: Session, d: Deadline, pin: Pin) -> None:
        self._ensure_ssse(s, d)
        cmd = apdu.verify_pin(pin.bcd())
        response = s.exchange(cmd, d)
        if not response.ok:
            raise pin_refused(cmd, response.sw)

    def _pin_status(self, s: Session, d: Deadline) -> PinStatus:
        self._ensure_ssse(s, d)
        cmd = apdu.pin_tries_query()
        response = s.exchange(cmd, d)
        if response.ok:
            return PinStatus(None, verified=True, blocked=False)
        if response.sw == apdu.SW_BLOCKED:
            return PinStatus(0, verified=False, blocked=True)
        if response.sw & 0xFFF0 == 0x63C0:
            tries = response.sw & 0x0F
            return PinStatus(tries, verified=False, blocked=tries == 0)
        raise unexpected(cmd, response.sw)

    def _change(self, s: Session, d: Deadline, old: Pin, new: Pin) -> None:
        self._ensure_ssse(s, d)
        cmd = apdu.change_pin(old.bcd(), new.bcd())
        response = s.exchange(cmd, d)
        if not response.ok:
            raise pin_refused(cmd, response.sw)

    def _reload(self, s: Session, d: Deadline, block: bytes) -> None:
        self._ensure_ssse(s, d)
        cmd = apdu.reload_pin(block)
        response = s.exchange(cmd, d)
        if response.sw == apdu.SW_CONDITIONS_NOT_SATISFIED:
            raise CardFailure(
                ResultCode.PROTOCOL_ERROR,
                "the card had no challenge for this reload block (GET CHALLENGE first, same card session)",
                Recovery.RETRY,
                sw="6985",
            )
        if not response.ok:
            raise pin_refused(cmd, response.sw)


def _bad_pin(exc: BadPin) -> Completion:
    return Completion.failure(ResultCode.INVALID_DATA, str(exc), Recovery.RESIDENT_CAN_FIX)
