"""It worked: a big tick, how far it got, the next action in the largest text, and OK.

Nobody has to touch OK: after `auto_ok_s` the screen answers OK by itself (a countdown
says when), so a resident who takes their voucher and walks away does not leave their
result on the screen for the next person. While an ID card still lies on the reader (the
reader is polled while the screen is shown) a red line says so, and the voice says it too.
"""

from __future__ import annotations

import math
import time
from typing import ClassVar, Iterable

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, ObjectProperty

from kiosk.flows.steps import OK, OK_OPTION
from kiosk.i18n import Bilingual, bi
from kiosk.screens.parts import StepScreen
from kiosk.ui.widgets import BiLabel

GREEN = (0.0, 0.36, 0.16, 1)  # 7.7:1 on the content screens' paper (WCAG AAA), readable as text too
CLOSES_IN = bi("本页 {seconds} 秒后自动关闭", "This page closes in {seconds} s")
CARD_LEFT = bi("您的身份证还在读卡区，请取走", "Your ID card is still on the reader: please take it")
TICK_S = 0.25


class ExtraLine(BiLabel):
    """One more thing to know (a voucher number, the help line), under the body."""


class DoneScreen(StepScreen):
    screen_name = "done"
    auto_ok_s: ClassVar[float] = 20.0
    body = ObjectProperty(None, allownone=True)
    next_action = ObjectProperty(None, allownone=True)  # what the resident does now, in the largest text
    countdown = ObjectProperty(None, allownone=True)
    ok_label = ObjectProperty(OK_OPTION.label)
    card_left = BooleanProperty(False)  # an ID card still lies on the reader
    card_left_text = CARD_LEFT

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._deadline = 0.0
        self._timer = None
        self._poller = None

    def prepare(
        self, title: Bilingual, body: Bilingual, extra: Iterable[Bilingual] = (), next_action: Bilingual | None = None
    ) -> None:
        self.title, self.body, self.next_action = title, body, next_action
        self.card_left = False
        box = self.ids.extra
        box.clear_widgets()
        for line in extra:
            box.add_widget(ExtraLine(phrase=line))
        self.ids.scroll.scroll_y = 1
        self._start_countdown()
        self._watch_id_reader()

    # --- the ID card left on the reader ----------------------------------------------------

    def _watch_id_reader(self) -> None:
        from kiosk.drivers.id_reader import CardPoller

        self._stop_watching()
        services = getattr(App.get_running_app(), "services", None)
        reader = getattr(services, "id_reader", None)
        if reader is None:
            return
        self._poller = CardPoller(reader)
        self._poller.add_listener(lambda _event: Clock.schedule_once(self._card_seen, 0))
        self._poller.start()

    def _card_seen(self, _dt=None) -> None:
        poller = self._poller
        if poller is None:
            return
        left = poller.card_present
        if left and not self.card_left:
            voice = getattr(App.get_running_app(), "voice", None)
            if voice is not None:
                voice.say([CARD_LEFT])
        self.card_left = left

    def _stop_watching(self) -> None:
        poller, self._poller = self._poller, None
        if poller is not None:
            poller.stop(0)  # never wait on the UI thread: the loop ends after its current ask

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
        self._stop_watching()
        self.card_left = False
        super().on_leave(*args)
