"""Scripts the UI tests run inside the real kiosk app (`python -m kiosk.ui.scripted`).

Each is an async function of a ScriptedResident: it touches the app through the real
input path and records what it saw; the tests assert on the recorded report.
"""

from __future__ import annotations

import asyncio
import time

from kivy.core.text import Label as CoreLabel
from kivy.core.window import Window
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from kivy.uix.textinput import TextInput

from kiosk.domain.services import GROUPS, SERVICES
from kiosk.flows.registry import FLOWS
from kiosk.ui.resident import ScriptedResident
from kiosk.ui.widgets import BiLabel, DataLabel

# Made-up personal data: a valid-looking ID number (check digit right), a phone, a name.
ID_NUMBER = "500115199003071234"
PHONE = "13812345678"
NAME = "张三丰"
MIN_BODY_PX = 32  # at 1080 px on the short side
MIN_BUTTON_PX = 120


# --- what is on the screen -----------------------------------------------------------


def text_widgets(r: ScriptedResident) -> list[Label]:
    return [w for w in r.app.root.walk(restrict=True) if isinstance(w, (Label, TextInput)) and w.text and r.is_visible(w)]


def inside_scroll(widget) -> bool:
    node = widget.parent
    while node is not None and node is not Window:
        if isinstance(node, ScrollView):
            return True
        node = node.parent
    return False


def screen_problems(r: ScriptedResident) -> dict[str, list[str]]:
    """Everything on the current screen that breaks the rules for elderly residents."""
    scale = min(Window.size) / 1080
    problems: dict[str, list[str]] = {"untranslated": [], "small_text": [], "small_button": [], "overflow": []}
    for w in text_widgets(r):
        label = f"{type(w).__name__}({w.text[:30]!r})"
        if not isinstance(w, (BiLabel, DataLabel, TextInput)):
            problems["untranslated"].append(label)  # a visible string that is not a Bilingual
        if isinstance(w, BiLabel) and "".join(w.text.split()) != "".join(w.current_phrase.split()):
            problems["untranslated"].append(label + " shows something else than its phrase")
        if w.font_size < MIN_BODY_PX * scale - 0.5:
            problems["small_text"].append(f"{label} {w.font_size:.0f}px")
        if isinstance(w, Label):
            tw, th = w.texture_size
            if tw > w.width + 2 or th > w.height + 2:
                problems["overflow"].append(f"{label} text {tw:.0f}x{th:.0f} in {w.width:.0f}x{w.height:.0f}")
            parent = w.parent
            if parent is not None and not inside_scroll(w) and hasattr(parent, "collide_point"):
                x, y = w.pos
                px, py = parent.pos
                if x < px - 2 or y < py - 2 or x + w.width > px + parent.width + 2 or y + w.height > py + parent.height + 2:
                    problems["overflow"].append(f"{label} sticks out of its {type(parent).__name__}")
            wx, wy = w.to_window(*w.pos)
            if not inside_scroll(w) and (wx < -2 or wy < -2 or wx + w.width > Window.width + 2 or wy + w.height > Window.height + 2):
                problems["overflow"].append(f"{label} is off the screen")
    for w in r.app.root.walk(restrict=True):
        if isinstance(w, ButtonBehavior) and r.is_visible(w) and w.height < MIN_BUTTON_PX * scale - 0.5:
            problems["small_button"].append(f"{type(w).__name__} {w.height:.0f}px")
    return {k: v for k, v in problems.items() if v}


def snapshot(r: ScriptedResident) -> dict:
    screen = r.screen
    return {
        "screen": screen.name,
        "lang": r.app.lang,
        "texts": r.visible_text(),
        "group": getattr(getattr(screen, "group", None), "code", None),
        "service": getattr(getattr(screen, "service", None), "code", None),
        "reason": getattr(screen, "reason", None),
        "problems": screen_problems(r),
    }


def top_bar(r: ScriptedResident):
    return r.app.root.ids.top_bar.ids


async def start(r: ScriptedResident) -> None:
    await r.tap(r.screen)
    await r.wait_for_screen("home")


async def attract_then_home_in_both_languages(r: ScriptedResident) -> None:
    """The attract screen, then home in Chinese and in English (left in English)."""
    r.record("window", list(Window.size))
    r.record("attract", snapshot(r))
    await r.screenshot("attract")
    await start(r)
    r.record("home_zh", snapshot(r))
    await r.screenshot("home-zh")
    await r.tap(top_bar(r).language)
    r.record("home_en", snapshot(r))
    await r.screenshot("home-en")


async def open_group(r: ScriptedResident, code: str) -> None:
    await r.tap(r.app.navigator.screen("home").tile(code))
    await r.wait_until(lambda: r.screen_name != "home", what=f"group {code}")
    await r.frames()


async def go_home(r: ScriptedResident) -> None:
    await r.tap(top_bar(r).home)
    await r.wait_for_screen("home")


# --- scenarios -----------------------------------------------------------------------


def glyph_pixels(text: str, font_name: str | None) -> bytes:
    label = CoreLabel(text=text, font_size=64, **({"font_name": font_name} if font_name else {}))
    label.refresh()
    return bytes(label.texture.pixels)


def probe_flow(started: list):
    """Stands in for a real flow in menu tests: says it was started, then waits."""

    async def flow(port) -> None:
        started.append(port.service)
        await port.ask("service_info", service=port.service)

    return flow


async def navigation(r: ScriptedResident) -> None:
    """Every screen of the menu, in both languages, with what a resident sees on it.

    Services whose flow exists get a probe in its place: this tests the menu, not the flows.
    """
    import kivy

    started: list = []
    r.record("flows_registered", sorted(FLOWS))
    r.record("flows_started", started)
    for code in list(FLOWS):
        FLOWS[code] = probe_flow(started)

    roboto = f"{kivy.kivy_data_dir}/fonts/Roboto-Regular.ttf"
    r.record(
        "glyphs",
        {
            "roboto_same": glyph_pixels("社", roboto) == glyph_pixels("保", roboto),
            "project_same": glyph_pixels("社", None) == glyph_pixels("保", None),
            "project_differs_from_roboto": glyph_pixels("社", None) != glyph_pixels("社", roboto),
        },
    )
    await attract_then_home_in_both_languages(r)
    await r.tap(top_bar(r).language)
    r.record("home_back_to_zh", snapshot(r))

    groups = {}
    services = {}
    for group in GROUPS:
        await open_group(r, group.code)
        groups[group.code] = {**snapshot(r), "flow": r.app.flows.running}
        await r.screenshot(f"group-{group.code}")
        if r.screen_name == "group":
            for service in [s for s in SERVICES if s.group == group.code]:
                await r.tap(r.screen.button(service.code))
                await r.wait_for_screen("service_info")
                services[service.code] = {**snapshot(r), "flow": r.app.flows.running}
                if r.app.flows.running:  # leaving a flow is the Start button's job
                    await go_home(r)
                    await open_group(r, group.code)
                else:
                    await r.tap(r.screen.ids.back)
                    await r.wait_for_screen("group")
        else:
            services[r.screen.service.code] = groups[group.code]
        await go_home(r)
    r.record("groups", groups)
    r.record("services", services)

    # One service screen in English, guidance included.
    await open_group(r, "window_only")
    await r.tap(r.screen.button("unlock"))
    await r.wait_for_screen("service_info")
    await r.tap(top_bar(r).language)
    r.record("service_en", snapshot(r))
    await r.screenshot("service-unlock-en")


def waiting_flow(state: dict):
    """A flow that keeps the resident's data and waits for a card that never comes."""

    def wait_for_card(cancel):
        started = time.monotonic()
        state["device_wait_cancelled"] = cancel.wait(30)
        state["device_wait_s"] = round(time.monotonic() - started, 3)

    async def flow(port) -> None:
        port.session.set("id_number", ID_NUMBER)
        port.session.set("photo", state["photo"])
        await port.show("service_info", service=port.service)
        state["flow_waiting"] = True
        try:
            await port.device(wait_for_card)
        except asyncio.CancelledError:
            state["flow_cancelled"] = True
            raise

    return flow


async def idle_expiry(r: ScriptedResident) -> None:
    """A resident walks away mid-flow, in English, with their data on the screen."""
    state: dict = {"photo": bytearray(b"\xff" * 64)}
    FLOWS["status_query"] = waiting_flow(state)
    await start(r)
    await r.tap(top_bar(r).language)
    await open_group(r, "query")
    await r.wait_until(lambda: state.get("flow_waiting"), what="the flow to wait for a card")
    panel = r.screen.ids.status_panel
    typed, shown = TextInput(size_hint_y=None, height=120), DataLabel(text=NAME)
    panel.add_widget(typed)
    panel.add_widget(shown)
    await r.frames()
    typed.insert_text(PHONE)  # as typing does: it also fills the undo stack
    await r.frames()
    r.record("before", {"session_fields": r.app.session.keys(), "typed": typed.text, "shown": shown.text, "lang": r.app.lang})
    waited = await r.wait_until(lambda: r.app.overlay.parent is not None, 10, "the countdown")
    await r.frames(3)
    r.record("countdown", {"after_s": round(waited, 2), "texts": r.visible_text(), "screen": r.screen_name,
                           "top_bar": top_bar(r).idle_countdown.text, "chimes": r.app.chime.played})  # fmt: skip
    await r.screenshot("idle-countdown")
    await asyncio.sleep(0.6)  # the beep, then the words
    r.record("countdown_spoken", r.app.voice.last_text)
    await r.wait_for_screen("attract", 10)
    await r.wait_until(lambda: "device_wait_s" in state, 5, "the device wait to end")
    await r.screenshot("after-timeout")
    typed.do_undo()
    r.record(
        "after",
        {
            "screen": r.screen_name,
            "session_fields": r.app.session.keys(),
            "typed": typed.text,
            "shown": shown.text,
            "photo_zeroed": not any(state["photo"]),
            "lang": r.app.lang,
            "default_lang": r.app.terminal.language,
            "overlay_shown": r.app.overlay.parent is not None,
            "flow_cancelled": state.get("flow_cancelled", False),
            "device_wait_cancelled": state.get("device_wait_cancelled"),
            "device_wait_s": state.get("device_wait_s"),
            "flow_running": r.app.flows.running,
        },
    )

    # Someone switches the language on the attract screen and walks away.
    await r.tap(top_bar(r).language)
    switched = r.app.lang
    await r.wait_until(lambda: r.app.lang == r.app.terminal.language, r.app.idle.timeout_s + 5, "the language to reset")
    r.record("attract_language", {"switched_to": switched, "screen": r.screen_name, "lang": r.app.lang})


async def idle_continue(r: ScriptedResident) -> None:
    """A resident who is still there: touching keeps the session, Continue and the scrim too."""
    await start(r)
    await open_group(r, "loss")
    r.app.session.set("phone", PHONE)
    heading = r.screen.ids.heading

    seen = False
    until = time.monotonic() + r.app.idle.timeout_s * 1.5
    while time.monotonic() < until:
        await r.tap(heading)
        for _ in range(6):
            seen = seen or r.app.overlay.parent is not None
            await asyncio.sleep(0.05)
    r.record("touching", {"countdown_seen": seen, "screen": r.screen_name, "touched_for_s": r.app.idle.timeout_s * 1.5})

    await r.wait_until(lambda: r.app.overlay.parent is not None, 10, "the countdown")
    await r.frames(2)
    await r.screenshot("countdown")
    await r.tap(r.app.overlay.ids.keep_going)
    await r.frames(3)
    r.record(
        "continue",
        {"overlay_shown": r.app.overlay.parent is not None, "screen": r.screen_name, "session_fields": r.app.session.keys()},
    )

    await r.wait_until(lambda: r.app.overlay.parent is not None, 10, "the countdown again")
    await r.frames(2)
    back = r.screen.ids.back  # under the scrim: the touch must not press it
    x, y = back.to_window(*back.center)
    await r.tap_at(x, y)
    await r.frames(3)
    r.record(
        "scrim",
        {"overlay_shown": r.app.overlay.parent is not None, "screen": r.screen_name, "session_fields": r.app.session.keys()},
    )


async def lockdown(r: ScriptedResident) -> None:
    """Escape, the window's close button, and the technician's Ctrl+Shift+Q."""
    from kivy.base import EventLoop

    await start(r)
    await r.press_escape()
    await asyncio.sleep(0.3)
    r.record("escape", {"running": EventLoop.status == "started", "screen": r.screen_name})
    await r.request_close()
    await asyncio.sleep(0.3)
    r.record("close", {"running": EventLoop.status == "started", "refused": r.app.closes_refused})
    r.record("cursor_shown", Window.show_cursor)
    await r.press_ctrl_shift_q()
    stopped = True
    try:
        await r.wait_until(lambda: EventLoop.status != "started", 1.5, "the app to stop")
    except AssertionError:
        stopped = False
    r.record("shortcut", {"stopped": stopped, "production": r.app.terminal.production})


def asking_flow(state: dict, screen: str = "service_info"):
    async def flow(port) -> None:
        port.session.set("card_number", "A12345678")
        state["answer"] = await port.ask(screen, service=port.service)
        state["finished"] = True

    return flow


def failing_flow():
    async def flow(port) -> None:
        port.session.set("id_number", ID_NUMBER)
        raise RuntimeError(f"centre refused {ID_NUMBER}")

    return flow


def cancellable_flow(state: dict):
    async def flow(port) -> None:
        port.session.set("phone", PHONE)
        try:
            await port.ask("service_info", service=port.service)
        except asyncio.CancelledError:
            state["cancelled"] = True
            raise

    return flow


async def flows(r: ScriptedResident) -> None:
    """Services with a flow start it; the flow asks through screens; its end wipes the session."""
    asked: dict = {}
    left: dict = {}
    FLOWS["activate"] = asking_flow(asked)
    FLOWS["info_change"] = failing_flow()
    FLOWS["pin_reset"] = cancellable_flow(left)
    FLOWS["unlock"] = asking_flow({})  # a window-only service: its flow must not start

    await start(r)
    await open_group(r, "activate")
    await r.wait_for_screen("service_info")
    r.record("asking", {"running": r.app.flows.running, "session_fields": r.app.session.keys()})
    answered = r.screen.answer("yes")  # what the step's own button does
    await r.wait_for_screen("home")
    r.record(
        "answered",
        {"accepted": answered, "answer": asked.get("answer"), "finished": asked.get("finished"), "session_fields": r.app.session.keys(), "running": r.app.flows.running},
    )

    await open_group(r, "info_change")
    await r.wait_until(lambda: r.screen.name == "service_info" and r.screen.reason == "failed", 5, "the failure screen")
    await r.frames()
    r.record("failed", {**snapshot(r), "session_fields": r.app.session.keys()})
    await r.screenshot("flow-failed")
    await go_home(r)

    await open_group(r, "pin")
    await r.tap(r.screen.button("pin_reset"))
    await r.wait_until(lambda: r.app.flows.running == "pin_reset", 5, "the PIN reset flow")
    await go_home(r)
    await r.frames(2)
    r.record("left", {"cancelled": left.get("cancelled", False), "session_fields": r.app.session.keys(), "screen": r.screen_name})

    await open_group(r, "window_only")
    await r.tap(r.screen.button("unlock"))
    await r.wait_for_screen("service_info")
    r.record("window_only", {"running": r.app.flows.running, "reason": r.screen.reason})
    await go_home(r)

    # A flow asking for a step no screen provides ends on the failure screen.
    FLOWS["status_query"] = asking_flow({}, screen="no_such_step")
    await open_group(r, "query")
    await r.wait_until(lambda: r.screen.name == "service_info" and r.screen.reason == "failed", 5, "the failure screen")
    r.record("missing_step", {"service": r.screen.service.code, "reason": r.screen.reason, "running": r.app.flows.running})

    # Discovery leaves broken screens out instead of failing the whole kiosk.
    from kiosk.ui.navigator import Navigator, load_screen_modules

    broken: dict = {}
    navigator = Navigator(load_screen_modules("tests.ui.broken_screens", broken), broken)
    r.record("discovery", {"screens": navigator.manager.screen_names, "broken": sorted(navigator.broken)})


async def layout(r: ScriptedResident) -> None:
    """The screens with the most text, in both languages: for a second screen shape."""
    await attract_then_home_in_both_languages(r)
    await open_group(r, "replace")
    r.record("group_en", snapshot(r))
    await r.screenshot("group-replace-en")
    await go_home(r)
    await open_group(r, "window_only")
    await r.tap(r.screen.button("batch_to_single"))  # a long guidance (batch_new, longer, now has its flow)
    await r.wait_for_screen("service_info")
    r.record("service_en", snapshot(r))
    await r.screenshot("service-batch_to_single-en")
    await r.tap(top_bar(r).language)
    r.record("service_zh", snapshot(r))
    await r.screenshot("service-batch_to_single-zh")
    await r.wait_until(lambda: r.app.overlay.parent is not None, 10, "the countdown")
    await r.frames(2)
    r.record("countdown", snapshot(r))
    await r.screenshot("countdown")
