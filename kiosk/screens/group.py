"""The services of one group, one big button each (e.g. reissue, replace, upgrade)."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, ObjectProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.domain.services import GROUP_BY_CODE, SERVICES
from kiosk.ui.screen import KioskScreen


class ServiceButton(ButtonBehavior, BoxLayout):
    service = ObjectProperty(None)
    at_window = BooleanProperty(False)
    # Degraded service (kiosk.availability): the service's ServiceAvailability; greyed with its reason when closed.
    availability = ObjectProperty(None, allownone=True)
    closed = BooleanProperty(False)

    def on_availability(self, _button, state) -> None:
        self.closed = state is not None and not state.open

    def on_release(self):
        App.get_running_app().open_service(self.service.code)


class GroupScreen(KioskScreen):
    screen_name = "group"
    group = ObjectProperty(None)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # A group's buttons are built on its first visit and kept: what the region offers does
        # not change while the kiosk runs, and a resident's tap should not wait for new widgets.
        self._buttons: dict[str, list[ServiceButton]] = {}

    def prepare(self, group: str) -> None:
        self.group = GROUP_BY_CODE[group]
        box = self.ids.services
        box.clear_widgets()
        app = App.get_running_app()
        for button in self._buttons_of(group):
            button.availability = app.availability.of(button.service.code)
            box.add_widget(button)

    def _buttons_of(self, group: str) -> list[ServiceButton]:
        if group not in self._buttons:
            app = App.get_running_app()
            self._buttons[group] = [
                ServiceButton(service=service, at_window=app.where(service.code) == "window")
                for service in SERVICES
                if service.group == group and app.offers(service.code)
            ]
        return self._buttons[group]

    def button(self, service_code: str) -> ServiceButton:
        for button in self.ids.services.children:
            if button.service.code == service_code:
                return button
        raise KeyError(service_code)
