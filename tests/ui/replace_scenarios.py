"""补领 · 换领 · 换发 inside the real app (`python -m kiosk.ui.scripted`), with real touches.

The scripted resident opens the service from the home screen's tile, shows an ID card or
puts the old card in and types its PIN on the shuffled pad, answers each step, signs with a
stroke on the pad and takes the voucher. Every step is shot (replace-<key>-NN-<step>.png)
and checked against the elderly-friendly screen rules. One journey per resident of issue 9;
`replace_centre_down` is the reissue while the centre is down, then back.
"""

from __future__ import annotations

from kiosk.flows import replace_card
from kiosk.ui.demo_journey import choose, confirm_review, keep_voucher, place_card, sign_and_submit, skip_photo, take_photo
from kiosk.ui.demo_journey import type_text, use_photo
from kiosk.ui.resident import ScriptedResident
from tests.ui.card_scenarios import CENTRE_S, Journey, answer_notice, enter_pin, finish, insert_card, open_service, wait_for
from tests.ui.journey_sample import walked

PHONE = "13812345678"


async def step(j: Journey, action, shot: str) -> None:
    """Shoot the screen as the resident sees it, then answer it."""
    await j.r.frames(3)
    await j.shot(shot)
    await action(j.r)


async def english(r: ScriptedResident) -> None:
    if r.screen_name == "attract":
        await r.tap(r.screen)
    await r.wait_for_screen("home", 10)
    await r.tap(r.app.root.ids.top_bar.ids.language)


DONE_READING_S = 120.0


def unhurried_done_screen() -> None:
    """The scenario reads the done screen (a screenshot, the voucher, the screen rules; in the
    simpler mode what was spoken too) for longer than its 20 s on a loaded machine: the screen
    then answered OK by itself before the scenario did (elder_journeys, in CI). Its own
    countdown is tested with a short one (tests/ui/steps_scenarios.py)."""
    from kiosk.screens.done import DoneScreen

    DoneScreen.auto_ok_s = DONE_READING_S


async def the_rest(j: Journey, bank: str, photo: str = "on_record") -> None:
    """From the photo to the done screen; the voucher kept beside the screenshots."""
    if photo == "on_record":
        await step(j, choose("on_record"), "photo-keep-or-new")
    elif photo == "skip":
        await step(j, skip_photo(), "photo-optional")
    else:
        await step(j, take_photo(), "photo")
        await use_photo()(j.r)
    await step(j, choose(bank), "bank")
    await step(j, choose("on_site"), "pickup")
    await step(j, type_text(PHONE), "phone")
    await step(j, confirm_review(j.key), "review")
    unhurried_done_screen()
    await step(j, sign_and_submit(), "sign")
    await j.shot("done")
    await keep_voucher(j.key)(j.r)
    j.record()
    await finish(j.r, j.key)


async def by_id_card(j: Journey, person: str) -> None:
    await step(j, choose("self"), "who")
    await step(j, choose(replace_card.BY_DOCUMENT), "how-identify")
    await step(j, choose("reader"), "which-document")
    await place_card(person)(j.r)


async def by_old_card(j: Journey, profile: str) -> None:
    await step(j, choose("self"), "who")
    await step(j, choose(replace_card.BY_CARD), "how-identify")
    await insert_card(j.r, profile)
    await wait_for(j.r, "pin_pad")
    await enter_pin(j.r, "123456", j, "pin")


async def notice(j: Journey, shot: str, answer: str) -> None:
    await wait_for(j.r, "notice", CENTRE_S)
    await j.shot(shot)
    await answer_notice(j.r, answer)


async def lost_card(j: Journey, offline: bool = False) -> None:
    """The ID card of someone whose card is lost and not reported: the loss report confirmed."""
    await open_service(j.r, "replace", "reissue")
    await by_id_card(j, "lost-not-reported")
    await step(j, choose("lost"), "situation")
    if offline:
        await notice(j, "centre-offline", "ok")
    await notice(j, "not-yet-lost", "confirm")


async def reissue_with_loss_report(r: ScriptedResident) -> None:
    j = Journey(r, "reissue")
    await lost_card(j)
    await the_rest(j, "boc")


async def replace_unreadable_card(r: ScriptedResident) -> None:
    """In English: the ID card, the damaged card not read."""
    j = Journey(r, "replace_en")
    await english(r)
    await open_service(r, "replace", "replace")
    await by_id_card(j, "holder-gen3")
    await step(j, choose("damaged"), "situation")
    await step(j, choose(replace_card.NO_OLD), "old-card")
    await the_rest(j, "icbc")


def upgrade(key: str, profile: str, bank: str):
    """换发 with the old card and its PIN: `profile`'s holder keeps the bank on record."""

    async def journey(r: ScriptedResident) -> None:
        j = Journey(r, key)
        await open_service(r, "replace", "upgrade")
        await by_old_card(j, profile)
        await step(j, choose("new_generation"), "situation")
        await the_rest(j, bank)

    journey.__name__ = f"upgrade_{key}"
    return journey


upgrade_free = upgrade("upgrade", "upgrade-gen2", "icbc")  # a 2.00 card never upgraded
upgrade_with_fee = upgrade("upgrade_fee", "upgraded-twice", "ccb")  # after two third-generation cards


async def guardian_for_a_child(r: ScriptedResident) -> None:
    j = Journey(r, "guardian")
    await open_service(r, "replace", "replace")
    await step(j, choose("minor"), "who")
    await place_card("mother")(r)
    await step(j, choose("reader"), "which-document")
    await place_card("child-no-photo")(r)
    await step(j, choose("expired"), "situation")
    await step(j, choose(replace_card.NO_OLD), "old-card")
    await the_rest(j, "psbc", photo="skip")


# The suite's sample (tests/ui/journey_sample.py): the most common replacement, with the loss
# report in the same visit, and the one that carries a fee; the others in scripts/long-checks.
SAMPLE = ("reissue", "upgrade_fee")


async def replace_journeys(r: ScriptedResident) -> None:
    """The five residents of issue 9, one after another at one kiosk."""
    every = {"reissue": reissue_with_loss_report, "upgrade": upgrade_free, "upgrade_fee": upgrade_with_fee,
             "guardian": guardian_for_a_child, "replace_en": replace_unreadable_card}  # fmt: skip
    for key, journey in walked(every, SAMPLE):
        r.step(f"[replace] {key}")
        await journey(r)


async def replace_centre_down(r: ScriptedResident) -> None:
    """In English, the centre down from the start: the reissue goes on offline, the loss report
    and the reissue are kept (loss report first), the voucher says "not yet sent" and names
    12333; then the centre comes back and the kiosk's own sync worker delivers both."""
    from hwsim.control import send
    from kiosk.offline.outbox import ItemState

    send("centre", "down")
    j = Journey(r, "reissue_offline")
    await english(r)
    await lost_card(j, offline=True)
    await the_rest(j, "boc", photo="new")
    outbox = r.app.services.outbox
    items = outbox.items()
    r.record("reissue_offline.kinds_before", [(str(i.kind), str(i.state)) for i in items])
    send("centre", "up")
    took = await r.wait_until(lambda: all(outbox.item(i.id).state is ItemState.SENT for i in items), 40, "the sync worker")
    r.record("reissue_offline.delivered_after_s", round(took, 1))
