"""信息变更 inside the real app (`python -m kiosk.ui.scripted`), with real touches.

The scripted resident opens the service from the home screen's tile, shows the ID card (or
puts the card in and types its PIN on the shuffled pad), looks at the record masked and then
in full, picks the street, writes the rest of the address on the writing pad stroke by stroke
(stroke-order data of tests/text_input/data, drawn as a finger would), types the new phone twice, signs and takes the voucher. Every step is shot
(card-<key>-NN-<step>.png) and checked against the elderly-friendly screen rules.
"""

from __future__ import annotations

from kiosk.flows import change_contact, on_behalf
from kiosk.flows.steps import BACK
from kiosk.ui.demo_journey import choose, keep_voucher, place_card, sign_and_submit, stroke, type_text
from kiosk.ui.resident import ScriptedResident
from tests.text_input.strokes import strokes
from tests.ui.card_scenarios import Journey, answer_notice, confirm_review, enter_pin, finish, insert_card, open_service, wait_for
from tests.ui.replace_scenarios import english, step

PHONE_ZH = "13812345678"
PHONE_EN = "13698765432"
STREET = "凤城街道"
HANDWRITTEN = "中华路"  # characters of the recorded stroke data that Zinnia ranks first
RECOGNISED_S = 10.0


async def write(r: ScriptedResident, char: str) -> None:
    """`char` drawn on the pad stroke by stroke, then its candidate button tapped."""
    screen = r.screen
    pad = screen.ids.pad
    for line in strokes(char):
        await stroke(r, pad, [(0.1 + 0.8 * x, 0.9 - 0.8 * y) for x, y in line])  # y upwards in Kivy
    await r.wait_until(lambda: _offered(screen, char), RECOGNISED_S, f"{char} among the candidates")
    await r.tap(screen.candidate(char))
    await r.frames(2)


def _offered(screen, char: str) -> bool:
    try:
        screen.candidate(char)
    except KeyError:
        return False
    return True


async def write_the_rest(j: Journey) -> None:
    r = j.r
    await wait_for(r, "chinese_input")
    await j.shot("write-empty")
    for char in HANDWRITTEN:
        await write(r, char)
    await j.shot("write-handwriting")
    r.record(f"{j.key}.written", r.screen.written)
    await r.tap(r.screen.ids.done)


async def type_phone_twice(j: Journey, phone: str) -> None:
    await step(j, type_text(phone), "phone")
    await step(j, type_text(phone), "phone-again")


async def record_masked_then_full(j: Journey) -> None:
    await wait_for(j.r, "notice")
    await j.shot("record-masked")
    j.r.record(f"{j.key}.record_masked", j.r.visible_text())
    await answer_notice(j.r, change_contact.SHOW_IN_FULL.code)
    await j.shot("record-full")
    await answer_notice(j.r, change_contact.CHANGE_SOMETHING.code)


async def the_end(j: Journey) -> None:
    await step(j, confirm_review_step(j.key), "review")
    await step(j, sign_and_submit(), "sign")
    await j.shot("done")
    await keep_voucher(j.key)(j.r)
    j.record()
    await finish(j.r, j.key)


def confirm_review_step(key: str):
    async def action(r: ScriptedResident) -> None:
        await confirm_review(r, key)

    return action


async def address_and_phone_by_id_card(r: ScriptedResident) -> None:
    """In Chinese: first as a proxy (told only the holder can), then the holder with the ID
    card; the street picked, the rest written; a new phone."""
    j = Journey(r, "info_change")
    await open_service(r, "info_change")  # one service in the group: its flow opens at once
    await step(j, choose(on_behalf.FOR_SOMEONE), "whose")  # first as if for someone else
    await wait_for(r, "notice")
    await j.shot("holder-only")
    await answer_notice(r, BACK)
    await step(j, choose(on_behalf.OWN), "whose-again")
    await step(j, choose("id_card"), "how-identify")
    await place_card("holder-gen3")(r)
    await record_masked_then_full(j)
    await step(j, choose(change_contact.BOTH), "what")
    await step(j, choose(STREET), "street")
    await write_the_rest(j)
    await type_phone_twice(j, PHONE_ZH)
    await the_end(j)


async def phone_by_card_and_pin_in_english(r: ScriptedResident) -> None:
    """In English: the card and its PIN; key data asked for first (the window's), then the phone."""
    j = Journey(r, "info_change_en")
    await english(r)
    await open_service(r, "info_change")  # one service in the group: its flow opens at once
    await step(j, choose(on_behalf.OWN), "whose")
    await step(j, choose("card_and_pin"), "how-identify")
    await insert_card(r, "gen3")
    await wait_for(r, "pin_pad")
    await enter_pin(r, "123456", j, "pin")
    await record_masked_then_full(j)
    await step(j, choose(change_contact.KEY_DATA), "what")
    await wait_for(r, "notice")
    await j.shot("key-data-at-window")
    await answer_notice(r, change_contact.CHANGE_OTHER.code)
    await step(j, choose(change_contact.PHONE_ONLY), "what-again")
    await type_phone_twice(j, PHONE_EN)
    await the_end(j)


async def info_change_journeys(r: ScriptedResident) -> None:
    """Two holders' changes at one kiosk, one after the other."""
    for journey in (address_and_phone_by_id_card, phone_by_card_and_pin_in_english):
        r.step(f"[info_change] {journey.__name__}")
        await journey(r)


async def walk_away_mid_address(r: ScriptedResident) -> None:
    """The holder writes part of the address and walks away: the idle timeout ends the flow,
    and the pad, the written text and the session are wiped."""
    j = Journey(r, "info_change_idle")
    await open_service(r, "info_change")
    await step(j, choose(on_behalf.OWN), "whose")
    await step(j, choose("id_card"), "how-identify")
    await place_card("holder-gen3")(r)
    await answer_notice(r, change_contact.CHANGE_SOMETHING.code)
    await step(j, choose(change_contact.BOTH), "what")
    await step(j, choose(STREET), "street")
    await wait_for(r, "chinese_input")
    screen = r.screen
    for char in HANDWRITTEN[:2]:
        await write(r, char)
    first, *_ = strokes(HANDWRITTEN[2])
    await stroke(r, screen.ids.pad, [(0.1 + 0.8 * x, 0.9 - 0.8 * y) for x, y in first])  # ink not yet a character
    await j.shot("walked-away")
    r.record("before", {"written": screen.written, "strokes": screen.ids.pad.strokes, "session_fields": r.app.session.keys()})
    await r.wait_for_screen("attract", 30)
    await r.frames(3)
    r.record("after", {"written": screen.written, "letters": screen.letters, "strokes": screen.ids.pad.strokes,
                       "session_fields": r.app.session.keys(), "outbox": len(r.app.services.outbox.items())})  # fmt: skip
