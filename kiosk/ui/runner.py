"""Starts the kiosk app in this process, optionally with a script that plays the resident.

The order matters and is kept here only: Kivy's environment, then logging (so Kivy's
records pass the redacting filter), then the window settings and the font, then Kivy's
app. The app runs on asyncio, the loop the flows run on.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Awaitable, Callable

from kiosk.config import Config
from kiosk.ui.bootstrap import WindowPlan, configure_window, prepare_environment

if TYPE_CHECKING:  # importing it imports Kivy, which must wait for prepare_environment
    from kiosk.ui.resident import ScriptedResident

log = logging.getLogger(__name__)

Script = Callable[["ScriptedResident"], Awaitable[None]]


@dataclass
class RunOptions:
    window: WindowPlan = field(default_factory=WindowPlan)
    idle_timeout_s: float | None = None  # overrides the config (tests use a few seconds)
    idle_warning_s: float | None = None
    log_level: str = "INFO"
    watch_devices: bool = True  # False: no service closes for a device or centre fault (menu tests without devices)


@dataclass
class ScriptResult:
    ok: bool
    error: str | None
    report: dict
    screenshots: list[str]
    seconds: float

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.__dict__, ensure_ascii=False, indent=2, default=str), encoding="utf-8")


def run(
    config: Config,
    options: RunOptions,
    script: Callable[[], Script] | None = None,
    out_dir: Path | None = None,
) -> ScriptResult | None:
    """Run the kiosk until it stops (or the script ends); the script's result, if any.

    `script` loads the script only once the window is configured: importing
    kivy.core.window (as any script module does) opens the window with whatever
    settings Kivy has at that moment.
    """
    prepare_environment(config.data_dir)
    from kiosk.logs import setup_logging

    setup_logging(options.log_level)
    from kiosk import audit

    audit.configure(config.data_dir, config.terminal_id)  # the trail, beside the outbox (kiosk/audit)
    configure_window(options.window, config.production)

    from kiosk.domain.policy import load_policy
    from kiosk.ui.app import KioskApp

    app = KioskApp(
        config, load_policy(config.region), idle_timeout_s=options.idle_timeout_s, idle_warning_s=options.idle_warning_s,
        watch_devices=options.watch_devices,
    )
    try:
        if script is None:
            asyncio.run(_run_until_stopped(app))
            return None
        return asyncio.run(_run_scripted(app, script(), Path(out_dir or ".")))
    finally:
        audit.close()  # what folding still holds


async def _run_until_stopped(app) -> None:
    """The kiosk until SIGTERM (systemd, a technician) or SIGINT (Ctrl+C) stops it cleanly."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda s=sig: (log.info("%s: stopping the kiosk", s.name), app.stop()))
    await app.async_run(async_lib="asyncio")


async def _run_scripted(app, script: Script, out_dir: Path) -> ScriptResult:
    from kivy.base import EventLoop

    from kiosk.ui.resident import ScriptedResident

    resident = ScriptedResident(app, out_dir, progress=lambda text: print(text, flush=True))
    outcome: dict = {}

    async def play() -> None:
        start = time.monotonic()
        try:
            await resident.wait_until(lambda: EventLoop.status == "started" and app.root is not None, 30, "the app")
            await resident.frames(3)
            await script(resident)
            outcome["error"] = None
        except Exception:
            outcome["error"] = traceback.format_exc()
        finally:
            outcome["seconds"] = time.monotonic() - start
            app.stop()

    await asyncio.gather(app.async_run(async_lib="asyncio"), play())
    return ScriptResult(
        ok=outcome["error"] is None,
        error=outcome["error"],
        report=resident.report,
        screenshots=resident.screenshots,
        seconds=round(outcome["seconds"], 3),
    )
