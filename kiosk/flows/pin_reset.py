"""密码重置: a forgotten or blocked PIN replaced, with the ID card as proof (seed 003 section 5).

The keys that may set a card's PIN without the old one live in the centre's HSM, so this
needs the centre online, and the kiosk says so at once when it is not (before the resident
shows an ID card or types anything). The card goes in; the holder's ID card must match it,
or a proxy shows their own (seed 003 5.1 2), kiosk.flows.on_behalf);
the new PIN is chosen twice; the card's GET CHALLENGE goes to the centre with it, and the
RELOAD PIN block that comes back goes to the card, which also unblocks the PIN.
"""

from __future__ import annotations

import logging

from kiosk.domain.cards import RESETTABLE
from kiosk.drivers.card import CardData
from kiosk.flows.card_in_reader import TAKE_CARD_BACK, insert_card
from kiosk.flows.centre_calls import CardOnRecord, call_centre, card_on_record, centre_refused, centre_unreachable
from kiosk.flows.pin_entry import KEEP_SECRET, EnteredPin, choose_new_pin, pin_refused
from kiosk.flows.record import idempotency_key
from kiosk.flows.on_behalf import OnBehalf, identify_for_card
from kiosk.flows.port import FlowPort
from kiosk.flows import card_stages as at
from kiosk.flows.plan import at_stage
from kiosk.flows.steps import ENDED, HOME, RETRY
from kiosk.flows.wording import fill
from kiosk.i18n import bi

log = logging.getLogger(__name__)

WHAT = bi("重置密码", "Resetting a PIN")
NOT_ON_RECORD = bi("社保中心没有这张卡的记录。", "The card centre has no record of this card. ")
CANNOT_RESET = bi("这张卡现在是“{status}”，不能重置密码。", "This card is “{status}”; its PIN cannot be reset. ")
REFUSED = bi("社保中心没有同意重置这张卡的密码。", "The card centre did not reset this card's PIN. ")
RESETTING = bi("正在重置密码", "Resetting your PIN")
RESETTING_BODY = bi("请稍等，不要拔卡。", "Please wait and leave the card in.")
RESET = bi("密码已重置", "Your PIN is reset")
RESET_BODY = bi("新密码已经生效，原来的锁定也解除了。", "The new PIN works now, and the card is no longer locked.")


PLAN = (at.CARD, at.ID_CARD, at.NEW_PIN)  # the step strip (kiosk.flows.plan)


async def run(port: FlowPort) -> None:
    at_stage(port, PLAN, at.CARD)
    card = await insert_card(port)
    if isinstance(card, str):
        return
    if isinstance(await card_may_be_reset(port, card), str):
        return
    at_stage(port, PLAN, at.ID_CARD)
    people = await identify_for_card(port, card)
    if isinstance(people, str):
        return
    at_stage(port, PLAN, at.NEW_PIN)
    new = await choose_new_pin(port, card)
    if isinstance(new, str):
        return
    at_stage(port, PLAN, None)
    with new:
        answer = await reload_pin(port, card, people, new)
    if answer is True:
        await port.ask("done", title=RESET, body=RESET_BODY, extra=(KEEP_SECRET, TAKE_CARD_BACK))


async def card_may_be_reset(port: FlowPort, card: CardData) -> CardOnRecord | str:
    """The centre can be reached and has the card in a state whose PIN it resets."""
    record = await card_on_record(port, card, WHAT, NOT_ON_RECORD)
    if isinstance(record, str) or record.status in RESETTABLE:
        return record
    return await centre_refused(port, fill(CANNOT_RESET, status=record.status.words))


async def reload_pin(port: FlowPort, card: CardData, people: OnBehalf, new: EnteredPin) -> bool | str:
    """Challenge from the card, block from the centre, block to the card; True when done.

    The new PIN is wiped as soon as the centre has turned it into the block."""
    services = port.services
    reader, centre = services.card_reader, services.centre
    while True:
        await port.show("wait", title=RESETTING, body=RESETTING_BODY, picture="network")
        challenge = await port.device(reader.get_challenge)
        if not challenge.ok:
            return await pin_refused(port, challenge)
        body = {
            "card_number": card.card_number,
            "id_number": card.social_security_number,
            "challenge": challenge.value.hex().upper(),
            "new_pin": new.as_text(),
            **people.proxy_fields(),
        }
        # A new challenge is a new request: each try has its own key.
        reply = await port.device(call_centre, centre.reset_pin, idempotency_key("pin_reset"), body)
        if reply.retryable:
            answer = await centre_unreachable(port, WHAT, reply, retry=True)
            if answer == RETRY:
                continue
            return answer
        if not reply.ok:
            return await centre_refused(port, REFUSED, reply)
        new.wipe()
        try:
            block = bytes.fromhex(str(reply.data.get("block", "")))
        except ValueError:
            block = b""
        done = await port.device(reader.reload_pin, block)
        if done.ok:
            log.info("PIN reloaded: centre reference %s", reply.reference)
            return True
        log.warning("the card refused the centre's reload block: %s (%s)", done.code, done.reason)
        answer = await pin_refused(port, done)
        return HOME if answer == HOME else ENDED
