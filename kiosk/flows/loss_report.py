"""挂失: reporting a lost card, with the ID card (seed 003 section 6).

A lost card can be misused every minute it is not blocked, so the report is sent at once.
The holder shows their ID card, or a proxy shows their own and then the holder's
(kiosk.flows.on_behalf); they see the cards the centre has for the holder and confirm
which is lost. The report is stored in the outbox first (at the head of the queue: loss
reports have the highest priority) and sent straight away. When the centre cannot be
reached the report waits at the head of the queue, the voucher says it is not uploaded yet,
and the resident is told to call the hotline (12333, seed 003 6.2 1)) for an immediate
telephone loss report.
"""

from __future__ import annotations

import dataclasses
import logging

from kiosk.domain.application import Identity
from kiosk.domain.cards import REPORTABLE, CardStatus
from kiosk.flows.card_in_reader import card_named, card_tail, masked_card_number
from kiosk.flows.centre_calls import CardOnRecord, ask_centre, cards_in, centre_refused
from kiosk.flows.on_behalf import PROXY_ROW, identify_by_id_cards
from kiosk.flows.port import FlowPort
from kiosk.flows import card_stages as at
from kiosk.flows.plan import at_stage
from kiosk.flows.record import NotSaved, Record, keep_and_send, print_voucher
from kiosk.flows.steps import CONFIRM, ENDED, HOME, LEAVING, OK, OK_OPTION, Option
from kiosk.flows.wording import fill
from kiosk.i18n import bi
from kiosk.offline.outbox import Kind

log = logging.getLogger(__name__)


WHICH_CARD = bi("哪张卡丢了？", "Which card is lost?")
CARD_LABEL = bi("第{generation}代社保卡 {tail}", "Generation {generation} card, {tail}")
CONFIRM_TITLE = bi("确认挂失", "Confirm the loss report")
NAME = bi("姓名", "Name")
ID_NUMBER = bi("证件号码", "ID number")
CARD = bi("挂失的卡", "Card")
CARD_IN_USE = bi("正在使用的社保卡", "The card in use now")
NOTHING_TO_REPORT = bi("没有可以挂失的卡", "There is no card to report lost")
NOTHING_TO_REPORT_BODY = bi(
    "社保中心没有持卡人正在使用的社保卡。有疑问请到服务窗口，或拨打{hotline}。",
    "The card centre has no card in use for this cardholder. If in doubt, go to a service window or call {hotline}.",
)
ALREADY_REPORTED = bi("这张卡已经挂失了", "This card is already reported lost")
ALREADY_REPORTED_BODY = bi(
    "{card}已经挂失，不用再办。要补办新卡，请带身份证办理“卡丢了，补办新卡”。",
    "{card} is already reported lost; there is nothing more to do here. For a new card, choose “Card lost: get a new one” with your ID card.",
)
CENTRE_REFUSED_WHY = bi("社保中心不能挂失这张卡。", "The card centre cannot take a loss report for this card. ")
BLOCKED_NOW = bi("挂失生效后，这张卡暂停使用，别人不能再用它。", "Once the report is in effect, the card is blocked: nobody can use it.")
IF_FOUND = bi(
    "找到卡后，可以带卡到自助机或服务窗口办理解挂。",
    "If you find the card, cancel the report at a kiosk or service window.",
)
NEW_CARD = bi("要补办新卡，请带身份证办理“卡丢了，补办新卡”。", "For a new card, choose “Card lost: get a new one” with your ID card.")
CALL_NOW = bi(
    "挂失还没送到社保中心。为了马上生效，请现在拨打{hotline}电话挂失。",
    "The loss report has not reached the card centre yet. To block the card at once, call {hotline} now.",
)
REPORTED = bi("已挂失", "The card is reported lost")
REPORTED_BODY = bi("{card}已经挂失。请拿好凭证。", "{card} is reported lost. Please keep the voucher.")
QUEUED = bi("挂失已保存，还没送到社保中心", "Your loss report is saved but not yet sent")
QUEUED_BODY = bi(
    "现在连不上社保中心。本机已经保存这次挂失，连上后第一个发送。\n为了让挂失马上生效，请现在拨打{hotline}电话挂失。",
    "The card centre cannot be reached just now. This kiosk has saved your loss report and sends it first as soon as it can.\nTo block the card at once, please call {hotline} now.",
)
NOT_SAVED = bi("挂失没有办成", "The loss report was not made")
NOT_SAVED_BODY = bi(
    "本机暂时不能保存，您的挂失没有办成。请马上拨打{hotline}电话挂失，或到服务窗口办理。",
    "This kiosk cannot save anything just now, so the card is not reported lost. Please call {hotline} now, or go to a service window.",
)
NOT_ACCEPTED = bi("社保中心没有受理这次挂失", "The card centre did not accept this loss report")
NOT_ACCEPTED_BODY = bi(
    "请马上拨打{hotline}电话挂失，或带身份证到服务窗口办理。工作人员已经收到提醒。",
    "Please call {hotline} now to report the card lost, or take your ID card to a service window. The staff have been alerted.",
)
UNDERSTOOD = Option(OK, bi("我知道了，马上打电话", "I understand: I will call now"))


PLAN = (at.ID_CARD, at.WHICH_CARD, at.CONFIRM)  # the step strip (kiosk.flows.plan)


async def run(port: FlowPort) -> None:
    services = port.services
    at_stage(port, PLAN, at.ID_CARD)
    people = await identify_by_id_cards(port)
    if isinstance(people, str):
        return
    holder = people.holder
    port.session.set("holder", holder)
    at_stage(port, PLAN, at.WHICH_CARD)
    lost = await which_card(port, holder)  # None: the centre could not say; it takes the card in use
    if isinstance(lost, str):
        return
    naming = card_named(lost.card_number) if lost else CARD_IN_USE
    shown = masked_card_number(lost.card_number) if lost else CARD_IN_USE
    rows = [(NAME, holder.masked_name), (ID_NUMBER, holder.masked_number), (CARD, shown)]
    if people.proxy is not None:
        rows.append((PROXY_ROW, f"{people.proxy.masked_name} {people.proxy.masked_number}"))
    at_stage(port, PLAN, at.CONFIRM)
    if await port.ask("review", title=CONFIRM_TITLE, rows=rows) != CONFIRM:
        return
    at_stage(port, PLAN, None)
    hotline = services.policy.contacts.hotline
    payload = {"id_number": holder.number, **({"card_number": lost.card_number} if lost else {}), **people.proxy_fields()}
    record = Record(
        service="loss_report", kind=Kind.LOSS_REPORT, payload=payload, holder_name=holder.name,
        holder_number=holder.number, proxy=people.proxy, next_steps=(BLOCKED_NOW, IF_FOUND, NEW_CARD),
    )  # fmt: skip
    sent = await keep_and_send(port, record, NotSaved(NOT_SAVED, fill(NOT_SAVED_BODY, hotline=hotline), UNDERSTOOD))
    if sent is None:
        return
    if sent.refused:
        body = fill(NOT_ACCEPTED_BODY, hotline=hotline)
        await port.ask("notice", title=NOT_ACCEPTED, body=body, tone="error", actions=[UNDERSTOOD])
        return
    voucher = sent.voucher
    if not sent.uploaded:  # the hotline blocks the card at once; the voucher says so first
        voucher = dataclasses.replace(voucher, next_steps=(fill(CALL_NOW, hotline=hotline), *voucher.next_steps))
    await print_voucher(port, voucher)
    if sent.uploaded:
        body = fill(REPORTED_BODY, card=naming)
        await port.ask("done", title=REPORTED, body=body, extra=(BLOCKED_NOW, IF_FOUND, NEW_CARD))
    else:
        await port.ask("notice", title=QUEUED, body=fill(QUEUED_BODY, hotline=hotline), tone="warning", actions=[UNDERSTOOD])


async def which_card(port: FlowPort, holder: Identity) -> CardOnRecord | str | None:
    """The card to report: chosen from the centre's list; None when the centre cannot be
    reached (the report goes without a card number); ENDED, BACK or HOME otherwise."""
    services = port.services
    hotline = services.policy.contacts.hotline
    reply = await ask_centre(port, services.centre.cards_of, holder.number)
    if reply.retryable:
        log.info("loss report: the centre cannot list the cards (%s); the report is queued", reply.reason)
        return None
    if not reply.ok:
        return await centre_refused(port, CENTRE_REFUSED_WHY, reply)
    cards = cards_in(reply)
    reportable = [c for c in cards if c.status in REPORTABLE]
    if not reportable:
        reported = [c for c in cards if c.status is CardStatus.REPORTED_LOST]
        if reported:
            body = fill(ALREADY_REPORTED_BODY, card=card_named(reported[0].card_number))
            answer = await port.ask("notice", title=ALREADY_REPORTED, body=body, tone="info", actions=[OK_OPTION])
        else:
            body = fill(NOTHING_TO_REPORT_BODY, hotline=hotline)
            answer = await port.ask("notice", title=NOTHING_TO_REPORT, body=body, tone="warning", actions=[OK_OPTION])
        return HOME if answer == HOME else ENDED
    if len(reportable) == 1:
        return reportable[0]
    options = [
        Option(c.card_number, fill(CARD_LABEL, generation=c.generation, tail=card_tail(c.card_number)), c.status.words)
        for c in reportable
    ]
    chosen = await port.ask("choose", title=WHICH_CARD, options=options)
    if chosen in LEAVING:
        return chosen
    return next(c for c in reportable if c.card_number == chosen)
