"""The screen the kiosk window will fill, asked of SDL before Kivy opens it.

Kivy's `fullscreen = auto` alone is not enough on an X server without a window manager
(Xvfb, a bare kiosk X session): the window says it is full size but only its first
800x600 pixels are ever drawn. Opening the window at the screen's size first, then going
full screen, draws every pixel everywhere.

Asking first also catches a display that is named but cannot be opened: SDL then quietly
falls back to its invisible "offscreen" driver and the kiosk would run where nobody sees it.
"""

from __future__ import annotations

import ctypes
import glob
import importlib.util
import os

SDL_INIT_VIDEO = 0x00000020
VISIBLE_DRIVERS = ("x11", "wayland", "KMSDRM")  # the others draw where nobody sees it


class _DisplayMode(ctypes.Structure):
    _fields_ = [
        ("format", ctypes.c_uint32),
        ("w", ctypes.c_int),
        ("h", ctypes.c_int),
        ("refresh_rate", ctypes.c_int),
        ("driverdata", ctypes.c_void_p),
    ]


def sdl_library() -> ctypes.CDLL | None:
    # Found without importing Kivy, which must not be imported before kiosk.ui.bootstrap.
    site = os.path.dirname(importlib.util.find_spec("kivy").submodule_search_locations[0])
    # The Kivy wheel bundles its own SDL2 (name carries a hash); a system SDL2 also works.
    candidates = sorted(glob.glob(os.path.join(site, "[Kk]ivy.libs", "libSDL2-2*.so*"))) + ["libSDL2-2.0.so.0"]
    for candidate in candidates:
        try:
            return ctypes.CDLL(candidate)
        except OSError:
            continue
    return None


def desktop_size() -> tuple[int, int] | None:
    """(width, height) of the first display, or None when SDL cannot tell."""
    sdl = sdl_library()
    if sdl is None or sdl.SDL_InitSubSystem(SDL_INIT_VIDEO) != 0:
        return None
    try:
        mode = _DisplayMode()
        if sdl.SDL_GetDesktopDisplayMode(0, ctypes.byref(mode)) != 0 or mode.w <= 0 or mode.h <= 0:
            return None
        return mode.w, mode.h
    finally:
        sdl.SDL_QuitSubSystem(SDL_INIT_VIDEO)


def video_driver() -> str | None:
    """The SDL video driver a window would get here ("x11", "wayland", ...), or None."""
    sdl = sdl_library()
    if sdl is None or sdl.SDL_InitSubSystem(SDL_INIT_VIDEO) != 0:
        return None
    try:
        sdl.SDL_GetCurrentVideoDriver.restype = ctypes.c_char_p
        name = sdl.SDL_GetCurrentVideoDriver()
        return name.decode() if name else None
    finally:
        sdl.SDL_QuitSubSystem(SDL_INIT_VIDEO)


class NoDisplay(RuntimeError):
    pass


def require_visible_display() -> str:
    """The video driver, or NoDisplay when SDL can only draw where nobody sees it."""
    driver = video_driver()
    if driver not in VISIBLE_DRIVERS:
        named = ", ".join(f"{v}={os.environ[v]}" for v in ("DISPLAY", "WAYLAND_DISPLAY") if os.environ.get(v)) or "none named"
        raise NoDisplay(
            f"cannot open the display ({named}): SDL could only use its {driver or 'no'} video driver, "
            "which nobody can see"
        )
    return driver
