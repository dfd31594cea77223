"""Maintenance mode's one screen, for outlet staff: the terminal at a glance (devices, the
outbox, this terminal) and a row of actions. Denser than a resident's screen, still Chinese
first. The flow (kiosk/flows/maintenance.py) gives the sections and the actions; this only
lays them out and answers the action touched."""

from __future__ import annotations

from kivy.properties import ObjectProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.flows.steps import Option
from kiosk.i18n import Bilingual
from kiosk.screens.parts import StepScreen, action_button, fill_actions


class MaintenanceRow(BoxLayout):
    label = ObjectProperty(None)  # Bilingual
    value = ObjectProperty(None)  # Bilingual (a number or an id: the same in both)


class MaintenanceHeading(BoxLayout):
    phrase = ObjectProperty(None)  # Bilingual


class MaintenanceScreen(StepScreen):
    screen_name = "maintenance"
    who = ObjectProperty(None, allownone=True)  # "工作人员 S0042"

    def prepare(
        self,
        title: Bilingual,
        sections: list[tuple[Bilingual, list[tuple[Bilingual, Bilingual | str]]]],
        actions: list[Option],
        who: Bilingual | None = None,
    ) -> None:
        if not actions:
            raise ValueError("maintenance needs at least one action")
        self.title, self.who = title, who
        table = self.ids.rows
        table.clear_widgets()
        for heading, rows in sections:
            table.add_widget(MaintenanceHeading(phrase=heading))
            for label, value in rows:
                shown = value if isinstance(value, Bilingual) else Bilingual(str(value), str(value))
                table.add_widget(MaintenanceRow(label=label, value=shown))
        self.ids.scroll.scroll_y = 1
        fill_actions(self.ids.actions, actions, self.answer)

    def button(self, code: str):
        """The action button that answers `code` (for scripted touches)."""
        return action_button(self.ids.actions, code)

    def shown_rows(self) -> list[tuple[str, str]]:
        """(label, value) as staff see them now, top to bottom (headings have no value)."""
        out = []
        for widget in reversed(self.ids.rows.children):
            if isinstance(widget, MaintenanceRow):
                out.append((widget.ids.label.text, widget.ids.value.text))
        return out
