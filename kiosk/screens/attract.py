"""The screen a kiosk shows while nobody uses it: who runs it, the anti-fraud notice, "touch to
start", and the 长辈模式 button (a touch on it starts in the simpler mode).

Out of service, or with every service closed (kiosk.availability), it says so in place of
"touch to start", and a touch starts nothing (`KioskApp.start_session` refuses).
"""

from __future__ import annotations

from kivy.app import App

from kiosk.i18n import bi
from kiosk.ui.mode import Mode
from kiosk.ui.mode_toggle import ModeToggle  # noqa: F401  (used in attract.kv)
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
        app = App.get_running_app()
        if self.ids.mode_toggle.collide_point(*touch.pos):
            app.set_mode(Mode.SIMPLER)  # 长辈模式 from the first screen on
        # A touch anywhere is the resident saying "I want to start".
        app.start_session()
        return True
