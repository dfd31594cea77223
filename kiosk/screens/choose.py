"""Choose one of several options: a bank, a pickup method, one of 49 outlets.

Each option is one big button. A long list scrolls, and since not every resident knows to
swipe, two page buttons appear beside Back whenever it does not fit on the screen. In
长辈模式 (kiosk/ui/mode.py) a list longer than four shows three options and 「更多」.
"""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty

from kiosk.flows.steps import Option
from kiosk.i18n import Bilingual, bi
from kiosk.screens.parts import OptionButton, StepScreen
from kiosk.ui.mode import MORE, Mode, page_of

PAGE_UP = bi("往上翻", "Up")
PAGE_DOWN = bi("往下翻", "Down")
PAGE_KEEP = 0.85  # a page moves this much of the visible list, so its last button stays in view
MORE_OPTION = Option("__more__", MORE)  # never an answer: it turns the page


class ChooseScreen(StepScreen):
    screen_name = "choose"
    note = ObjectProperty(None, allownone=True)
    overflows = BooleanProperty(False)
    more_above = BooleanProperty(False)
    more_below = BooleanProperty(False)
    shown_page = NumericProperty(0)  # 长辈模式: which options are shown

    def prepare(self, title: Bilingual, options: list[Option], note: Bilingual | None = None) -> None:
        if not options:
            raise ValueError("choose needs at least one option")
        codes = [o.code for o in options]
        if len(set(codes)) != len(codes):
            raise ValueError(f"two options share a code: {codes}")
        self.title, self.note = title, note
        self._options = list(options)
        self.shown_page = 0
        self._show()

    def _show(self) -> None:
        options, more = list(self._options), False
        if App.get_running_app().mode == Mode.SIMPLER:
            options, more = page_of(options, self.shown_page)
        box = self.ids.options
        box.clear_widgets()
        for option in options + ([MORE_OPTION] if more else []):
            button = OptionButton(option=option, align="center" if option is MORE_OPTION else "left")
            button.bind(on_release=self._chosen)
            box.add_widget(button)
        self.ids.scroll.scroll_y = 1

    def _chosen(self, button: OptionButton) -> None:
        if button.option is MORE_OPTION:
            self.shown_page += 1
            self._show()
            return
        self.answer(button.option.code)

    def offers(self, code: str) -> bool:
        """Whether `code` is one of the options, on this page or another."""
        return any(option.code == code for option in getattr(self, "_options", ()))

    def more(self) -> OptionButton:
        """「更多」, while a page of options is shown (scripted touches)."""
        return self.button(MORE_OPTION.code)

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
