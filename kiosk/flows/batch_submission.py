"""Keeping and sending an employer's batch (seed 003 1.2.2 2), 3.2): one outbox item per person
who passed the checks, one for the batch record, and the batch voucher, all kept together.

Everything is kept in ONE transaction: each person's images are read from the kiosk's private
copy of the package just before their item is written (so memory holds one person at a time),
and a full disk, or a package that changed since it was checked, rolls the whole batch back:
nothing is half-kept and the handler is told plainly. A person whose idempotency key is in the
outbox already (kiosk.domain.batch_keys: employer, person, package) was kept from this same
package on an earlier visit: they are counted, not sent again. Sending happens afterwards,
item by item, at least once; an item the centre confirmed stays confirmed, the rest stay
whole in the outbox for the sync worker.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from kiosk.batch import BatchKind, BatchPerson, ImageKind, PackageChanged, PackageReport, SourceLost
from kiosk.domain.application import Identity
from kiosk.domain.batch_keys import person_key
from kiosk.domain.completion import time_limit
from kiosk.domain.employer import Employer
from kiosk.domain.voucher import Voucher
from kiosk.drivers.usb_drive import DrivePackage
from kiosk.flows.record import idempotency_key
from kiosk.flows.wording import fill
from kiosk.i18n import Bilingual, bi
from kiosk.offline.outbox import Attachment, DuplicateKey, ItemState, Kind

log = logging.getLogger(__name__)

LETTER = "employer_letter"  # the attachment name of the employer's letter (docs/centre-api.yaml, Batch)
SEND_BUDGET_S = 20.0  # how long the handler waits for the first upload before the sync worker goes on

# The voucher's lines (the handler, masked, is the voucher's holder).
EMPLOYER_STEP = bi("单位：{name}（统一社会信用代码 {code}）", "Employer: {name} (unified social credit code {code})")
EMPLOYER_UNNAMED = bi("名称以社保中心登记为准", "name as registered with the centre")
COUNTS_STEP = bi(
    "本次提交{submitted}人；没有提交{left_out}人（有问题，改好后再来提交）。",
    "Submitted now: {submitted}. Left out: {left_out} (they have problems; fix them and submit them again).",
)
EARLIER_STEP = bi(
    "另有{earlier}人用同一份报盘在本机提交过，这次没有重复提交。",
    "{earlier} more were submitted from the same package at this kiosk before and were not sent again.",
)
PICKUP_STEP = bi(
    "制卡完成后，经办人带本人身份证原件或社保卡，到本网点（{outlet}）领卡。经办人换了人的，还要带单位盖公章的介绍信。",
    "When the cards are ready, the handler collects them at this outlet ({outlet}) with their own original ID card or "
    "social security card. A different handler also brings the employer's letter with the official seal.",
)
NEXT_TIME_STEP = bi(
    "改好有问题的人再来提交时，请从明细表里删去这次已提交的人。同一份报盘不改动再交一次，不会重复提交。",
    "When you come back with the fixed rows, delete the people submitted today from the sheet. The same package handed in again unchanged sends nobody twice.",
)
AUTO_ENABLE = "batch_auto_enable"  # the policy's time limit: social security functions 96 hours after pickup


class HandlerProof(enum.StrEnum):
    """How the employer's handler (经办人) showed who they are (seed 003 1.2.1 1))."""

    ID_CARD = "id_card"
    SOCIAL_SECURITY_CARD = "social_security_card"


@dataclass(repr=False)
class EmployerBatch:
    """What the handler brought and said, as the flow gathers it. Personal data: never logged."""

    kind: BatchKind
    work_dir: Path | None = None  # the kiosk's private copy of the package
    package: DrivePackage | None = None  # where it is on the drive
    report: PackageReport | None = None
    marked_copy: str | None = None  # the marked-up sheet's path on the drive, once written back
    handler: Identity | None = None
    handler_proof: HandlerProof | None = None
    employer: Employer | None = None
    letter: bytearray | None = None  # the employer's letter, photographed (JPEG)

    @property
    def service(self) -> str:
        return self.kind.service_code

    @property
    def passed(self) -> list[BatchPerson]:
        return self.report.passed_people() if self.report is not None else []

    @property
    def left_out(self) -> int:
        return self.report.rows - len(self.passed) if self.report is not None else 0

    def forget_package(self) -> None:
        """The private copy goes (a new drive, or the end of the visit)."""
        if self.work_dir is not None:
            shutil.rmtree(self.work_dir, ignore_errors=True)
        self.work_dir = self.package = self.report = None
        self.marked_copy = None

    def wipe(self) -> None:
        self.forget_package()
        if self.letter is not None:
            self.letter[:] = bytes(len(self.letter))
        self.letter = None
        self.handler = None


# --- what the centre is sent (docs/centre-api.yaml: BatchApplication, Batch) -------------------


def person_payload(batch: EmployerBatch, person: BatchPerson, serial: str) -> dict[str, Any]:
    applicant: dict[str, Any] = {"id_number": person.id_number, "name": person.name}
    for name, value in (("nation", person.nation), ("phone", person.phone), ("address", person.address)):
        if value:
            applicant[name] = value
    body: dict[str, Any] = {
        "batch_serial": serial, "kind": batch.service, "employer_uscc": batch.employer.credit_code,
        "row": person.row, "applicant": applicant, "minor": person.minor, "bank": person.bank_code,
    }  # fmt: skip
    if person.validity_start is not None:
        body["id_valid_from"] = person.validity_start.isoformat()
        body["id_valid_until"] = "long_term" if person.long_term else person.validity_end.isoformat()
    if batch.kind is BatchKind.REPLACE:
        if person.replacement_reason is not None:
            body["reason"] = person.replacement_reason.words.zh
        body["photo_change"] = bool(person.photo_changes)
    return body


def person_images(person: BatchPerson, files: dict[ImageKind, bytes]) -> list[Attachment]:
    """The person's images under the centre's attachment names (the ImageKind values)."""
    return [Attachment(kind.value, files[kind]) for kind in ImageKind if kind in files]


def record_payload(services, batch: EmployerBatch, serial: str, submitted: int, left_out: int) -> dict[str, Any]:
    config = services.config
    employer: dict[str, Any] = {"uscc": batch.employer.credit_code}
    if batch.employer.name:
        employer["name"] = batch.employer.name
    return {
        "batch_serial": serial, "kind": batch.service, "employer": employer,
        "handler": batch.handler.to_person(), "handler_proof": batch.handler_proof.value,
        "package_digest": batch.report.package_digest, "people": {"submitted": submitted, "left_out": left_out},
        "outlet_id": config.outlet_id, "terminal_id": config.terminal_id,
        "pickup": {"method": "outlet", "outlet_id": config.outlet_id},
    }  # fmt: skip


# --- kept together -----------------------------------------------------------------------------


class BatchNotKept(Exception):
    """Nothing of the batch was kept; `reason` says why for the handler, the message for logs."""

    def __init__(self, reason: Bilingual, detail: str) -> None:
        self.reason = reason
        super().__init__(detail)


PACKAGE_CHANGED = bi(
    "报盘文件在检查之后变了，本次没有保存任何信息。请重新插入U盘，再检查一次。",
    "The package changed after it was checked, so nothing was kept. Please insert the drive again and check it once more.",
)


@dataclass(frozen=True)
class KeptBatch:
    serial: str
    voucher: Voucher  # as stored: uploaded=False
    record_item: int
    people_items: tuple[int, ...] = field(repr=False)
    earlier: int  # passed, but kept from the same package before: not sent again

    @property
    def items(self) -> tuple[int, ...]:
        """What to send, the batch record first."""
        return (self.record_item, *self.people_items)


def voucher_steps(services, batch: EmployerBatch, submitted: int, earlier: int) -> tuple[Bilingual, ...]:
    """Employer (masked code), counts, the 10 working days, pickup here, the 96 hours."""
    employer = batch.employer
    steps = [
        fill(EMPLOYER_STEP, name=employer.name or EMPLOYER_UNNAMED, code=employer.masked_code),
        fill(COUNTS_STEP, submitted=submitted, left_out=batch.left_out),
    ]
    if earlier:
        steps.append(fill(EARLIER_STEP, earlier=earlier))
    limit = time_limit(services.policy, batch.service, services.outlet.id)
    if limit is not None:
        steps.append(limit.note)
    steps.append(fill(PICKUP_STEP, outlet=services.outlet.name))
    enable = services.policy.time_limits.get(AUTO_ENABLE)
    if enable is not None:
        steps.append(enable.note)
    if batch.left_out:
        steps.append(NEXT_TIME_STEP)
    return tuple(steps)


Progress = Callable[[int, int], None]


def keep_batch(services, batch: EmployerBatch, cancel=None, progress: Progress | None = None) -> KeptBatch:
    """Every passed person, the record and the voucher in one transaction; BatchNotKept or a
    StoreError (a full disk: StorageFull) with nothing kept. `cancel` is ignored on purpose:
    a commit, once begun, finishes."""
    config, report = services.config, batch.report
    issued_at = services.now().replace(second=0, microsecond=0)
    serial = services.serials.next(config.outlet_id, config.terminal_id, issued_at.date())
    people = batch.passed
    kept: list[int] = []
    earlier = 0
    try:
        with services.outbox.transaction() as tx, report.open_files() as files:
            for done, person in enumerate(people, 1):
                key = person_key(services.key, batch.employer.credit_code, person.id_number, report.package_digest)
                try:
                    item = tx.enqueue(Kind.BATCH_APPLICATION, person_payload(batch, person, serial), idempotency_key=key,
                                      attachments=person_images(person, files.of(person)))  # fmt: skip
                    kept.append(item.id)
                except DuplicateKey:
                    earlier += 1
                if progress is not None:
                    progress(done, len(people))
            voucher = Voucher.issue(
                serial=serial, service=batch.service, issued_at=issued_at,
                holder_name=batch.handler.name, id_number=batch.handler.number,
                outlet=services.outlet, policy=services.policy,
                next_steps=voucher_steps(services, batch, len(kept), earlier),
            )  # fmt: skip
            record = tx.enqueue(
                Kind.BATCH_RECORD, record_payload(services, batch, serial, len(kept), batch.left_out),
                idempotency_key=idempotency_key(Kind.BATCH_RECORD),
                attachments=[Attachment(LETTER, bytes(batch.letter))], voucher=voucher,
            )  # fmt: skip
    except (PackageChanged, SourceLost) as exc:
        raise BatchNotKept(PACKAGE_CHANGED, f"the package copy changed after the check: {exc}") from None
    log.info("batch %s kept: %d people, %d kept before, record item %d", serial, len(kept), earlier, record.id)
    return KeptBatch(serial, voucher, record.id, tuple(kept), earlier)


# --- sent ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentBatch:
    kept: KeptBatch
    sent: int  # items the centre confirmed during the visit (record included)

    @property
    def uploaded(self) -> bool:
        return self.sent == len(self.kept.items)

    @property
    def voucher(self) -> Voucher:
        return dataclasses.replace(self.kept.voucher, uploaded=self.uploaded)


def send_batch(services, kept: KeptBatch, cancel=None, progress: Progress | None = None,
               budget_s: float = SEND_BUDGET_S) -> SentBatch:  # fmt: skip
    """One quick try per item, the record first, while the handler waits (at most `budget_s`);
    stops at the first item that does not get through (the centre is away: the sync worker
    goes on). Each confirmed item is confirmed once; the rest stay whole in the outbox."""
    deadline = time.monotonic() + budget_s
    sent = 0
    for item_id in kept.items:
        if (cancel is not None and cancel.cancelled) or time.monotonic() > deadline:
            break
        if not services.deliver_now(item_id):
            break
        sent += 1
        if progress is not None:
            progress(sent, len(kept.items))
    return SentBatch(kept, sum(services.outbox.item(i).state is ItemState.SENT for i in kept.items))
