"""The screen a kiosk shows while nobody uses it: who runs it, the anti-fraud notice, "touch to start".

Out of service, or with every service closed (kiosk.availability), it says so in place of
"touch to start", and a touch starts nothing (`KioskApp.start_session` refuses).
"""

from __future__ import annotations

from kivy.app import App

from kiosk.i18n import bi
from kiosk.ui.screen import KioskScreen

STAFF_ENTRY = bi("工作人员", "Staff")


class AttractScreen(KioskScreen):
    screen_name = "attract"
    show_home_button = False
    idle_timeout = False  # nothing to time out: no session has begun

    def on_touch_down(self, touch):
        if not self.collide_point(*touch.pos):
            return False
        if self.ids.staff_entry.collide_point(*touch.pos):
            return super().on_touch_down(touch)  # the staff entry's own button
        # A touch anywhere is the resident saying "I want to start".
        App.get_running_app().start_session()
        return True
