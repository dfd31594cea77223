"""Identity numbers a resident can apply with, checked before anything is queued.

Three forms are accepted:
- the 18-character resident ID number (公民身份号码, GB 11643): 6-digit address code,
  birth date YYYYMMDD, 3-digit sequence (odd 17th digit = male), check character;
- the Hong Kong / Macao / Taiwan residence permit number: the same layout with the fixed
  prefix 810000 / 820000 / 830000;
- the foreigner's permanent residence card number (外国人永久居留身份证):
  * 2023 edition, 18 characters: `9`, 2-digit province of the issuing office, 3-digit
    ISO 3166 numeric nationality, birth YYYYMMDD, 3-digit sequence (odd 17th digit = male),
    GB 11643 check character (National Immigration Administration's machine-readable rules);
  * 2017 edition, 15 characters: 3-letter ISO 3166 nationality, 4-digit region of the issuing
    office, birth YYMMDD, 1 sequence digit (odd = male), check digit with the ICAO 9303
    7-3-1 weights. No official public text spells this out; the layout follows public
    validator code and is documented here so it can be revisited.

The old 15-digit resident number (first-generation ID cards) is refused with its own
message: social security cards carry the 18-character number.

Every refusal carries a resident-facing Bilingual reason (simple words, no hint at which
character is wrong) and a technical detail for technicians. Neither repeats the number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kiosk.domain.masking import mask_id_number
from kiosk.domain.regions import MAINLAND_PROVINCES, PERMIT_PREFIXES, RESIDENT_PROVINCES
from kiosk.i18n import Bilingual, bi

MINOR_AGE = 16  # under this age a guardian applies (seed 003)
EARLIEST_BIRTH = date(1900, 1, 1)

GB11643_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
GB11643_CHECK = "10X98765432"
ICAO_WEIGHTS = (7, 3, 1)


class IdKind(StrEnum):
    RESIDENT = "resident_id"
    HMT_PERMIT = "hmt_residence_permit"
    FOREIGN_PERMANENT = "foreign_permanent_residence"


_WRONG = bi("号码有误，请核对后重新输入。", "The number is not correct. Please check it and enter it again.")

REASONS: dict[str, Bilingual] = {
    "empty": bi("请输入证件号码。", "Please enter the ID number."),
    "length": bi(
        "号码位数不对。身份证号码是18位。",
        "The number has the wrong length. An ID number has 18 characters.",
    ),
    "old_15_digit": bi(
        "这是旧的15位号码，请输入身份证上的18位号码。",
        "This is an old 15-digit number. Please enter the 18-character number on your ID card.",
    ),
    "characters": bi(
        "号码只能是数字，最后一位可以是X。",
        "The number may only have digits. The last one may be X.",
    ),
    "foreign_characters": bi(
        "永久居留证号码是3个英文字母加12位数字。",
        "A permanent residence card number is 3 letters and 12 digits.",
    ),
    "birth_date": bi(
        "号码中的出生日期不对，请核对后重新输入。",
        "The birth date in the number is not right. Please check it and enter it again.",
    ),
    "region": _WRONG,
    "nationality": _WRONG,
    "check_character": _WRONG,
}


class InvalidIdNumber(ValueError):
    """A refused number: `.reason` for the resident, `.detail` for technicians, `.code` for code."""

    def __init__(self, code: str, detail: str) -> None:
        self.code = code
        self.reason: Bilingual = REASONS[code]
        self.detail = detail
        super().__init__(detail)


@dataclass(frozen=True, repr=False)
class IdNumber:
    """A checked number. `str()` and `repr()` are masked: use `.value` where the full number is meant."""

    value: str
    kind: IdKind
    birth_date: date
    sex: str  # "男" | "女"
    region_code: str | None
    nationality: str | None = None  # foreigners only: ISO 3166 numeric (2023) or alpha-3 (2017)

    def age_on(self, day: date) -> int:
        """Full years of age on `day` (周岁): one more on each birthday."""
        if day < self.birth_date:
            raise ValueError("the day is before the holder's birth date")
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday

    def is_minor_on(self, day: date) -> bool:
        return self.age_on(day) < MINOR_AGE

    @property
    def masked(self) -> str:
        return mask_id_number(self.value)

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"IdNumber({self.masked!r}, kind={self.kind.value})"


def gb11643_check_character(body: str) -> str:
    """The 18th character for 17 digits (ISO 7064 MOD 11-2)."""
    if len(body) != 17 or not body.isascii() or not body.isdigit():
        raise ValueError("the check character is computed over exactly 17 digits")
    return GB11643_CHECK[sum(int(c) * w for c, w in zip(body, GB11643_WEIGHTS)) % 11]


def icao_check_digit(body: str) -> str:
    """ICAO 9303 check digit: digits as themselves, A..Z as 10..35, weights 7, 3, 1."""
    total = 0
    for i, c in enumerate(body):
        if "0" <= c <= "9":
            v = ord(c) - ord("0")
        elif "A" <= c <= "Z":
            v = ord(c) - ord("A") + 10
        else:
            raise ValueError("ICAO check digits cover digits and capital letters only")
        total += v * ICAO_WEIGHTS[i % 3]
    return str(total % 10)


def normalise(text: object) -> str:
    """What the resident meant: full-width characters folded, spaces dropped, x made X."""
    if not isinstance(text, str):
        return ""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


_EIGHTEEN = re.compile(r"[0-9]{17}[0-9X]")
_FOREIGN_2017 = re.compile(r"[A-Z]{3}[0-9]{12}")


def parse_id_number(text: object, today: date | None = None) -> IdNumber:
    """The checked number, or InvalidIdNumber saying what is wrong with it."""
    today = today or date.today()
    value = normalise(text)
    if not value:
        raise InvalidIdNumber("empty", "no number given")
    if len(value) == 15:
        if value.isascii() and value.isdigit():
            raise InvalidIdNumber("old_15_digit", "15-digit first-generation number; the 18-character number is needed")
        if _FOREIGN_2017.fullmatch(value):
            return _parse_foreign_2017(value, today)
        raise InvalidIdNumber("foreign_characters", "15 characters but not 3 letters + 12 digits")
    if len(value) != 18:
        raise InvalidIdNumber("length", f"{len(value)} characters; 18 expected (15 for a 2017 permanent residence card)")
    if not _EIGHTEEN.fullmatch(value):
        raise InvalidIdNumber("characters", "18 characters must be 17 digits and a digit or X")
    if value[0] == "9":
        return _parse_foreign_2023(value, today)
    if value[:6] in PERMIT_PREFIXES:
        return _parse_gb11643(value, IdKind.HMT_PERMIT, value[:6], today)
    if value[:2] in ("81", "82", "83"):
        raise InvalidIdNumber("region", "numbers starting 81/82/83 are permits and must start 810000/820000/830000")
    if value[:2] not in RESIDENT_PROVINCES:
        raise InvalidIdNumber("region", f"province code {value[:2]} does not exist")
    return _parse_gb11643(value, IdKind.RESIDENT, value[:6], today)


def _parse_gb11643(value: str, kind: IdKind, region: str, today: date, nationality: str | None = None) -> IdNumber:
    birth = _birth_date(value[6:14], today)
    expected = gb11643_check_character(value[:17])
    if value[17] != expected:
        raise InvalidIdNumber("check_character", f"check character is {value[17]}, the other 17 digits give {expected}")
    return IdNumber(value, kind, birth, _sex(value[16]), region, nationality)


def _parse_foreign_2023(value: str, today: date) -> IdNumber:
    if value[1:3] not in MAINLAND_PROVINCES:
        raise InvalidIdNumber("region", f"permanent residence card: province code {value[1:3]} does not exist")
    if value[3:6] == "000":
        raise InvalidIdNumber("nationality", "permanent residence card: nationality code 000 does not exist")
    return _parse_gb11643(value, IdKind.FOREIGN_PERMANENT, value[1:3] + "0000", today, nationality=value[3:6])


def _parse_foreign_2017(value: str, today: date) -> IdNumber:
    if value[3:5] not in MAINLAND_PROVINCES:
        raise InvalidIdNumber("region", f"permanent residence card: province code {value[3:5]} does not exist")
    birth = _birth_date_two_digit_year(value[7:13], today)
    expected = icao_check_digit(value[:14])
    if value[14] != expected:
        raise InvalidIdNumber("check_character", f"check digit is {value[14]}, the other 14 characters give {expected}")
    return IdNumber(value, IdKind.FOREIGN_PERMANENT, birth, _sex(value[13]), value[3:7] + "00", nationality=value[:3])


def _birth_date(digits: str, today: date) -> date:
    try:
        birth = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise InvalidIdNumber("birth_date", "the birth date digits are not a calendar date") from None
    if birth > today:
        raise InvalidIdNumber("birth_date", "the birth date is in the future")
    if birth < EARLIEST_BIRTH:
        raise InvalidIdNumber("birth_date", f"the birth date is before {EARLIEST_BIRTH.isoformat()}")
    return birth


def _birth_date_two_digit_year(digits: str, today: date) -> date:
    """YYMMDD: the latest century that puts the birth date on or before today."""
    yy, mm, dd = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    for century in (2000, 1900):
        try:
            birth = date(century + yy, mm, dd)
        except ValueError:
            continue
        if birth <= today:
            return birth
    raise InvalidIdNumber("birth_date", "the birth date digits are not a past calendar date")


def _sex(digit: str) -> str:
    return "男" if int(digit) % 2 else "女"
