"""Sign with a finger: a white pad, thick black ink, Clear and Confirm.

The answer is a PNG of the pad alone, taken from what is drawn on the screen (the
widget rendered into an off-screen buffer), so the stored signature is exactly what the
resident saw. Strokes are kept relative to the pad, so a layout change (the language
switch moves the statement) never shifts the ink off the pad; they are forgotten on
leaving the screen and when the session ends.
"""

from __future__ import annotations

import io

from kivy.graphics import Color, Ellipse, InstructionGroup, Line
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty
from kivy.uix.widget import Widget
from PIL import Image

from kiosk.i18n import Bilingual, bi
from kiosk.screens.parts import StepScreen

SIGN_HERE = bi("请在下面白色方框里签上您的名字", "Please sign your name in the white box below")
CONFIRM_SIGNATURE = bi("确认签名", "Confirm")
INK = (0, 0, 0, 1)
MIN_STROKE_POINTS = 2  # a bare tap leaves a dot, not a signature


class SignaturePad(Widget):
    strokes = NumericProperty(0)  # anything drawn, a dot included: Clear has work to do
    has_ink = BooleanProperty(False)  # a line drawn: enough to confirm

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._strokes: list[list[float]] = []  # x, y, x, y ... as fractions of the pad
        self._ink = InstructionGroup()
        self.canvas.add(self._ink)
        self.fbind("pos", self._redraw)
        self.fbind("size", self._redraw)

    @property
    def line_width(self) -> float:
        return max(2.0, min(self.width, self.height) / 90)

    def _relative(self, x: float, y: float) -> tuple[float, float]:
        fx = min(1.0, max(0.0, (x - self.x) / self.width))
        fy = min(1.0, max(0.0, (y - self.y) / self.height))
        return fx, fy

    def on_touch_down(self, touch) -> bool:
        if not self.collide_point(*touch.pos):
            return super().on_touch_down(touch)
        touch.grab(self)
        self._strokes.append([*self._relative(*touch.pos)])
        self.strokes = len(self._strokes)
        self._redraw()
        return True

    def on_touch_move(self, touch) -> bool:
        if touch.grab_current is not self:
            return super().on_touch_move(touch)
        self._strokes[-1].extend(self._relative(*touch.pos))
        self.has_ink = self.has_ink or len(self._strokes[-1]) >= 2 * MIN_STROKE_POINTS
        self._redraw()
        return True

    def on_touch_up(self, touch) -> bool:
        if touch.grab_current is not self:
            return super().on_touch_up(touch)
        touch.ungrab(self)
        return True

    def _redraw(self, *_args) -> None:
        self._ink.clear()
        self._ink.add(Color(*INK))
        for stroke in self._strokes:
            points = [self.x + v * self.width if i % 2 == 0 else self.y + v * self.height for i, v in enumerate(stroke)]
            if len(points) == 2:  # a tap: a dot, as in the dot strokes (点) of a Chinese name
                radius = self.line_width
                self._ink.add(Ellipse(pos=(points[0] - radius, points[1] - radius), size=(2 * radius, 2 * radius)))
            else:
                self._ink.add(Line(points=points, width=self.line_width, cap="round", joint="round"))

    def clear(self) -> None:
        self._strokes.clear()
        self.strokes = 0
        self.has_ink = False
        self._redraw()

    def png(self) -> bytes:
        """The pad as drawn on screen (white with the ink), PNG-encoded, upright."""
        image = self.export_as_image()
        texture = image.texture
        width, height = texture.size
        pixels = Image.frombytes("RGBA", (width, height), texture.pixels)
        out = io.BytesIO()
        pixels.convert("L").save(out, format="PNG", optimize=True)
        return out.getvalue()


class SignScreen(StepScreen):
    screen_name = "sign"
    statement = ObjectProperty(None, allownone=True)

    def prepare(self, title: Bilingual, statement: Bilingual) -> None:
        self.title, self.statement = title, statement
        self.forget()

    def confirm(self) -> None:
        pad = self.ids.pad
        if pad.has_ink:
            self.answer(pad.png())

    def forget(self) -> None:
        self.ids.pad.clear()
