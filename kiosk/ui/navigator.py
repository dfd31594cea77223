"""Finds every screen in `kiosk.screens` and moves between them by name.

Discovery is what keeps a new step to one file pair: `kiosk/screens/<name>.py` defines a
`KioskScreen` subclass named `<name>`, `kiosk/screens/<name>.kv` lays it out, and nothing
else is edited.

Only the shell's own screens (ESSENTIAL) are loaded when the kiosk starts, and only the
first of them is built; every other screen is loaded (module, .kv) and built the first time
it is shown, so the first screen waits neither for the camera's or the signature pad's code
nor for widgets nobody sees yet.

A screen that fails to load or build is logged and left out, so one broken step cannot
take the whole terminal down: the menu and the window guidance still work, and a flow
that asks for the missing step ends on the "something went wrong" screen. The shell's own
screens are the exception: without them there is no kiosk, so they fail loudly (a module or
layout at start, a screen that cannot be built when it is first shown).

The shell finds the screens by their package's name, at run time: it never imports a
screen module itself, so the imports point one way only, from the screens to the shell.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import pkgutil
from pathlib import Path
from typing import Any, Callable, Collection

from kivy.lang import Builder
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.ui.screen import KioskScreen

log = logging.getLogger(__name__)

SCREENS_PACKAGE = "kiosk.screens"
ESSENTIAL = frozenset({"attract", "home", "group", "service_info"})

ScreenListener = Callable[[KioskScreen], None]


class UnknownScreen(KeyError):
    pass


def screen_module_names(package: str = SCREENS_PACKAGE) -> list[str]:
    """The modules of `package`, without importing any of them."""
    pkg = importlib.import_module(package)
    return sorted(m.name for m in pkgutil.iter_modules(pkg.__path__))


def load_screen_module(package: str, name: str, broken: dict[str, str]) -> list[type[KioskScreen]]:
    """Import `package.name`, load its paired .kv, return its screen classes.

    A module that fails is named in `broken` (module name -> reason) and gives none.
    """
    try:
        module = importlib.import_module(f"{package}.{name}")
        kv = Path(module.__file__).with_suffix(".kv")
        if kv.is_file() and str(kv) not in Builder.files:
            Builder.load_file(str(kv))
    except Exception as exc:
        if name in ESSENTIAL:
            raise
        log.exception("screen module %s is broken and left out", name)
        broken[name] = f"{type(exc).__name__}: {exc}"
        return []
    return [
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj) and issubclass(obj, KioskScreen) and obj.__module__ == module.__name__ and obj.screen_name
    ]


def load_screen_modules(
    package: str = SCREENS_PACKAGE, broken: dict[str, str] | None = None, only: Collection[str] | None = None
) -> list[type[KioskScreen]]:
    """Every module of `package` (or those named in `only`) loaded now; their screen classes.

    Modules that fail are named in `broken` (module name -> reason) and skipped.
    """
    broken = {} if broken is None else broken
    classes: list[type[KioskScreen]] = []
    for name in screen_module_names(package):
        if only is None or name in only:
            classes += load_screen_module(package, name, broken)
    names = [c.screen_name for c in classes]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"two screens share the name(s) {', '.join(duplicates)}")
    return classes


class ScreensOnDemand:
    """Screens not built yet: classes already loaded, and the screen modules of a package not
    loaded yet, each loaded the first time its screen is asked for (the module is named after
    its screen)."""

    def __init__(
        self, package: str, loaded: list[type[KioskScreen]], loaded_modules: Collection[str], broken: dict[str, str]
    ) -> None:
        self._package = package
        self._broken = broken
        self._classes = {cls.screen_name: cls for cls in loaded}
        self._modules = set(screen_module_names(package)) - set(loaded_modules)

    @property
    def waiting(self) -> list[str]:
        return sorted({*self._classes, *self._modules})

    def load(self, name: str) -> list[type[KioskScreen]]:
        """The screen classes to build for `name`, once; [] if there is none or they were given."""
        if name in self._classes:
            return [self._classes.pop(name)]
        if name not in self._modules:
            return []
        self._modules.discard(name)
        return load_screen_module(self._package, name, self._broken)


class Navigator:
    def __init__(
        self,
        screen_classes: list[type[KioskScreen]],
        broken: dict[str, str] | None = None,
        on_demand: ScreensOnDemand | None = None,
    ) -> None:
        # No animation: an elderly resident should never wonder which screen they are on.
        self.manager = ScreenManager(transition=NoTransition())
        self.broken = {} if broken is None else broken  # screen or module name -> why it is missing
        self._on_demand = on_demand
        self._listeners: list[ScreenListener] = []
        self._shown: list[ScreenListener] = []
        for cls in screen_classes:
            self._build(cls)

    @classmethod
    def for_package(cls, first: str, package: str = SCREENS_PACKAGE) -> Navigator:
        """The shell's screens loaded now and `first` of them built; every other screen of
        `package` loaded and built when first asked for."""
        broken: dict[str, str] = {}
        essential = load_screen_modules(package, broken, only=ESSENTIAL)
        now = [c for c in essential if c.screen_name == first]
        later = [c for c in essential if c.screen_name != first]
        return cls(now, broken, ScreensOnDemand(package, later, ESSENTIAL, broken))

    def _build(self, cls: type[KioskScreen]) -> None:
        if self.manager.has_screen(cls.screen_name):
            raise ValueError(f"two screens share the name {cls.screen_name}")
        try:
            screen = cls()
        except Exception as exc:
            if cls.screen_name in ESSENTIAL:
                raise
            log.exception("screen %s failed to build and is left out", cls.screen_name)
            self.broken[cls.screen_name] = f"{type(exc).__name__}: {exc}"
            return
        self.manager.add_widget(screen)
        for listener in self._listeners:
            listener(screen)

    def on_screen(self, listener: ScreenListener) -> None:
        """`listener(screen)` for every screen built so far and every one built later."""
        self._listeners.append(listener)
        for screen in self.screens():
            listener(screen)

    def on_shown(self, listener: ScreenListener) -> None:
        """`listener(screen)` each time a screen is shown, the same one again with new
        parameters included (a flow's next step on the same kind of screen)."""
        self._shown.append(listener)

    @property
    def current(self) -> KioskScreen:
        return self.manager.current_screen

    def screen(self, name: str) -> KioskScreen:
        if not self.manager.has_screen(name) and self._on_demand is not None:
            for cls in self._on_demand.load(name):
                self._build(cls)
        if not self.manager.has_screen(name):
            why = f" ({self.broken[name]})" if name in self.broken else ""
            known = sorted({*self.manager.screen_names, *(self._on_demand.waiting if self._on_demand else ())})
            raise UnknownScreen(f"no screen {name!r}{why}; screens: {', '.join(known)}")
        return self.manager.get_screen(name)

    def screens(self) -> list[KioskScreen]:
        """The screens built so far (a screen not built yet has never shown anything)."""
        return list(self.manager.screens)

    def go(self, name: str, **params: Any) -> KioskScreen:
        screen = self.screen(name)
        screen.prepare(**params)
        self.manager.current = name
        for listener in self._shown:
            listener(screen)
        return screen
