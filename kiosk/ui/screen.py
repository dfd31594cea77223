"""The screen contract: what every screen shares, its name, how it is prepared, how it answers a flow.

It belongs to the shell, which shows screens and routes a flow's questions to them;
`kiosk/screens/` holds the screens, which import this, and never the other way round.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from kivy.uix.screenmanager import Screen


class KioskScreen(Screen):
    screen_name: ClassVar[str] = ""
    show_home_button: ClassVar[bool] = True  # the top bar's "Start" button
    idle_timeout: ClassVar[bool] = True  # False only where there is no session to end
    # A screen that can see the resident (the camera) says so: someone holding still for
    # their photo has not walked away, though they touch nothing.
    __events__ = ("on_presence",)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(name=self.screen_name, **kwargs)
        self._pending: asyncio.Future | None = None

    def on_presence(self) -> None:
        """Dispatched when the screen sees the resident; the app restarts the idle countdown."""

    def prepare(self, **params: Any) -> None:
        """Called with the step's parameters just before the screen is shown."""

    def await_answer(self, future: asyncio.Future) -> None:
        """A flow asked this screen a question; `answer()` settles it."""
        if self._pending is not None and not self._pending.done():
            self._pending.cancel()
        self._pending = future

    @property
    def asking(self) -> bool:
        """A flow is waiting for the resident's answer on this screen."""
        return self._pending is not None and not self._pending.done()

    def answer(self, value: Any) -> bool:
        """Give the resident's answer to the flow that asked; False if none was asking."""
        pending, self._pending = self._pending, None
        if pending is None or pending.done():
            return False
        pending.set_result(value)
        return True
