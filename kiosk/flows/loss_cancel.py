"""解挂: cancelling a loss report once the card is found (seed 003 section 6).

The card in hand and its PIN are the proof (6.1: 社保卡(解挂)). The centre is asked
whether the card is really reported lost, so nobody cancels what is not there; when it
cannot be reached the cancellation is stored and sent with the next connection (right after
any loss report, by priority), and the voucher and the screen say the card works again
only once that has happened.
"""

from __future__ import annotations

import logging

from kiosk.domain.cards import CardStatus
from kiosk.domain.masking import mask_name
from kiosk.drivers.card import CardData
from kiosk.flows.card_in_reader import TAKE_CARD_BACK, card_named, insert_card, masked_card_number
from kiosk.flows.centre_calls import ask_centre, cards_in, centre_refused
from kiosk.flows.pin_entry import verified_pin
from kiosk.flows.port import FlowPort
from kiosk.flows import card_stages as at
from kiosk.flows.plan import at_stage
from kiosk.flows.record import NotSaved, Record, keep_and_send, print_voucher
from kiosk.flows.steps import CONFIRM, ENDED, HOME, OK_OPTION
from kiosk.flows.wording import fill
from kiosk.i18n import bi
from kiosk.offline.outbox import Kind

log = logging.getLogger(__name__)

NOT_REPORTED = bi("这张卡没有挂失", "This card is not reported lost")
NOT_REPORTED_BODY = bi("不用解挂，这张卡可以正常使用。", "There is nothing to cancel: the card can be used as it is.")
REFUSED_WHY = bi("社保中心不能解除这张卡的挂失。", "The card centre cannot cancel the loss report of this card. ")
CONFIRM_TITLE = bi("确认解除挂失", "Confirm: cancel the loss report")
NAME = bi("姓名", "Name")
CARD = bi("社保卡", "Card")
WORKS_AGAIN = bi("解挂后，这张卡恢复正常使用。", "After this the card works again.")
CANCELLED = bi("已解除挂失", "The loss report is cancelled")
CANCELLED_BODY = bi("{card}可以正常使用了。", "{card} can be used again.")
QUEUED = bi("解挂已保存，还没送到社保中心", "Saved, but not yet sent to the card centre")
QUEUED_BODY = bi(
    "现在连不上社保中心。本机已经保存，连上后马上发送。在这之前，这张卡还不能用。",
    "The card centre cannot be reached just now. This kiosk has saved the cancellation and sends it as soon as it can. Until then the card still does not work.",
)
NOT_SAVED = bi("没有办成", "This did not go through")
NOT_SAVED_BODY = bi(
    "本机暂时不能保存，解挂没有办成。请稍后再试，或到服务窗口办理。",
    "This kiosk cannot save anything just now, so the loss report is not cancelled. Please try again later, or go to a service window.",
)


PLAN = (at.CARD, at.PIN, at.CONFIRM)  # the step strip (kiosk.flows.plan)


async def run(port: FlowPort) -> None:
    services = port.services
    at_stage(port, PLAN, at.CARD)
    card = await insert_card(port)
    if isinstance(card, str):
        return
    at_stage(port, PLAN, at.PIN)
    pin = await verified_pin(port)
    if isinstance(pin, str):
        return
    at_stage(port, PLAN, None)
    if await still_reported_lost(port, card) != CONFIRM:
        return
    rows = [(NAME, mask_name(card.name)), (CARD, masked_card_number(card.card_number))]
    at_stage(port, PLAN, at.CONFIRM)
    if await port.ask("review", title=CONFIRM_TITLE, rows=rows) != CONFIRM:
        return
    at_stage(port, PLAN, None)
    payload = {"card_number": card.card_number, "id_number": card.social_security_number}
    record = Record(
        service="loss_cancel", kind=Kind.LOSS_CANCEL, payload=payload, holder_name=card.name,
        holder_number=card.social_security_number, next_steps=(WORKS_AGAIN,),
    )  # fmt: skip
    sent = await keep_and_send(port, record, NotSaved(NOT_SAVED, NOT_SAVED_BODY, OK_OPTION))
    if sent is None:
        return
    if sent.refused:
        await centre_refused(port, REFUSED_WHY)
        return
    await print_voucher(port, sent.voucher)
    if sent.uploaded:
        body = fill(CANCELLED_BODY, card=card_named(card.card_number))
        await port.ask("done", title=CANCELLED, body=body, extra=(TAKE_CARD_BACK,))
    else:
        await port.ask("notice", title=QUEUED, body=QUEUED_BODY, tone="warning", actions=[OK_OPTION])


async def still_reported_lost(port: FlowPort, card: CardData) -> str:
    """CONFIRM when the card is reported lost, or the centre cannot say; else ENDED or HOME."""
    reply = await ask_centre(port, port.services.centre.cards_of, card.social_security_number)
    if reply.retryable:
        log.info("loss cancellation: the centre cannot be asked (%s); it will be queued", reply.reason)
        return CONFIRM
    if not reply.ok:
        return await centre_refused(port, REFUSED_WHY, reply)
    record = next((c for c in cards_in(reply) if c.card_number == card.card_number), None)
    if record is not None and record.status is CardStatus.REPORTED_LOST:
        return CONFIRM
    if record is None:
        return await centre_refused(port, REFUSED_WHY)
    answer = await port.ask("notice", title=NOT_REPORTED, body=NOT_REPORTED_BODY, tone="info", actions=[OK_OPTION])
    return HOME if answer == HOME else ENDED

