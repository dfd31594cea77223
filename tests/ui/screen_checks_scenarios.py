"""Every screen of every service through the checks of tests/ui/screen_checks.py, in one app.

One kiosk process, one window: the attract screen, the menu, every group and every service's
own page (shown the way the menu shows them), then each kind of step screen with the params
a flow gives it (tests/ui/steps_scenarios.py's catalogue) asked through the shell's
ScreenPort at a step of the apply flow's real plan, so the step strip is on; then every
service's own flow, started as the menu starts it, on the in-process device fakes
(tests/flows/fake_rig.py), each question it asks checked and answered as a resident would
(`default_answer`) until it ends or stops on a screen the walk does not answer; last, a
screen that breaks every rule on purpose (tests/ui/broken_screens/unfriendly.*), which must
fail.
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
    r.app.go_home()

    # Every service's own flow, asking its real questions with its real plan.
    rig, services = fake_services(r)
    try:
        r.record("flows_ended", await walk_flows(r, check, results))
    finally:
        services.close()
        rig.close()
    r.record("results", results)
    r.record("mode", mode.name)

    # A screen that breaks every rule: the checks must say so.
    r.record("broken", await _broken_screen(r, check, results))


async def _held_open(port) -> None:
    """Stands for a flow while the checks put its screens up: waits until cancelled."""
    import asyncio

    await asyncio.Event().wait()


async def _broken_screen(r: ScriptedResident, check, results: dict) -> dict:
    from kiosk.ui.navigator import load_screen_module

    broken: dict[str, str] = {}
    [cls] = load_screen_module("tests.ui.broken_screens", "unfriendly", broken)
    r.app.navigator.manager.add_widget(cls())
    r.app.root.ids.step_strip.progress = None  # the strip gone as well
    r.app.root.ids.top_bar.ids.call_staff.opacity = 0  # and the staff button
    r.app.navigator.manager.current = cls.screen_name
    await check("broken unfriendly", progress_at(apply_card.STEPS, 2, myself()))
    r.app.root.ids.top_bar.ids.call_staff.opacity = 1
    return results.pop("broken unfriendly")


# --- the real flows of every service, on the in-process fakes --------------------------------

FLOW_ASKS = 14  # questions answered per service: enough for the plan's first steps, seconds in all


def fake_services(r: ScriptedResident):
    """The flows' services on the in-process device fakes (tests/flows/fake_rig.py): an ID card
    on the reader, a third-generation card in the slot, the centre simulator on loopback."""
    import dataclasses
    import tempfile
    from pathlib import Path

    from kiosk.flows.context import KioskServices
    from kiosk.ui.built_later import BuiltLater
    from tests.flows.conftest import FAST
    from tests.flows.fake_rig import FakeRig

    rig = FakeRig(Path(tempfile.mkdtemp(prefix="screen-checks-")))
    config = dataclasses.replace(r.app.terminal, centre_url=rig.centre.url)
    services = KioskServices.build(config, timeouts=FAST, devices=rig.devices())
    rig.id_reader.insert("resident")
    rig.card.insert("gen3")
    r.app._services = BuiltLater(lambda: services, "services")
    r.app._services.start()
    return rig, services


OLD_PIN, NEW_PIN = b"123456", b"860417"  # the test card's PIN (hwsim profile gen3), and one not too simple


def default_answer(screen, pins_asked: int = 0):
    """What the walking resident answers: the first choice, a plausible entry, confirm; None
    stops the walk here (the photo and handwriting have their own tests)."""
    from kiosk.flows.steps import CONFIRM, HOME, OK
    from tests.flows.journeys import PHONE, signature_png

    name = screen.name
    if name == "choose":
        return screen.ids.options.children[-1].option.code  # the first shown
    if name == "notice":
        codes = [b.option.code for b in reversed(screen.ids.actions.children)] if "actions" in screen.ids else []
        return next((c for c in codes if c not in ("retry", "back")), HOME)
    if name == "keypad":
        return PHONE if screen.kind == "phone" else None
    if name == "pin_pad":
        return bytearray(OLD_PIN if pins_asked == 0 else NEW_PIN)
    if name == "review":
        return CONFIRM
    if name == "sign":
        return signature_png()
    if name == "done":
        return OK
    return None


async def walk_flows(r: ScriptedResident, check, results: dict) -> dict[str, str]:
    """Each service's real flow, started from the menu's verb, its questions checked and
    answered until it ends, stops on a screen the walk does not answer, or FLOW_ASKS."""
    from kiosk.flows.registry import FLOWS
    from kiosk.ui.resident import StepFailed

    ended: dict[str, str] = {}
    for service in FLOWS:
        r.app.open_service(service)
        how = "answered all it asked"
        pins = 0
        for number in range(1, FLOW_ASKS + 1):
            try:
                await r.wait_until(lambda: r.screen.asking or not r.app.flows.running, 10, f"{service} to ask")
            except StepFailed:
                how = f"waiting on {r.screen_name}"
                break
            if not r.app.flows.running:
                break
            screen = r.screen
            await check(f"flow {service} {number:02d} {screen.name}", r.app.flows.progress)
            answer = default_answer(screen, pins)
            pins += screen.name == "pin_pad"
            if answer is None:
                how = f"stopped at {screen.name}"
                break
            screen.answer(answer)
            await r.frames(2)
        ended[service] = how
        r.app.go_home()
        await r.wait_for_screen("home")
    return ended
