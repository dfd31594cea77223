"""The voucher serial's format: compose, parse and check a serial such as CS01-T01-20261123-0007.

Format (documented for the window staff who read it aloud):

    CS01-T01-20261123-0007          outlet CS-01, terminal T01, 23 Nov 2026, 7th voucher that day
    TEST-CS01-T01-20261123-0002     a technician's test voucher: its own sequence, never a resident's

- outlet: the policy's outlet id without its '-' (ids are letters then digits, so this is
  reversible: CS01 is CS-01);
- terminal: the configured terminal id, 1-8 capital letters or digits;
- the day the voucher was issued (the terminal's local date);
- the sequence: 4 digits, more after 9999; it starts again at 1 each day for each outlet
  and terminal, separately for test vouchers.

Only capital letters, digits and '-' are used, so the serial fits the QR code's compact
alphanumeric mode, and every serial has exactly one spelling (parse_serial refuses others).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

TEST_PREFIX = "TEST-"
OUTLET_ID = re.compile(r"(?P<letters>[A-Z]{2,4})-(?P<digits>[0-9]{2,4})")
TERMINAL_ID = re.compile(r"[A-Z0-9]{1,8}")
SERIAL = re.compile(
    r"(?P<test>TEST-)?(?P<letters>[A-Z]{2,4})(?P<digits>[0-9]{2,4})-(?P<terminal>[A-Z0-9]{1,8})"
    r"-(?P<day>[0-9]{8})-(?P<number>[0-9]{4,})"
)


@dataclass(frozen=True)
class SerialParts:
    outlet_id: str
    terminal_id: str
    day: date
    number: int
    test: bool


def format_serial(outlet_id: str, terminal_id: str, day: date, number: int, *, test: bool = False) -> str:
    outlet = OUTLET_ID.fullmatch(outlet_id)
    if not outlet:
        raise ValueError(f"outlet id {outlet_id!r} must be letters, '-', digits (such as CS-01)")
    if not TERMINAL_ID.fullmatch(terminal_id):
        raise ValueError(f"terminal id {terminal_id!r} must be 1 to 8 capital letters or digits")
    if number < 1:
        raise ValueError("serial numbers start at 1")
    prefix = TEST_PREFIX if test else ""
    return f"{prefix}{outlet['letters']}{outlet['digits']}-{terminal_id}-{day:%Y%m%d}-{number:04d}"


def parse_serial(serial: str) -> SerialParts:
    match = SERIAL.fullmatch(serial)
    if not match:
        raise ValueError("not a voucher serial (such as CS01-T01-20261123-0007)")
    try:
        day = date(int(match["day"][:4]), int(match["day"][4:6]), int(match["day"][6:]))
    except ValueError:
        raise ValueError("the serial's date is not a real date") from None
    number = int(match["number"])
    if number < 1 or (len(match["number"]) > 4 and match["number"].startswith("0")):
        raise ValueError("the serial's sequence number is not written the canonical way")
    return SerialParts(f"{match['letters']}-{match['digits']}", match["terminal"], day, number, bool(match["test"]))
