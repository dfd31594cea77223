"""An outlet staff member's id, as the staff card's chip gives it: a work number such as
S0042 (a capital letter, then capitals, digits or '-', ending in a digit). It is what the
audit trail and the out-of-service switch record of who did something, so it can never be a
name, an ID number, a phone number or a PIN: the form itself rules them out."""

from __future__ import annotations

import re

STAFF_ID = re.compile(r"[A-Z][A-Z0-9-]{0,14}[0-9]")


def is_staff_id(value: object) -> bool:
    return isinstance(value, str) and STAFF_ID.fullmatch(value) is not None
