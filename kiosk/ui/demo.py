"""The walk-through `kiosk demo` plays: a list of steps, each ending in a screenshot.

Later issues add their journeys as more steps (`STEPS += [...]` in order); each step is a
title for the progress line, a screenshot name and an async action of the scripted resident.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.domain.services import GROUPS, SERVICES
from kiosk.ui.demo_journey import MYSELF, journey_steps
from kiosk.ui.demo_step import Action, Step

if TYPE_CHECKING:  # the CLI imports this module for its settings, without Kivy
    from kiosk.ui.resident import ScriptedResident

# The demo's idle timeout: long enough to look at each screen, short enough to wait for.
IDLE_TIMEOUT_S = 6.0
IDLE_WARNING_S = 4.0


async def nothing(_r: ScriptedResident) -> None:
    pass


async def touch_to_start(r: ScriptedResident) -> None:
    await r.tap(r.screen)
    await r.wait_for_screen("home")


async def switch_language(r: ScriptedResident) -> None:
    await r.tap(r.app.root.ids.top_bar.ids.language)


def open_group(code: str) -> Action:
    async def action(r: ScriptedResident) -> None:
        await r.tap(r.app.navigator.screen("home").tile(code))
        await r.wait_until(lambda: r.screen_name != "home", what=f"group {code}")
        await r.frames()

    return action


def open_first_service(code: str) -> Action:
    async def action(r: ScriptedResident) -> None:
        if r.screen_name == "group":
            first = next(s for s in SERVICES if s.group == code)
            await r.tap(r.screen.button(first.code))
            await r.wait_until(lambda: r.screen_name != "group", what=f"service {first.code}")  # its flow, or where to go
            await r.frames()

    return action


async def back_to_start(r: ScriptedResident) -> None:
    await r.tap(r.app.root.ids.top_bar.ids.home)
    await r.wait_for_screen("home")


async def wait_for_countdown(r: ScriptedResident) -> None:
    await r.wait_until(lambda: r.app.overlay.parent is not None, IDLE_TIMEOUT_S + 5, "the idle countdown")
    await r.frames(3)


async def wait_for_timeout(r: ScriptedResident) -> None:
    await r.wait_for_screen("attract", IDLE_TIMEOUT_S + 5)


def group_steps() -> list[Step]:
    steps = []
    for group in GROUPS:
        several = sum(s.group == group.code for s in SERVICES) > 1
        steps.append(Step(f"open “{group.title.en}”", f"group-{group.code}", open_group(group.code)))
        if several:
            steps.append(Step("open its first service", f"service-{group.code}", open_first_service(group.code)))
        steps.append(Step("back to the menu", "", back_to_start))
    return steps


STEPS: list[Step] = [
    Step("the attract screen", "attract", nothing),
    Step("touch the screen: the menu, in Chinese", "home-zh", touch_to_start),
    Step("switch to English", "home-en", switch_language),
    Step("switch back to Chinese", "", switch_language),
    *group_steps(),
    *journey_steps(MYSELF),  # a whole application, with the voucher the printer simulator printed
    Step("leave the kiosk alone: the countdown", "idle-countdown", wait_for_countdown),
    Step("time out: back to the attract screen", "attract-after-timeout", wait_for_timeout),
]


async def walkthrough(r: ScriptedResident, steps: list[Step] | None = None) -> None:
    steps = STEPS if steps is None else steps
    shots = [s for s in steps if s.shot]
    number = 0
    for index, step in enumerate(steps, 1):
        r.step(f"[{index}/{len(steps)}] {step.title}")
        await step.action(r)
        if step.shot:
            number += 1
            await r.screenshot(f"{number:02d}-{step.shot}")
    r.record("steps", len(steps))
    r.record("screenshots", len(shots))
