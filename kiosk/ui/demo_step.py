"""One step of a scripted walk-through: a title, a screenshot name and what the resident does.

`kiosk.ui.demo` plays a list of them and `kiosk.ui.demo_journey` builds the apply journey's;
both import this, so neither needs the other at run time. No Kivy: the CLI reads the demo's
settings without a window.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Awaitable, Callable

if TYPE_CHECKING:  # importing it imports Kivy
    from kiosk.ui.resident import ScriptedResident

Action = Callable[["ScriptedResident"], Awaitable[None]]


@dataclass(frozen=True)
class Step:
    title: str
    shot: str  # screenshot file name, without .png; "" for none
    action: Action
