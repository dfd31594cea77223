"""The few widgets every screen is built from.

`BiLabel`/`BiButton` show a `Bilingual` in the app's current language, follow the language
switch by themselves and break Chinese lines properly (`linebreak`); `DataLabel` shows a
resident's own data (a masked name, a phone number) and is blanked when the session ends.
Screens use nothing else for text.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ObjectProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label

from kiosk.ui.linebreak import break_lines


class BiLabel(Label):
    phrase = ObjectProperty(None, allownone=True)  # a kiosk.i18n.Bilingual

    def __init__(self, **kwargs):
        self._relayout = Clock.create_trigger(self._update_text, -1)
        super().__init__(**kwargs)
        app = App.get_running_app()
        if app is not None:
            app.bind(lang=self._relayout)
        self.fbind("phrase", self._relayout)
        self.fbind("width", self._relayout)
        self.fbind("font_size", self._relayout)
        self.fbind("bold", self._relayout)
        self.fbind("padding", self._relayout)
        self._update_text()

    @property
    def current_phrase(self) -> str:
        app = App.get_running_app()
        return self.phrase.get(app.lang if app else "zh") if self.phrase else ""

    def _update_text(self, *_args) -> None:
        text = self.current_phrase
        room = self.width - self.padding[0] - self.padding[2]
        if text and room > 0:
            text = broken_lines(text, room, self.font_size, self.font_name, self.bold)
        self.text = text


@lru_cache(maxsize=4096)
def broken_lines(text: str, room: float, font_size: float, font_name: str, bold: bool) -> str:
    """`text` broken to fit `room` pixels: measured once per text, width and font. A language
    switch re-breaks every label on the screen, on the thread that draws; the phrases are a
    fixed set, so after the first switch each is a lookup (bench/run ui)."""
    measure = CoreLabel(font_size=font_size, font_name=font_name, bold=bold)
    return "\n".join(break_lines(text, lambda line: measure.get_extents(line)[0] <= room))


class BiButton(ButtonBehavior, BiLabel):
    primary = BooleanProperty(True)  # white on navy; False: navy on white with a navy frame


class DataLabel(Label):
    """Text that belongs to the resident; every one is blanked when the session ends."""

    personal = BooleanProperty(True)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
