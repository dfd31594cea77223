"""The apply journey inside the real app (`python -m kiosk.ui.scripted`): every kind of applicant at one kiosk.

The touches are kiosk.ui.demo_journey's (the same ones `kiosk demo` plays); these scripts add
what the tests judge: the elderly-friendly screen rules on every step, and, with the centre
down, whether the kiosk's own sync worker delivers the application once the centre is back.
"""

from __future__ import annotations

import time
from dataclasses import replace

from kiosk.ui.demo_journey import ANOTHER_ADULT, MY_CHILD, MYSELF, Applicant, journey_steps
from kiosk.ui.resident import ScriptedResident
from tests.ui.chinese_input_scenarios import handwrite
from tests.ui.scenarios import snapshot

OFFLINE = replace(MYSELF, key="offline", card="elder", pickup=("post", "id_card"))
DELIVERY_WAIT_S = 30.0


async def play(r: ScriptedResident, applicant: Applicant) -> None:
    problems, screens, seconds = {}, [], {}
    for number, step in enumerate(journey_steps(applicant, write_chinese=handwrite), 1):
        r.step(f"[{applicant.key} {number}] {step.title}")
        started = time.monotonic()
        await step.action(r)
        seconds[step.title] = round(time.monotonic() - started, 2)
        screens.append(r.screen_name)
        if step.shot:
            problems[step.shot] = snapshot(r)["problems"]
            await r.screenshot(f"{number:02d}-{step.shot}")
    r.record(f"{applicant.key}.problems", problems)
    r.record(f"{applicant.key}.screens", screens)
    r.record(f"{applicant.key}.seconds", seconds)
    r.record(f"{applicant.key}.session_fields", r.app.session.keys())


async def apply_centre_down(r: ScriptedResident) -> None:
    """The centre is down while the resident applies; it comes back while the kiosk runs."""
    from hwsim.control import send
    from kiosk.offline.outbox import ItemState

    send("centre", "down")
    await play(r, OFFLINE)
    outbox = r.app.services.outbox
    [item] = outbox.items([ItemState.PENDING, ItemState.IN_FLIGHT])
    r.record("offline.state_before", str(item.state))
    send("centre", "up")
    took = await r.wait_until(lambda: outbox.item(item.id).state is ItemState.SENT, DELIVERY_WAIT_S, "the sync worker")
    r.record("offline.delivered_after_s", round(took, 1))
    r.record("offline.item", {"id": item.id, "serial": item.voucher_serial})


async def apply_all(r: ScriptedResident) -> None:
    """Every kind of applicant, one after another at the same kiosk, then the centre-down case:
    one app start for the lot (the UI tests' time goes mostly to starting Kivy)."""
    for applicant in (MYSELF, MY_CHILD, ANOTHER_ADULT):
        await play(r, applicant)
    await apply_centre_down(r)
