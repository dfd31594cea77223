"""What the step screens of `kiosk.flows.steps` share: their phrases, their buttons and
their base class.

A step screen forgets whatever it held for the resident (a PIN, a signature, typed text,
the rows of a review) when the resident leaves it and when the session ends, so nothing
personal stays behind on a screen nobody is looking at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np
from kivy.app import App
from kivy.graphics.texture import Texture
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.scrollview import ScrollView

from kiosk.flows.steps import BACK, Option
from kiosk.domain import glossary
from kiosk.i18n import bi
from kiosk.photo.display import texture_pixels
from kiosk.ui.screen import KioskScreen
from kiosk.ui.widgets import BiButton

STEP_BACK = glossary.BACK
CONFIRM_LABEL = bi("确认", "Confirm")
CLEAR_LABEL = bi("清除", "Clear")
DELETE_LABEL = bi("删除", "Delete")  # one character back


class StepScreen(KioskScreen):
    """A screen a flow asks through; `title` is the step's Bilingual heading."""

    title = ObjectProperty(None, allownone=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        app = App.get_running_app()
        if app is not None and hasattr(app, "session"):
            app.session.on_clear(lambda _session: self.forget())

    def go_back(self) -> None:
        self.answer(BACK)

    def forget(self) -> None:
        """Wipe whatever personal input the screen holds; called on leaving and at session end."""

    def on_leave(self, *_args) -> None:
        self.forget()


class StepButton(BiButton):
    """A bottom-row or keypad button; greyed out, not hidden, while it cannot be used."""


class OptionButton(ButtonBehavior, BoxLayout):
    """One choice: its label large, an optional detail line (an address) smaller below."""

    option: Option = ObjectProperty(None)
    align = StringProperty("left")  # "center" where it reads as a plain button (a notice's actions)


def fill_actions(box, actions, answer) -> None:
    """`box` holds one centred OptionButton per action; touching one answers its code."""
    box.clear_widgets()
    for action in actions:
        button = OptionButton(option=action, align="center")
        button.bind(on_release=lambda b: answer(b.option.code))
        box.add_widget(button)


def action_button(box, code: str) -> OptionButton:
    """The OptionButton in `box` that answers `code` (for scripted touches)."""
    for button in box.children:
        if button.option.code == code:
            return button
    raise KeyError(code)


def jpeg_texture(data: bytes | bytearray) -> Texture:
    """A JPEG (the resident's photo) as a texture, the right way up and not mirrored."""
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError("not a JPEG")
    texture = Texture.create(size=(image.shape[1], image.shape[0]), colorfmt="rgb")
    texture.blit_buffer(texture_pixels(image, mirror=False), colorfmt="rgb", bufferfmt="ubyte")
    return texture


class StepScroll(ScrollView):
    """A list or text that may not fit: a wide navy bar shows there is more."""


class KeyButton(StepButton):
    """A key of the kiosk's own keypads; `key` is what it types ("7", "A", " ")."""

    key = StringProperty("")
    compact = BooleanProperty(False)  # smaller text, for a word ("Delete") on a small key


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
