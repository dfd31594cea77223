"""What each screen says aloud, and when: the shell's side of the kiosk's voice.

A screen needs no code to be spoken. Its prompt is what it shows as text outside its buttons:
the visible `BiLabel`s (the title, the instruction, a note or an error) in the order the
layout reads them, in the session's language. Buttons, the top bar and a resident's own data
(`DataLabel`) are not read. The prompt is said every time a screen is shown (a step shown
again with new words included), again when the language is switched and when the resident
presses 「再听一遍」; a screen change silences what was being said. Screens where no session
has begun (the attract screen, `idle_timeout = False`) stay quiet: nobody is listening yet.
"""

from __future__ import annotations

import logging
from typing import Callable, Iterable

from kivy.clock import Clock
from kivy.uix.behaviors import ButtonBehavior

from kiosk.i18n import Bilingual
from kiosk.ui.screen import KioskScreen
from kiosk.ui.widgets import BiLabel

log = logging.getLogger(__name__)

SENTENCE_END = {"zh": "。", "en": ". "}
ENDINGS = tuple("。！？.!?：:")


def _shown(widget, screen: KioskScreen) -> bool:
    """Visible and not part of a button, up to the screen. Opacity, not size, says what is
    hidden: a freshly built screen's labels may not have their height yet."""
    node = widget
    while node is not None and node is not screen:
        if isinstance(node, ButtonBehavior) or node.opacity <= 0:
            return False
        node = node.parent
    return node is screen


def screen_prompt(screen: KioskScreen) -> list[Bilingual]:
    """The phrases a screen says: its visible labels outside buttons, in reading order."""
    phrases: list[Bilingual] = []
    for widget in screen.walk(restrict=True):
        if isinstance(widget, BiLabel) and widget.phrase is not None and _shown(widget, screen):
            if widget.phrase not in phrases:
                phrases.append(widget.phrase)
    return phrases


def spoken_text(phrases: Iterable[Bilingual], language: str) -> str:
    """The phrases as one text to speak, each ended like a sentence so the voice pauses."""
    parts = []
    for phrase in phrases:
        text = " ".join(phrase.get(language).split())
        if text:
            parts.append(text if text.endswith(ENDINGS) else text + SENTENCE_END.get(language, ". "))
    return "".join(parts).strip()


class VoicePrompts:
    """Speaks the current screen's prompt through a `kiosk.voice.Speaker` (got lazily: it is
    built after the first frame, and nothing is said before a resident touched the screen)."""

    def __init__(
        self,
        speaker: Callable[[], object | None],
        current: Callable[[], KioskScreen],
        language: Callable[[], str],
        allowed: Callable[[], bool] = lambda: True,  # the config's say, in the session's mode
    ) -> None:
        self._speaker = speaker
        self._allowed = allowed
        self._current = current
        self._language = language
        self._pending = None
        self.last_text = ""  # what was last handed to the speaker (tests, the journey report)

    @property
    def speaker(self):
        """The kiosk.voice.Speaker, once built (None before the first frame, or if it failed)."""
        return self._speaker()

    def screen_shown(self, _screen: KioskScreen | None = None) -> None:
        """A screen was shown (or shown again with new words): say it once its layout settled."""
        self.stop()
        if self._pending is not None:
            self._pending.cancel()
        # Labels take their phrase, size and opacity in the next frame's layout pass.
        self._pending = Clock.schedule_once(lambda _dt: self.say_again(), 0.15)

    def say_again(self) -> None:
        """The current screen's prompt, from the start (the 「再听一遍」 button)."""
        screen = self._current()
        if screen is None or not screen.idle_timeout:
            self.stop()
            return
        self.say(screen_prompt(screen))

    def say(self, phrases: Iterable[Bilingual]) -> None:
        speaker = self._speaker()
        text = spoken_text(phrases, self._language())
        if speaker is None or not text or not self._allowed():
            return
        self.last_text = text
        speaker.say(text, self._language())

    def stop(self) -> None:
        speaker = self._speaker()
        if speaker is not None:
            speaker.stop()
