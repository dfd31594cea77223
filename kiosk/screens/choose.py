"""Choose one of several options: a bank, a pickup method, one of 49 outlets.

Each option is one big button. A long list scrolls, and since not every resident knows to
swipe, two page buttons appear beside Back whenever it does not fit on the screen.
"""

from __future__ import annotations

from kivy.properties import BooleanProperty, ObjectProperty

from kiosk.flows.steps import Option
from kiosk.i18n import Bilingual, bi
from kiosk.screens.parts import OptionButton, StepScreen

PAGE_UP = bi("往上翻", "Up")
PAGE_DOWN = bi("往下翻", "Down")
PAGE_KEEP = 0.85  # a page moves this much of the visible list, so its last button stays in view


class ChooseScreen(StepScreen):
    screen_name = "choose"
    note = ObjectProperty(None, allownone=True)
    overflows = BooleanProperty(False)
    more_above = BooleanProperty(False)
    more_below = BooleanProperty(False)

    def prepare(self, title: Bilingual, options: list[Option], note: Bilingual | None = None) -> None:
        if not options:
            raise ValueError("choose needs at least one option")
        codes = [o.code for o in options]
        if len(set(codes)) != len(codes):
            raise ValueError(f"two options share a code: {codes}")
        self.title, self.note = title, note
        box = self.ids.options
        box.clear_widgets()
        for option in options:
            button = OptionButton(option=option)
            button.bind(on_release=self._chosen)
            box.add_widget(button)
        self.ids.scroll.scroll_y = 1

    def _chosen(self, button: OptionButton) -> None:
        self.answer(button.option.code)

    def button(self, code: str) -> OptionButton:
        for button in self.ids.options.children:
            if button.option.code == code:
                return button
        raise KeyError(code)

    def page(self, direction: int) -> None:
        """One screenful up (+1) or down (-1)."""
        scroll = self.ids.scroll
        hidden = self.ids.options.height - scroll.height
        if hidden <= 0:
            return
        step = scroll.height * PAGE_KEEP / hidden
        scroll.scroll_y = min(1.0, max(0.0, scroll.scroll_y + direction * step))
