"""The 长辈模式 button on the attract and home screens: large, worded in both languages.

It shows what a touch will do: 「长辈模式」 while the mode is off, 「…点这里关闭」 while it is on.
"""

from __future__ import annotations

from kivy.app import App
from kivy.lang import Builder

from kiosk.ui.mode import TURN_OFF, TURN_ON, Mode
from kiosk.ui.widgets import BiButton

Builder.load_string(
    """
#:import theme kiosk.ui.theme
#:import M kiosk.ui.mode

<ModeToggle>:
    phrase: M.TURN_OFF if app.mode == M.Mode.SIMPLER else M.TURN_ON
    font_size: app.theme.heading
    size_hint_y: None
    primary: app.mode == M.Mode.SIMPLER
"""
)


class ModeToggle(BiButton):
    """Touching it switches 长辈模式 for the rest of this resident's session."""

    def on_release(self) -> None:
        app = App.get_running_app()
        app.set_mode(Mode.STANDARD if app.mode == Mode.SIMPLER else Mode.SIMPLER)


__all__ = ["ModeToggle", "TURN_ON", "TURN_OFF"]
