"""The shell's side of 「呼叫工作人员」: the notice over the current screen while staff are
called, and what it says afterwards (kiosk.flows.staff_call does the calling, off the UI thread).

The notice floats above the screen the resident was on, so whatever they had done stays
where it was; "OK" takes them back to it. It says whether staff are coming, and always shows
the outlet's telephone: when the network is down it says so, and the phone is the way left.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Callable

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ObjectProperty

from kiosk.i18n import Bilingual, bi
from kiosk.ui.modal import Modal

log = logging.getLogger(__name__)

CALLING = bi("正在呼叫工作人员……", "Calling a member of staff…")
COMING = bi("工作人员马上就来", "Staff are on their way")
WAIT_HERE = bi("请在这里稍等。您已经办的不会丢失。", "Please wait here. Nothing you have done is lost.")
COMING_OFFLINE = bi(
    "呼叫灯已经亮了。网络暂时不通，呼叫会在网络恢复后再发给服务中心。",
    "The call light is on. The network is down: the centre gets the call once it is back.",
)
NOT_REACHED = bi("暂时没能叫到工作人员", "We could not reach the staff yet")
NOT_REACHED_BODY = bi(
    "网络暂时不通，呼叫会在网络恢复后发出。请到服务窗口找工作人员，或打电话。",
    "The network is down: the call goes out once it is back. Please go to a service window, or phone.",
)
PHONE = bi("本网点电话：{phone}", "This outlet's phone: {phone}")
UNKNOWN_PHONE = bi("咨询电话：{phone}", "Help line: {phone}")
OK_WAIT = bi("好的，我在这里等", "OK, I will wait here")
OK = bi("知道了", "OK")

Phrases = list[Bilingual]


class StaffCallOverlay(Modal):
    title = ObjectProperty(CALLING)
    body = ObjectProperty(None, allownone=True)
    phone = ObjectProperty(None, allownone=True)
    ok_label = ObjectProperty(OK_WAIT)
    calling = BooleanProperty(True)  # the call is on its way: no button yet

    def phrases(self) -> Phrases:
        return [p for p in (self.title, self.body, self.phone) if p is not None]


class StaffCallHost:
    """Presses of the top bar's 「呼叫工作人员」: one call per press, its notice, its voice."""

    def __init__(
        self,
        root: Any,
        services: Callable[[], Any],
        where: Callable[[], tuple[str, str | None]],
        say: Callable[[Phrases], None],
        fallback_phone: str,
    ) -> None:
        self.root = root
        self.overlay = StaffCallOverlay()
        self._services = services  # waits for the services' build: call only off the UI thread
        self._where = where  # (screen name, running service or None)
        self._say = say
        self._fallback_phone = fallback_phone
        self._busy = threading.Lock()
        self.last = None  # the last kiosk.flows.staff_call.StaffCall (tests, the journey report)

    def press(self) -> None:
        if not self._busy.acquire(blocking=False):
            return  # a call is being made right now; its notice is on the screen
        o = self.overlay
        o.title, o.body, o.phone, o.calling = CALLING, None, None, True
        self.root.show_overlay(o)
        self._say(o.phrases())
        screen, service = self._where()
        threading.Thread(target=self._call, args=(screen, service), name="staff-call", daemon=True).start()

    def _call(self, screen: str, service: str | None) -> None:
        from kiosk.flows.staff_call import call_staff

        result = None
        try:
            services = self._services()
            if services is not None:
                result = call_staff(services, screen=screen, service=service)
        except Exception:
            log.exception("the staff call failed; the resident is shown the phone")
        finally:
            self._busy.release()
        Clock.schedule_once(lambda _dt: self._show(result), 0)

    def _show(self, result) -> None:
        self.last = result
        o = self.overlay
        if result is not None and result.heard:
            o.title, o.body, o.ok_label = COMING, WAIT_HERE if result.centre_has_it else COMING_OFFLINE, OK_WAIT
        else:
            o.title, o.body, o.ok_label = NOT_REACHED, NOT_REACHED_BODY, OK
        phone = result.phone if result is not None and result.phone else None
        o.phone = PHONE.format(phone=phone) if phone else UNKNOWN_PHONE.format(phone=self._fallback_phone)
        o.calling = False
        if o.parent is not None:
            self._say(o.phrases())

    def dismiss(self) -> None:
        self.root.hide_overlay(self.overlay)
        App.get_running_app().say_again()

    def session_ended(self) -> None:
        """The resident left: no notice for the next one, and the light goes out."""
        self.root.hide_overlay(self.overlay)
        threading.Thread(target=self._end, name="staff-call-end", daemon=True).start()

    def _end(self) -> None:
        from kiosk.flows.staff_call import end_call

        try:
            services = self._services()
            if services is not None:
                end_call(services)
        except Exception:
            log.exception("switching the staff-call light off failed")


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
