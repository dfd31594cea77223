"""The card's SSSE application: the commands behind reading the basic data and the PIN.

Each operation is a step `(session, deadline) -> value` that CardConnection.run runs on the
connected card; a refusal is raised as CardFailure and becomes the operation's Completion.

Reading tries the configured READ RECORD form first (tag form by default) and, if the
card answers the first record with 6A83/6A82 (it does not address records that way),
falls back through the other forms in PROTOCOLS.md order; `fallback=False` pins one form.
"""

from __future__ import annotations

from typing import Callable

from kiosk.drivers.card import apdu
from kiosk.drivers.card.apdu import Command, Response
from kiosk.drivers.card.auth import Authenticator
from kiosk.drivers.card.deadline import Deadline
from kiosk.drivers.card.errors import (
    HOLDER_DATA_REFUSED,
    NO_CHALLENGE,
    NOT_SSSE,
    WRONG_PSAM_KEY,
    CardFailure,
    Refusal,
    no_psam,
    pin_refused,
    unexpected,
)
from kiosk.drivers.card.interface import PinStatus
from kiosk.drivers.card.pin import Pin
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
from kiosk.drivers.card.session import Session
from kiosk.drivers.status import Recovery, ResultCode

FORM_ORDER = (RecordForm.TAG, RecordForm.TAG_SFI, RecordForm.RECNO_SFI, RecordForm.RECNO_CURRENT)
# Answers meaning "I do not address records that way" rather than "no such record".
FORM_REFUSALS = {0x6A83, 0x6A82, 0x6986, 0x6A86, 0x6A81}
CHALLENGE_BYTES = 8


class _FormRefused(Exception):
    def __init__(self, form: RecordForm, sw: int) -> None:
        self.form = form
        self.sw = sw


class _NeedsAuthentication(Exception):
    pass


class SsseApplication:
    """The commands of the SSSE application, with how this terminal reads records and
    who computes EXTERNAL AUTHENTICATE (the PSAM)."""

    def __init__(self, authenticator: Authenticator | None, record_form: RecordForm, fallback: bool, exact_le: bool) -> None:
        self.authenticator = authenticator
        self.record_form = record_form
        self.fallback = fallback
        self.exact_le = exact_le  # False: Le = 00 and let the card correct it with 6Cxx

    # --- the steps the reader runs -----------------------------------------------------

    def read_basic(self, s: Session, d: Deadline) -> CardData:
        """EF05 and EF06, authenticating first on 3.00 cards (or when EF06 asks for it)."""
        self._select(s, d)
        try:
            values = self._read_ef(s, d, EF05, None)
        except _NeedsAuthentication:  # the issuer's data is never protected: a faulty answer
            raise CardFailure(ResultCode.PROTOCOL_ERROR, "EF0005 asked for authentication", Recovery.RETRY) from None
        spec = values.get(0x03, b"").decode("ascii", "replace")
        card_id_code = values.get(0x01, b"")
        if spec == "3.00":
            self._authenticate(s, d, card_id_code)
        try:
            holder = self._read_ef(s, d, EF06, spec)
        except _NeedsAuthentication:
            self._authenticate(s, d, card_id_code)
            try:
                holder = self._read_ef(s, d, EF06, spec)
            except _NeedsAuthentication:
                raise HOLDER_DATA_REFUSED.failure(apdu.SW_SECURITY_NOT_SATISFIED) from None
        values.update(holder)
        try:
            return decode(values, atr=s.atr, reader=s.reader)
        except CardDataError as exc:
            raise CardFailure(ResultCode.PROTOCOL_ERROR, f"the card's data cannot be decoded: {exc}", Recovery.RETRY) from None

    def challenge(self, s: Session, d: Deadline) -> bytes:
        cmd = apdu.get_challenge(CHALLENGE_BYTES)
        response = self._send(s, d, cmd)
        if len(response.data) != CHALLENGE_BYTES:
            raise unexpected(cmd, response.sw)
        return response.data

    def verify(self, s: Session, d: Deadline, pin: Pin) -> None:
        self._send(s, d, apdu.verify_pin(pin.bcd()), otherwise=pin_refused)

    def pin_status(self, s: Session, d: Deadline) -> PinStatus:
        self._ensure_selected(s, d)
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

    def change(self, s: Session, d: Deadline, old: Pin, new: Pin) -> None:
        self._send(s, d, apdu.change_pin(old.bcd(), new.bcd()), otherwise=pin_refused)

    def reload(self, s: Session, d: Deadline, block: bytes) -> None:
        refusals = {apdu.SW_CONDITIONS_NOT_SATISFIED: NO_CHALLENGE}
        self._send(s, d, apdu.reload_pin(block), refusals, otherwise=pin_refused)

    # --- selecting and authenticating ----------------------------------------------------

    def _send(
        self,
        s: Session,
        d: Deadline,
        cmd: Command,
        refusals: dict[int, Refusal] | None = None,
        otherwise: Callable[[Command, int], CardFailure] = unexpected,
        *,
        select_first: bool = True,
    ) -> Response:
        """The card's answer to `cmd` when it is 9000; else the failure its status word
        means: one of `refusals`, or `otherwise(cmd, sw)`. The SSSE application is selected
        first if this session has not selected it yet."""
        if select_first:
            self._ensure_selected(s, d)
        response = s.exchange(cmd, d)
        if refusals and response.sw in refusals:
            raise refusals[response.sw].failure(response.sw)
        if not response.ok:
            raise otherwise(cmd, response.sw)
        return response

    def _select(self, s: Session, d: Deadline) -> None:
        response = self._send(s, d, apdu.select_df(DF_SSSE), {apdu.SW_FILE_NOT_FOUND: NOT_SSSE}, select_first=False)
        if DF_SSSE not in response.data:
            raise CardFailure(ResultCode.PROTOCOL_ERROR, "SELECT SSSE: the FCI does not name the application", Recovery.RETRY)
        s.ssse_selected = True
        s.authenticated = False

    def _ensure_selected(self, s: Session, d: Deadline) -> None:
        if not s.ssse_selected:
            self._select(s, d)

    def _authenticate(self, s: Session, d: Deadline, card_id_code: bytes) -> None:
        if s.authenticated:
            return
        if self.authenticator is None:
            raise no_psam()
        challenge = self.challenge(s, d)
        try:
            cryptogram = self.authenticator.external_auth_cryptogram(EXTERNAL_AUTH_KEY_ID, challenge, card_id_code)
        except Exception as exc:  # the PSAM's own failure, whatever it is, is a device error
            raise CardFailure(
                ResultCode.DEVICE_ERROR, f"the PSAM could not compute the cryptogram ({type(exc).__name__})", Recovery.NEEDS_MAINTENANCE
            ) from None
        self._send(s, d, apdu.external_authenticate(EXTERNAL_AUTH_KEY_ID, cryptogram), {0x6300: WRONG_PSAM_KEY})
        s.authenticated = True

    # --- READ RECORD ---------------------------------------------------------------------

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
            self._send(s, d, apdu.select_ef(ef))
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
