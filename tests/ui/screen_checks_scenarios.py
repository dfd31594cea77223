"""Every screen of every service through the checks of tests/ui/screen_checks.py, in one app.

One kiosk process, one window: the attract screen, the menu, every group and every service's
own page (shown the way the menu shows them), then each kind of step screen with the params
a flow gives it (tests/ui/steps_scenarios.py's catalogue) asked through the shell's
ScreenPort at a step of the apply flow's real plan, so the step strip is on; then a screen
that breaks every rule on purpose (tests/ui/broken_screens/unfriendly.*), which must fail.
The display mode comes from $KIOSK_SCREEN_CHECK_MODE (tests/ui/screen_checks.py MODES).
"""

from __future__ import annotations

import os

from kiosk.domain.application import Application, Role
from kiosk.domain.services import GROUPS, SERVICES
from kiosk.flows import apply_card
from kiosk.flows.plan import Progress, progress_at
from kiosk.ui.resident import ScriptedResident
from tests.ui.screen_checks import check_screen
from tests.ui.screen_rules import MODES
from tests.ui.scenarios import start
from tests.ui.steps_scenarios import step_catalogue

MODE_VARIABLE = "KIOSK_SCREEN_CHECK_MODE"
# Which step of the apply flow's plan each catalogue screen stands at (strip: 「第N步/共8步 · …」).
AT_STEP = {"choose": 4, "notice": 1, "wait": 1, "keypad": 5, "keypad-text": 1, "pin_pad": 1, "review": 6, "sign": 7, "done": 0}


def myself() -> Application:
    application = Application(service="apply")
    application.role = Role.SELF
    return application


async def every_screen(r: ScriptedResident) -> None:
    mode = MODES[os.environ.get(MODE_VARIABLE, "standard")]
    if mode.enter is not None:
        mode.enter(r.app)
    results: dict[str, dict] = {}

    async def check(name: str, progress: Progress | None = None) -> None:
        await r.frames(3)
        results[name] = {"screen": r.screen_name, "lang": r.app.lang, **check_screen(r, mode, progress)}

    await check("attract")
    await start(r)
    await check("home")
    navigator = r.app.navigator
    for group in GROUPS:
        navigator.go("group", group=group.code)
        await check(f"group {group.code}")
    for service in SERVICES:
        navigator.go("service_info", service=service.code)
        await check(f"service {service.code}")

    # The step screens, asked as a flow asks them, at a step of a real plan.
    r.app.flows.start("apply", _held_open)  # a running flow: the shell shows its port's step
    port = r.app.flows.port
    for shot, params in step_catalogue().items():
        port.progress = progress_at(apply_card.STEPS, AT_STEP[shot], myself())
        await port.show(shot.split("-")[0], **params)
        await check(f"step {shot}", port.progress)
    r.app.lang = "en"
    port.progress = progress_at(apply_card.STEPS, 2, myself())
    await port.show("wait", **step_catalogue()["wait"])
    await check("step wait (en)", port.progress)
    r.app.lang = "zh"
    r.record("results", results)
    r.record("mode", mode.name)

    # A screen that breaks every rule: the checks must say so.
    r.record("broken", await _broken_screen(r, mode, check, results))


async def _held_open(port) -> None:
    """Stands for a flow while the checks put its screens up: waits until cancelled."""
    import asyncio

    await asyncio.Event().wait()


async def _broken_screen(r: ScriptedResident, mode, check, results: dict) -> dict:
    from kiosk.ui.navigator import load_screen_module

    broken: dict[str, str] = {}
    [cls] = load_screen_module("tests.ui.broken_screens", "unfriendly", broken)
    r.app.navigator.manager.add_widget(cls())
    port = r.app.flows.port
    port.progress = progress_at(apply_card.STEPS, 2, myself())
    r.app.root.ids.step_strip.progress = None  # the strip gone as well
    r.app.root.ids.top_bar.ids.call_staff.opacity = 0  # and the staff button
    r.app.navigator.manager.current = cls.screen_name
    await check("broken unfriendly", port.progress)
    r.app.root.ids.top_bar.ids.call_staff.opacity = 1
    return results.pop("broken unfriendly")
