"""A layer over every screen that keeps touches to itself (the idle countdown, the staff-call
notice): a tap meant for it never presses a button underneath."""

from __future__ import annotations

from kivy.uix.floatlayout import FloatLayout


class Modal(FloatLayout):
    def on_touch_down(self, touch):
        super().on_touch_down(touch)  # its own buttons
        return True

    def on_touch_move(self, touch):
        super().on_touch_move(touch)
        return True

    def on_touch_up(self, touch):
        super().on_touch_up(touch)
        return True
