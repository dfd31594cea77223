"""The card services inside the real app (`python -m kiosk.ui.scripted`), with real touches.

The scripted resident opens each service from the home screen, puts the card in and the
ID card on the reader through the simulators' control sockets (as a technician's `kiosk sim
card insert` and `kiosk sim ctl id-reader insert` do), types PINs on the shuffled pin pad key
by key, and takes a screenshot of every step (card-<service>-NN-<step>.png). What each
screen showed and broke of the elderly-friendly rules is recorded for the tests.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from hwsim.control import send
from kiosk.flows import on_behalf
from kiosk.ui.demo_journey import moved_on, place_card, signature
from kiosk.ui.resident import ScriptedResident
from tests.ui.scenarios import snapshot

CARD_READ_S = 20.0
CENTRE_S = 20.0
PROXY = "resident"  # an adult of the ID reader simulator's people who holds no card here


class Journey:
    """One service, step by step: each step's screenshot and what its screen showed."""

    def __init__(self, r: ScriptedResident, key: str) -> None:
        self.r, self.key, self.number = r, key, 0
        self.problems: dict[str, dict] = {}
        self.screens: list[dict] = []

    async def shot(self, name: str) -> None:
        r = self.r
        await r.frames(3)
        self.number += 1
        seen = snapshot(r)
        title = getattr(r.screen, "title", None)
        self.screens.append({"step": name, "screen": seen["screen"], "title": getattr(title, "zh", None), "texts": seen["texts"]})
        self.problems[name] = seen["problems"]
        await r.screenshot(f"card-{self.key}-{self.number:02d}-{name}")

    def record(self) -> None:
        self.r.record(f"{self.key}.problems", self.problems)
        self.r.record(f"{self.key}.screens", self.screens)


# --- touches -------------------------------------------------------------------------------


async def open_service(r: ScriptedResident, group: str, service: str | None = None) -> None:
    if r.screen_name == "attract":
        await r.tap(r.screen)
    await r.wait_for_screen("home", 10)
    before = signature(r)
    await r.tap(r.app.navigator.screen("home").tile(group))
    await moved_on(r, before, f"the {group} group")
    if service is not None:
        await r.wait_for_screen("group", 10)
        before = signature(r)
        await r.tap(r.screen.button(service))
        await moved_on(r, before, f"the {service} flow")


async def asked_for(r: ScriptedResident, picture: str) -> None:
    """Until the kiosk shows the "please insert / place" screen with this picture."""
    try:
        await r.wait_until(lambda: r.screen_name == "wait" and r.screen.picture == picture, CENTRE_S, f"the {picture} request")
    except AssertionError as exc:
        raise AssertionError(f"{exc}; the screen is {signature(r)}") from None


async def insert_card(r: ScriptedResident, profile: str) -> None:
    await asked_for(r, "card")
    await r.frames(3)
    before = signature(r)
    send("card", "insert", profile=profile)
    await moved_on(r, before, f"the kiosk reading the {profile} card", CARD_READ_S)


async def wait_for(r: ScriptedResident, screen: str, timeout_s: float = CENTRE_S) -> None:
    await r.wait_for_screen(screen, timeout_s)
    await r.frames(3)


async def type_pin(r: ScriptedResident, digits: str) -> None:
    await wait_for(r, "pin_pad")
    screen = r.screen
    keys = {button.key: button for button in screen.digit_keys()}
    for digit in digits:
        await r.tap(keys[digit])
    await r.frames(2)


async def confirm_pin(r: ScriptedResident) -> None:
    before = signature(r)
    await r.tap(r.screen.ids.confirm)
    await moved_on(r, before, "the step after the PIN", CENTRE_S)


async def choose(r: ScriptedResident, code: str, what: str) -> None:
    await wait_for(r, "choose", 10)
    before = signature(r)
    await r.tap(r.screen.button(code))
    await moved_on(r, before, what)


async def whose_card(r: ScriptedResident, code: str = on_behalf.OWN) -> None:
    await choose(r, code, "the request for an ID card")


async def answer_notice(r: ScriptedResident, code: str) -> None:
    await wait_for(r, "notice")
    before = signature(r)
    await r.tap(r.screen.button(code))
    await moved_on(r, before, f"the step after answering {code!r}", CENTRE_S)


async def confirm_review(r: ScriptedResident, key: str) -> None:
    await wait_for(r, "review")
    r.record(f"{key}.review", r.screen.shown_rows())
    before = signature(r)
    await r.tap(r.screen.ids.confirm)
    await moved_on(r, before, "the step after the review", CENTRE_S)


async def finish(r: ScriptedResident, key: str) -> None:
    """OK on the last screen (done, or a notice), then home; both cards taken back."""
    r.record(f"{key}.last", {"screen": r.screen_name, "texts": r.visible_text()})
    button = r.screen.ids.ok if r.screen_name == "done" else r.screen.button("ok")
    await r.tap(button)
    await r.wait_for_screen("home", 10)
    r.record(f"{key}.session_fields", r.app.session.keys())  # wiped when the flow ended
    send("card", "remove")
    send("id-reader", "remove")


def keep_print(r: ScriptedResident, name: str) -> None:
    """The printer simulator's picture of its newest job, beside the screenshots."""
    jobs = Path(send("printer", "status")["jobs_dir"])
    deadline = time.monotonic() + 10
    while not sorted(jobs.glob("job-*.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    newest = sorted(jobs.glob("job-*.json"))[-1]
    job = json.loads(newest.read_text(encoding="utf-8"))
    shutil.copy2(job["png"], r.out_dir / f"{name}.png")


# --- the services ----------------------------------------------------------------------------


async def enter_pin(r: ScriptedResident, digits: str, j: Journey | None = None, shot: str | None = None) -> None:
    """The digits on the shuffled pad (screenshot `shot` before confirming), then confirm."""
    await type_pin(r, digits)
    if j is not None and shot is not None:
        await j.shot(shot)
    await confirm_pin(r)


async def done(r: ScriptedResident, j: Journey, shot: str = "done") -> None:
    """The done screen reached and shot; the journey recorded; home."""
    await wait_for(r, "done")
    await j.shot(shot)
    j.record()
    await finish(r, j.key)


async def activate(r: ScriptedResident) -> None:
    j = Journey(r, "activate")
    await open_service(r, "activate")
    await j.shot("insert-card")
    await insert_card(r, "not-activated")
    await asked_for(r, "id_card")
    await j.shot("place-id-card")
    await place_card("holder-not-activated")(r)
    await enter_pin(r, "123456", j, "pin")
    await j.shot("own-pin")
    await answer_notice(r, "ok")
    await enter_pin(r, "246813")
    await enter_pin(r, "246813", j, "new-pin-again")
    await done(r, j)


async def pin_blocked(r: ScriptedResident) -> None:
    j = Journey(r, "blocked")
    await open_service(r, "pin", "pin_change")
    await insert_card(r, "pin-blocked")
    await wait_for(r, "notice")
    await j.shot("window-guidance")
    await answer_notice(r, "print")
    await wait_for(r, "home")
    r.record("blocked.session_fields", r.app.session.keys())
    keep_print(r, "card-blocked-slip")
    j.record()
    send("card", "remove")


async def pin_change(r: ScriptedResident) -> None:
    j = Journey(r, "pin_change")
    await open_service(r, "pin", "pin_change")
    await insert_card(r, "gen3")
    await enter_pin(r, "123456", j, "old-pin")
    await enter_pin(r, "888888")
    await j.shot("easy-pin-refused")
    await answer_notice(r, "ok")
    await enter_pin(r, "860417")
    await enter_pin(r, "860417")
    await done(r, j)


async def pin_reset(r: ScriptedResident) -> None:
    j = Journey(r, "pin_reset")
    await open_service(r, "pin", "pin_reset")
    await insert_card(r, "pin-blocked")
    await wait_for(r, "choose")
    await j.shot("whose")
    await whose_card(r)
    await asked_for(r, "id_card")
    await place_card("holder-pin-blocked")(r)
    await enter_pin(r, "860417", j, "new-pin")
    await enter_pin(r, "860417")
    await done(r, j)


async def loss_report(r: ScriptedResident) -> None:
    j = Journey(r, "loss_report")
    await open_service(r, "loss", "loss_report")
    await whose_card(r)
    await place_card("holder-gen3")(r)
    await confirm_loss(r, j)


async def loss_report_by_proxy(r: ScriptedResident) -> None:
    """A son reports his father's card lost: his own ID card first, then his father's."""
    j = Journey(r, "loss_by_proxy")
    await open_service(r, "loss", "loss_report")
    await wait_for(r, "choose", 10)
    await j.shot("whose")
    await whose_card(r, on_behalf.FOR_SOMEONE)
    await j.shot("proxy-card")
    await place_card(PROXY)(r)
    await asked_for(r, "id_card")
    await j.shot("holder-card")
    await place_card("holder-gen1")(r)
    await confirm_loss(r, j)


async def confirm_loss(r: ScriptedResident, j: Journey) -> None:
    """The review confirmed, the report done, its voucher kept beside the screenshots."""
    await wait_for(r, "review")
    await j.shot("confirm")
    await confirm_review(r, j.key)
    await wait_for(r, "done")
    keep_print(r, f"card-{j.key}-voucher")
    await done(r, j)


async def loss_cancel(r: ScriptedResident) -> None:
    j = Journey(r, "loss_cancel")
    await open_service(r, "loss", "loss_cancel")
    await insert_card(r, "reported-lost")
    await enter_pin(r, "123456")
    await wait_for(r, "review")
    await j.shot("confirm")
    await confirm_review(r, "loss_cancel")
    await done(r, j)


async def status_query(r: ScriptedResident) -> None:
    j = Journey(r, "status_query")
    await open_service(r, "query")
    await wait_for(r, "choose", 10)
    await j.shot("how")
    await choose(r, "card", "the request for the card")
    await insert_card(r, "gen3")
    await done(r, j, "result")


async def status_query_en(r: ScriptedResident) -> None:
    """The same query by ID card, in English: the longest lines there are."""
    j = Journey(r, "status_query_en")
    await r.wait_for_screen("home", 10)
    await r.tap(r.app.root.ids.top_bar.ids.language)
    await open_service(r, "query")
    await choose(r, "id_card", "the request for the ID card")
    await place_card("holder-gen3")(r)
    await done(r, j, "result")


async def card_services(r: ScriptedResident) -> None:
    """Every card service's main path, one resident after another, in one run of the app."""
    for service in (activate, pin_blocked, pin_reset, pin_change, loss_report, loss_report_by_proxy, loss_cancel, status_query, status_query_en):
        r.step(f"[card] {service.__name__}")
        await service(r)


async def card_services_offline(r: ScriptedResident) -> None:
    """The centre is down: a loss report is queued (and 12333 named), a PIN reset is refused;
    then the centre comes back and the kiosk's own sync worker delivers the loss report."""
    from kiosk.offline.outbox import ItemState

    send("centre", "down")
    j = Journey(r, "loss_offline")
    await open_service(r, "loss", "loss_report")
    await whose_card(r)
    await place_card("holder-gen3")(r)
    await wait_for(r, "review")
    await j.shot("confirm")
    await confirm_review(r, "loss_offline")
    await wait_for(r, "notice", CENTRE_S)
    await j.shot("queued")
    keep_print(r, "card-loss_offline-voucher")
    j.record()
    await finish(r, "loss_offline")

    j = Journey(r, "reset_offline")
    await open_service(r, "pin", "pin_reset")
    await insert_card(r, "pin-blocked")
    await wait_for(r, "notice", CENTRE_S)
    await j.shot("centre-needed")
    j.record()
    await finish(r, "reset_offline")

    outbox = r.app.services.outbox
    [item] = outbox.items()
    r.record("loss_offline.state_before", str(item.state))
    send("centre", "up")
    took = await r.wait_until(lambda: outbox.item(item.id).state is ItemState.SENT, 30, "the sync worker")
    r.record("loss_offline.delivered_after_s", round(took, 1))
