"""启用: switching on a new card (seed 003 section 2; what follows it: seed 000 四(一)(三)).

The new card goes in, the centre is asked whether it is a card waiting to be activated
(before the resident does anything more: without the centre nothing can be done), the
holder shows their ID card (its number must be the card's social security number) and
types the card's PIN, which the card checks. A card still on its easy initial PIN gets a
PIN of the holder's own first. Then the centre switches the card on and the resident is
told what that means: the old card's social security functions end, the medical-account
balance moves over, the electronic card is issued by itself.
"""

from __future__ import annotations

import logging

from kiosk.centre.client import CentreReply
from kiosk.domain.pin_rules import pin_problem
from kiosk.domain.cards import CardStatus
from kiosk.drivers.card import CardData
from kiosk.flows.card_in_reader import TAKE_CARD_BACK, card_named, card_tail, identify_holder, insert_card
from kiosk.flows.centre_calls import CardOnRecord, call_centre, card_on_record, centre_refused, centre_unreachable
from kiosk.flows.pin_entry import EnteredPin, change_pin_on_card, choose_new_pin, pin_refused, record_pin_change, verified_pin
from kiosk.flows.record import idempotency_key
from kiosk.flows.port import FlowPort
from kiosk.flows import card_stages as at
from kiosk.flows.plan import at_stage
from kiosk.flows.steps import ENDED, HOME, OK, OK_OPTION, RETRY
from kiosk.flows.wording import fill
from kiosk.i18n import bi
from kiosk.offline.outbox import Kind

log = logging.getLogger(__name__)

WHAT = bi("启用社保卡", "Activating a card")
INSERT_NEW_CARD = bi("请插入您的新社保卡", "Please insert your new social security card")
NOT_ON_RECORD = bi("社保中心没有这张卡的启用记录。", "The card centre has no record of this card to activate. ")
CANNOT_ACTIVATE = bi("这张卡现在是“{status}”，不能启用。", "This card is “{status}” and cannot be activated. ")
ALREADY_ACTIVE = bi("这张卡已经启用了", "This card is already activated")
ALREADY_ACTIVE_BODY = bi("不用再启用，可以直接使用。", "There is nothing more to do: you can use it.")
OWN_PIN = bi("请设置您自己的密码", "Please choose your own PIN")
OWN_PIN_BODY = bi(
    "这张新卡还是初始密码，别人很容易猜到。请设一个只有您知道的6位密码，再启用。",
    "This new card still has its initial PIN, which is easy to guess. Please choose a 6-digit PIN only you know; then the card is activated.",
)
ACTIVATING = bi("正在启用", "Activating your card")
ACTIVATING_BODY = bi("请稍等，不要拔卡。", "Please wait and leave the card in.")
REFUSED = bi("社保中心没有同意启用这张卡。", "The card centre did not activate this card. ")
ACTIVATED = bi("新社保卡已启用", "Your new card is activated")
ACTIVATED_BODY = bi("{card}现在可以使用了。", "{card} can be used now.")
OLD_CARD_STOPS = bi("您原来的社保卡，社保功能已经自动停用。", "Your old card's social security functions have stopped by themselves.")
OLD_CARDS_STOP = bi(
    "原来的社保卡（{cards}）社保功能已经自动停用。", "Your old card ({cards}) no longer works for social security."
)
MEDICAL_BALANCE = bi("医保账户的余额会自动转到新卡上。", "The balance of your medical insurance account moves to the new card by itself.")
E_CARD = bi(
    "电子社保卡会自动签发，可以在手机上的“电子社保卡”里使用。",
    "Your electronic social security card is issued by itself; use it in the “电子社保卡” app or mini-program on your phone.",
)
BANK = bi(
    "银行功能要本人带身份证和新卡，到卡面上的银行开通。旧卡银行账户里有钱的，到旧卡上的银行办理转账和销户。",
    "To use the bank functions, take your ID card and the new card to the bank printed on it. Money left in the old card's bank account is moved or paid out at the old card's bank.",
)


PLAN = (at.CARD, at.ID_CARD, at.PIN)  # the step strip (kiosk.flows.plan)


async def run(port: FlowPort) -> None:
    at_stage(port, PLAN, at.CARD)
    card = await insert_card(port, INSERT_NEW_CARD)
    if isinstance(card, str):
        return
    record = await card_waiting_to_be_activated(port, card)
    if isinstance(record, str):
        return
    at_stage(port, PLAN, at.ID_CARD)
    holder = await identify_holder(port, card)
    if isinstance(holder, str):
        return
    at_stage(port, PLAN, at.PIN)
    pin = await verified_pin(port, keep=True)
    if isinstance(pin, str):
        return
    with pin:
        if pin_problem(pin, birth_date=card.birth_date, id_number=card.social_security_number) is not None:
            if await own_pin(port, card, pin) is not None:
                return
    at_stage(port, PLAN, None)
    reply = await activate_at_centre(port, card, holder.number)
    if isinstance(reply, str):
        return
    replaced = [card_tail(c) for c in reply.data.get("replaced_cards") or []]
    old_cards = fill(OLD_CARDS_STOP, cards=bi("、".join(c.zh for c in replaced), ", ".join(c.en for c in replaced))) if replaced else OLD_CARD_STOPS
    await port.ask(
        "done",
        title=ACTIVATED,
        body=fill(ACTIVATED_BODY, card=card_named(card.card_number)),
        extra=(old_cards, MEDICAL_BALANCE, E_CARD, BANK, TAKE_CARD_BACK),
    )


async def card_waiting_to_be_activated(port: FlowPort, card: CardData) -> CardOnRecord | str:
    """What the centre knows of the card in the reader, if it is a card to activate."""
    record = await card_on_record(port, card, WHAT, NOT_ON_RECORD)
    if isinstance(record, str):
        return record
    if record.status is CardStatus.NOT_ACTIVATED:
        return record
    if record.status is CardStatus.ACTIVE:
        answer = await port.ask("notice", title=ALREADY_ACTIVE, body=ALREADY_ACTIVE_BODY, tone="info", actions=[OK_OPTION])
        return HOME if answer == HOME else ENDED
    return await centre_refused(port, fill(CANNOT_ACTIVATE, status=record.status.words))


async def own_pin(port: FlowPort, card: CardData, initial: EnteredPin) -> str | None:
    """The holder replaces the card's initial PIN: None once set, or why not (BACK, HOME, ENDED)."""
    answer = await port.ask("notice", title=OWN_PIN, body=OWN_PIN_BODY, tone="info", actions=[OK_OPTION])
    if answer != OK:
        return answer
    new = await choose_new_pin(port, card, initial)
    if isinstance(new, str):
        return new
    done = await change_pin_on_card(port, initial, new)  # wipes both
    if not done.ok:
        answer = await pin_refused(port, done)
        return HOME if answer == HOME else ENDED
    await record_pin_change(port, card)
    return None


async def activate_at_centre(port: FlowPort, card: CardData, id_number: str) -> CentreReply | str:
    centre = port.services.centre
    key = idempotency_key(Kind.ACTIVATION)  # the same on every retry of this activation
    while True:
        await port.show("wait", title=ACTIVATING, body=ACTIVATING_BODY, picture="network")
        reply = await port.device(call_centre, centre.activate_card, key, card.card_number, {"id_number": id_number})
        if reply.ok:
            log.info("card activated: centre reference %s", reply.reference)
            return reply
        if reply.retryable:
            answer = await centre_unreachable(port, WHAT, reply, retry=True)
            if answer == RETRY:
                continue
            return answer
        return await centre_refused(port, REFUSED, reply)
