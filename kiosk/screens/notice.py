"""Tell the resident something and let them pick what happens next: an error, a warning,
or plain information, each with its own colour and sign so it reads at a glance."""

from __future__ import annotations

from dataclasses import dataclass

from kivy.properties import BooleanProperty, ColorProperty, ObjectProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk.flows.steps import BACK, OK_OPTION, Option
from kiosk.i18n import Bilingual
from kiosk.screens.parts import OptionButton, StepScreen, action_button, fill_actions
from kiosk.ui import theme


@dataclass(frozen=True)
class Tone:
    ink: tuple  # title, frame and sign
    panel: tuple  # the panel's background, with INK body text on it
    sign: str  # "!" or "i", drawn, not typed: it needs no font and no translation


TONES = {
    "info": Tone(theme.NAVY, (0.90, 0.94, 1.0, 1), "i"),
    "warning": Tone((0.45, 0.24, 0.0, 1), theme.WINDOW_AMBER, "!"),  # 7.5:1 on the amber panel (WCAG AAA)
    "error": Tone(theme.WARNING_RED, (1.0, 0.92, 0.92, 1), "!"),
}


class NoticeSign(Widget):
    ink = ColorProperty(theme.NAVY)
    sign = StringProperty("i")


class NoticeScreen(StepScreen):
    screen_name = "notice"
    body = ObjectProperty(None, allownone=True)
    tone = StringProperty("info")
    ink = ColorProperty(theme.NAVY)
    panel = ColorProperty(TONES["info"].panel)
    sign = StringProperty("i")
    offers_back = BooleanProperty(True)

    def prepare(
        self, title: Bilingual, body: Bilingual, tone: str = "info", actions: list[Option] | tuple = (OK_OPTION,)
    ) -> None:
        if tone not in TONES:
            raise ValueError(f"tone must be one of {', '.join(TONES)}, not {tone!r}")
        if not actions:
            raise ValueError("a notice needs at least one action")
        self.title, self.body, self.tone = title, body, tone
        look = TONES[tone]
        self.ink, self.panel, self.sign = look.ink, look.panel, look.sign
        # The flow may offer Back as one of its own actions; then it is not shown twice.
        self.offers_back = all(action.code != BACK for action in actions)
        fill_actions(self.ids.actions, actions, self.answer)
        self.ids.scroll.scroll_y = 1

    def button(self, code: str) -> OptionButton:
        return action_button(self.ids.actions, code)
