"""Check before it is sent: what the kiosk is about to submit, one row per item in the
session's language (the values come already masked from the flow), the photo as a
thumbnail, and 「修改」 beside each row the flow lets the resident change; confirmed,
changed or taken back."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, ObjectProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.flows.steps import CONFIRM, Change
from kiosk.i18n import Bilingual, bi
from kiosk.screens.parts import StepScreen, jpeg_texture

CONFIRM_ALL = bi("确认无误", "Confirm")
CHECK_HINT = bi("请核对以下信息", "Please check that this is right")
CHANGE = bi("修改", "Change")
PHOTO_SHOWN = "[photo]"  # what shown_rows() gives for the thumbnail


class ReviewRow(BoxLayout):
    label = ObjectProperty(None)  # Bilingual
    value = ObjectProperty(None, allownone=True)  # Bilingual, str, or the photo's JPEG bytes
    changeable = BooleanProperty(False)
    picture = ObjectProperty(None, allownone=True)  # the thumbnail's texture

    def show(self, language: str) -> None:
        """The value in `language` (a Bilingual), as it is (a str), or as a thumbnail (bytes)."""
        value = self.value
        if isinstance(value, (bytes, bytearray)):
            if self.picture is None:
                self.picture = jpeg_texture(value)
            self.ids.value.text = ""
        else:
            self.ids.value.text = value.get(language) if isinstance(value, Bilingual) else str(value)

    def shown_value(self) -> str:
        return PHOTO_SHOWN if self.picture is not None else self.ids.value.text


class ReviewScreen(StepScreen):
    screen_name = "review"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        app = App.get_running_app()
        if app is not None and hasattr(app, "lang"):
            app.bind(lang=lambda _app, language: self._show_values(language))

    def prepare(self, title: Bilingual, rows: list[tuple[Bilingual, object]], changes=()) -> None:
        if not rows:
            raise ValueError("review needs at least one row")
        self.title = title
        table = self.ids.rows
        table.clear_widgets()
        for label, value in rows:
            row = ReviewRow(label=label, value=value, changeable=label in changes)
            row.ids.change.bind(on_release=lambda _b, at=label: self.change(at))
            table.add_widget(row)
        self._show_values(self._language())
        self.ids.scroll.scroll_y = 1

    @staticmethod
    def _language() -> str:
        app = App.get_running_app()
        return getattr(app, "lang", "zh") if app is not None else "zh"

    def _show_values(self, language: str) -> None:
        for row in self.ids.rows.children:
            row.show(language)

    def confirm(self) -> None:
        self.answer(CONFIRM)

    def change(self, label: Bilingual) -> None:
        """「修改」 beside the row `label`: the flow goes to that step and comes back here."""
        self.answer(Change(label))

    def forget(self) -> None:
        for row in self.ids.rows.children:
            row.picture = None
        self.ids.rows.clear_widgets()

    def row(self, label: Bilingual) -> ReviewRow:
        """The row shown under `label` (for scripted touches)."""
        for row in self.ids.rows.children:
            if row.label == label:
                return row
        raise KeyError(label)

    def shown_rows(self) -> list[tuple[str, str]]:
        """(label, value) as the resident sees them now, top to bottom; the photo as "[photo]"."""
        return [(row.ids.label.current_phrase, row.shown_value()) for row in reversed(self.ids.rows.children)]

    def changeable_rows(self) -> list[str]:
        """The labels of the rows with a 「修改」 button, as shown, top to bottom."""
        return [row.ids.label.current_phrase for row in reversed(self.ids.rows.children) if row.changeable]
