"""Write Chinese: a big writing pad with candidates after every stroke, or pinyin keys.

The one screen for every Chinese field (kiosk.flows.chinese_entry: a name, the rest of an
address, later an employer's name). Handwriting comes first, because the elderly write
rather than spell; a pinyin mode is one tap away. After each stroke the ink goes to the
recogniser (Zinnia) on a worker thread, so drawing never waits for it; its candidates
fill a row of big buttons, best first. Tapping one adds it to the text shown on top; a
counter shows how many characters are left. Delete takes one character back, Clear
empties everything, Rewrite wipes only the pad.

What is refused, and said in plain words (kiosk.text_input.composer): a stroke that
starts outside the pad (it is not writing), Done with nothing written or with ink never
turned into a character, ink that gives no candidate, a character the kiosk font cannot
draw (never shown as a box), more characters than the field takes. The idle wipe and
leaving the screen forget the strokes, the letters and the text.

params: title, hint=None, max_chars, current="", optional=False, kind (FieldKind value);
answer: the text (may be "" when optional), BACK or HOME.
"""

from __future__ import annotations

import logging

from kivy.clock import Clock
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.i18n import Bilingual, bi
from kiosk.screens.parts import DELETE_LABEL, KeyButton, StepButton, StepScreen
from kiosk.screens.sign import SignaturePad
from kiosk.text_input.composer import Composer, Mode
from kiosk.text_input.engines import Engines
from kiosk.text_input.interface import Ink
from kiosk.text_input.latest import LatestOnly
from kiosk.ui.fonts import find_cjk_font

log = logging.getLogger(__name__)

HANDWRITING_LABEL = bi("手写", "By hand")
PINYIN_LABEL = bi("拼音", "Pinyin")
REWRITE_LABEL = bi("重写", "Rewrite")
DONE_LABEL = bi("完成", "Done")
MORE_LABEL = bi("更多", "More")
WRITE_HERE = bi("在白框里写一个字", "Write one character in the white box")
TYPE_PINYIN = bi("点字母拼出读音", "Tap the letters of the pinyin")
WRITTEN_COUNT = bi("已写 {count} 字，最多 {limit} 字", "{count} of {limit} characters")
NO_HANDWRITING = bi("本机手写暂时不能用，请用拼音。", "Handwriting is not available just now. Please use pinyin.")
NO_PINYIN = bi("本机拼音暂时不能用，请用手写。", "Pinyin is not available just now. Please write by hand.")
DELETE_LETTER = "\b"
SHOWN_CANDIDATES = 8  # two rows of four big buttons
RECOGNISED = 20  # asked of the recogniser; the font filter may drop some
LOOKED_UP = 64  # pinyin candidates, paged through with More
LETTER_ROWS = ("abcdefghi", "jklmnopqr", "stuvwxyz")  # alphabetical: many elderly never used a keyboard


class WritingPad(SignaturePad):
    """The signature pad's ink, with an event when a stroke is finished."""

    __events__ = ("on_stroke",)

    def on_touch_up(self, touch) -> bool:
        mine = touch.grab_current is self
        handled = super().on_touch_up(touch)
        if mine:
            self.dispatch("on_stroke")
        return handled

    def on_stroke(self) -> None:
        pass

    def ink(self) -> Ink:
        """The strokes in pad pixels, y downwards, as the recogniser takes them."""
        w, h = self.width, self.height
        strokes = [[(s[i] * w, (1 - s[i + 1]) * h) for i in range(0, len(s), 2)] for s in self._strokes]
        return Ink(w, h, strokes)


class CandidateButton(StepButton):
    candidate = StringProperty("")


class ChineseInputScreen(StepScreen):
    screen_name = "chinese_input"
    hint = ObjectProperty(None, allownone=True)
    message = ObjectProperty(None, allownone=True)
    counter = ObjectProperty(None, allownone=True)
    written = StringProperty("")
    letters = StringProperty("")
    pinyin_mode = BooleanProperty(False)
    can_rewrite = BooleanProperty(False)
    has_more = BooleanProperty(False)
    handwriting_ready = BooleanProperty(True)
    pinyin_ready = BooleanProperty(True)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._worker = LatestOnly("chinese-input")
        self._engines = self._worker.run_first(lambda: Engines.load(find_cjk_font()))
        self.composer: Composer | None = None
        self._page = 0
        # Only one of the two work areas is in the tree at a time: hold both (ids are weak).
        self._pad_box = self.ids.pad_box.__self__
        self._keys_box = self.ids.keys_box.__self__
        self._build_candidates()
        self._build_letters()
        self.ids.pad.bind(on_stroke=self._stroke_done, strokes=self._pad_changed)
        self.ids.work_area.remove_widget(self._keys_box)

    # --- building --------------------------------------------------------------------

    def _build_candidates(self) -> None:
        box = self.ids.candidates
        for _ in range(SHOWN_CANDIDATES):
            button = CandidateButton(primary=False, opacity=0, disabled=True)
            button.bind(on_release=lambda b: self.pick(b.candidate))
            box.add_widget(button)

    def _build_letters(self) -> None:
        rows = self.ids.letter_rows
        for row in LETTER_ROWS:
            line = BoxLayout(spacing=rows.spacing)
            for letter in row:
                key = KeyButton(key=letter, phrase=Bilingual(letter, letter))
                key.bind(on_release=lambda b: self.press(b.key))
                line.add_widget(key)
            if row == LETTER_ROWS[-1]:
                delete = KeyButton(key=DELETE_LETTER, phrase=DELETE_LABEL, primary=False, compact=True)
                delete.bind(on_release=lambda b: self.press(b.key))
                line.add_widget(delete)
            rows.add_widget(line)

    def engines(self) -> Engines:
        return self._engines.result(timeout=10)

    # --- the step --------------------------------------------------------------------

    def prepare(self, title: Bilingual, max_chars: int, hint: Bilingual | None = None, current: str = "",
                optional: bool = False, kind: str = "") -> None:  # fmt: skip
        if max_chars < 1:
            raise ValueError(f"max_chars must be at least 1, not {max_chars}")
        engines = self.engines()
        self.title, self.hint = title, hint
        self.handwriting_ready = engines.recogniser is not None
        self.pinyin_ready = engines.pinyin is not None
        self.composer = Composer(max_chars, engines.glyphs, optional=optional)
        self.composer.begin(current)
        if not self.handwriting_ready and self.pinyin_ready:
            self.composer.switch(Mode.PINYIN)
        self.ids.pad.clear()
        self._refresh()

    def switch(self, mode: str) -> None:
        if self.composer is None:
            return
        self._worker.cancel_pending()
        self.ids.pad.clear()
        self.composer.switch(Mode(mode))
        self._refresh()

    # --- handwriting -----------------------------------------------------------------

    def _pad_changed(self, _pad, strokes: int) -> None:
        self.can_rewrite = bool(strokes) or bool(self.letters)

    def _stroke_done(self, pad: WritingPad) -> None:
        if self.composer is None:
            return
        ink = pad.ink()
        self.composer.ink = ink
        self.composer.stroke_added()
        recogniser = self.engines().recogniser
        if recogniser is None:
            self.composer.message = NO_HANDWRITING
            self._refresh()
            return
        self._worker.submit(lambda: recogniser.recognise(ink, RECOGNISED), self._deliver)

    def _deliver(self, found: list[str]) -> None:
        """On the worker thread: hand the candidates to the UI thread."""
        Clock.schedule_once(lambda _dt: self._offer(found), -1)

    def _offer(self, found: list[str]) -> None:
        if self.composer is None:
            return
        self._page = 0
        self.composer.offer(found)
        self._refresh()

    def rewrite(self) -> None:
        self._worker.cancel_pending()
        self.ids.pad.clear()
        if self.composer is not None:
            self.composer.rewrite()
        self._refresh()

    # --- pinyin ----------------------------------------------------------------------

    def press(self, key: str) -> None:
        composer = self.composer
        if composer is None:
            return
        if key == DELETE_LETTER:
            composer.delete_letter()
        elif not composer.type_letter(key):
            return
        self._look_up()

    def _look_up(self) -> None:
        composer = self.composer
        pinyin = self.engines().pinyin
        letters = composer.letters
        if not letters or pinyin is None:
            self._worker.cancel_pending()
            composer.offer([])
            if pinyin is None:
                composer.message = NO_PINYIN
        else:
            self._worker.submit(lambda: pinyin.candidates(letters, LOOKED_UP), self._deliver)
        self._refresh()

    def more(self) -> None:
        self._page += 1
        self._refresh()

    # --- the text --------------------------------------------------------------------

    def pick(self, candidate: str) -> None:
        if self.composer is not None and candidate and self.composer.pick(candidate):
            self._worker.cancel_pending()
            self.ids.pad.clear()
        self._refresh()

    def delete(self) -> None:
        if self.composer is not None:
            self.composer.delete()
            self._refresh()

    def clear(self) -> None:
        if self.composer is not None:
            self._worker.cancel_pending()
            self.ids.pad.clear()
            self.composer.clear()
            self._refresh()

    def done(self) -> None:
        if self.composer is None:
            return
        text = self.composer.finish()
        if text is None:
            self._refresh()
            return
        self.answer(text)

    # --- showing it ------------------------------------------------------------------

    def _refresh(self) -> None:
        composer = self.composer
        if composer is None:
            return
        self.written = composer.text
        self.letters = composer.letters
        self.message = composer.message
        self.pinyin_mode = composer.mode is Mode.PINYIN
        self.counter = WRITTEN_COUNT.format(count=len(composer.text), limit=composer.max_chars)
        self.can_rewrite = bool(self.ids.pad.strokes) or bool(composer.letters)
        shown = composer.candidates
        pages = max(1, -(-len(shown) // SHOWN_CANDIDATES))
        page = self._page % pages
        self.has_more = pages > 1
        window = shown[page * SHOWN_CANDIDATES : (page + 1) * SHOWN_CANDIDATES]
        buttons = list(reversed(self.ids.candidates.children))
        for i, button in enumerate(buttons):
            candidate = window[i] if i < len(window) else ""
            button.candidate = candidate
            button.phrase = Bilingual(candidate, candidate) if candidate else None
            button.opacity = 1 if candidate else 0
            button.disabled = not candidate
        self._show_work_area()

    def _show_work_area(self) -> None:
        area = self.ids.work_area
        wanted = self._keys_box if self.pinyin_mode else self._pad_box
        if wanted.parent is not area:
            area.clear_widgets()
            area.add_widget(wanted)

    def candidate(self, text: str) -> CandidateButton:
        for button in self.ids.candidates.children:
            if button.candidate == text and not button.disabled:
                return button
        raise KeyError(text)

    def key(self, letter: str) -> KeyButton:
        for line in self.ids.letter_rows.children:
            for button in line.children:
                if isinstance(button, KeyButton) and button.key == letter:
                    return button
        raise KeyError(letter)

    def forget(self) -> None:
        self._worker.cancel_pending()
        self.ids.pad.clear()
        if self.composer is not None:
            self.composer.forget()
            self._refresh()
        self.written = ""
        self.letters = ""
        self.message = None


__all__ = ["ChineseInputScreen", "WritingPad", "CandidateButton"]
