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

    def on_release(self):
        App.get_running_app().open_service(self.service.code)


class GroupScreen(KioskScreen):
    screen_name = "group"
    group = ObjectProperty(None)

    def prepare(self, group: str) -> None:
        app = App.get_running_app()
        self.group = GROUP_BY_CODE[group]
        box = self.ids.services
        box.clear_widgets()
        for service in SERVICES:
            if service.group == group and app.offers(service.code):
                box.add_widget(ServiceButton(service=service, at_window=app.where(service.code) == "window"))

    def button(self, service_code: str) -> ServiceButton:
        for button in self.ids.services.children:
            if button.service.code == service_code:
                return button
        raise KeyError(service_code)
