"""Someone with a USB keyboard tries every way out of the kiosk (issue 12, 2): function keys,
window-manager and desktop chords, and Kivy's own shortcuts (F1 settings, Ctrl+E inspector,
F8 recorder, F11/F12). The script records the kiosk's state before and after each key and
what the idle wipe leaves on the window; tests/ui/test_lockdown.py asserts on it."""

from __future__ import annotations

import asyncio

from kivy.base import EventLoop
from kivy.core.window import Window
from kivy.uix.label import Label
from kivy.uix.modalview import ModalView
from kivy.uix.popup import Popup

from kiosk.ui.resident import KMOD_LCTRL, KMOD_LSHIFT, ScriptedResident

KMOD_LALT = 0x0100
KMOD_LGUI = 0x0400
SDLK_F1, SDL_SCANCODE_F1 = 0x4000003A, 58


def _f(n: int, mods: int = 0, label: str = "") -> tuple[str, int, int, int]:
    return (label or f"F{n}", SDLK_F1 + n - 1, SDL_SCANCODE_F1 + n - 1, mods)


# (label, SDL key symbol, SDL scancode, modifiers)
ESCAPE_KEYS: tuple[tuple[str, int, int, int], ...] = (
    *(_f(n) for n in range(1, 13)),
    _f(1, KMOD_LSHIFT, "Shift+F1"),
    _f(12, KMOD_LSHIFT, "Shift+F12"),
    _f(4, KMOD_LALT, "Alt+F4"),
    _f(1, KMOD_LCTRL | KMOD_LALT, "Ctrl+Alt+F1"),
    _f(2, KMOD_LCTRL | KMOD_LALT, "Ctrl+Alt+F2"),
    ("Ctrl+Alt+Backspace", 8, 42, KMOD_LCTRL | KMOD_LALT),
    ("Ctrl+Alt+Delete", 127, 76, KMOD_LCTRL | KMOD_LALT),
    ("Alt+Tab", 9, 43, KMOD_LALT),
    ("Alt+Enter", 13, 40, KMOD_LALT),
    ("Ctrl+E (inspector)", ord("e"), 8, KMOD_LCTRL),
    ("Ctrl+W", ord("w"), 26, KMOD_LCTRL),
    ("Ctrl+Q", ord("q"), 20, KMOD_LCTRL),
    ("Ctrl+P", ord("p"), 19, KMOD_LCTRL),
    ("Super", 0x400000E3, 227, KMOD_LGUI),
    ("Menu", 0x40000076, 118, 0),
    ("Escape", 27, 41, 0),
)


def state(r: ScriptedResident) -> dict:
    """What a way out would change: the screen, the window, what lies on it, Kivy's modules."""
    from kivy.modules import Modules

    return {
        "running": EventLoop.status == "started",
        "screen": r.screen_name,
        "over_the_kiosk": sorted(type(w).__name__ for w in Window.children if w is not r.app.root),
        "modules": sorted(name for name, mod in Modules.mods.items() if mod.get("activated")),
        "rotation": Window.rotation,
        "size": list(Window.size),
        "fullscreen": str(Window.fullscreen),
    }


async def lockdown_keys(r: ScriptedResident) -> None:
    r.app.start_session()
    await r.wait_for_screen("home")
    before = state(r)
    r.record("before", before)
    changed = {}
    for label, sym, scancode, mods in ESCAPE_KEYS:
        await r.press_key(sym, scancode, mods)
        await asyncio.sleep(0.15)
        await r.frames(2)
        after = state(r)
        if after != before:
            changed[label] = {k: v for k, v in after.items() if v != before[k]}
    r.record("changed", changed)
    r.record("keys_pressed", [label for label, *_ in ESCAPE_KEYS])
    r.record("after", state(r))

    # Whatever lies over the kiosk when the resident walks away goes with the session.
    Popup(title="popup", content=Label(text="left open"), size_hint=(0.5, 0.3)).open(animation=False)
    ModalView(size_hint=(0.3, 0.3)).open(animation=False)
    Window.add_widget(Label(text="a stray panel"))
    await r.frames(3)
    r.record("open_before_wipe", state(r)["over_the_kiosk"])
    r.app.end_session("idle timeout")
    await r.frames(3)
    r.record("after_wipe", state(r))
