"""What is wrong with an employer's batch package, all at once: a summary, where the marked-up
copy of the sheet went, then every problem grouped by person (the package's own first), in
large text that scrolls, and the handler's choices (print the list, go on with those who
passed, or finish)."""

from __future__ import annotations

from kivy.properties import ObjectProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.flows.steps import Option
from kiosk.i18n import Bilingual
from kiosk.screens.parts import OptionButton, StepScreen, action_button, fill_actions


class ProblemGroup(BoxLayout):
    heading = ObjectProperty(None)  # Bilingual: "Row 5: 张*"


class ProblemLine(BoxLayout):
    message = ObjectProperty(None)  # Bilingual


class BatchProblemsScreen(StepScreen):
    screen_name = "batch_problems"
    summary = ObjectProperty(None, allownone=True)
    note = ObjectProperty(None, allownone=True)

    def prepare(self, title: Bilingual, summary: Bilingual, note: Bilingual | None,
                groups: list[tuple[Bilingual, list[Bilingual]]], actions: list[Option]) -> None:  # fmt: skip
        if not actions:
            raise ValueError("the problems screen needs at least one action")
        self.title, self.summary, self.note = title, summary, note
        box = self.ids.groups
        box.clear_widgets()
        for heading, messages in groups:
            group = ProblemGroup(heading=heading)
            for message in messages:
                group.ids.lines.add_widget(ProblemLine(message=message))
            box.add_widget(group)
        fill_actions(self.ids.actions, actions, self.answer)
        self.ids.scroll.scroll_y = 1

    def button(self, code: str) -> OptionButton:
        return action_button(self.ids.actions, code)

    def shown_groups(self) -> list[tuple[str, list[str]]]:
        """(heading, messages) as the handler sees them, top to bottom."""
        return [
            (g.ids.heading.text, [line.ids.text.text for line in reversed(g.ids.lines.children)])
            for g in reversed(self.ids.groups.children)
        ]

    def forget(self) -> None:
        self.ids.groups.clear_widgets()
