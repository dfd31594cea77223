"""Submitting an application: kept on disk first, the voucher printed only after that.

`commit` writes the application, its images, the voucher serial and the voucher's fields to
the outbox in one transaction: once it returns, a power cut or a killed process loses
nothing, and staff can print the voucher again from the queue (`kiosk queue reprint ID`).
Only then does `submit_and_print` try the centre once, briefly (the voucher says "not yet
uploaded" when that fails; the sync worker keeps trying), and print the voucher. A printer
that fails gets its own screen, with the serial staff need to reprint it.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.config import PrinterSettings
from kiosk.domain.application import ON_SITE, OUTLET, POST, AddressSource, Application
from kiosk.domain.voucher import Voucher
from kiosk.drivers.printer import PrintReport, ReceiptPrinter
from kiosk.drivers.status import CancelToken, Completion, ResultCode
from kiosk.flows.port import FlowPort
from kiosk.flows.steps import OK, RETRY, RETRY_OPTION, Option
from kiosk.flows.wording import fill
from kiosk.i18n import Bilingual, bi
from kiosk.keys import TerminalKey
from kiosk.offline.database import StoreError
from kiosk.offline.outbox import Attachment, Kind, Outbox
from kiosk.offline.sequence import SerialError
from kiosk.printing.voucher_layout import voucher_job

log = logging.getLogger(__name__)

# Seed 003 1.1.3 2): a card that is not handed over at the window on the spot "is made within
# five working days" and posted or collected at a nearby outlet. The policy names that time
# limit; a policy without it falls back to the service's own limit.
DELIVERY_TIME_LIMIT = "online_application"
# Crash tests only (never honoured on a production terminal): after the commit, write the
# outbox item's id to this file and stop, so the test can SIGKILL the process right there.
PAUSE_AFTER_COMMIT = "KIOSK_TEST_PAUSE_AFTER_COMMIT"

SAVING = bi("正在保存您的申请", "Saving your application")
SAVING_BODY = bi("请稍等，不要离开。", "Please wait a moment and stay here.")
SENDING = bi("正在上传", "Sending it to the card centre")
PRINTING = bi("正在打印凭证", "Printing your voucher")
PRINTING_BODY = bi("凭证从下方出纸口出来，请拿好。", "The voucher comes out of the slot below. Please take it.")
NOT_SAVED = bi("申请没有保存", "The application was not saved")
NOT_SAVED_BODY = bi(
    "本机暂时不能保存申请，您的信息没有留下。请到服务窗口办理，或稍后再来。",
    "This kiosk cannot save applications just now, and nothing of yours was kept. Please go to a service window, or come back later.",
)
NOT_PRINTED = bi("凭证没有打印出来", "The voucher was not printed")
NOT_PRINTED_BODY = bi(
    "{problem}您的申请已经保存好了，不会丢失。请找工作人员补打凭证，并告诉他凭证号：{serial}",
    "{problem}Your application is saved and will not be lost. Please ask the staff to print the voucher again, with this number: {serial}",
)
PRINTER_PROBLEMS: dict[ResultCode, Bilingual] = {
    ResultCode.NO_MEDIA: bi("打印机没有纸了。", "The printer has run out of paper. "),
    ResultCode.REFUSED: bi("打印机的盖子开着。", "The printer's cover is open. "),
    ResultCode.NO_DEVICE: bi("打印机没有连接好。", "The printer is not connected. "),
}
PRINTER_TROUBLE = bi("打印机出了故障。", "The printer has a fault. ")
ASK_STAFF = Option(OK, bi("好的，我去找工作人员", "OK, I will ask the staff"))

ON_SITE_STEP = bi("拿本凭证到服务窗口，现场制卡。", "Take this voucher to the service window: the card is made while you wait.")
OUTLET_STEP = bi(
    "卡做好后，带本凭证和办理时用的证件原件，到{outlet}领卡。地址：{address}，电话：{phone}。",
    "When the card is ready, bring this voucher and the original documents you used to {outlet}. Address: {address}. Phone: {phone}.",
)
POST_STEPS: dict[AddressSource, Bilingual] = {
    AddressSource.ID_CARD: bi("卡做好后寄到您身份证上的地址。", "When the card is ready, it is posted to the address on your ID card."),
    AddressSource.TYPED: bi("卡做好后寄到您输入的地址。", "When the card is ready, it is posted to the address you typed."),
    AddressSource.AT_WINDOW: bi(
        "请拿本凭证到服务窗口，告诉工作人员邮寄地址。", "Take this voucher to the service window and tell the staff where to post the card."
    ),
}


@dataclass(frozen=True)
class Submitted:
    item_id: int
    voucher: Voucher  # as stored: uploaded=False


@dataclass(frozen=True)
class Outcome:
    submitted: Submitted
    uploaded: bool
    printed: bool


# --- the voucher ---------------------------------------------------------------------------


def build_voucher(services, application: Application, serial: str, issued_at: datetime) -> Voucher:
    """The voucher, with what to do next and when, for the way the card will be collected."""
    policy, outlet = services.policy, services.outlet
    pickup = application.pickup
    voucher = Voucher.issue(
        serial=serial,
        service=application.service,
        issued_at=issued_at,
        holder_name=application.applicant.name,
        id_number=application.applicant.number,
        outlet=outlet,
        policy=policy,
        next_steps=(),
        proxy=(application.helper.name, application.helper.number) if application.helper else None,  # 他人代办
    )
    limit = policy.time_limit_for(application.service, outlet.id)
    if pickup.method == ON_SITE:
        return dataclasses.replace(voucher, next_steps=(limit.note if limit else ON_SITE_STEP,))
    limit = policy.time_limits.get(DELIVERY_TIME_LIMIT, limit)
    due = limit.due(issued_at, services.calendar) if limit else None
    steps = []
    if pickup.method == OUTLET and pickup.outlet_id:
        there = policy.outlet(pickup.outlet_id)
        steps.append(fill(OUTLET_STEP, outlet=there.name, address=there.address, phone=there.phone))
    elif pickup.method == POST and pickup.address_source is not None:
        steps.append(POST_STEPS[pickup.address_source])
    # The limit's own note speaks of online applications; the date is on the voucher's "Ready by" line.
    if pickup.method == OUTLET and policy.pickup_method(OUTLET).note is not None:
        steps.append(policy.pickup_method(OUTLET).note)  # bring the originals when collecting
    return dataclasses.replace(
        voucher,
        expected_date=due.date if due else None,
        expected_is_estimate=bool(due and due.estimated),
        next_steps=tuple(steps),
    )


# --- storing -------------------------------------------------------------------------------


def commit(services, application: Application, cancel: CancelToken | None = None) -> Submitted:
    """Application, images, serial and voucher fields, durably and together; or a StoreError / SerialError.

    `cancel` is ignored on purpose: a commit, once begun, finishes.
    """
    config = services.config
    issued_at = services.now().replace(second=0, microsecond=0)
    serial = services.serials.next(config.outlet_id, config.terminal_id, issued_at.date())
    voucher = build_voucher(services, application, serial, issued_at)
    payload = application.payload(outlet_id=config.outlet_id, terminal_id=config.terminal_id, voucher_serial=serial)
    attachments = [Attachment(name, data, content_type) for name, data, content_type in application.images()]
    with services.outbox.transaction() as tx:
        item = tx.enqueue(
            Kind.APPLICATION, payload, idempotency_key=f"{application.service}:{serial}",
            attachments=attachments, voucher=voucher,
        )  # fmt: skip
    log.info("application stored as outbox item %d, voucher %s", item.id, serial)
    _pause_for_crash_test(config, item.id)
    return Submitted(item.id, voucher)


def _pause_for_crash_test(config, item_id: int) -> None:
    marker = os.environ.get(PAUSE_AFTER_COMMIT)
    if not marker or config.production:
        return
    Path(marker).write_text(str(item_id))
    log.warning("%s is set: paused after the commit of outbox item %d", PAUSE_AFTER_COMMIT, item_id)
    while True:
        time.sleep(3600)


# --- printing ------------------------------------------------------------------------------


def print_voucher(
    printer: ReceiptPrinter, voucher: Voucher, key: TerminalKey, settings: PrinterSettings, cancel: CancelToken | None = None
) -> Completion[PrintReport]:
    return printer.print_job(voucher_job(voucher, key, settings).job, cancel=cancel)


def reprint(
    outbox: Outbox, item_id: int, printer: ReceiptPrinter, key: TerminalKey, settings: PrinterSettings,
    cancel: CancelToken | None = None,
) -> Completion[PrintReport]:  # fmt: skip
    """The stored voucher of outbox item `item_id` again; it says "uploaded" once it is."""
    voucher = outbox.stored_voucher(item_id)
    if voucher is None:
        return Completion.failure(ResultCode.INVALID_DATA, f"outbox item {item_id} has no voucher")
    return print_voucher(printer, voucher, key, settings, cancel)


# --- the steps the resident sees ------------------------------------------------------------


async def submit_and_print(port: FlowPort, application: Application) -> Outcome | None:
    """None when nothing could be stored (the resident was told so)."""
    services = port.services
    await port.show("wait", title=SAVING, body=SAVING_BODY, picture="network")
    try:
        submitted = await port.device(commit, services, application)
    except (StoreError, SerialError) as exc:
        log.error("application not stored: %s", exc)
        await port.ask("notice", title=NOT_SAVED, body=NOT_SAVED_BODY, tone="error", actions=[ASK_STAFF])
        return None
    await port.show("wait", title=SENDING, body=SAVING_BODY, picture="network")
    uploaded = await port.device(services.deliver_now, submitted.item_id)
    voucher = dataclasses.replace(submitted.voucher, uploaded=uploaded)
    key, settings = services.key, services.config.printer
    while True:
        await port.show("wait", title=PRINTING, body=PRINTING_BODY, picture="printer")
        done = await port.device(print_voucher, services.printer, voucher, key, settings)
        if done.ok:
            return Outcome(submitted, uploaded, True)
        log.warning("voucher %s (outbox item %d) not printed: %s %s", voucher.serial, submitted.item_id, done.code, done.reason)
        problem = PRINTER_PROBLEMS.get(done.code, PRINTER_TROUBLE)
        body = fill(NOT_PRINTED_BODY, problem=problem, serial=voucher.serial)
        answer = await port.ask("notice", title=NOT_PRINTED, body=body, tone="error", actions=[RETRY_OPTION, ASK_STAFF])
        if answer != RETRY:
            return Outcome(submitted, uploaded, False)
