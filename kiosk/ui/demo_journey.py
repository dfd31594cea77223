"""The scripted resident applies for a card (申领) through the real screens, with real touches.

`kiosk demo` plays it as more steps of its walk-through, and the UI journey tests play it
for each kind of applicant. Each step waits for the screen it needs, touches it like a
finger, and returns once the kiosk has moved on, so the screenshot taken after it shows
the next step. Cards are put on the simulated ID reader through its control socket, as a
technician's `kiosk sim ctl id-reader insert person=KEY` does.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from kiosk.drivers.simulation import load_simulator_hooks
from kiosk.ui.demo_step import Action, Step

if TYPE_CHECKING:  # demo.py imports this module, and the CLI imports demo.py without Kivy
    from kiosk.ui.resident import ScriptedResident

CARD_READ_S = 20.0  # the flow polls the reader every 0.3 s; a read takes well under a second
SUBMIT_S = 40.0  # store, one quick try of the centre, print


@dataclass(frozen=True)
class Applicant:
    """Who the scripted resident is and what they answer."""

    key: str  # names the screenshots and report entries: "self", "minor", "proxy"
    role: str  # "self" | "minor" | "proxy"
    card: str | None  # the applicant's card on the reader (a people.json key), or None when typed
    helper: str | None = None  # the guardian's or proxy's card
    typed: tuple[str, str, str] | None = None  # (document kind, number, name in Latin letters)
    # a typed document's Chinese name: the characters and each one's pinyin (the demo writes
    # it with the pinyin keys); None: left empty (a passport holder may have none)
    chinese_name: tuple[str, tuple[str, ...]] | None = None
    photo: bool = True
    bank: str = "icbc"
    pickup: tuple[str, ...] = ("on_site",)  # ("outlet", "CS-07"), ("post", "id_card") ...
    phone: str = "13812345678"


MYSELF = Applicant("self", "self", card="resident")
MY_CHILD = Applicant("minor", "minor", card="minor", helper="elder", photo=False, pickup=("outlet", "CS-07"))
ANOTHER_ADULT = Applicant("proxy", "proxy", card=None, helper="resident", typed=("passport", "E12345678", "LI GUOHUA"),
                          chinese_name=("李国华", ("li", "guo", "hua")), pickup=("post", "at_window"))  # fmt: skip


# --- looking at the screen ---------------------------------------------------------------


def signature(r: ScriptedResident) -> tuple:
    """What tells one step from the next: the screen and its title."""
    screen = r.screen
    title = getattr(screen, "title", None)
    return screen.name, getattr(title, "zh", None)


async def moved_on(r: ScriptedResident, before: tuple, what: str, timeout_s: float = 10.0) -> None:
    await r.wait_until(lambda: signature(r) != before, timeout_s, what)
    await r.frames(3)


def _inside(widget, area) -> bool:
    x, y = widget.to_window(*widget.pos)
    ax, ay = area.to_window(*area.pos)
    return ax <= x and ay <= y and x + widget.width <= ax + area.width and y + widget.height <= ay + area.height


def _has_option(r: ScriptedResident, code: str) -> bool:
    if r.screen_name != "choose":
        return False
    try:
        r.screen.button(code)
    except KeyError:
        return False
    return True


# --- touching ----------------------------------------------------------------------------


async def stroke(r: ScriptedResident, widget, points: list[tuple[float, float]]) -> None:
    """A finger put down on `widget`, moved through `points` (fractions of it) and lifted."""
    from kivy.tests.common import UnitTestTouch

    def at(fx: float, fy: float) -> tuple[float, float]:
        return widget.to_window(widget.x + fx * widget.width, widget.y + fy * widget.height)

    touch = UnitTestTouch(*at(*points[0]))
    touch.touch_down()
    await r.frames(1)
    for point in points[1:]:
        touch.touch_move(*at(*point))
        await r.frames(1)
    touch.touch_up()
    await r.frames(2)


def open_apply() -> Action:
    async def action(r: ScriptedResident) -> None:
        if r.screen_name == "attract":
            await r.tap(r.screen)
            await r.wait_for_screen("home")
        before = signature(r)
        await r.tap(r.app.navigator.screen("home").tile("new_card"))
        await moved_on(r, before, "the apply flow's first question")

    return action


def choose(code: str) -> Action:
    async def action(r: ScriptedResident) -> None:
        await r.wait_until(lambda: r.screen_name == "choose" and r.screen.offers(code), 10, f"the option {code!r}")
        await r.frames(2)
        screen = r.screen
        for _ in range(20):  # 长辈模式 shows three options at a time: 「更多」 until it is there
            if _has_option(r, code):
                break
            await r.tap(screen.more())
            await r.frames(2)
        button = screen.button(code)
        for _ in range(60):  # a long list (49 outlets): page down until the option is in view
            if _inside(button, screen.ids.scroll):
                break
            await r.tap(screen.ids.page_down)
            await r.frames(2)
        before = signature(r)
        await r.tap(button)
        await moved_on(r, before, f"the step after choosing {code!r}")

    return action


def simulator(r: ScriptedResident):
    """How the demo steers the simulators (places a card, reads the printer's jobs): through
    the simulator configuration's hooks, never by importing the simulator."""
    hooks = load_simulator_hooks(r.app.terminal)
    if hooks is None:
        raise RuntimeError("kiosk demo needs a simulator configuration with the simulator installed")
    return hooks.control


def place_card(person: str) -> Action:
    """Put `person`'s card on the reader once the kiosk asks for it."""

    async def action(r: ScriptedResident) -> None:
        send = simulator(r)

        await r.wait_until(lambda: r.screen_name == "wait" and r.screen.picture == "id_card", 10, "the request for a card")
        before = signature(r)
        send("id-reader", "remove")
        send("id-reader", "insert", person=person)
        await moved_on(r, before, f"the kiosk reading {person}'s card", CARD_READ_S)

    return action


def type_text(text: str) -> Action:
    async def action(r: ScriptedResident) -> None:
        await r.wait_for_screen("keypad", 10)
        screen = r.screen
        for key in text.upper():
            await r.tap(screen.key(key))
        before = signature(r)
        await r.tap(screen.ids.confirm)
        await moved_on(r, before, "the step after the keypad")

    return action


def write_in_pinyin(chars: str, syllables: tuple[str, ...]) -> Action:
    """Write `chars` on the Chinese input screen, one syllable of pinyin at a time, then Done."""

    async def action(r: ScriptedResident) -> None:
        await r.wait_for_screen("chinese_input", 10)
        screen = r.screen
        await r.tap(screen.ids.pinyin)
        for char, syllable in zip(chars, syllables):
            for letter in syllable:
                await r.tap(screen.key(letter))
            for _page in range(8):  # a rarer character may sit on a later page
                try:
                    await r.wait_until(lambda: char in screen.composer.candidates, 5, f"{char} for {syllable}")
                    await r.frames(2)
                    await r.tap(screen.candidate(char))
                    break
                except KeyError:
                    await r.tap(screen.ids.more)
        await finish_writing(r)

    return action


def leave_chinese_empty() -> Action:
    async def action(r: ScriptedResident) -> None:
        await r.wait_for_screen("chinese_input", 10)
        await finish_writing(r)

    return action


async def finish_writing(r: ScriptedResident) -> None:
    before = signature(r)
    await r.tap(r.screen.ids.done)
    await moved_on(r, before, "the step after the Chinese name")


def take_photo() -> Action:
    async def action(r: ScriptedResident) -> None:
        await r.wait_for_screen("photo", 15)
        screen = r.screen
        await r.wait_until(lambda: screen.ready or screen.stage == "result", 20, "a preview that passes the photo checks")
        if screen.stage == "live":  # the photo also takes itself after a 3-2-1: the button is quicker
            await r.tap(screen.buttons["take"])
        await r.wait_until(lambda: screen.stage == "result", 10, "the accepted photo")
        await r.frames(3)

    return action


def use_photo() -> Action:
    async def action(r: ScriptedResident) -> None:
        before = signature(r)
        await r.tap(r.screen.buttons["use"])
        await moved_on(r, before, "the step after the photo")

    return action


def skip_photo() -> Action:
    async def action(r: ScriptedResident) -> None:
        await r.wait_for_screen("photo", 15)
        before = signature(r)
        await r.tap(r.screen.buttons["skip"])
        await moved_on(r, before, "the step after skipping the photo")

    return action


def confirm_review(key: str) -> Action:
    async def action(r: ScriptedResident) -> None:
        await r.wait_for_screen("review", 10)
        r.record(f"{key}.review", r.screen.shown_rows())
        before = signature(r)
        await r.tap(r.screen.ids.confirm)
        await moved_on(r, before, "the step after the review")

    return action


def sign_and_submit() -> Action:
    async def action(r: ScriptedResident) -> None:
        await r.wait_for_screen("sign", 10)
        screen = r.screen
        await stroke(r, screen.ids.pad, [(0.1, 0.3), (0.2, 0.7), (0.3, 0.35), (0.45, 0.65), (0.6, 0.3), (0.8, 0.6)])
        await r.tap(screen.ids.confirm)
        await r.wait_for_screen("done", SUBMIT_S)
        await r.frames(3)

    return action


def finish(key: str) -> Action:
    """OK on the done screen; the resident takes the voucher and their card and goes."""

    async def action(r: ScriptedResident) -> None:
        send = simulator(r)

        r.record(f"{key}.done", r.visible_text())
        await r.tap(r.screen.ids.ok)
        send("id-reader", "remove")
        await r.wait_for_screen("home", 10)

    return action


def keep_voucher(key: str) -> Action:
    """The printer simulator's picture of the voucher, next to the screenshots."""

    async def action(r: ScriptedResident) -> None:
        send = simulator(r)

        jobs = Path(send("printer", "status")["jobs_dir"])
        deadline = time.monotonic() + 10
        while not sorted(jobs.glob("job-*.json")) and time.monotonic() < deadline:
            await r.frames(2)
        newest = sorted(jobs.glob("job-*.json"))[-1]
        job = json.loads(newest.read_text(encoding="utf-8"))
        target = r.out_dir / f"voucher-{key}.png"
        shutil.copy2(job["png"], target)
        r.record(f"{key}.voucher", {"job": str(newest), "png": str(target), "complete": job["complete"]})
        r.record("voucher_png", str(target))

    return action


# --- the journey as steps ------------------------------------------------------------------


def journey_steps(a: Applicant, write_chinese: Callable[[str], Action] | None = None) -> list[Step]:
    """Every touch of one application, each followed by a screenshot named apply-<key>-….

    `write_chinese(chars)` writes a typed document's Chinese name another way than the
    demo's pinyin keys (the UI tests write it by hand on the pad)."""
    k = a.key
    steps = [Step("open 申领社保卡 (apply for a card)", f"apply-{k}-who", open_apply())]
    if a.helper is None:
        steps.append(Step(f"choose who the card is for: {a.role}", f"apply-{k}-document", choose(a.role)))
    else:
        steps.append(Step(f"choose who the card is for: {a.role}", f"apply-{k}-helper-card", choose(a.role)))
        helper = "guardian" if a.role == "minor" else "proxy"
        steps.append(Step(f"put the {helper}'s ID card on the reader", f"apply-{k}-document", place_card(a.helper)))
    if a.typed is None:
        steps.append(Step("choose: the ID card, on the reader", f"apply-{k}-place-card", choose("reader")))
        steps.append(Step("put the applicant's ID card on the reader", f"apply-{k}-photo", place_card(a.card)))
    else:
        kind, number, name = a.typed
        steps.append(Step("choose: a document typed on the screen", f"apply-{k}-which-document", choose("typed")))
        steps.append(Step(f"choose the document: {kind}", f"apply-{k}-number", choose(kind)))
        steps.append(Step("type its number", f"apply-{k}-name", type_text(number)))
        steps.append(Step("type the name as on the document", f"apply-{k}-chinese-name", type_text(name)))
        if a.chinese_name is None:
            steps.append(Step("no Chinese name: Done", f"apply-{k}-photo", leave_chinese_empty()))
        else:
            chars, syllables = a.chinese_name
            write = write_chinese(chars) if write_chinese else write_in_pinyin(chars, syllables)
            steps.append(Step(f"write the Chinese name {chars}", f"apply-{k}-photo", write))
    if a.photo:
        steps.append(Step("take the photo", f"apply-{k}-photo-taken", take_photo()))
        steps.append(Step("use this photo", f"apply-{k}-bank", use_photo()))
    else:
        steps.append(Step("skip the child's photo", f"apply-{k}-bank", skip_photo()))
    steps.append(Step(f"choose the bank: {a.bank}", f"apply-{k}-pickup", choose(a.bank)))
    method, *detail = a.pickup
    steps.append(Step(f"collect the card: {method}", f"apply-{k}-" + (f"pickup-{method}" if detail else "phone"), choose(method)))
    if detail:
        steps.append(Step(f"collect the card: {detail[0]}", f"apply-{k}-phone", choose(detail[0])))
    steps += [
        Step("type the mobile number", f"apply-{k}-review", type_text(a.phone)),
        Step("check the details and confirm", f"apply-{k}-sign", confirm_review(k)),
        Step("sign and submit: stored, sent, the voucher printed", f"apply-{k}-done", sign_and_submit()),
        Step("take the voucher: back to the menu", f"apply-{k}-home", finish(k)),
        Step("the printed voucher (the printer simulator's picture)", "", keep_voucher(k)),
    ]
    return steps
