"""A PIN as the driver holds it: digits that never show in a repr, a str, a log or an error.

Screens hand the driver a `Pin`; the digits leave it only as BCD bytes inside a secret
APDU (apdu.Command(secret=True)). A bad PIN raises `BadPin` whose message says what is
wrong with its form, never what it is.
"""

from __future__ import annotations

MIN_DIGITS = 4
MAX_DIGITS = 12


class BadPin(ValueError):
    """The PIN is not 4 to 12 digits. The message never contains the input."""


class Pin:
    __slots__ = ("_digits",)

    def __init__(self, digits: str) -> None:
        if not isinstance(digits, str):
            raise BadPin("a PIN is a string of digits")
        if not (digits.isascii() and digits.isdigit()):
            raise BadPin("a PIN has digits only")
        if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
            raise BadPin(f"a PIN has {MIN_DIGITS} to {MAX_DIGITS} digits")
        self._digits = digits

    def bcd(self) -> bytes:
        """Packed BCD, an odd digit count padded with F: 123456 -> 12 34 56."""
        return bytes.fromhex(self._digits + "F" * (len(self._digits) % 2))

    def __len__(self) -> int:
        return len(self._digits)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pin) and other._digits == self._digits

    def __hash__(self) -> int:
        return hash(("Pin", len(self._digits)))

    def __repr__(self) -> str:
        return f"Pin({'*' * len(self._digits)})"

    __str__ = __repr__

    def __reduce__(self):  # no pickling a PIN into a queue or a file by accident
        raise TypeError("a PIN cannot be pickled")


def as_pin(value: "Pin | str") -> Pin:
    return value if isinstance(value, Pin) else Pin(value)
