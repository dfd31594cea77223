"""长辈模式 / Simpler mode: larger text, at most four choices a screen, the voice on, more time.

The mode belongs to the resident's session: they switch it on at the attract or home screen
(the `ModeToggle` button, labelled in both languages), every screen follows the app's `mode`
property, and the end of the session (the idle wipe) returns the kiosk to the standard mode.
What the mode changes in the terminal's config is `[elder]` (kiosk/config/settings.py).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Sequence, TypeVar

from kiosk.i18n import bi

T = TypeVar("T")

MAX_CHOICES = 4  # choices on one screen in the simpler mode, 「更多」 included


class Mode(StrEnum):
    STANDARD = "standard"
    SIMPLER = "simpler"  # 长辈模式


TURN_ON = bi("长辈模式（字更大、时间更长）", "Simpler mode (larger text, more time)")
TURN_OFF = bi("长辈模式已打开，点这里关闭", "Simpler mode is on: tap to turn it off")
MORE = bi("更多", "More")


def page_of(items: Sequence[T], page: int, limit: int = MAX_CHOICES) -> tuple[list[T], bool]:
    """The items shown on `page` (counted from 0, wrapping round) and whether a 「更多」 button
    is shown beside them: a list longer than `limit` shows `limit - 1` at a time, so the
    「更多」 button is the last of at most `limit` choices."""
    if len(items) <= limit:
        return list(items), False
    per_page = limit - 1
    pages = -(-len(items) // per_page)
    start = (page % pages) * per_page
    return list(items[start:start + per_page]), True


def page_count(items: Sequence[object], limit: int = MAX_CHOICES) -> int:
    return 1 if len(items) <= limit else -(-len(items) // (limit - 1))
