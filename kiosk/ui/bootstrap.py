"""Everything Kivy must be told before it is imported or opens its window.

Kivy reads its environment at import time and its window settings when the window is
created, and it can do either only once per process; so this runs first, exactly once.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.ui.fonts import register_default_font


class TooLate(RuntimeError):
    pass


MULTISAMPLES_VARIABLE = "KIOSK_MULTISAMPLES"
MULTISAMPLES = ("0", "2", "4", "8")


def default_multisamples(environ: dict[str, str] | None = None) -> int:
    """Kivy's default 2x MSAA smooths rounded corners on a GPU. Where GL runs on the CPU (no
    GPU: a virtual machine, a board without acceleration) it doubles the cost of every frame
    and of opening the window: there the terminal image's compositor sets
    KIOSK_MULTISAMPLES=0 (deploy/image/bin/kiosk-compositor). Any other value: the default."""
    value = (os.environ if environ is None else environ).get(MULTISAMPLES_VARIABLE, "")
    return int(value) if value in MULTISAMPLES else 2


@dataclass(frozen=True)
class WindowPlan:
    """Full screen for a kiosk; a plain window of a chosen size for a technician's desk."""

    fullscreen: bool = True
    size: tuple[int, int] | None = None  # None: the screen's own size
    # Scripted runs on a virtual screen (software GL) turn MSAA off; see default_multisamples.
    multisamples: int = field(default_factory=default_multisamples)


_prepared_for: Path | None = None


def prepare_environment(data_dir: Path) -> None:
    """Kivy's settings dir under our data dir (never ~/.kivy), no argv parsing, Python logging.

    Once per process; calling it again for the same data dir does nothing.
    """
    global _prepared_for
    if _prepared_for == Path(data_dir):
        return
    if "kivy" in sys.modules:
        raise TooLate("Kivy was imported before the kiosk prepared its environment")
    _prepared_for = Path(data_dir)
    kivy_home = Path(data_dir) / "kivy"
    kivy_home.mkdir(parents=True, exist_ok=True)
    os.environ["KIVY_HOME"] = str(kivy_home)
    os.environ["KIVY_NO_ARGS"] = "1"
    # Kivy's own settings are not the terminal's. Kivy reads no config.ini and no KCFG_*
    # variable and writes no config.ini (it would on a first start, and its F1 panel would
    # save every change): nothing a keyboard or an edited file does survives a restart, and
    # no [modules] entry or KCFG_MODULES_* loads the inspector, recorder or webdebugger.
    os.environ["KIVY_NO_CONFIG"] = "1"
    os.environ["KIVY_NO_ENV_CONFIG"] = "1"
    for name in [name for name in os.environ if name.startswith("KCFG_")]:
        del os.environ[name]
    # Kivy logs through Python logging, so kiosk.logs' redacting filter sees every record.
    os.environ["KIVY_LOG_MODE"] = "PYTHON"
    os.environ["KIVY_NO_FILELOG"] = "1"
    # SDL would turn SIGTERM into a window-close request, which a kiosk refuses: systemd could
    # then only stop it with SIGKILL. The runner handles SIGTERM and SIGINT itself instead.
    os.environ["SDL_NO_SIGNAL_HANDLERS"] = "1"


def configure_window(plan: WindowPlan, production: bool) -> None:
    """Kivy's Config for a kiosk window; needs the environment prepared and a display
    (kiosk.ui.desktop.NoDisplay when there is none anyone can see)."""
    from kivy.config import Config

    from kiosk.ui.desktop import desktop_size, require_visible_display

    require_visible_display()
    lock_kivy_config(Config)
    size = plan.size or desktop_size() or (1080, 1920)
    Config.set("graphics", "width", str(size[0]))
    Config.set("graphics", "height", str(size[1]))
    Config.set("graphics", "position", "custom")
    Config.set("graphics", "left", "0")
    Config.set("graphics", "top", "0")
    Config.set("graphics", "borderless", "1" if plan.fullscreen else "0")
    Config.set("graphics", "fullscreen", "auto" if plan.fullscreen else "0")
    Config.set("graphics", "resizable", "0" if plan.fullscreen else "1")
    # A production kiosk has a touch screen and no pointer to show; a technician's bench has a mouse.
    Config.set("graphics", "show_cursor", "0" if production else "1")
    Config.set("graphics", "multisamples", str(plan.multisamples))
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "pause_on_minimize", "0")
    # A mouse is a finger here: no red multitouch-emulation dots on right click.
    Config.set("input", "mouse", "mouse,disable_multitouch")
    register_default_font()


def lock_kivy_config(config) -> None:
    """No Kivy module on any window, and a Config that cannot be saved (kivy.config.ConfigParser
    writes nothing without a file name), whatever the environment said before."""
    for name in config.options("modules"):
        config.remove_option("modules", name)
    config.filename = None
