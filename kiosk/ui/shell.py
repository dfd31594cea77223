"""The frame around every screen: the top bar (Start, place, language, and the resident's two
ways to get help: 「再听一遍」 and 「呼叫工作人员」; the last minute counted down before the
session ends), the step strip under it (「第3步/共8步 · 拍照」) and the overlay layer."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout


class TopBar(BoxLayout):
    show_home = BooleanProperty(False)
    countdown = ObjectProperty(None, allownone=True)  # Bilingual: 「还剩45秒」 in the last minute
    speaks = BooleanProperty(False)  # the screen has a prompt to say again (a session is under way)
    wide = BooleanProperty(False)  # a landscape screen: one row; portrait: the help buttons below
    emphasise_staff = BooleanProperty(False)  # the screen tells the resident to find staff

    def on_kv_post(self, _base_widget) -> None:
        self._place_helpers()

    def on_wide(self, *_args) -> None:
        self._place_helpers()

    def _place_helpers(self) -> None:
        helpers, row = self.ids.get("helpers"), self.ids.get("main_row")
        if helpers is None or row is None:
            return
        want = row if self.wide else self
        if helpers.parent is want:
            return
        if helpers.parent is not None:
            helpers.parent.remove_widget(helpers)
        # In the row, just left of the language switch (index 0 is the rightmost); else a row below.
        want.add_widget(helpers, index=1 if self.wide else 0)


class StepStrip(BoxLayout):
    """Where the resident is in the service (a kiosk.flows.plan.Progress); hidden outside a plan."""

    progress = ObjectProperty(None, allownone=True)
    phrase = ObjectProperty(None, allownone=True)  # its label, Bilingual
    done_share = NumericProperty(0.0)  # of the bar under the words

    def on_progress(self, _instance, progress) -> None:
        self.phrase = progress.label if progress is not None else None
        self.done_share = progress.number / progress.total if progress is not None else 0.0


class KioskRoot(FloatLayout):
    """Top bar above the screens; overlays (the idle countdown, the staff call) float above both."""

    def show_overlay(self, overlay) -> None:
        if overlay.parent is None:
            self.add_widget(overlay)

    def hide_overlay(self, overlay) -> None:
        if overlay.parent is self:
            self.remove_widget(overlay)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
