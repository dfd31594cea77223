"""The outbox as staff look after it from the touchscreen: how much is waiting, in flight and
dead, how old the oldest waiting item is (SQL counts: kiosk/offline/staff.py), 「立即发送」,
and each item that needs staff with its reason and 「重试」. Nothing shown is personal: an
item is its number, its kind and the reason it stopped."""

from __future__ import annotations

import logging
from typing import Any

from kiosk.flows.port import FlowPort
from kiosk.flows.steps import BACK, HOME, OK_OPTION, Option
from kiosk.flows.wording import fill
from kiosk.i18n import Bilingual, bi
from kiosk.offline.item_states import ItemState
from kiosk.offline.staff import OutboxStatus
from kiosk.offline.sync import SyncReport

log = logging.getLogger(__name__)

SENDING = bi("正在发送", "Sending")
SENDING_BODY = bi("正在把待发送的业务发往社保中心。", "Sending the waiting items to the card centre.")
SENT_REPORT = bi("发送结果", "Sent")
SENT_REPORT_BODY = bi(
    "已送达 {sent} 件，稍后重试 {retrying} 件，需要处理 {needs_staff} 件。",
    "{sent} delivered, {retrying} to try again later, {needs_staff} needing staff.",
)
CENTRE_DOWN = bi("社保中心现在连不上，业务会留在本机，恢复后自动发送。", "The card centre cannot be reached; the items stay here and go when it answers.")
NEEDING_STAFF = bi("未能送达的业务", "Items that could not be delivered")
NEEDING_STAFF_NOTE = bi("选择一件即可重试（重新排队并立即发送一次）。", "Choose one to retry it (queued again and sent once now).")
ITEM_LABEL = bi("第{id}件 · {kind} · {state}", "No. {id} · {kind} · {state}")
NO_REASON = bi("没有记录原因", "no reason recorded")
RETRIED = bi("已重试", "Retried")
DELIVERED = bi("第{id}件已送达社保中心。", "Item {id} has reached the card centre.")
QUEUED_AGAIN = bi("第{id}件已放回队列，社保中心能连上时会自动发送。", "Item {id} is back in the queue and goes when the centre answers.")
STATE_WORDS: dict[ItemState, Bilingual] = {
    ItemState.DEAD: bi("多次失败", "gave up"),
    ItemState.REJECTED: bi("被中心拒收", "refused by the centre"),
}


def send_all_now(services: Any, cancel=None) -> SyncReport:
    """Every waiting item due now, then one round of sending: the sync report."""
    services.outbox.due_now()
    return services.sync.sync_once()


async def send_now(port: FlowPort) -> SyncReport:
    await port.show("wait", title=SENDING, body=SENDING_BODY, picture="network")
    report = await port.device(send_all_now, port.services)
    log.info("maintenance: send now: %d sent, %d to retry, %d for staff", report.sent, report.retrying, report.needs_staff)
    body = fill(SENT_REPORT_BODY, sent=report.sent, retrying=report.retrying, needs_staff=report.needs_staff)
    if report.centre_unreachable:
        body = Bilingual(f"{body.zh}\n{CENTRE_DOWN.zh}", f"{body.en}\n{CENTRE_DOWN.en}")
    await port.ask("notice", title=SENT_REPORT, body=body, actions=[OK_OPTION])
    return report


def items_needing_staff(services: Any, status: OutboxStatus) -> list[Option]:
    """One option per dead or rejected item: its number, kind and state; the reason below."""
    options = []
    for item_id in status.needs_staff:
        item = services.outbox.item(item_id)
        label = fill(ITEM_LABEL, id=item.id, kind=item.kind, state=STATE_WORDS.get(item.state, item.state))
        reason = item.last_error or ""
        options.append(Option(str(item.id), label, Bilingual(reason, reason) if reason else NO_REASON))
    return options


def retry_and_send(services: Any, item_id: int, cancel=None) -> bool:
    """The item back in the queue with fresh attempts, and one quick try now; True if delivered."""
    services.outbox.retry(item_id)
    return services.deliver_now(item_id, cancel)


async def retry_items(port: FlowPort) -> int | str:
    """The items needing staff; the one chosen is retried. Its id, or BACK / HOME."""
    services = port.services
    status = await port.device(lambda cancel=None: services.outbox.status())
    options = await port.device(lambda cancel=None: items_needing_staff(services, status))
    if not options:
        return BACK
    answer = await port.ask("choose", title=NEEDING_STAFF, options=options, note=NEEDING_STAFF_NOTE)
    if answer in (BACK, HOME):
        return answer
    item_id = int(answer)
    await port.show("wait", title=SENDING, body=SENDING_BODY, picture="network")
    delivered = await port.device(retry_and_send, services, item_id)
    log.info("maintenance: outbox item %d retried (%s)", item_id, "delivered" if delivered else "queued")
    body = fill(DELIVERED if delivered else QUEUED_AGAIN, id=item_id)
    await port.ask("notice", title=RETRIED, body=body, actions=[OK_OPTION])
    return item_id
