"""The countdown that warns a resident who stopped touching the screen.

It sits above every screen, swallows touches (so a tap meant to wake the kiosk never
presses a button underneath) and offers one huge "Continue".
"""

from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import NumericProperty, ObjectProperty

from kiosk.ui import texts as T
from kiosk.ui.modal import Modal


class IdleOverlay(Modal):
    seconds = NumericProperty(0)
    countdown = ObjectProperty(None)

    def on_seconds(self, _instance, seconds):
        self.countdown = T.IDLE_COUNTDOWN.format(seconds=int(seconds))

    def on_touch_down(self, touch):
        super().on_touch_down(touch)  # the Continue button
        App.get_running_app().keep_going()
        return True


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
