"""Scripts for the Chinese input screen and the address picker, run inside the real app.

The characters are written on the pad with real touches, stroke by stroke, along the
stroke medians of tests/text_input/data (hanzi-writer-data); pinyin is typed on the
screen's own letter keys. The report records what the screen showed and answered, for
tests/ui/test_chinese_input.py to judge.
"""

from __future__ import annotations

import asyncio
import contextlib
from types import SimpleNamespace

from kiosk.domain.policy import load_policy
from kiosk.flows.address_entry import ask_postal_address
from kiosk.flows.chinese_entry import HOLDER_NAME, SCREEN
from kiosk.ui.demo_journey import stroke
from kiosk.ui.flow_host import ScreenPort
from kiosk.ui.resident import ScriptedResident, StepFailed
from tests.text_input.strokes import strokes
from tests.ui.scenarios import snapshot
from tests.ui.steps_scenarios import answer, ask, both_languages

NAME_PARAMS = dict(title=HOLDER_NAME.title, hint=HOLDER_NAME.hint, max_chars=HOLDER_NAME.max_chars, kind=HOLDER_NAME.kind.value)


async def write(r: ScriptedResident, char: str) -> list[str]:
    """Write `char` on the pad, stroke by stroke; the candidates once it is among them (or
    whatever is shown after a wait)."""
    screen = r.screen
    pad = screen.ids.pad
    # As a resident writes: one square character in the middle of the pad (y up for Kivy).
    side = min(pad.width, pad.height) * 0.9
    fx, fy = side / pad.width, side / pad.height
    for line in strokes(char, 1.0):
        points = [(0.5 + (x - 0.5) * fx, 0.5 - (y - 0.5) * fy) for x, y in line]
        await stroke(r, pad, [(min(max(x, 0.01), 0.99), min(max(y, 0.01), 0.99)) for x, y in points])
    return await candidates_with(r, char)


async def write_and_pick(r: ScriptedResident, char: str) -> list[str]:
    found = await write(r, char)
    if char in found[:8]:
        await r.tap(r.screen.candidate(char))
    return found


async def type_pinyin(r: ScriptedResident, letters: str, expected: str) -> list[str]:
    screen = r.screen
    for letter in letters:
        await r.tap(screen.key(letter))
    return await candidates_with(r, expected)


async def candidates_with(r: ScriptedResident, expected: str) -> list[str]:
    """The candidates once `expected` is among them, or as they are after a while (the
    test judges them)."""
    screen = r.screen
    with contextlib.suppress(StepFailed):
        await r.wait_until(lambda: expected in screen.composer.candidates, 5, f"{expected} among the candidates")
    await r.frames(2)
    return list(screen.composer.candidates)


def handwrite(chars: str):
    """A journey step (kiosk.ui.demo_journey): `chars` written by hand, one by one, then Done."""
    from kiosk.ui.demo_journey import finish_writing

    async def action(r: ScriptedResident) -> None:
        await r.wait_for_screen(SCREEN, 10)
        await r.frames(2)
        for char in chars:
            r.record(f"handwritten.{char}", await write_and_pick(r, char))
        r.record("handwritten.text", r.screen.ids.shown.text)
        await finish_writing(r)

    return action


def shown_state(screen) -> dict:
    return {
        "written": screen.ids.shown.text,
        "message": screen.message.zh if screen.message else None,
        "strokes": screen.ids.pad.strokes,
        "letters": screen.letters,
        "candidates": [b.candidate for b in reversed(screen.ids.candidates.children) if not b.disabled],
    }


async def chinese_input(r: ScriptedResident) -> None:
    await r.tap(r.screen)
    await r.wait_for_screen("home")

    # Handwriting: 王 then 明, each picked from the candidates.
    task = await ask(r, SCREEN, **NAME_PARAMS)
    screen = r.screen
    r.record("first_candidates", await write(r, "王"))
    r.record("handwriting", await both_languages(r, "chinese-input-handwriting"))
    await r.tap(screen.candidate("王"))
    r.record("after_pick", shown_state(screen))
    r.record("second_candidates", await write_and_pick(r, "明"))
    r.record("after_second", shown_state(screen))

    # A stroke that starts outside the pad (on the preview) and slides onto it writes nothing.
    await stroke(r, screen.ids.shown, [(0.5, 0.5), (0.5, -2.0), (0.5, -4.0)])
    r.record("outside_stroke", shown_state(screen))

    # Delete takes one character back; it is written again.
    await r.tap(screen.ids.delete)
    r.record("after_delete", shown_state(screen))
    await write_and_pick(r, "明")
    await r.tap(screen.ids.done)
    r.record("name_answer", await answer(r, task))

    # An empty pad cannot be done; Back leaves.
    task = await ask(r, SCREEN, **NAME_PARAMS)
    await r.tap(r.screen.ids.done)
    await r.frames(2)
    r.record("empty_done", {**shown_state(r.screen), "problems": snapshot(r)["problems"]})
    await r.screenshot("chinese-input-empty")
    await r.tap(r.screen.ids.back)
    r.record("empty_back", await answer(r, task))

    # Pinyin: zhang -> 张.
    task = await ask(r, SCREEN, **NAME_PARAMS)
    screen = r.screen
    await r.tap(screen.ids.pinyin)
    await r.frames(2)
    r.record("pinyin_candidates", await type_pinyin(r, "zhang", "张"))
    r.record("pinyin", await both_languages(r, "chinese-input-pinyin"))
    await r.tap(screen.candidate("张"))
    r.record("pinyin_after_pick", shown_state(screen))
    await r.tap(screen.ids.done)
    r.record("pinyin_answer", await answer(r, task))

    # The character limit: one character, one already there.
    task = await ask(r, SCREEN, **{**NAME_PARAMS, "max_chars": 1}, current="李")
    screen = r.screen
    await write(r, "王")
    if screen.composer.candidates:
        await r.tap(screen.candidate(screen.composer.candidates[0]))
    r.record("over_limit", shown_state(screen))
    await r.tap(screen.ids.rewrite)
    await r.tap(screen.ids.done)
    r.record("over_limit_answer", await answer(r, task))

    # A character the kiosk font cannot draw, handed in as already written: left out, said.
    task = await ask(r, SCREEN, **NAME_PARAMS, current="王\U00020000")
    r.record("undrawable", {**shown_state(r.screen), "problems": snapshot(r)["problems"]})
    await r.tap(r.screen.ids.back)
    await answer(r, task)


async def address_picker(r: ScriptedResident) -> None:
    """The address step as a flow asks it: street picked, the rest written by hand."""
    await r.tap(r.screen)
    await r.wait_for_screen("home")
    port = ScreenPort("apply", r.app.session, r.app.navigator, SimpleNamespace(policy=load_policy("chongqing-changshou")))
    task = asyncio.ensure_future(ask_postal_address(port))
    await r.wait_for_screen("choose")
    await r.frames(2)
    r.record("streets", await both_languages(r, "address-picker"))
    r.record("street_buttons", len(r.screen.ids.options.children))
    await r.tap(r.screen.button("凤城街道"))
    await r.wait_for_screen(SCREEN)
    await r.frames(2)
    r.record("rest_params", {"title": r.screen.title.zh, "limit": r.screen.composer.max_chars})
    for char in "新村路":
        await write_and_pick(r, char)
    r.record("rest_written", shown_state(r.screen))
    await r.screenshot("address-rest-zh")
    await r.tap(r.screen.ids.done)
    await r.wait_until(task.done, 5, "the address")
    address = task.result()
    r.record("address", address.text() if hasattr(address, "text") else address)


async def chinese_input_idle(r: ScriptedResident) -> None:
    """A resident writes a character and a stroke more, then walks away."""
    await r.tap(r.screen)
    await r.wait_for_screen("home")
    port = ScreenPort("apply", r.app.session, r.app.navigator)
    asyncio.ensure_future(port.ask(SCREEN, **NAME_PARAMS))
    await r.wait_for_screen(SCREEN)
    await r.frames(2)
    screen = r.screen
    await write_and_pick(r, "王")
    await stroke(r, screen.ids.pad, [(0.2, 0.5), (0.8, 0.5)])
    r.record("before", shown_state(screen))
    await r.wait_for_screen("attract", 15)
    await r.frames(2)
    r.record("after", {**shown_state(screen), "composer_text": screen.composer.text, "ink": len(screen.composer.ink.strokes)})


async def demo_pinyin(r: ScriptedResident) -> None:
    """The demo's way of writing a typed passport holder's Chinese name: pinyin keys."""
    from kiosk.i18n import bi
    from kiosk.ui.demo_journey import ANOTHER_ADULT, write_in_pinyin

    await r.tap(r.screen)
    await r.wait_for_screen("home")
    port = ScreenPort("apply", r.app.session, r.app.navigator)
    task = asyncio.ensure_future(port.ask(SCREEN, **NAME_PARAMS))

    async def then_wait() -> None:  # the flow's next step, so the demo sees the kiosk move on
        await task
        await port.show("wait", title=bi("请稍等", "Please wait"), body=bi("请稍等", "Please wait"))

    follow = asyncio.ensure_future(then_wait())
    chars, syllables = ANOTHER_ADULT.chinese_name
    await write_in_pinyin(chars, syllables)(r)
    await follow
    r.record("demo_pinyin", task.result())


async def chinese_input_layout(r: ScriptedResident) -> None:
    """Both modes with candidates showing, for the layout rules (run on a landscape screen)."""
    await r.tap(r.screen)
    await r.wait_for_screen("home")
    task = await ask(r, SCREEN, **NAME_PARAMS)
    screen = r.screen
    await write(r, "王")
    r.record("handwriting", await both_languages(r, "chinese-input-landscape-handwriting"))
    r.record("pad", [screen.ids.pad.width, screen.ids.pad.height])
    await r.tap(screen.ids.pinyin)
    await type_pinyin(r, "wang", "王")
    r.record("pinyin", await both_languages(r, "chinese-input-landscape-pinyin"))
    await r.tap(screen.ids.back)
    await answer(r, task)
