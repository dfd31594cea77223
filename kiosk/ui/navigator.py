"""Finds every screen in `kiosk.screens` and moves between them by name.

Discovery is what keeps a new step to one file pair: `kiosk/screens/<name>.py` defines a
`KioskScreen` subclass, `kiosk/screens/<name>.kv` lays it out, and nothing else is edited.

A screen that fails to load or build is logged and left out, so one broken step cannot
take the whole terminal down: the menu and the window guidance still work, and a flow
that asks for the missing step ends on the "something went wrong" screen. The shell's own
screens (ESSENTIAL) are the exception: without them there is no kiosk, so they fail loudly.

The shell finds the screens by their package's name, at run time: it never imports a
screen module itself, so the imports point one way only, from the screens to the shell.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import pkgutil
from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.ui.screen import KioskScreen

log = logging.getLogger(__name__)

ESSENTIAL = frozenset({"attract", "home", "group", "service_info"})


class UnknownScreen(KeyError):
    pass


def load_screen_modules(package: str = "kiosk.screens", broken: dict[str, str] | None = None) -> list[type[KioskScreen]]:
    """Import every module of `package`, load its paired .kv, return its screen classes.

    Modules that fail are named in `broken` (module name -> reason) and skipped.
    """
    broken = {} if broken is None else broken
    pkg = importlib.import_module(package)
    classes: list[type[KioskScreen]] = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        try:
            module = importlib.import_module(f"{package}.{info.name}")
            kv = Path(module.__file__).with_suffix(".kv")
            if kv.is_file() and str(kv) not in Builder.files:
                Builder.load_file(str(kv))
        except Exception as exc:
            if info.name in ESSENTIAL:
                raise
            log.exception("screen module %s is broken and left out", info.name)
            broken[info.name] = f"{type(exc).__name__}: {exc}"
            continue
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, KioskScreen)
                and obj.__module__ == module.__name__
                and obj.screen_name
            ):
                classes.append(obj)
    names = [c.screen_name for c in classes]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"two screens share the name(s) {', '.join(duplicates)}")
    return classes


class Navigator:
    def __init__(self, screen_classes: list[type[KioskScreen]], broken: dict[str, str] | None = None) -> None:
        # No animation: an elderly resident should never wonder which screen they are on.
        self.manager = ScreenManager(transition=NoTransition())
        self.broken = {} if broken is None else broken  # screen or module name -> why it is missing
        for cls in screen_classes:
            try:
                screen = cls()
            except Exception as exc:
                if cls.screen_name in ESSENTIAL:
                    raise
                log.exception("screen %s failed to build and is left out", cls.screen_name)
                self.broken[cls.screen_name] = f"{type(exc).__name__}: {exc}"
                continue
            self.manager.add_widget(screen)

    @property
    def current(self) -> KioskScreen:
        return self.manager.current_screen

    def screen(self, name: str) -> KioskScreen:
        if not self.manager.has_screen(name):
            why = f" ({self.broken[name]})" if name in self.broken else ""
            raise UnknownScreen(f"no screen {name!r}{why}; screens: {', '.join(self.manager.screen_names)}")
        return self.manager.get_screen(name)

    def screens(self) -> list[KioskScreen]:
        return list(self.manager.screens)

    def go(self, name: str, **params: Any) -> KioskScreen:
        screen = self.screen(name)
        screen.prepare(**params)
        self.manager.current = name
        return screen
