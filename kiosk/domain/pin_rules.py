"""Which new PINs a kiosk refuses because they are easy to guess.

A lost card with a guessable PIN is money gone: the card's holder data (birth date, ID
number) is printed on the card and on every ID card, and the classic guesses are runs and
repeats. The rules look at the digits one by one (a `Sequence[int]` such as the pin pad's
buffer), so checking a PIN never makes an extra copy of it as a string.
"""

from __future__ import annotations

from datetime import date
from typing import Sequence

from kiosk.i18n import Bilingual, bi

PIN_LENGTH = 6

SAME_DIGITS = bi("密码不能是6个相同的数字，比如111111。", "The PIN cannot be six of the same digit, such as 111111.")
RUN = bi(
    "密码不能是连着的数字，比如123456或654321。",
    "The PIN cannot be digits in a row, such as 123456 or 654321.",
)
BIRTH_DATE = bi("密码不能用您的出生日期。", "The PIN cannot be your date of birth.")
ID_DIGITS = bi("密码不能用身份证号码里连着的6位数字。", "The PIN cannot be six digits in a row from your ID number.")
SAME_AS_OLD = bi("新密码不能和原来的密码一样。", "The new PIN must be different from the old one.")
WRONG_LENGTH = bi("密码是6位数字。", "The PIN has 6 digits.")


def pin_problem(
    pin: Sequence[int],
    *,
    birth_date: date | None = None,
    id_number: str | None = None,
    old: Sequence[int] | None = None,
) -> Bilingual | None:
    """Why `pin` (digit values 0..9) may not be chosen as a new PIN, or None when it may."""
    if len(pin) != PIN_LENGTH or any(not 0 <= d <= 9 for d in pin):
        return WRONG_LENGTH
    if all(d == pin[0] for d in pin):
        return SAME_DIGITS
    if is_run(pin):
        return RUN
    if birth_date is not None and _matches_birth_date(pin, birth_date):
        return BIRTH_DATE
    if id_number and _inside(pin, _digits(id_number)):
        return ID_DIGITS
    if old is not None and len(old) == len(pin) and all(a == b for a, b in zip(old, pin)):
        return SAME_AS_OLD
    return None


def is_run(pin: Sequence[int]) -> bool:
    """Each digit one up (123456, 890123) or one down (654321, 210987) from the last, wrapping
    round 9 and 0 as a resident's finger does on the keypad."""
    steps = {(pin[i + 1] - pin[i]) % 10 for i in range(len(pin) - 1)}
    return steps == {1} or steps == {9}


def _digits(text: str) -> list[int]:
    return [int(c) for c in text if c.isascii() and c.isdigit()]


def _inside(pin: Sequence[int], digits: Sequence[int]) -> bool:
    """`pin` appears in `digits` as a run of consecutive digits."""
    n = len(pin)
    return any(all(digits[i + k] == pin[k] for k in range(n)) for i in range(len(digits) - n + 1))


def _matches_birth_date(pin: Sequence[int], born: date) -> bool:
    """YYMMDD, MMDDYY, DDMMYY, or the month and day (MMDD) anywhere in it."""
    yy, mm, dd = _digits(f"{born:%y}"), _digits(f"{born:%m}"), _digits(f"{born:%d}")
    whole = (yy + mm + dd, mm + dd + yy, dd + mm + yy)
    if any(all(a == b for a, b in zip(pin, candidate)) for candidate in whole):
        return True
    return _inside(mm + dd, pin)
