"""Keeping a record of what the resident did and handing them the voucher: the last steps of
every service.

The order never changes. A voucher serial, the voucher and the outbox row are written in one
transaction (`keep`): once that returns, a power cut or a killed process loses nothing, and
staff can print the voucher again from the queue (`kiosk queue reprint ID`). Then one quick
try to send this very item to the centre (`send_now`); the voucher says "not yet uploaded"
when that fails, and the sync worker keeps trying. Then the voucher is printed until it is in
the resident's hand (`print_voucher`), with its serial on screen when the printer fails.
Services differ in their words and in what they do when the centre refuses, so the steps
are separate; `keep_and_send` puts the first two together with the screens the resident sees.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.audit import AuditEvent
from kiosk.audit import record as audit
from kiosk.config import PrinterSettings
from kiosk.domain.application import Identity
from kiosk.domain.voucher import Voucher
from kiosk.drivers.printer import PrintReport, ReceiptPrinter
from kiosk.drivers.status import CancelToken, Completion, ResultCode
from kiosk.flows.port import FlowPort
from kiosk.flows.printout import ASK_STAFF, print_until_done
from kiosk.flows.wording import fill
from kiosk.i18n import Bilingual, bi
from kiosk.keys import TerminalKey
from kiosk.offline.database import StoreError
from kiosk.offline.outbox import NEEDS_STAFF, Attachment, ItemState, Kind, Outbox
from kiosk.offline.sequence import SerialError
from kiosk.printing.batch_voucher import layout_for
from kiosk.printing.voucher_layout import voucher_job

log = logging.getLogger(__name__)

# Crash tests only (never honoured on a production terminal): after the commit, write the
# outbox item's id to this file and stop, so the test can SIGKILL the process right there.
PAUSE_AFTER_COMMIT = "KIOSK_TEST_PAUSE_AFTER_COMMIT"

SAVING = bi("正在保存", "Saving")
SAVING_BODY = bi("请稍等，不要离开。", "Please wait a moment and stay here.")
SENDING = bi("正在上传", "Sending it to the card centre")
PRINTING = bi("正在打印凭证", "Printing your voucher")
PRINTING_BODY = bi("凭证从下方出纸口出来，请拿好。", "The voucher comes out of the slot below. Please take it.")
NOT_PRINTED = bi("凭证没有打印出来", "The voucher was not printed")
NOT_PRINTED_BODY = bi(
    "{problem}您办的业务已经保存好了，不会丢失。请找工作人员补打凭证，并告诉他凭证号：{serial}",
    "{problem}What you did here is saved and will not be lost. Please ask the staff to print the voucher again, with this number: {serial}",
)


@dataclass(frozen=True)
class Record:
    """What a service did, for the outbox and for the voucher. Names and numbers are raw here:
    the outbox encrypts the payload and the voucher masks what it prints."""

    service: str  # the service code (kiosk.domain.services), printed on the voucher
    kind: Kind  # how the outbox delivers it
    payload: dict[str, Any]
    holder_name: str
    holder_number: str
    proxy: Identity | None = None  # someone acting for the holder (guardian, proxy)
    next_steps: tuple[Bilingual, ...] | None = None  # None: the time limit's own note
    pickup_method: str | None = None  # for services that make a card
    serial_field: str | None = None  # the payload field that carries the voucher serial, if any
    attachments: tuple[Attachment, ...] = field(default=(), repr=False)
    bank: str | None = None  # the bank code, for services that make a card
    fee: Bilingual | None = None  # the fee line (kiosk.domain.fees), for services that make a card
    language: str = "zh"  # the session's language (keep_and_send takes the port's): the voucher's


@dataclass(frozen=True)
class Kept:
    item_id: int
    voucher: Voucher  # as stored: uploaded=False


@dataclass(frozen=True)
class Sent:
    """A kept record after the one quick try to deliver it."""

    kept: Kept
    state: ItemState  # SENT, still waiting (the worker goes on trying), or refused (staff alerted)

    @property
    def uploaded(self) -> bool:
        return self.state is ItemState.SENT

    @property
    def refused(self) -> bool:
        return self.state in NEEDS_STAFF

    @property
    def voucher(self) -> Voucher:
        return dataclasses.replace(self.kept.voucher, uploaded=self.uploaded)


def idempotency_key(kind: Kind | str) -> str:
    """One per business action: 128 random bits, never derived from a serial or a card, so no
    one who can reach the centre can claim a terminal's next key first (the centre also scopes
    keys to the terminal that authenticated)."""
    return f"{kind}:{secrets.token_hex(16)}"


def keep(services, record: Record, cancel: CancelToken | None = None) -> Kept:
    """Serial, voucher and outbox row, durably and together; or a StoreError / SerialError.

    `cancel` is ignored on purpose: a commit, once begun, finishes."""
    config = services.config
    issued_at = services.now().replace(second=0, microsecond=0)
    serial = services.serials.next(config.outlet_id, config.terminal_id, issued_at.date())
    voucher = Voucher.issue(
        serial=serial, service=record.service, issued_at=issued_at,
        holder_name=record.holder_name, id_number=record.holder_number,
        outlet=services.outlet, policy=services.policy, next_steps=record.next_steps,
        proxy=(record.proxy.name, record.proxy.number) if record.proxy else None,
        pickup_method=record.pickup_method, bank=record.bank, fee=record.fee, language=record.language,
    )  # fmt: skip
    payload = {**record.payload, record.serial_field: serial} if record.serial_field else record.payload
    with services.outbox.transaction() as tx:
        item = tx.enqueue(
            record.kind, payload, idempotency_key=idempotency_key(record.service),
            attachments=list(record.attachments), voucher=voucher,
        )  # fmt: skip
    log.info("%s stored as outbox item %d, voucher %s", record.kind, item.id, serial)
    audit(AuditEvent.SERVICE_SUBMITTED, service=record.service, kind=str(record.kind))
    _pause_for_crash_test(config, item.id)
    return Kept(item.id, voucher)


def keep_without_voucher(
    services, kind: Kind, payload: dict[str, Any], cancel: CancelToken | None = None, *, service: str
) -> int:
    """A record the resident gets no voucher for (a PIN change done on the card); its item id.
    `service`: the service that kept it (for the audit trail)."""
    with services.outbox.transaction() as tx:
        item = tx.enqueue(kind, payload, idempotency_key=idempotency_key(kind))
    log.info("%s stored as outbox item %d", kind, item.id)
    audit(AuditEvent.SERVICE_SUBMITTED, service=service, kind=str(kind))
    return item.id


def send_now(services, kept: Kept, cancel: CancelToken | None = None) -> Sent:
    """One quick try to deliver the kept item (the sync worker keeps trying after a failure)."""
    services.deliver_now(kept.item_id, cancel)
    return Sent(kept, services.outbox.item(kept.item_id).state)


def _pause_for_crash_test(config, item_id: int) -> None:
    marker = os.environ.get(PAUSE_AFTER_COMMIT)
    if not marker or config.production:
        return
    Path(marker).write_text(str(item_id))
    log.warning("%s is set: paused after the commit of outbox item %d", PAUSE_AFTER_COMMIT, item_id)
    while True:
        time.sleep(3600)


@dataclass(frozen=True)
class NotSaved:
    """What a service says when nothing could be kept (its words: a loss report sends the
    resident to the phone, an application to the window)."""

    title: Bilingual
    body: Bilingual
    action: Any = ASK_STAFF  # kiosk.flows.steps.Option


async def keep_and_send(port: FlowPort, record: Record, not_saved: NotSaved) -> Sent | None:
    """Kept, then one quick try to send it, with "please wait" screens; None when nothing
    could be kept (the resident was told so in the service's words)."""
    services = port.services
    record = dataclasses.replace(record, language=port.language)
    await port.show("wait", title=SAVING, body=SAVING_BODY, picture="network")
    try:
        kept = await port.device(keep, services, record)
    except (StoreError, SerialError) as exc:
        log.error("%s not stored: %s", record.kind, exc)
        await port.ask("notice", title=not_saved.title, body=not_saved.body, tone="error", actions=[not_saved.action])
        return None
    await port.show("wait", title=SENDING, body=SAVING_BODY, picture="network")
    sent = await port.device(send_now, services, kept)
    log.info("%s %s: outbox item %d is %s", record.kind, kept.voucher.serial, kept.item_id, sent.state)
    return sent


async def print_voucher(port: FlowPort, voucher: Voucher, layout=voucher_job) -> bool:
    """The voucher, printed until it is out (True) or the resident goes to the staff (False);
    `layout` a kind of voucher's own (kiosk.printing.batch_voucher). It speaks the language
    the resident is reading as it prints."""
    services = port.services
    voucher = dataclasses.replace(voucher, language=port.language)
    job = layout(voucher, services.key, services.config.printer).job
    printed = await print_until_done(
        port, job, PRINTING, PRINTING_BODY, NOT_PRINTED,
        lambda problem: fill(NOT_PRINTED_BODY, problem=problem, serial=voucher.serial),
    )  # fmt: skip
    if printed:
        audit(AuditEvent.VOUCHER_PRINTED, service=voucher.service, serial=voucher.serial)
    return printed


def reprint(
    outbox: Outbox, item_id: int, printer: ReceiptPrinter, key: TerminalKey, settings: PrinterSettings,
    cancel: CancelToken | None = None,
) -> Completion[PrintReport]:  # fmt: skip
    """The stored voucher of outbox item `item_id` again (for staff); it says "uploaded" once it is."""
    voucher = outbox.stored_voucher(item_id)
    if voucher is None:
        return Completion.failure(ResultCode.INVALID_DATA, f"outbox item {item_id} has no voucher")
    return printer.print_job(layout_for(voucher.service)(voucher, key, settings).job, cancel=cancel)
