"""Please wait: a device or the centre is working. A picture of what the resident should
look at (the ID card reader, the card slot, the printer, the camera, the network), a
title and a sentence, and dots going round so nobody thinks the kiosk has frozen.

Pictures are drawn with a few shapes, not loaded from files: nothing to ship or license,
and they scale to any screen. The dots turn only while the screen is shown.
"""

from __future__ import annotations

import math

from kivy.clock import Clock
from kivy.graphics import Color, Ellipse, Line, Rectangle, RoundedRectangle
from kivy.properties import NumericProperty, ObjectProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk.i18n import Bilingual
from kiosk.screens.parts import StepScreen
from kiosk.ui import theme

PICTURES = ("id_card", "card", "printer", "network", "camera", "usb_drive")
GOLD = (0.85, 0.65, 0.13, 1)
CARD_BLUE = (0.83, 0.90, 1.0, 1)
DARK = (0.22, 0.25, 0.30, 1)
DOTS = 8
DOT_STEP_S = 0.12


class Pictogram(Widget):
    """One of PICTURES, drawn to fit a square inside the widget."""

    picture = StringProperty("card")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._redraw = Clock.create_trigger(self.draw, -1)
        self.fbind("picture", self._redraw)
        self.fbind("pos", self._redraw)
        self.fbind("size", self._redraw)

    def draw(self, *_args) -> None:
        self.canvas.clear()
        side = min(self.width, self.height)
        x0, y0 = self.center_x - side / 2, self.center_y - side / 2
        line = max(2.0, side / 60)
        with self.canvas:
            getattr(self, f"_draw_{self.picture}")(x0, y0, side, line)

    # Each draws into the square (x, y, s) with lines `w` wide.

    def _card_outline(self, x, y, cw, ch, w) -> None:
        Color(*CARD_BLUE)
        RoundedRectangle(pos=(x, y), size=(cw, ch), radius=[ch * 0.08])
        Color(*theme.NAVY)
        Line(rounded_rectangle=(x, y, cw, ch, ch * 0.08), width=w)

    def _draw_id_card(self, x, y, s, w) -> None:
        # The card lying on the reader's pad.
        Color(*DARK)
        RoundedRectangle(pos=(x + s * 0.05, y + s * 0.12), size=(s * 0.9, s * 0.22), radius=[s * 0.03])
        cw, ch = s * 0.78, s * 0.49
        cx, cy = x + (s - cw) / 2, y + s * 0.30
        self._card_outline(cx, cy, cw, ch, w)
        Color(*theme.NAVY)
        Rectangle(pos=(cx + cw * 0.66, cy + ch * 0.22), size=(cw * 0.24, ch * 0.58))  # the holder's photo
        for row in range(3):
            Rectangle(pos=(cx + cw * 0.08, cy + ch * (0.66 - row * 0.2)), size=(cw * 0.48, max(w, ch * 0.06)))

    def _draw_card(self, x, y, s, w) -> None:
        # The card going chip first into the slot.
        cw, ch = s * 0.46, s * 0.72
        cx, cy = x + (s - cw) / 2, y + s * 0.22
        self._card_outline(cx, cy, cw, ch, w)
        Color(*GOLD)
        RoundedRectangle(pos=(cx + cw * 0.3, cy + ch * 0.12), size=(cw * 0.4, ch * 0.2), radius=[w])
        Color(*DARK)
        RoundedRectangle(pos=(x + s * 0.1, y + s * 0.08), size=(s * 0.8, s * 0.18), radius=[s * 0.03])
        Color(*theme.WHITE)
        Rectangle(pos=(cx - w, y + s * 0.2), size=(cw + 2 * w, w * 1.5))  # the slot's mouth

    def _draw_printer(self, x, y, s, w) -> None:
        Color(*theme.WHITE)
        Rectangle(pos=(x + s * 0.3, y + s * 0.06), size=(s * 0.4, s * 0.4))  # the voucher coming out
        Color(*theme.NAVY)
        for row in range(3):
            Rectangle(pos=(x + s * 0.36, y + s * (0.12 + row * 0.09)), size=(s * 0.28, max(w, s * 0.025)))
        Line(rectangle=(x + s * 0.3, y + s * 0.06, s * 0.4, s * 0.4), width=w * 0.6)
        Color(*DARK)
        RoundedRectangle(pos=(x + s * 0.12, y + s * 0.42), size=(s * 0.76, s * 0.36), radius=[s * 0.04])
        Color(*theme.WHITE)
        Rectangle(pos=(x + s * 0.26, y + s * 0.47), size=(s * 0.48, w * 1.5))  # the paper exit
        Color(0.2, 0.75, 0.35, 1)
        Ellipse(pos=(x + s * 0.76, y + s * 0.68), size=(s * 0.06, s * 0.06))  # power light

    def _draw_network(self, x, y, s, w) -> None:
        cx, cy = x + s / 2, y + s * 0.22
        Color(*theme.NAVY)
        Ellipse(pos=(cx - s * 0.06, cy - s * 0.06), size=(s * 0.12, s * 0.12))
        for radius in (0.25, 0.45, 0.65):
            Line(circle=(cx, cy, s * radius, -45, 45), width=w * 2.2, cap="round")

    def _draw_camera(self, x, y, s, w) -> None:
        Color(*DARK)
        RoundedRectangle(pos=(x + s * 0.34, y + s * 0.7), size=(s * 0.32, s * 0.12), radius=[s * 0.03])
        RoundedRectangle(pos=(x + s * 0.08, y + s * 0.2), size=(s * 0.84, s * 0.54), radius=[s * 0.06])
        Color(*theme.WHITE)
        Ellipse(pos=(x + s * 0.29, y + s * 0.26), size=(s * 0.42, s * 0.42))
        Color(*theme.NAVY)
        Ellipse(pos=(x + s * 0.35, y + s * 0.32), size=(s * 0.30, s * 0.30))
        Color(*CARD_BLUE)
        Ellipse(pos=(x + s * 0.41, y + s * 0.48), size=(s * 0.08, s * 0.08))  # a glint on the lens

    def _draw_usb_drive(self, x, y, s, w) -> None:
        # The stick going plug first into the port below.
        Color(*DARK)
        RoundedRectangle(pos=(x + s * 0.1, y + s * 0.06), size=(s * 0.8, s * 0.16), radius=[s * 0.03])
        Color(*theme.WHITE)
        Rectangle(pos=(x + s * 0.36, y + s * 0.16), size=(s * 0.28, w * 1.5))  # the port's mouth
        Color(0.75, 0.77, 0.80, 1)
        Rectangle(pos=(x + s * 0.38, y + s * 0.24), size=(s * 0.24, s * 0.2))  # the metal plug
        Color(*theme.NAVY)
        RoundedRectangle(pos=(x + s * 0.32, y + s * 0.44), size=(s * 0.36, s * 0.48), radius=[s * 0.05])
        Color(*CARD_BLUE)
        Rectangle(pos=(x + s * 0.42, y + s * 0.30), size=(s * 0.05, s * 0.06))
        Rectangle(pos=(x + s * 0.53, y + s * 0.30), size=(s * 0.05, s * 0.06))


class WorkingDots(Widget):
    """Dots in a ring, one after another lit: the kiosk is busy, not frozen."""

    lit = NumericProperty(0)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._event = None
        self.fbind("pos", self.draw)
        self.fbind("size", self.draw)
        self.fbind("lit", self.draw)

    def start(self) -> None:
        if self._event is None:
            self._event = Clock.schedule_interval(self._step, DOT_STEP_S)

    def stop(self) -> None:
        if self._event is not None:
            self._event.cancel()
            self._event = None

    @property
    def running(self) -> bool:
        return self._event is not None

    def _step(self, _dt) -> None:
        self.lit = (self.lit + 1) % DOTS

    def draw(self, *_args) -> None:
        self.canvas.clear()
        radius = min(self.width, self.height) * 0.4
        dot = radius * 0.4
        with self.canvas:
            for i in range(DOTS):
                behind = (self.lit - i) % DOTS  # 0: the lit dot; the ones it passed fade out
                Color(*theme.NAVY[:3], max(0.2, 1 - behind * 0.2))
                angle = 2 * math.pi * i / DOTS
                px = self.center_x + radius * math.sin(angle)
                py = self.center_y + radius * math.cos(angle)
                Ellipse(pos=(px - dot / 2, py - dot / 2), size=(dot, dot))


class WaitScreen(StepScreen):
    screen_name = "wait"
    body = ObjectProperty(None, allownone=True)
    picture = StringProperty("card")

    def prepare(self, title: Bilingual, body: Bilingual, picture: str = "card") -> None:
        if picture not in PICTURES:
            raise ValueError(f"picture must be one of {', '.join(PICTURES)}, not {picture!r}")
        self.title, self.body, self.picture = title, body, picture

    def on_enter(self, *_args) -> None:
        self.ids.dots.start()

    def on_leave(self, *args) -> None:
        self.ids.dots.stop()
        super().on_leave(*args)
