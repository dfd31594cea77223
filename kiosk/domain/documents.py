"""Identity documents a resident may apply with, and the checks for those typed by hand.

Seed 003 1.1.1 accepts the ID card, the Mainland travel permit for Hong Kong, Macao and
Taiwan residents, the passport and the officer's card; for a minor, the ID card or the
household register (户口簿). The ID reader reads three of them (resident ID card, HK/Macao/
Taiwan residence permit, foreigner's permanent residence card); the others have no reader
at a kiosk, so their number is typed on the kiosk's keypad and checked here. The window
still sees every original before the card is made; these checks catch typing mistakes.

Number rules for typed documents (no official public text gives all of them; the layouts
below follow the documents themselves and are kept loose where editions differ):
- passport: 5 to 12 letters and digits with at least one digit. ICAO 9303 gives the
  document number 9 characters in the machine-readable zone (longer numbers overflow), and
  Chinese ordinary passports are E + 8 digits or E + a letter + 7 digits;
- travel permit: Hong Kong / Macao residents H or M + 8 digits (+ 2 digits counting the
  renewals on the 2013 card); Taiwan residents 8 digits (the 2015 card);
- officer's card: the 6 to 8 digits after "X字第" (the characters cannot be typed on a
  Latin keypad, and the window reads them from the original);
- household register: the page of the minor carries the 18-character ID number, checked
  with GB 11643 like any ID number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kiosk.domain.identity import IdKind, IdNumber, InvalidIdNumber, parse_id_number
from kiosk.domain.masking import mask_id_number
from kiosk.i18n import Bilingual, bi


class DocumentKind(StrEnum):
    RESIDENT_ID = "resident_id"
    HMT_RESIDENCE_PERMIT = "hmt_residence_permit"
    FOREIGN_PERMANENT = "foreign_permanent_residence"
    PASSPORT = "passport"
    HMT_TRAVEL_PERMIT = "hmt_travel_permit"
    OFFICER_CARD = "officer_card"
    HOUSEHOLD_REGISTER = "household_register"


# What the ID reader reads: the document kind of each IdKind.
FROM_ID_KIND: dict[IdKind, DocumentKind] = {
    IdKind.RESIDENT: DocumentKind.RESIDENT_ID,
    IdKind.HMT_PERMIT: DocumentKind.HMT_RESIDENCE_PERMIT,
    IdKind.FOREIGN_PERMANENT: DocumentKind.FOREIGN_PERMANENT,
}
READ_BY_READER = frozenset(FROM_ID_KIND.values())
ADULT_TYPED = (DocumentKind.PASSPORT, DocumentKind.HMT_TRAVEL_PERMIT, DocumentKind.OFFICER_CARD)
MINOR_TYPED = (DocumentKind.HOUSEHOLD_REGISTER,)

TITLES: dict[DocumentKind, Bilingual] = {
    DocumentKind.RESIDENT_ID: bi("居民身份证", "Resident ID card"),
    DocumentKind.HMT_RESIDENCE_PERMIT: bi("港澳台居民居住证", "Residence permit for Hong Kong, Macao and Taiwan residents"),
    DocumentKind.FOREIGN_PERMANENT: bi("外国人永久居留身份证", "Foreigner's permanent residence ID card"),
    DocumentKind.PASSPORT: bi("护照", "Passport"),
    DocumentKind.HMT_TRAVEL_PERMIT: bi("港澳台居民来往内地通行证", "Travel permit for Hong Kong, Macao and Taiwan residents"),
    DocumentKind.OFFICER_CARD: bi("军官证", "Officer's card"),
    DocumentKind.HOUSEHOLD_REGISTER: bi("户口簿", "Household register"),
}

# Where on the document the number is, in the words a resident looks for.
WHERE_THE_NUMBER_IS: dict[DocumentKind, Bilingual] = {
    DocumentKind.PASSPORT: bi("护照号码在照片页上，是字母和数字。", "The passport number is on the photo page: letters and digits."),
    DocumentKind.HMT_TRAVEL_PERMIT: bi(
        "证件号码在卡的正面：港澳居民是H或M加数字，台湾居民是8位数字。",
        "The number is on the front of the card: H or M and digits for Hong Kong and Macao, 8 digits for Taiwan.",
    ),
    DocumentKind.OFFICER_CARD: bi("只输入“字第”后面的数字。", "Type only the digits after 字第."),
    DocumentKind.HOUSEHOLD_REGISTER: bi(
        "输入孩子那一页上的公民身份号码（18位）。", "Type the 18-character citizen ID number on the child's page."
    ),
}

REASONS: dict[str, Bilingual] = {
    "empty": bi("请输入证件号码。", "Please enter the document number."),
    "passport": bi(
        "护照号码是5到12位字母和数字，请核对后重新输入。",
        "A passport number has 5 to 12 letters and digits. Please check it and enter it again.",
    ),
    "travel_permit": bi(
        "通行证号码不对：港澳居民是H或M加8位或10位数字，台湾居民是8位数字。",
        "The permit number is not right: H or M and 8 or 10 digits for Hong Kong and Macao, 8 digits for Taiwan.",
    ),
    "officer_card": bi(
        "军官证号码请输入6到8位数字。", "For an officer's card, enter the 6 to 8 digits of its number."
    ),
    "register_not_resident": bi(
        "户口簿上是18位公民身份号码，请核对后重新输入。",
        "The household register shows an 18-character citizen ID number. Please check it and enter it again.",
    ),
    "name": bi(
        "请按证件上的拼音或英文输入姓名（只用字母和空格）。",
        "Please enter the name in Latin letters as on the document (letters and spaces only).",
    ),
}


class InvalidDocumentEntry(ValueError):
    """A refused typed number or name: `.reason` for the resident, `.detail` for technicians; neither repeats it."""

    def __init__(self, code: str, detail: str, reason: Bilingual | None = None) -> None:
        self.code = code
        self.reason = reason or REASONS[code]
        self.detail = detail
        super().__init__(detail)


@dataclass(frozen=True, repr=False)
class DocumentNumber:
    kind: DocumentKind
    value: str
    id_number: IdNumber | None = None  # the household register's citizen ID number, checked

    @property
    def masked(self) -> str:
        return mask_id_number(self.value)

    def __repr__(self) -> str:
        return f"DocumentNumber({self.kind.value}, {self.masked!r})"

    __str__ = __repr__


def normalise(text: object) -> str:
    """Full-width characters folded, spaces dropped, letters in capitals."""
    if not isinstance(text, str):
        return ""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


_PASSPORT = re.compile(r"(?=[A-Z0-9]*[0-9])[A-Z0-9]{5,12}")
_TRAVEL_PERMIT = re.compile(r"[HM][0-9]{8}(?:[0-9]{2})?|[0-9]{8}")
_OFFICER = re.compile(r"[0-9]{6,8}")


def parse_document_number(kind: DocumentKind, text: object, today: date | None = None) -> DocumentNumber:
    """The checked number of a document typed by hand, or InvalidDocumentEntry."""
    value = normalise(text)
    if not value:
        raise InvalidDocumentEntry("empty", "no number given")
    if kind is DocumentKind.PASSPORT:
        if not _PASSPORT.fullmatch(value):
            raise InvalidDocumentEntry("passport", f"{len(value)} characters; 5-12 letters and digits with a digit expected")
        return DocumentNumber(kind, value)
    if kind is DocumentKind.HMT_TRAVEL_PERMIT:
        if not _TRAVEL_PERMIT.fullmatch(value):
            raise InvalidDocumentEntry("travel_permit", f"{len(value)} characters do not make H/M + 8 or 10 digits, or 8 digits")
        return DocumentNumber(kind, value)
    if kind is DocumentKind.OFFICER_CARD:
        if not _OFFICER.fullmatch(value):
            raise InvalidDocumentEntry("officer_card", f"{len(value)} characters; 6-8 digits expected")
        return DocumentNumber(kind, value)
    if kind is DocumentKind.HOUSEHOLD_REGISTER:
        try:
            number = parse_id_number(value, today)
        except InvalidIdNumber as exc:
            raise InvalidDocumentEntry(exc.code, exc.detail, exc.reason) from None
        if number.kind is not IdKind.RESIDENT:
            raise InvalidDocumentEntry("register_not_resident", f"a {number.kind.value} number is not on a household register")
        return DocumentNumber(kind, number.value, number)
    raise ValueError(f"{kind.value} is read by the ID reader, not typed")


_LATIN_NAME = re.compile(r"[A-Z]+(?:[ .'-][A-Z]+)*")


def parse_latin_name(text: object) -> str:
    """A name as printed in Latin letters on a passport or permit (ZHANG SAN, O'NEIL MARY-JANE)."""
    if not isinstance(text, str):
        raise InvalidDocumentEntry("name", "no name given")
    value = " ".join(unicodedata.normalize("NFKC", text).upper().split())
    if not 2 <= len(value) <= 60 or not _LATIN_NAME.fullmatch(value):
        raise InvalidDocumentEntry("name", f"{len(value)} characters that are not a name in Latin letters")
    return value
