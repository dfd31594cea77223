"""The personal values inside what a session holds: the strings a log must never show.

Patterns find numbers, never names: 张三 looks like any other two characters. What a
session has learnt about its resident (an Identity, the card's data, an application with a
phone number) is walked here for the fields that name or number a person, so kiosk.logs can
redact those exact values for as long as the session lasts.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Iterator

# Field names that hold a person's name, a number that identifies them, or how to reach them.
PERSONAL_FIELDS = frozenset({
    "name", "holder_name", "number", "id_number", "social_security_number", "card_number",
    "phone", "mobile", "address", "bank_account", "guardian_name", "proxy_name",
})  # fmt: skip
MAX_DEPTH = 5


def personal_values(value: Any) -> set[str]:
    """Every string under a personal field name in `value` (dataclasses, dicts, lists)."""
    return set(_walk(value, None, 0))


def _walk(value: Any, field: str | None, depth: int) -> Iterator[str]:
    if depth > MAX_DEPTH:
        return
    if isinstance(value, str):
        if field in PERSONAL_FIELDS and value.strip():
            yield value.strip()
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _walk(getattr(value, f.name, None), f.name, depth + 1)
    elif isinstance(value, dict):
        for key, member in value.items():
            yield from _walk(member, str(key), depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for member in value:
            yield from _walk(member, field, depth + 1)
