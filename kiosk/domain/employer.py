"""The employer in a batch: its unified social credit code (统一社会信用代码, GB 32100-2015).

18 characters: the registering authority (1), the kind of organisation (1), the 6-digit
administrative division, the 9-character organisation code (GB 11714, with its own check
character) and a check character over the first 17. The alphabet is the digits and the
capitals without I, O, Z, S and V (31 characters, valued 0..30); the weights are 3^i mod 31;
the check character is the one whose value makes the weighted sum a multiple of 31.

The code is printed on every business licence, so it is not secret; the batch voucher still
shows it masked, like every other number on a slip that leaves the kiosk.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kiosk.domain.masking import MASK
from kiosk.i18n import Bilingual, bi

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
USCC_LENGTH = 18
_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_SHAPE = re.compile(rf"[{USCC_ALPHABET}]{{{USCC_LENGTH}}}")

REASONS: dict[str, Bilingual] = {
    "empty": bi("请输入统一社会信用代码。", "Please enter the unified social credit code."),
    "length": bi(
        "统一社会信用代码是18位，请核对营业执照。",
        "The unified social credit code has 18 characters. Please check the business licence.",
    ),
    "characters": bi(
        "统一社会信用代码只有数字和大写字母（没有I、O、Z、S、V），请核对营业执照。",
        "The code has only digits and capital letters (no I, O, Z, S or V). Please check the business licence.",
    ),
    "check_character": bi(
        "统一社会信用代码有误，请核对营业执照后重新输入。",
        "The unified social credit code is not correct. Please check the business licence and enter it again.",
    ),
}


class InvalidCreditCode(ValueError):
    """A refused code: `.reason` for the clerk, `.code` for code, `.detail` for technicians."""

    def __init__(self, code: str, detail: str) -> None:
        self.code = code
        self.reason = REASONS[code]
        self.detail = detail
        super().__init__(detail)


def uscc_check_character(body: str) -> str:
    """The 18th character for the first 17."""
    if len(body) != USCC_LENGTH - 1 or any(c not in _VALUE for c in body):
        raise ValueError("the check character is computed over 17 characters of the code's alphabet")
    remainder = sum(_VALUE[c] * w for c, w in zip(body, USCC_WEIGHTS)) % 31
    return USCC_ALPHABET[(31 - remainder) % 31]


def normalise_credit_code(text: object) -> str:
    """What the clerk meant: full-width folded, spaces and dashes dropped, capitals."""
    if not isinstance(text, str):
        return ""
    folded = unicodedata.normalize("NFKC", text).upper()
    return "".join(c for c in folded if not c.isspace() and c not in "-－")


def parse_credit_code(text: object) -> str:
    """The checked 18-character code, or InvalidCreditCode saying what is wrong."""
    value = normalise_credit_code(text)
    if not value:
        raise InvalidCreditCode("empty", "no code given")
    if len(value) != USCC_LENGTH:
        raise InvalidCreditCode("length", f"{len(value)} characters; 18 expected")
    if not _SHAPE.fullmatch(value):
        raise InvalidCreditCode("characters", "characters outside the GB 32100 alphabet")
    expected = uscc_check_character(value[:17])
    if value[17] != expected:
        raise InvalidCreditCode("check_character", f"check character is {value[17]}, the other 17 give {expected}")
    return value


def mask_credit_code(code: object) -> str:
    """The registering authority, kind and province visible, the last 4 too: 9150**********123X."""
    if not isinstance(code, str):
        return ""
    text = "".join(code.split())
    if len(text) < USCC_LENGTH:
        keep = len(text) // 4
        return text[:keep] + MASK * (len(text) - 2 * keep) + (text[len(text) - keep :] if keep else "")
    return text[:4] + MASK * (len(text) - 8) + text[-4:]


@dataclass(frozen=True)
class Employer:
    """The employer a batch is submitted for; `credit_code` is checked."""

    name: str
    credit_code: str

    @property
    def masked_code(self) -> str:
        return mask_credit_code(self.credit_code)
