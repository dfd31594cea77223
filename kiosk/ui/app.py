"""The kiosk app: one window, one resident at a time, back to the start when they leave.

Import this only after `kiosk.ui.bootstrap` prepared Kivy (`kiosk.ui.runner` does both).
The app owns the one `Session`, the idle timer, the language and the running flow;
screens call its small set of verbs (open_group, open_service, go_home, ...).
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import ObjectProperty, OptionProperty, StringProperty

from kiosk.audit import AuditEvent, begin, record
from kiosk.availability.rules import KioskAvailability, group_availability
from kiosk.config import Config
from kiosk.domain.services import BY_CODE as SERVICE_BY_CODE, GROUP_BY_CODE, SERVICES
from kiosk.flows.session import Session
from kiosk.health.journeys import JourneyCounter
from kiosk.i18n import Bilingual
from kiosk import systemd_notify
from kiosk.ui import widgets  # noqa: F401  (registers BiLabel, BiButton, DataLabel for the .kv files)
from kiosk.ui.availability import AvailabilityHost
from kiosk.ui.built_later import BuiltLater
from kiosk.ui.flow_host import FlowHost
from kiosk.ui.health_host import start_health
from kiosk.ui.idle import IdlePhase, IdleTimer, step_timeout_s
from kiosk.ui.idle_overlay import IdleOverlay
from kiosk.ui.mode import Mode
from kiosk.ui.navigator import Navigator
from kiosk.ui.screen import KioskScreen
from kiosk.ui.shell import KioskRoot
from kiosk.ui.staff_call import StaffCallHost
from kiosk.ui.theme import Theme
from kiosk.ui import texts as T
from kiosk.ui.voice_prompts import VoicePrompts, screen_prompt

log = logging.getLogger(__name__)

IDLE_POLL_S = 0.2
CHIME_S = 0.35  # the warning's beep, before its words
KEY_ESCAPE = 27  # also Android's back key
KEY_Q = ord("q")
ATTRACT, HOME = "attract", "home"


class KioskApp(App):
    use_kivy_settings = False  # and no settings panel at all: see open_settings
    lang = StringProperty("zh")
    theme = ObjectProperty(None)
    policy = ObjectProperty(None)
    region_name = ObjectProperty(None)  # Bilingual
    place_name = ObjectProperty(None)  # Bilingual: this outlet, else the region
    availability = ObjectProperty(None)  # kiosk.availability.rules.KioskAvailability: which services are open now
    closed_notice = ObjectProperty(None, allownone=True)  # Bilingual: why the kiosk takes nobody now, else None
    mode = OptionProperty(Mode.STANDARD, options=list(Mode))  # 长辈模式 or not, for this session

    def __init__(
        self,
        terminal: Config,
        policy: Any,
        *,
        idle_timeout_s: float | None = None,
        idle_warning_s: float | None = None,
        watch_devices: bool = True,
        **kwargs: Any,
    ) -> None:
        """`watch_devices` False: services are not closed for device or centre faults (menu
        tests that run with no device at all); the out-of-service switch is always obeyed."""
        super().__init__(**kwargs)
        self.title = "sscard-kiosk"
        self.terminal = terminal
        self.policy = policy
        self.lang = terminal.language
        self.theme = Theme()
        self.session = Session()
        self.idle = IdleTimer(idle_timeout_s or terminal.idle_timeout_s, idle_warning_s)
        self._idle_fixed = idle_timeout_s is not None  # a test's or the demo's one wait for every step
        self.region_name = policy.name
        self.place_name = self._place_name()
        self.navigator: Navigator | None = None
        self._idle_watch = None  # the clock's event for _watch_idle, from build() to on_stop()
        self.flows: FlowHost | None = None
        # Off the start path: started once the first screen is drawn (see _first_frame).
        self._services = BuiltLater(self._build_services, "services")
        self._speaker = BuiltLater(self._build_speaker, "voice")
        self.voice: VoicePrompts | None = None
        self.staff: StaffCallHost | None = None
        self.overlay: IdleOverlay | None = None
        self.closes_refused = 0
        # Which services are open now (issue 15): the switch is read here, devices once services start.
        self.availability_host = AvailabilityHost(
            terminal, self.services_here(), self._availability_changed, lambda: self.flows is None or self.flows.running is None,
            lambda phrases: self.voice.say(phrases) if self.voice else None, watch_devices=watch_devices,
        )  # fmt: skip
        self._availability_changed(self.availability_host.initial())
        self.journeys = JourneyCounter()  # fleet health (kiosk.health): how residents' journeys end
        self.health = None  # kiosk.health.monitor.HealthMonitor, once the services are built

    # --- building -----------------------------------------------------------------

    def build(self) -> KioskRoot:
        self.theme.fit(*Window.size)
        Window.bind(size=lambda _w, size: self.theme.fit(*size))
        Window.clearcolor = (1, 1, 1, 1)
        if self.terminal.production:
            Window.show_cursor = False
        self.navigator = Navigator.for_package(first=ATTRACT)
        self.flows = FlowHost(
            self.navigator, self.session, self._flow_done, lambda: self.services, self.journeys, lambda: self.lang
        )
        self.overlay = IdleOverlay()
        from kiosk.voice.chime import Chime  # no Kivy audio until it first sounds

        self.chime = Chime(self.terminal)
        root = KioskRoot()
        root.ids.body.add_widget(self.navigator.manager)
        self.navigator.manager.bind(current=self._screen_changed)
        self.session.on_clear(lambda _s: self._blank_personal_fields())
        Window.bind(on_keyboard=self._on_keyboard, on_request_close=self._on_request_close)
        Window.bind(on_touch_down=self._on_touch, on_key_down=self._on_key)
        Window.bind(on_flip=self._first_frame)
        self.navigator.on_screen(lambda screen: screen.bind(on_presence=self._on_presence))
        self._idle_watch = Clock.schedule_interval(self._watch_idle, IDLE_POLL_S)
        self.root = root
        self.voice = VoicePrompts(self._speaker.if_started, lambda: self.navigator.current, lambda: self.lang, self._may_speak)
        self.staff = StaffCallHost(root, lambda: self.services, self._where, self.voice.say, self.hotline)
        self.navigator.on_shown(self._screen_shown)
        self.bind(lang=lambda *_: self.voice.screen_shown())  # said again, in the language chosen
        self.navigator.go(ATTRACT)
        self._screen_changed(self.navigator.manager, ATTRACT)
        systemd_notify.start()  # READY=1 with the first frame, then watchdog pings from the Kivy clock
        return root

    def _first_frame(self, *_args) -> None:
        Window.unbind(on_flip=self._first_frame)
        self._services.start()
        self._speaker.start()

    @property
    def services(self):
        """The flows' services (kiosk.flows.context.KioskServices), or None if they could not
        start; a flow that starts before their build on a thread has ended waits for it here."""
        return self._services.get()

    def _build_services(self):
        """Drivers, outbox, centre and sync worker for the flows; None (flows say they cannot
        take requests) when the terminal cannot keep data safely, e.g. an unreadable database."""
        from kiosk.flows import registry  # noqa: F401  (imported here, off the UI thread, for the first service tap)
        from kiosk.flows.context import KioskServices

        try:
            with begin(AuditEvent.KIOSK_START):
                services = KioskServices.build(self.terminal, policy=self.policy)
        except Exception:
            log.exception("the kiosk's services could not start; flows will send residents to the window")
            self.availability_host.start(None)
            return None
        services.start_background_sync()
        self.availability_host.start(services)
        self.health = start_health(services, self.journeys)
        return services

    def _build_speaker(self):
        """The voice (kiosk.voice): espeak-ng, its cache under the data directory, Kivy's audio."""
        from kiosk.voice import Speaker, VoiceState

        terminal = self.terminal
        if terminal.elder.voice and not terminal.voice.enabled:
            # Silent in the standard mode, but 长辈模式 speaks: the speaker must be able to.
            terminal = dataclasses.replace(terminal, voice=dataclasses.replace(terminal.voice, enabled=True))
        speaker = Speaker.for_config(terminal, post=lambda job: Clock.schedule_once(lambda _dt: job(), 0))
        if speaker.check() is not VoiceState.READY:
            log.warning("voice prompts are off: %s", speaker.reason)
        return speaker

    def on_stop(self) -> None:
        # Kivy's clock may tick once more after stop(), with no running app: the idle watch then
        # changed the top bar's countdown, whose kv rule reads `app`, which raised (in CI), and a
        # stop became a crash. Nothing else may change a widget here for the same reason (so the
        # screen on show is not "left": its wiped fields would re-lay themselves out).
        if self._idle_watch is not None:
            self._idle_watch.cancel()
        self.availability_host.stop()
        if self.health is not None:
            self.health.stop()
        speaker = self._speaker.if_started()
        if speaker is not None:
            speaker.close()
        services = self._services.if_started()
        if services is not None:
            services.close()

    def _place_name(self) -> Bilingual:
        try:
            outlet = self.policy.outlet(self.terminal.outlet_id)
        except KeyError:
            log.warning("outlet %s is not in the %s policy; showing the region name", self.terminal.outlet_id, self.policy.code)
            return self.policy.name
        return outlet.title(self.policy.name)

    # --- what the policy says about a service ---------------------------------------

    def offers(self, service: str) -> bool:
        try:
            self.policy.service(service)
        except KeyError:
            return False
        return True

    def where(self, service: str) -> str:
        return self.policy.service(service).where

    def guidance(self, service: str) -> Bilingual | None:
        return self.policy.service(service).guidance

    @property
    def hotline(self) -> str:
        return self.policy.contacts.hotline

    def services_here(self) -> list[str]:
        """The services this kiosk does itself (not the window-only ones it explains)."""
        return [s.code for s in SERVICES if self.offers(s.code) and self.where(s.code) == "kiosk"]

    # --- what is open now (kiosk.availability) -----------------------------------------

    def _availability_changed(self, kiosk: KioskAvailability) -> None:
        self.availability = kiosk
        self.closed_notice = kiosk.closed_notice(self.services_here())

    def _closed(self, what: Bilingual, state) -> bool:
        """True (and the resident told why) when `state`, a ServiceAvailability, is closed."""
        if state.open:
            return False
        log.info("%s touched while closed: %s", state.service, state.availability)
        self.availability_host.show_closed(self.root, what, state.reason)
        return True

    # --- verbs the screens use ----------------------------------------------------

    def start_session(self) -> None:
        """The resident touched the attract screen (which says why when the kiosk takes nobody)."""
        if self.closed_notice is not None:
            return
        self.idle.activity()
        record(AuditEvent.SESSION_STARTED)
        self.navigator.go(HOME)

    def open_group(self, group: str) -> None:
        if group not in GROUP_BY_CODE:
            raise KeyError(f"unknown group {group!r}")
        offered = [s.code for s in SERVICES if s.group == group and self.offers(s.code)]
        if self._closed(GROUP_BY_CODE[group].title, group_availability(self.availability, group, offered)):
            return
        if len(offered) == 1:
            self.open_service(offered[0])
        else:
            self.navigator.go("group", group=group)

    def open_service(self, service: str) -> None:
        from kiosk.flows.registry import flow_for  # the flows stay off the start path

        if self._closed(SERVICE_BY_CODE[service].title, self.availability.of(service)):
            return
        factory = flow_for(service)
        if factory is not None and self.where(service) == "kiosk":
            self.flows.start(service, factory)
        else:
            self.navigator.go("service_info", service=service)

    def open_maintenance(self) -> None:
        """「工作人员」 on the attract screen: it asks for the staff card; the card and its PIN,
        checked on the card, open maintenance mode (kiosk/flows/maintenance.py)."""
        from kiosk.flows import maintenance  # the flows stay off the start path

        self.idle.activity()
        self.flows.start(maintenance.SERVICE, maintenance.run)

    def go_home(self) -> None:
        """The resident pressed Start: leave whatever they were doing, forget what it held."""
        self.flows.cancel()
        self.session.clear()
        self._close_everything_over_the_kiosk()
        self.availability_host.dismiss()
        self.availability_host.wake()
        self.navigator.go(HOME)

    def say_again(self) -> None:
        """「再听一遍」: the current screen's prompt, from the start."""
        self.voice.say_again()

    def call_staff(self) -> None:
        """「呼叫工作人员」, from any screen."""
        self.staff.press()

    def _where(self) -> tuple[str, str | None]:
        return self.navigator.current.name, self.flows.running

    def set_mode(self, mode: Mode) -> None:
        """The 长辈模式 button: on or off, for this resident's session only."""
        self.mode = mode

    def on_mode(self, _app, mode: Mode) -> None:
        simpler = mode == Mode.SIMPLER
        self.theme.simpler = simpler
        self.idle.stretch(self.terminal.elder.timeout_multiplier if simpler else 1.0)
        self.idle.activity()
        if self.voice is not None:
            self.voice.screen_shown()  # said again, now that the mode may speak where it did not

    def _may_speak(self) -> bool:
        """The voice as the config says: [voice] enabled, and in 长辈模式 [elder] voice too."""
        return self.terminal.voice.enabled or (self.mode == Mode.SIMPLER and self.terminal.elder.voice)

    def toggle_language(self) -> None:
        self.lang = "en" if self.lang == "zh" else "zh"

    def keep_going(self) -> None:
        """Continue on the countdown (or any touch on it): the resident is still here."""
        self.idle.activity()
        self.root.hide_overlay(self.overlay)
        self.voice.stop()

    def end_session(self, reason: str) -> None:
        """Back to the attract screen with nothing of the resident left anywhere; `reason` in
        a few plain words ("idle timeout"), which the audit trail writes as a code (idle-timeout)."""
        log.info("session ended: %s", reason)
        if self.flows.running or not self.session.is_empty:  # walked away mid-service
            record(AuditEvent.SESSION_WIPED, count=len(self.session.keys()))
        record(AuditEvent.SESSION_ENDED, reason="-".join(reason.lower().split()))
        self.flows.cancel()
        self.session.clear()
        self._close_everything_over_the_kiosk()
        self.root.hide_overlay(self.overlay)
        self.availability_host.dismiss()
        self.availability_host.wake()
        self.voice.stop()
        self.staff.session_ended()
        self.lang = self.terminal.language
        self.mode = Mode.STANDARD
        self.navigator.go(ATTRACT)

    # --- flows --------------------------------------------------------------------

    def _flow_done(self, service: str, error: BaseException | None) -> None:
        from kiosk.flows.maintenance import SERVICE as MAINTENANCE

        if service == MAINTENANCE:  # staff leave to the attract screen, not to the residents' menu
            self.end_session("maintenance ended" if error is None else "maintenance failed")
            return
        self.session.clear()
        self.availability_host.wake()  # the journey may have used up the paper: home shows it at once
        if error is None:
            self.navigator.go(HOME)
        else:
            self.navigator.go("service_info", service=service, reason="failed")

    # --- input, idle, kiosk lock-down --------------------------------------------

    def _screen_changed(self, _manager, name: str) -> None:
        screen = self.navigator.screen(name)
        self.root.ids.top_bar.show_home = screen.show_home_button
        self.root.ids.top_bar.speaks = screen.idle_timeout
        self.idle.activity()

    def _screen_shown(self, screen: KioskScreen) -> None:
        progress = self.flows.progress
        self.root.ids.step_strip.progress = progress
        if not self._idle_fixed:
            self.idle.set_timeout(step_timeout_s(self.terminal, progress.kind if progress is not None else None))
        self.voice.screen_shown(screen)
        Clock.schedule_once(lambda _dt: self._emphasise_staff(screen), 0.15)

    def _emphasise_staff(self, screen: KioskScreen) -> None:
        """A screen that tells the resident to find staff points at the button that brings them."""
        if screen is self.navigator.current:
            says = " ".join(phrase.zh for phrase in screen_prompt(screen))
            self.root.ids.top_bar.emphasise_staff = "找工作人员" in says

    def _on_touch(self, _window, _touch) -> None:
        self.idle.activity()  # returns None: the touch goes on to the widgets

    def _on_key(self, *_args) -> None:
        self.idle.activity()

    def _on_presence(self, screen: KioskScreen) -> None:
        if screen is self.navigator.current:  # a screen being left cannot keep a session alive
            self.idle.activity()

    def _watch_idle(self, _dt: float) -> None:
        reading = self.idle.reading()
        self._count_down_in_top_bar(reading)
        if not self.navigator.current.idle_timeout:
            # No session here, but a language switched on the attract screen by someone who
            # then walked away must not greet the next resident.
            self.root.hide_overlay(self.overlay)
            if reading.phase is IdlePhase.EXPIRED:
                self.lang = self.terminal.language
                self.mode = Mode.STANDARD
                self.idle.activity()
            return
        if reading.phase is IdlePhase.EXPIRED:
            self.end_session("idle timeout")
        elif reading.phase is IdlePhase.WARNING:
            self.overlay.seconds = reading.seconds_left
            if self.overlay.parent is None:
                self.chime.play()  # a beep, then the words: a resident who turned away looks back
                words = [T.IDLE_QUESTION, self.overlay.countdown, T.IDLE_CLEARS]
                Clock.schedule_once(lambda _dt: self.voice.say(words), CHIME_S)
            self.root.show_overlay(self.overlay)
        else:
            self.root.hide_overlay(self.overlay)

    def _count_down_in_top_bar(self, reading) -> None:
        """The last minute of a session, counted down small in the top bar."""
        counting = (
            self.navigator.current.idle_timeout
            and reading.phase is not IdlePhase.EXPIRED
            and reading.seconds_left <= self.terminal.idle.countdown_s
        )
        self.root.ids.top_bar.countdown = T.IDLE_TOP_BAR.format(seconds=reading.seconds_left) if counting else None

    def _on_keyboard(self, _window, key: int, _scancode, _codepoint, modifiers) -> bool:
        if key == KEY_ESCAPE:
            return True  # swallowed: Escape never leaves the kiosk
        if key == KEY_Q and {"ctrl", "shift"} <= set(modifiers) and not self.terminal.production:
            # Technician's way out on a simulator terminal (documented in `kiosk run --help`).
            log.info("technician shortcut Ctrl+Shift+Q: stopping")
            self.stop()
            return True
        return False

    def _on_request_close(self, *_args, **_kwargs) -> bool:
        self.closes_refused += 1
        log.info("window close request refused")
        return True  # a kiosk window is not closed by the window system

    # Kivy opens its settings panel on F1 (App._on_keyboard_settings) and lets it change and
    # save the window's settings; a kiosk has none to offer.
    def open_settings(self, *_args) -> bool:
        return False

    def display_settings(self, _settings) -> bool:
        return False

    def close_settings(self, *_args) -> bool:
        return False

    def _close_everything_over_the_kiosk(self) -> None:
        """Popups, modal views and anything else laid on the window beside the kiosk's root
        (a settings panel, an inspector) go with the resident's session."""
        from kivy.uix.modalview import ModalView

        for widget in list(Window.children):
            if widget is self.root:
                continue
            if isinstance(widget, ModalView):
                widget.dismiss(animation=False)
            if widget.parent is Window:
                Window.remove_widget(widget)
            log.info("closed a %s left over the kiosk", type(widget).__name__)

    def _blank_personal_fields(self) -> None:
        """Every field that showed the resident's data, on every screen, shown or not."""
        from kivy.uix.textinput import TextInput  # only screens built later have one

        widgets.broken_lines.cache_clear()  # the texts a session showed, kept for the next language switch
        for screen in self.navigator.screens():
            for widget in screen.walk(restrict=True):
                if isinstance(widget, TextInput):
                    widget.text = ""
                    widget.reset_undo()  # undo and redo lists hold what was typed
                elif getattr(widget, "personal", False):
                    widget.text = ""
