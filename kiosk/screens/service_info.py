"""Where a resident lands for a service the kiosk cannot do (yet): what to do instead.

Three cases, all with the region policy's guidance (what to bring) and the hotline:
the service is done at the window only; its kiosk flow has not been built yet; or its
flow failed and nothing was kept.
"""

from __future__ import annotations

from enum import StrEnum

from kivy.app import App
from kivy.properties import ObjectProperty, StringProperty

from kiosk.domain.services import SERVICES, service as service_named
from kiosk.ui.screen import KioskScreen
from kiosk.ui import texts as T


class Reason(StrEnum):
    WINDOW_ONLY = "window"
    COMING = "coming"
    FAILED = "failed"


STATUS = {
    Reason.WINDOW_ONLY: (T.WINDOW_TITLE, T.WINDOW_BODY),
    Reason.COMING: (T.COMING_TITLE, T.COMING_BODY),
    Reason.FAILED: (T.FAILED_TITLE, T.FAILED_BODY),
}


class ServiceInfoScreen(KioskScreen):
    screen_name = "service_info"
    reason = StringProperty(Reason.COMING.value)
    service = ObjectProperty(None)
    status_title = ObjectProperty(None)
    status_body = ObjectProperty(None)
    guidance = ObjectProperty(None, allownone=True)
    hotline = ObjectProperty(None)

    def prepare(self, service: str, reason: str | None = None) -> None:
        app = App.get_running_app()
        self.service = service_named(service)
        if reason is None:
            reason = Reason.WINDOW_ONLY if app.where(service) == "window" else Reason.COMING
        self.reason = Reason(reason).value
        self.status_title, self.status_body = STATUS[Reason(reason)]
        self.guidance = app.guidance(service)
        self.hotline = T.HOTLINE.format(hotline=app.hotline)
        self.ids.scroll.scroll_y = 1

    def go_back(self) -> None:
        """To the group's list when the group has several services, else to the menu."""
        app = App.get_running_app()
        siblings = [s for s in SERVICES if s.group == self.service.group]
        if len(siblings) > 1:
            app.navigator.go("group", group=self.service.group)
        else:
            app.go_home()
