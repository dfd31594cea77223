"""Type a number or a short Latin text on the kiosk's own keys, never a system keyboard.

Four keypads: "digits" (0-9), "phone" (0-9, shown 3-4-4 as people read a mobile number
aloud), "id_number" (0-9, and X only as the 18th character, where GB 11643 puts it; shown
6-8-4) and "text" (A-Z, 0-9, space and hyphen, in alphabetical order rather than QWERTY:
many elderly residents have never used a computer keyboard).

Chinese input (handwriting or pinyin) is not provided: where a flow needs a name in
Chinese it takes it from the ID card, and staff check any typed name at the window.

What was typed is shown in a plain label (no TextInput, so no system keyboard ever
pops up) and forgotten as soon as the resident leaves the screen.
"""

from __future__ import annotations

import logging
import string
from dataclasses import dataclass
from typing import Callable

from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.i18n import Bilingual, bi
from kiosk.screens.parts import DELETE_LABEL, KeyButton, StepScreen

log = logging.getLogger(__name__)

DELETE, SPACE = "\b", " "
SPACE_LABEL = bi("空格", "Space")
TYPED_COUNT = bi("已输入 {typed} 位，共 {limit} 位", "{typed} of {limit} typed")
CHECK_FAILED = bi("输入有误，请检查后再试", "Please check what you typed and try again")


@dataclass(frozen=True)
class Keypad:
    rows: tuple[tuple[str, ...], ...]  # "" is an empty cell
    limit: int | None = None  # the length such a value always has (phone, ID number)
    groups: tuple[int, ...] = ()  # how the typed value is shown: (3, 4, 4) -> "138 0013 8000"
    wide_keys: bool = False  # many small keys: function keys get more room and smaller text


KEYPADS = {
    "digits": Keypad((("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), ("", "0", DELETE))),
    "phone": Keypad((("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), ("", "0", DELETE)), 11, (3, 4, 4)),
    "id_number": Keypad((("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), ("X", "0", DELETE)), 18, (6, 8, 4)),
    "text": Keypad(
        (
            tuple("1234567890"),
            tuple(string.ascii_uppercase[:10]),
            tuple(string.ascii_uppercase[10:20]),
            (*string.ascii_uppercase[20:], "-", SPACE, DELETE),
        ),
        wide_keys=True,
    ),
}


def grouped(text: str, groups: tuple[int, ...]) -> str:
    """`text` with a space after each group, the rest in one piece: 13800138000 -> 138 0013 8000."""
    parts, start = [], 0
    for size in groups:
        if start >= len(text):
            break
        parts.append(text[start : start + size])
        start += size
    if start < len(text):
        parts.append(text[start:])
    return " ".join(parts)


class KeypadScreen(StepScreen):
    screen_name = "keypad"
    hint = ObjectProperty(None, allownone=True)
    kind = StringProperty("digits")
    typed = StringProperty("")
    limit = NumericProperty(40)
    error = ObjectProperty(None, allownone=True)  # Bilingual from validate, shown under the value
    counter = ObjectProperty(None, allownone=True)
    full = BooleanProperty(False)
    can_confirm = BooleanProperty(False)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._validate: Callable[[str], Bilingual | None] | None = None
        self._built_for: str | None = None

    def prepare(
        self,
        title: Bilingual,
        keypad: str = "digits",
        hint: Bilingual | None = None,
        max_length: int = 40,
        validate: Callable[[str], Bilingual | None] | None = None,
    ) -> None:
        if keypad not in KEYPADS:
            raise ValueError(f"keypad must be one of {', '.join(KEYPADS)}, not {keypad!r}")
        if max_length < 1:
            raise ValueError(f"max_length must be at least 1, not {max_length}")
        layout = KEYPADS[keypad]
        self.title, self.hint, self.kind = title, hint, keypad
        self.limit = min(max_length, layout.limit) if layout.limit else max_length
        self._validate = validate
        if self._built_for != keypad:
            self._build_keys(layout)
        self.forget()

    # --- the keys --------------------------------------------------------------------

    def _build_keys(self, layout: Keypad) -> None:
        box = self.ids.key_rows
        box.clear_widgets()
        for row in layout.rows:
            line = BoxLayout(spacing=self.ids.key_rows.spacing)
            for key in row:
                line.add_widget(self._make_key(key, layout) if key else Widget())
            box.add_widget(line)
        self._built_for = self.kind

    def _make_key(self, key: str, layout: Keypad) -> KeyButton:
        if key in (DELETE, SPACE):
            button = KeyButton(key=key, phrase=DELETE_LABEL if key == DELETE else SPACE_LABEL, primary=False)
            if layout.wide_keys:
                button.size_hint_x = 2
                button.compact = True
        else:
            button = KeyButton(key=key, phrase=Bilingual(key, key))
        button.bind(on_release=lambda b: self.press(b.key))
        return button

    def key(self, key: str) -> KeyButton:
        for line in self.ids.key_rows.children:
            for button in line.children:
                if isinstance(button, KeyButton) and button.key == key:
                    return button
        raise KeyError(key)

    def _refresh(self) -> None:
        """What can be typed next: nothing past the limit, X only last, no double spaces."""
        self.full = len(self.typed) >= self.limit
        self.can_confirm = bool(self.value)
        for line in self.ids.key_rows.children:
            for button in line.children:
                if not isinstance(button, KeyButton):
                    continue
                if button.key == DELETE:
                    button.disabled = not self.typed
                elif button.key == SPACE:
                    button.disabled = self.full or not self.typed or self.typed.endswith(SPACE)
                elif button.key == "X" and self.kind == "id_number":
                    button.disabled = len(self.typed) != self.limit - 1
                else:
                    button.disabled = self.full
        layout = KEYPADS[self.kind]
        self.ids.shown.text = grouped(self.typed, layout.groups) if layout.groups else self.typed
        self.counter = TYPED_COUNT.format(typed=len(self.typed), limit=self.limit) if layout.limit else None

    # --- what the resident does ------------------------------------------------------

    def press(self, key: str) -> None:
        self.error = None
        if key == DELETE:
            self.typed = self.typed[:-1]
        elif len(self.typed) < self.limit:
            self.typed += key
        self._refresh()

    def clear(self) -> None:
        self.error = None
        self.typed = ""
        self._refresh()

    @property
    def value(self) -> str:
        return self.typed.rstrip(SPACE)

    def confirm(self) -> None:
        value = self.value
        if not value:
            return
        if self._validate is not None:
            try:
                error = self._validate(value)
            except Exception:
                # A flow's check that breaks must not close the kiosk in the resident's face.
                log.exception("keypad validate failed")
                error = CHECK_FAILED
            if error is not None:
                self.error = error
                return
        self.answer(value)

    def forget(self) -> None:
        self.typed = ""
        self.error = None
        if self._built_for is not None:
            self._refresh()
