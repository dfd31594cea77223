"""It worked: a big tick, what happened and what to do next, and OK.

Nobody has to touch OK: after `auto_ok_s` the screen answers OK by itself (a countdown
says when), so a resident who takes their voucher and walks away does not leave their
result on the screen for the next person.
"""

from __future__ import annotations

import math
import time
from typing import ClassVar, Iterable

from kivy.clock import Clock
from kivy.properties import ObjectProperty

from kiosk.flows.steps import OK, OK_OPTION
from kiosk.i18n import Bilingual, bi
from kiosk.screens.parts import StepScreen
from kiosk.ui.widgets import BiLabel

GREEN = (0.0, 0.45, 0.20, 1)  # on white: 7:1, readable as text too
CLOSES_IN = bi("本页 {seconds} 秒后自动关闭", "This page closes in {seconds} s")
TICK_S = 0.25


class ExtraLine(BiLabel):
    """One more thing to know (a voucher number, the help line), under the body."""


class DoneScreen(StepScreen):
    screen_name = "done"
    auto_ok_s: ClassVar[float] = 20.0
    body = ObjectProperty(None, allownone=True)
    countdown = ObjectProperty(None, allownone=True)
    ok_label = ObjectProperty(OK_OPTION.label)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._deadline = 0.0
        self._timer = None

    def prepare(self, title: Bilingual, body: Bilingual, extra: Iterable[Bilingual] = ()) -> None:
        self.title, self.body = title, body
        box = self.ids.extra
        box.clear_widgets()
        for line in extra:
            box.add_widget(ExtraLine(phrase=line))
        self.ids.scroll.scroll_y = 1
        self._start_countdown()

    def _start_countdown(self) -> None:
        self._stop_countdown()
        self._deadline = time.monotonic() + self.auto_ok_s
        self._tick()
        self._timer = Clock.schedule_interval(self._tick, TICK_S)

    def _stop_countdown(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _tick(self, *_args) -> None:
        left = self._deadline - time.monotonic()
        if left <= 0:
            self.ok()
            return
        self.countdown = CLOSES_IN.format(seconds=math.ceil(left))

    def ok(self) -> None:
        self._stop_countdown()
        self.answer(OK)

    def on_leave(self, *args) -> None:
        self._stop_countdown()
        super().on_leave(*args)
