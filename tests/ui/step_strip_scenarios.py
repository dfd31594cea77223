"""The step strip and each step's own idle wait, on the real shell (tests/ui/test_step_strip.py).

A stand-in flow walks the first steps of the apply flow's own plan (kiosk.flows.apply_card's
STEPS and the stages they declare), asking its questions through the shell's ScreenPort; the
app runs with the config's waits (no --idle-timeout), so each step's wait is the real one.
"""

from __future__ import annotations

import asyncio

from kiosk.domain.application import Application, Role
from kiosk.flows import apply_card, identify
from kiosk.flows.plan import progress_at
from kiosk.flows.wording import fill
from kiosk.ui.resident import ScriptedResident
from tests.ui.scenarios import screen_problems, start, top_bar


def seen(r: ScriptedResident) -> dict:
    strip = r.app.root.ids.step_strip
    return {
        "screen": r.screen_name,
        "strip": strip.ids.label.text,
        "strip_shown": strip.opacity > 0 and strip.height > 0,
        "idle_timeout_s": r.app.idle.timeout_s,
        "problems": screen_problems(r),  # the strip takes room: the screen must still fit
    }


def stand_in_flow(application: Application, card_read: asyncio.Event):
    """The apply flow's questions, in its plan: who for, the ID card, the phone."""

    async def flow(port) -> None:
        port.progress = progress_at(apply_card.STEPS, 0, application)
        await port.ask("choose", title=apply_card.WHO, options=apply_card.ROLES)
        port.progress = progress_at(apply_card.STEPS, 1, application)
        whose = identify.WHOSE_DOCUMENT[Role.SELF, identify.Position.APPLICANT]
        await port.show("wait", title=fill(identify.PLACE_CARD, whose=whose), body=identify.PLACE_CARD_BODY, picture="id_card")
        await card_read.wait()
        port.progress = progress_at(apply_card.STEPS, 5, application)
        await port.ask("keypad", title=apply_card.PHONE, keypad="phone", hint=apply_card.PHONE_HINT, max_length=11)

    return flow


async def step_strip(r: ScriptedResident) -> None:
    await start(r)
    r.record("home", seen(r))
    application = Application(service="apply")
    application.role = Role.SELF
    card_read = asyncio.Event()
    r.app.flows.start("apply", stand_in_flow(application, card_read))
    await r.wait_for_screen("choose")
    await r.frames(3)
    r.record("who", seen(r))
    r.screen.answer("self")
    await r.wait_for_screen("wait")
    await r.frames(3)
    r.record("document", seen(r))
    await r.screenshot("step-strip-zh")
    await r.tap(top_bar(r).language)
    await r.frames(3)
    r.record("document_en", seen(r))
    await r.screenshot("step-strip-en")
    await r.tap(top_bar(r).language)
    card_read.set()
    await r.wait_for_screen("keypad")
    await r.frames(3)
    r.record("phone", seen(r))
    await r.tap(top_bar(r).home)
    await r.wait_for_screen("home")
    await asyncio.sleep(0.1)
    await r.frames(3)
    r.record("after", seen(r))
