"""Submitting a card application: the record it leaves and what its voucher tells the
resident to do next, for the way the card will be collected.

The record is kept, sent and printed by kiosk.flows.record, like every service's; this module
holds only what is the application's own: its payload and images, and the next steps for a
card made on the spot, collected at an outlet or posted (seed 003 1.1.3).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kiosk.domain.application import ON_SITE, OUTLET, POST, AddressSource, Application
from kiosk.domain.completion import time_limit
from kiosk.domain.fees import card_fee
from kiosk.flows.port import FlowPort
from kiosk.flows.record import NotSaved, Record, Sent, keep, keep_and_send, print_voucher
from kiosk.flows.wording import fill
from kiosk.i18n import Bilingual, bi
from kiosk.offline.outbox import Attachment, Kind

log = logging.getLogger(__name__)

NOT_SAVED = bi("申请没有保存", "The application was not saved")
NOT_SAVED_BODY = bi(
    "本机暂时不能保存申请，您的信息没有留下。请到服务窗口办理，或稍后再来。",
    "This kiosk cannot save applications just now, and nothing of yours was kept. Please go to a service window, or come back later.",
)
ON_SITE_STEP = bi("拿本凭证到服务窗口，现场制卡。", "Take this voucher to the service window: the card is made while you wait.")
OUTLET_STEP = bi(  # what else to bring is the pickup method's note in the region policy
    "卡做好后，带本凭证到{outlet}领卡。地址：{address}，电话：{phone}。",
    "When the card is ready, collect it with this voucher at {outlet}. Address: {address}. Phone: {phone}.",
)
POST_STEPS: dict[AddressSource, Bilingual] = {
    AddressSource.ID_CARD: bi("卡做好后寄到您身份证上的地址。", "When the card is ready, it is posted to the address on your ID card."),
    AddressSource.TYPED: bi("卡做好后寄到您写的地址。", "When the card is ready, it is posted to the address you wrote."),
    AddressSource.AT_WINDOW: bi(
        "请拿本凭证到服务窗口，告诉工作人员邮寄地址。", "Take this voucher to the service window and tell the staff where to post the card."
    ),
}


@dataclass(frozen=True)
class Outcome:
    sent: Sent
    printed: bool

    @property
    def uploaded(self) -> bool:
        return self.sent.uploaded

    @property
    def serial(self) -> str:
        return self.sent.kept.voucher.serial


def application_record(services, application: Application) -> Record:
    """The application as the outbox keeps it, with the voucher's next steps."""
    config = services.config
    payload = application.payload(outlet_id=config.outlet_id, terminal_id=config.terminal_id, voucher_serial="")
    return Record(
        service=application.service,
        kind=Kind.APPLICATION,
        payload=payload,
        holder_name=application.applicant.name,
        holder_number=application.applicant.number,
        proxy=application.helper,  # 他人代办, or the guardian of a child
        next_steps=next_steps(services, application),
        pickup_method=application.pickup.method,
        serial_field="voucher_serial",
        attachments=tuple(Attachment(name, data, content_type) for name, data, content_type in application.images()),
        bank=application.bank,
        fee=new_card_fee(services.policy),
    )


def new_card_fee(policy) -> Bilingual | None:
    """A first card is free where the region says every card is (Beijing, seed 002 七(三)); the
    Changshou notice speaks only of upgrades, so there the voucher says nothing of a fee."""
    return card_fee(policy.fees, None).line if policy.fees.all_free else None


def next_steps(services, application: Application) -> tuple[Bilingual, ...]:
    """What to do with the voucher, for the way the card will be collected."""
    policy, pickup = services.policy, application.pickup
    if pickup.method == ON_SITE:
        limit = time_limit(policy, application.service, services.outlet.id, ON_SITE)
        return (limit.note if limit else ON_SITE_STEP,)
    steps = []
    if pickup.method == OUTLET and pickup.outlet_id:
        there = policy.outlet(pickup.outlet_id)
        steps.append(fill(OUTLET_STEP, outlet=there.name, address=there.address, phone=there.phone))
    elif pickup.method == POST and pickup.address_source is not None:
        steps.append(POST_STEPS[pickup.address_source])
    # The time limit's own note speaks of online applications; the date is on the voucher's "Ready by" line.
    if pickup.method == OUTLET and policy.pickup_method(OUTLET).note is not None:
        steps.append(policy.pickup_method(OUTLET).note)  # bring the originals when collecting
    return tuple(steps)


def commit(services, application: Application, cancel=None):
    """The application kept durably with its voucher (kiosk.flows.record.keep); for benchmarks and tests."""
    return keep(services, application_record(services, application))


async def submit_and_print(port: FlowPort, application: Application) -> Outcome | None:
    """Kept, sent once, voucher printed; None when nothing could be kept (the resident was told)."""
    record = application_record(port.services, application)
    sent = await keep_and_send(port, record, NotSaved(NOT_SAVED, NOT_SAVED_BODY))
    if sent is None:
        return None
    return Outcome(sent, await print_voucher(port, sent.voucher))
