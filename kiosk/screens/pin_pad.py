"""Type the card's PIN on shuffled keys, shown only as dots.

The digits move every time the screen is prepared (random.SystemRandom), so fingerprints
on the glass and a glance over the shoulder give nothing away; no typed digit is ever
drawn. The digits live in one bytearray of ASCII digits that is zeroed on every answer,
on Clear, on leaving the screen and when the session ends; the flow gets its own copy
(a fresh bytearray, never a str) and wipes that after use.
"""

from __future__ import annotations

import random

from kivy.graphics import Color, Ellipse, Line
from kivy.properties import NumericProperty, ObjectProperty
from kivy.uix.widget import Widget

from kiosk.i18n import Bilingual, bi
from kiosk.screens.parts import KeyButton, StepScreen
from kiosk.ui import theme

DIGITS = "0123456789"
MIN_LENGTH, MAX_LENGTH = 4, 12  # what a card accepts (kiosk.drivers.card.pin)
COVER_KEYS = bi("输入时请用手遮挡，不要让别人看到", "Cover the keys with your hand so nobody can see")
_random = random.SystemRandom()


class PinDots(Widget):
    """`length` rings, the first `filled` of them filled in."""

    length = NumericProperty(6)
    filled = NumericProperty(0)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        for name in ("pos", "size", "length", "filled"):
            self.fbind(name, self.draw)

    def draw(self, *_args) -> None:
        self.canvas.clear()
        count = int(self.length)
        if count <= 0:
            return
        diameter = min(self.height * 0.7, self.width / (count * 1.6))
        gap = diameter * 0.6
        x = self.center_x - (count * diameter + (count - 1) * gap) / 2
        y = self.center_y - diameter / 2
        with self.canvas:
            for i in range(count):
                Color(*theme.NAVY)
                if i < self.filled:
                    Ellipse(pos=(x, y), size=(diameter, diameter))
                else:
                    Line(ellipse=(x, y, diameter, diameter), width=max(2.0, diameter / 14))
                x += diameter + gap


class PinPadScreen(StepScreen):
    screen_name = "pin_pad"
    hint = ObjectProperty(None, allownone=True)
    length = NumericProperty(6)
    count = NumericProperty(0)  # how many digits are held: all the screen shows of them

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._digits = bytearray(MAX_LENGTH)

    def on_kv_post(self, base_widget) -> None:
        for button in self.digit_keys():
            button.bind(on_release=lambda b: self.press(b.key))
        self.fbind("count", self._enable_keys)
        self.fbind("length", self._enable_keys)

    def _enable_keys(self, *_args) -> None:
        full = self.count >= self.length
        for button in self.digit_keys():
            button.disabled = full

    def prepare(self, title: Bilingual, hint: Bilingual | None = None, length: int = 6) -> None:
        if not MIN_LENGTH <= length <= MAX_LENGTH:
            raise ValueError(f"a PIN has {MIN_LENGTH} to {MAX_LENGTH} digits, not {length}")
        self.title, self.hint, self.length = title, hint, length
        self.forget()
        order = list(DIGITS)
        _random.shuffle(order)
        for button, digit in zip(self.digit_keys(), order):
            button.key = digit
            button.phrase = Bilingual(digit, digit)

    def digit_keys(self) -> list[KeyButton]:
        """The ten digit keys, top left to bottom right."""
        ids = self.ids
        return [ids[f"key{i}"] for i in range(10)]

    def layout(self) -> str:
        """The digits in key order, as the resident sees them."""
        return "".join(button.key for button in self.digit_keys())

    # --- what the resident does ------------------------------------------------------

    def press(self, digit: str) -> None:
        if self.count < self.length and len(digit) == 1 and digit in DIGITS:
            self._digits[self.count] = ord(digit)
            self.count += 1

    def delete(self) -> None:
        if self.count:
            self.count -= 1
            self._digits[self.count] = 0

    def clear(self) -> None:
        self.forget()

    def confirm(self) -> None:
        if self.count != self.length:
            return
        pin = bytearray(self.count)
        with memoryview(self._digits) as held:  # a slice of a bytearray would be an unwiped copy
            pin[:] = held[: self.count]
        self.forget()
        if not self.answer(pin):
            pin[:] = bytes(len(pin))  # nobody was asking: the copy must not linger either

    def forget(self) -> None:
        self._digits[:] = bytes(len(self._digits))
        self.count = 0
