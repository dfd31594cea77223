"""A scripted resident: touches the running kiosk through the real input path.

Touches are Kivy motion events dispatched through the event loop to the window, exactly
where the SDL touch and mouse providers put a finger; keys and window-close requests are
pushed into SDL's own event queue. Used by `kiosk demo` and the UI tests, which run a
script of these steps inside the real app (`kiosk.ui.runner`).
"""

from __future__ import annotations

import asyncio
import ctypes
import time
from pathlib import Path
from typing import Any, Callable

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

from kiosk.ui.desktop import sdl_library
from kiosk.ui.screenshot import capture

SDL_QUIT = 0x100
SDL_KEYDOWN = 0x300
SDL_KEYUP = 0x301
SDL_SCANCODE_ESCAPE = 41
SDLK_ESCAPE = 27
SDL_SCANCODE_Q = 20
SDLK_Q = ord("q")
KMOD_LSHIFT = 0x0001
KMOD_LCTRL = 0x0040


class _Keysym(ctypes.Structure):
    _fields_ = [("scancode", ctypes.c_int32), ("sym", ctypes.c_int32), ("mod", ctypes.c_uint16), ("unused", ctypes.c_uint32)]


class _KeyboardEvent(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_uint32),
        ("timestamp", ctypes.c_uint32),
        ("windowID", ctypes.c_uint32),
        ("state", ctypes.c_uint8),
        ("repeat", ctypes.c_uint8),
        ("padding2", ctypes.c_uint8),
        ("padding3", ctypes.c_uint8),
        ("keysym", _Keysym),
    ]


class _Event(ctypes.Union):
    _fields_ = [("type", ctypes.c_uint32), ("key", _KeyboardEvent), ("padding", ctypes.c_uint8 * 56)]


class StepFailed(AssertionError):
    pass


class ScriptedResident:
    def __init__(self, app, out_dir: Path, progress: Callable[[str], None] = print) -> None:
        self.app = app
        self.out_dir = Path(out_dir)
        self.report: dict[str, Any] = {}
        self.screenshots: list[str] = []
        self._progress = progress
        self._sdl = None

    # --- time -----------------------------------------------------------------------

    async def frames(self, count: int = 2) -> None:
        """Let Kivy run `count` frames (layout, property callbacks, drawing)."""
        loop = asyncio.get_running_loop()
        for _ in range(count):
            tick = loop.create_future()
            Clock.schedule_once(lambda _dt, f=tick: f.done() or f.set_result(None), 0)
            await tick

    async def wait_until(self, condition: Callable[[], bool], timeout_s: float = 5.0, what: str = "condition") -> float:
        """Seconds it took for `condition` to hold; StepFailed after `timeout_s`."""
        start = time.monotonic()
        while not condition():
            if time.monotonic() - start > timeout_s:
                raise StepFailed(f"timed out after {timeout_s:g} s waiting for {what}")
            await asyncio.sleep(0.05)
        return time.monotonic() - start

    async def wait_for_screen(self, name: str, timeout_s: float = 5.0) -> float:
        took = await self.wait_until(lambda: self.screen_name == name, timeout_s, f"screen {name!r}")
        await self.frames()
        return took

    # --- looking --------------------------------------------------------------------

    @property
    def screen_name(self) -> str:
        return self.app.navigator.current.name

    @property
    def screen(self):
        return self.app.navigator.current

    def widget(self, screen: str, widget_id: str) -> Widget:
        return self.app.navigator.screen(screen).ids[widget_id]

    def visible_text(self) -> list[str]:
        """The text of every label currently on screen, top bar and overlay included."""
        texts = []
        for widget in self.app.root.walk(restrict=True):
            text = getattr(widget, "text", None)
            if text and self.is_visible(widget):
                texts.append(text)
        return texts

    def is_visible(self, widget: Widget) -> bool:
        node = widget
        while node is not None and node is not Window:
            if node.opacity == 0:
                return False
            if isinstance(node, Screen) and node.manager is not None and node.manager.current_screen is not node:
                return False
            node = node.parent
        return widget.width > 0 and widget.height > 0

    # --- touching -------------------------------------------------------------------

    async def tap(self, widget: Widget) -> None:
        if not self.is_visible(widget):
            raise StepFailed(f"cannot tap {widget!r}: it is not on screen")
        x, y = widget.to_window(*widget.center)
        await self.tap_at(x, y)

    async def tap_at(self, x: float, y: float) -> None:
        # Imported here: kivy.tests imports pytest, a tenth of a second the kiosk's start
        # should not pay before its first screen.
        from kivy.tests.common import UnitTestTouch

        touch = UnitTestTouch(x, y)
        touch.touch_down()
        await self.frames(1)
        touch.touch_up()
        await self.frames(2)

    # --- keys and the window system -------------------------------------------------

    def _push(self, event: _Event) -> None:
        if self._sdl is None:
            self._sdl = sdl_library()
        if self._sdl.SDL_PushEvent(ctypes.byref(event)) != 1:
            raise StepFailed("SDL refused the event")

    async def press_key(self, sym: int, scancode: int, mods: int = 0) -> None:
        """A key pressed and released on the kiosk's keyboard (if it has one)."""
        for kind, state in ((SDL_KEYDOWN, 1), (SDL_KEYUP, 0)):
            event = _Event()
            event.key.type = kind
            event.key.state = state
            event.key.keysym.scancode = scancode
            event.key.keysym.sym = sym
            event.key.keysym.mod = mods
            self._push(event)
            await asyncio.sleep(0.05)  # not frames: the key may stop the app

    async def press_escape(self) -> None:
        await self.press_key(SDLK_ESCAPE, SDL_SCANCODE_ESCAPE)

    async def press_ctrl_shift_q(self) -> None:
        await self.press_key(SDLK_Q, SDL_SCANCODE_Q, KMOD_LCTRL | KMOD_LSHIFT)

    async def request_close(self) -> None:
        """What the window system sends when someone clicks the window's close button."""
        event = _Event()
        event.type = SDL_QUIT
        self._push(event)
        await asyncio.sleep(0.2)

    # --- recording ------------------------------------------------------------------

    def step(self, text: str) -> None:
        self._progress(text)

    def record(self, key: str, value: Any) -> None:
        self.report[key] = value

    async def screenshot(self, name: str) -> Path:
        await self.frames()
        path = await capture(self.out_dir / f"{name}.png")
        self.screenshots.append(path.name)
        return path
