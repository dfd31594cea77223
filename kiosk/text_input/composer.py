"""What the Chinese input screen holds and the rules it keeps, without Kivy.

The text written so far, the ink on the pad or the pinyin letters typed, the candidates
for them, and the message that says why something was refused. The screen only draws
this and forwards touches; each bad input of the issue is a rule here, so it is tested
without a window (tests/text_input/test_composer.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from kiosk.i18n import Bilingual, bi
from kiosk.text_input.interface import GlyphCheck, Ink, drawable


class Mode(StrEnum):
    HANDWRITING = "handwriting"
    PINYIN = "pinyin"


NOT_RECOGNISED = bi("没有认出来，请在方框里再写一次。", "That was not recognised. Please write it again in the box.")
CANNOT_DRAW = bi(
    "这个字本机显示不了，请换一个写法，或到窗口办理。",
    "This kiosk cannot show that character. Try writing it again, or go to the window.",
)
DROPPED = bi(
    "有的字本机显示不了，已经去掉了，请到窗口告诉工作人员。",
    "Some characters cannot be shown on this kiosk and were left out. Please tell the window staff.",
)
NO_SUCH_PINYIN = bi("没有找到这个拼音的字，请检查字母。", "No characters for these letters. Please check them.")
FULL = bi("已经写满{limit}个字了。", "That is the limit of {limit} characters.")
EMPTY = bi("还没有写字。", "Nothing has been written yet.")
CHOOSE_FIRST = bi("请先点下面的字，选定刚写的字。", "First tap one of the characters below to choose what you wrote.")

MAX_LETTERS = 24  # pinyin letters at a time: a four-character name in full syllables


@dataclass
class Composer:
    max_chars: int
    glyphs: GlyphCheck
    optional: bool = False
    text: str = ""
    mode: Mode = Mode.HANDWRITING
    letters: str = ""
    ink: Ink = field(default_factory=lambda: Ink(1.0, 1.0))
    candidates: list[str] = field(default_factory=list)
    message: Bilingual | None = None

    def begin(self, current: str = "") -> None:
        """A fresh start with `current` already written; characters the font cannot draw
        are left out, and the resident is told."""
        self.forget()
        kept = "".join(c for c in current if self.glyphs.can_draw(c))[: self.max_chars]
        self.text = kept
        if len(kept) < len(current) and any(not self.glyphs.can_draw(c) for c in current):
            self.message = DROPPED

    # --- ink and letters -------------------------------------------------------------

    def stroke_added(self) -> None:
        self.message = None

    def offer(self, found: list[str]) -> None:
        """The engine's candidates for the ink or letters now on screen."""
        if self.mode is Mode.HANDWRITING and self.ink.empty or self.mode is Mode.PINYIN and not self.letters:
            self.candidates = []
            return
        shown = drawable(found, self.glyphs)
        self.candidates = shown
        if shown:
            self.message = None
        elif found:
            self.message = CANNOT_DRAW
        else:
            self.message = NOT_RECOGNISED if self.mode is Mode.HANDWRITING else NO_SUCH_PINYIN

    def rewrite(self) -> None:
        """Wipe the pad (or the letters) and its candidates; the text stays."""
        self.ink.clear()
        self.letters = ""
        self.candidates = []
        self.message = None

    def type_letter(self, letter: str) -> bool:
        if len(letter) != 1 or not ("a" <= letter <= "z") or len(self.letters) >= MAX_LETTERS:
            return False
        self.letters += letter
        self.message = None
        return True

    def delete_letter(self) -> None:
        self.letters = self.letters[:-1]
        if not self.letters:
            self.candidates = []
        self.message = None

    def switch(self, mode: Mode) -> None:
        if mode is not self.mode:
            self.mode = mode
            self.rewrite()

    # --- the text --------------------------------------------------------------------

    @property
    def room(self) -> int:
        return self.max_chars - len(self.text)

    def pick(self, candidate: str) -> bool:
        """Add a candidate to the text; False (with a message) if it does not fit or
        cannot be drawn."""
        if not all(self.glyphs.can_draw(c) for c in candidate):
            self.message = CANNOT_DRAW
            return False
        if len(candidate) > self.room:
            self.message = FULL.format(limit=self.max_chars)
            return False
        self.text += candidate
        self.rewrite()
        return True

    def delete(self) -> None:
        """One character back (the last one written)."""
        self.text = self.text[:-1]
        self.message = None

    def clear(self) -> None:
        self.text = ""
        self.rewrite()

    def finish(self) -> str | None:
        """The answer, or None with a message: nothing written (unless optional), or ink
        on the pad that was never turned into a character."""
        if not self.ink.empty or self.letters:
            self.message = CHOOSE_FIRST
            return None
        if not self.text and not self.optional:
            self.message = EMPTY
            return None
        return self.text

    def forget(self) -> None:
        """Everything the resident wrote, gone (leaving the screen, the idle wipe)."""
        self.text = ""
        self.mode = Mode.HANDWRITING
        self.rewrite()
