"""The frame around every screen: the top bar (place, Start, language) and the overlay layer."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout


class TopBar(BoxLayout):
    show_home = BooleanProperty(False)


class KioskRoot(FloatLayout):
    """Top bar above the screens; overlays (the idle countdown) float above both."""

    def show_overlay(self, overlay) -> None:
        if overlay.parent is None:
            self.add_widget(overlay)

    def hide_overlay(self, overlay) -> None:
        if overlay.parent is self:
            self.remove_widget(overlay)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
