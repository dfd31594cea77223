"""Check before it is sent: what the kiosk is about to submit, one row per item (the values
come already masked from the flow), confirmed or taken back."""

from __future__ import annotations

from kivy.properties import ObjectProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.flows.steps import CONFIRM
from kiosk.i18n import Bilingual, bi
from kiosk.screens.parts import StepScreen

CONFIRM_ALL = bi("确认无误", "Confirm")
CHECK_HINT = bi("请核对以下信息", "Please check that this is right")


class ReviewRow(BoxLayout):
    label = ObjectProperty(None)  # Bilingual


class ReviewScreen(StepScreen):
    screen_name = "review"

    def prepare(self, title: Bilingual, rows: list[tuple[Bilingual, str]]) -> None:
        if not rows:
            raise ValueError("review needs at least one row")
        self.title = title
        table = self.ids.rows
        table.clear_widgets()
        for label, value in rows:
            row = ReviewRow(label=label)
            row.ids.value.text = str(value)
            table.add_widget(row)
        self.ids.scroll.scroll_y = 1

    def confirm(self) -> None:
        self.answer(CONFIRM)

    def forget(self) -> None:
        self.ids.rows.clear_widgets()

    def shown_rows(self) -> list[tuple[str, str]]:
        """(label, value) as the resident sees them now, top to bottom."""
        return [(row.ids.label.text, row.ids.value.text) for row in reversed(self.ids.rows.children)]
