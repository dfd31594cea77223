"""Colours and sizes for elderly residents: large, high-contrast, relative to the screen.

Every size is given in pixels of a 1080-pixel-wide portrait screen and scaled by the
screen's short side, so a 1080x1920 portrait and a 1920x1080 landscape kiosk read the same.
"""

from __future__ import annotations

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, NumericProperty

REFERENCE_SHORT_SIDE = 1080

# White on dark blue, or dark text on white; never grey on grey.
NAVY = (0.05, 0.19, 0.42, 1)  # #0D306B
NAVY_PRESSED = (0.02, 0.11, 0.27, 1)
INK = (0.07, 0.09, 0.13, 1)  # near black
WHITE = (1, 1, 1, 1)
PAPER = (0.96, 0.97, 0.99, 1)  # background of content screens
WARNING_RED = (0.60, 0.0, 0.11, 1)  # anti-fraud notice, errors: 7.7:1 on the pale red panel, 8.3:1 on paper (WCAG AAA)
WINDOW_AMBER = (0.98, 0.93, 0.80, 1)  # "go to the window" panels, with INK text
DIVIDER = (0.05, 0.19, 0.42, 0.35)
SCRIM = (0, 0, 0, 0.72)  # behind the idle countdown
CLOSED_GREY = (0.84, 0.85, 0.88, 1)  # a service closed just now (degraded service), with INK text


class Theme(EventDispatcher):
    scale = NumericProperty(1.0)

    # Font sizes (px at 1080 wide): body text never below 32.
    body = NumericProperty(40)
    small = NumericProperty(34)
    heading = NumericProperty(52)
    title = NumericProperty(64)
    huge = NumericProperty(88)
    # Touch targets: buttons never below 120 px tall.
    button_height = NumericProperty(140)
    tile_height = NumericProperty(250)
    top_bar_height = NumericProperty(164)
    padding = NumericProperty(36)
    spacing = NumericProperty(24)
    radius = NumericProperty(18)

    BASE = {
        "body": 40,
        "small": 34,
        "heading": 52,
        "title": 64,
        "huge": 88,
        "button_height": 140,
        "tile_height": 250,
        "top_bar_height": 164,
        "padding": 36,
        "spacing": 24,
        "radius": 18,
    }

    # 长辈模式 (kiosk/ui/mode.py): no text below 48 px, larger headings and buttons.
    SIMPLER = {
        **BASE,
        "body": 50,
        "small": 48,
        "heading": 58,
        "title": 68,
        "huge": 92,
        "button_height": 160,
    }
    simpler = BooleanProperty(False)

    def fit(self, width: int, height: int) -> None:
        """Scale everything to a window of this size."""
        self._window = (width, height)
        self.scale = min(width, height) / REFERENCE_SHORT_SIDE
        for name, base in (self.SIMPLER if self.simpler else self.BASE).items():
            setattr(self, name, round(base * self.scale))

    def on_simpler(self, *_args) -> None:
        if getattr(self, "_window", None):
            self.fit(*self._window)
