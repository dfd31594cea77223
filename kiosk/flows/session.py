"""One resident's session: everything they entered or the devices read, in one place.

Keeping it in one object is what makes "wipe it all" possible when the resident walks
away: `clear()` empties it and tells the screens, which blank every field that showed it.
Plain Python, no Kivy, so flows and their headless tests share it.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable

from kiosk.domain.personal_values import personal_values
from kiosk.logs import session_secrets

ClearListener = Callable[["Session"], None]


class Session:
    def __init__(self) -> None:
        self._values: dict[str, Any] = {}
        self._listeners: list[ClearListener] = []
        self._generations = itertools.count(1)
        self.generation = next(self._generations)  # changes on every clear: stale async work can tell

    def set(self, key: str, value: Any) -> None:
        self._values[key] = value
        session_secrets.add(*personal_values({key: value}))  # masked in every log until clear()

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)

    def __contains__(self, key: str) -> bool:
        return key in self._values

    def keys(self) -> list[str]:
        return list(self._values)

    @property
    def is_empty(self) -> bool:
        return not self._values

    def on_clear(self, listener: ClearListener) -> None:
        self._listeners.append(listener)

    def clear(self) -> None:
        """Forget everything; byte buffers (photos, card data) are overwritten first."""
        for value in self._values.values():
            if isinstance(value, bytearray):
                value[:] = bytes(len(value))
        self._values.clear()
        session_secrets.clear()
        self.generation = next(self._generations)
        for listener in list(self._listeners):
            listener(self)

    def __repr__(self) -> str:
        # Field names only: the values are personal data and must never reach a log.
        return f"Session(generation={self.generation}, fields={sorted(self._values)})"
