"""The outlet staff application: what tells a staff card from a resident's card.

The centre issues outlet staff a card that carries, besides the SSSE application (the staff
member's own PIN), a staff application naming the staff member and the outlet. The kiosk
asks the chip: SELECT of the staff application answers 6A82 on every other card. The
application's real name and layout are not public (*stand-in*, hwsim/card/chip.py has the
same): DF "SS.STAFF.ADF", one EF with SFI 1, records by tag 01 (staff id) and 02 (outlet),
ASCII. The staff PIN is the card's PIN, verified in the SSSE application like a resident's.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.staff_id import is_staff_id
from kiosk.drivers.card import apdu
from kiosk.drivers.card.deadline import Deadline
from kiosk.drivers.card.errors import CardFailure, Refusal, unexpected
from kiosk.drivers.card.records import CardDataError, ascii_text, parse_record
from kiosk.drivers.card.session import Session
from kiosk.drivers.status import Recovery, ResultCode

DF_STAFF = b"SS.STAFF.ADF"
STAFF_SFI = 1
TAG_STAFF_ID, TAG_OUTLET = 0x01, 0x02
FIELD_BYTES = 16

NOT_STAFF = Refusal(
    ResultCode.INVALID_DATA,
    "this is not an outlet staff card: it has no staff application (SELECT answered 6A82)",
    Recovery.RESIDENT_CAN_FIX,
)


@dataclass(frozen=True)
class StaffCredential:
    """Who holds the staff card, as its chip says: no personal data (a staff id, an outlet)."""

    staff_id: str
    outlet: str


def is_not_staff_card(sw: str | None) -> bool:
    """The Detail.SW of a read_staff failure that means "this card has no staff application"."""
    return sw == f"{apdu.SW_FILE_NOT_FOUND:04X}"


def read_staff(s: Session, d: Deadline) -> StaffCredential:
    """SELECT the staff application, then its two records by tag via SFI 1."""
    response = s.exchange(apdu.select_df(DF_STAFF), d)
    s.ssse_selected = False  # another application is selected now: the PIN commands select SSSE again
    s.authenticated = False
    if response.sw == apdu.SW_FILE_NOT_FOUND:
        raise NOT_STAFF.failure(response.sw)
    if not response.ok:
        raise unexpected(apdu.select_df(DF_STAFF), response.sw)
    staff_id, outlet = (_record(s, d, tag) for tag in (TAG_STAFF_ID, TAG_OUTLET))
    if not is_staff_id(staff_id):
        raise CardFailure(ResultCode.PROTOCOL_ERROR, "the staff application's staff id is not a work number", Recovery.RETRY)
    return StaffCredential(staff_id, outlet)


def _record(s: Session, d: Deadline, tag: int) -> str:
    cmd = apdu.read_record(tag, STAFF_SFI << 3, 0x00)  # Le 00: the card corrects it with 6Cxx
    response = s.exchange(cmd, d)
    if not response.ok:
        raise unexpected(cmd, response.sw)
    try:
        got, value = parse_record(response.data)
        text = ascii_text(value, f"staff record {tag:02X}")
    except CardDataError as exc:
        raise CardFailure(ResultCode.PROTOCOL_ERROR, f"the staff application: {exc}", Recovery.RETRY) from None
    if got != tag or not text or len(text) > FIELD_BYTES:
        raise CardFailure(ResultCode.PROTOCOL_ERROR, f"the staff application answered a bad record for tag {tag:02X}", Recovery.RETRY)
    return text
