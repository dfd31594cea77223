"""The screen a terminal shows when the kiosk cannot start: not provisioned, or a configuration
`kiosk config check` refuses. It says so in both languages with the reason for the technician,
tells systemd it is up (so the service does not restart in a loop) and keeps the watchdog fed.

    out_of_service.py REASON DETAILS
"""
import os
import sys
from pathlib import Path

from kiosk.ui.bootstrap import WindowPlan, configure_window, prepare_environment

reason, details = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""
prepare_environment(Path(os.environ.get("RUNTIME_DIRECTORY", "/tmp")) / "out-of-service")
configure_window(WindowPlan(fullscreen=True, multisamples=0), production=True)

from kivy.app import App  # noqa: E402  (Kivy only after its environment)
from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.uix.boxlayout import BoxLayout  # noqa: E402
from kivy.uix.label import Label  # noqa: E402

from kiosk.systemd_notify import watchdog_interval_s  # noqa: E402
from kiosk.ui.fonts import register_default_font  # noqa: E402

TITLE = "暂停服务\nOut of service"
WHY = {
    "unprovisioned": "本机尚未配置，请联系工作人员\nThis terminal is not set up yet: please ask the staff",
    "unenrolled": "本机尚未在中心登记，请联系工作人员\nThis terminal is not enrolled with the centre yet: please ask the staff",
    "config-invalid": "本机配置有误，请联系工作人员\nThis terminal's configuration has problems: please ask the staff",
}


class OutOfService(App):
    def build(self):
        Window.clearcolor = (1, 1, 1, 1)
        box = BoxLayout(orientation="vertical", padding=60, spacing=40)
        dark = (0.15, 0.15, 0.15, 1)
        box.add_widget(Label(text=TITLE, font_size="64sp", halign="center", color=(0.7, 0.1, 0.1, 1)))
        box.add_widget(Label(text=WHY.get(reason, reason), font_size="30sp", halign="center", color=dark))
        technician = Label(text=details[-1500:], font_size="18sp", halign="left", valign="top", color=dark)
        technician.bind(size=lambda w, s: setattr(w, "text_size", s))
        box.add_widget(technician)
        Clock.schedule_once(self.notify, 0)
        Clock.schedule_interval(self.notify, watchdog_interval_s())
        return box

    def notify(self, _dt):
        if not os.environ.get("NOTIFY_SOCKET"):
            return
        import sdnotify

        sdnotify.SystemdNotifier().notify(f"READY=1\nWATCHDOG=1\nSTATUS=out of service: {reason}")


if __name__ == "__main__":
    print(f"kiosk out of service: {reason}", file=sys.stderr, flush=True)
    register_default_font()
    OutOfService().run()
