"""Maintenance mode on the touchscreen, for the outlet's staff.

    Staff press 「工作人员」 on the attract screen and insert their staff card; its PIN is
    checked on the card. They see every device's state with what to do about it, the
    outbox, and who and what this terminal is. They can say the paper is refilled (the kiosk
    asks the printer again and prints a test voucher), send the waiting items now, retry
    the ones that could not be delivered, and leave. Walking away ends it like any session.

Each action is a step in its own module: staff_sign_in, printer_refill, outbox_care, log_export;
what is on the screen comes from device_wording and terminal_facts.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kiosk.audit import AuditEvent, record
from kiosk.availability.out_of_service import REASON_WORDS, OutOfServiceReason, OutOfServiceSwitch, SwitchReading
from kiosk.drivers.card import StaffCredential
from kiosk.drivers.status import DeviceStatus
from kiosk.flows.device_wording import DEVICE_NAMES, describe, paper_needs_staff
from kiosk.flows.log_export import export_logs
from kiosk.flows.outbox_care import retry_items, send_now
from kiosk.flows.port import FlowPort
from kiosk.flows.printer_refill import paper_refilled
from kiosk.flows.staff_sign_in import sign_in
from kiosk.flows.steps import BACK, HOME, Option
from kiosk.flows.terminal_facts import TerminalFacts, terminal_facts
from kiosk.flows.wording import fill
from kiosk.i18n import Bilingual, bi
from kiosk.offline.staff import OutboxStatus

log = logging.getLogger(__name__)

SERVICE = "maintenance"  # the code the shell starts this flow under; not a resident's service


class Action(StrEnum):
    """What staff may do here; the values are the audit catalogue's `action` values."""

    REFILLED = "paper-refilled"
    TEST_VOUCHER = "test-voucher"  # recorded when the refill's test voucher printed
    SEND_NOW = "outbox-send-now"
    RETRY_ITEMS = "outbox-retry-dead"
    OUT_OF_SERVICE_ON = "out-of-service-on"
    OUT_OF_SERVICE_OFF = "out-of-service-off"
    EXPORT_LOGS = "logs-exported"
    LEAVE = "maintenance-left"


class Left(StrEnum):
    """Why maintenance mode ended (the staff-action's `reason`)."""

    LEFT = "left"  # staff pressed 退出维护 (or Back / Start)
    SESSION_ENDED = "session-ended"  # walked away: the idle timeout, or the session ended otherwise


TITLE = bi("维护模式", "Maintenance")
SIGNED_IN = bi("工作人员 {staff}", "Staff {staff}")
DEVICES = bi("设备", "Devices")
OUTBOX = bi("待发送业务", "Outbox")
TERMINAL = bi("本机", "This terminal")
WAITING = bi("等待发送", "Waiting")
IN_FLIGHT = bi("正在发送", "In flight")
DEAD = bi("未能送达", "Dead")
REJECTED = bi("被拒收", "Rejected")
OLDEST = bi("最早一件已等", "Oldest waiting")
NONE_WAITING = bi("无", "none")
AGE = bi("{minutes} 分钟", "{minutes} min")
TERMINAL_ID = bi("终端编号", "Terminal")
OUTLET = bi("网点", "Outlet")
VERSION = bi("软件版本", "Software")
SLOT = bi("系统分区", "Slot")
CERTIFICATE = bi("证书到期", "Certificate expires")
NOT_ENROLLED = bi("未安装证书", "not enrolled")
DAYS_LEFT = bi("{day}（还有 {days} 天）", "{day} ({days} days left)")
CLOCK = bi("本机时间", "Clock")
CLOCK_BEHIND = bi(
    "{clock}（早于软件生成日期 {day}，时间不准：要开凭证或留记录的业务已暂停，请检查网络对时或时钟电池）",
    "{clock} (before the software's build day {day}: the clock is wrong, so services with a voucher or a record are "
    "paused; check the time server or the clock battery)",
)

ACTION_LABELS: dict[Action, Bilingual] = {
    Action.REFILLED: bi("已加纸", "I refilled the paper"),
    Action.SEND_NOW: bi("立即发送", "Send now"),
    Action.RETRY_ITEMS: bi("处理未送达的业务", "Items not delivered"),
    Action.OUT_OF_SERVICE_ON: bi("暂停服务", "Take out of service"),
    Action.OUT_OF_SERVICE_OFF: bi("恢复服务", "Back in service"),
    Action.EXPORT_LOGS: bi("导出日志到U盘", "Export logs to USB"),
    Action.LEAVE: bi("退出维护", "Leave maintenance"),
}
SERVICE_STATE = bi("服务状态", "Service")
IN_SERVICE = bi("正常服务", "in service")
OUT_OF_SERVICE = bi("暂停服务：{reason}", "out of service: {reason}")
WHY_OUT = bi("暂停服务的原因", "Why is the kiosk out of service?")
WHY_OUT_NOTE = bi("居民在待机画面上会看到这句话。", "Residents see these words on the attract screen.")

Row = tuple[Bilingual, Bilingual | str]
Section = tuple[Bilingual, list[Row]]


@dataclass(frozen=True)
class TerminalView:
    """What maintenance mode shows, read in one go off the UI thread."""

    devices: tuple[DeviceStatus, ...]
    outbox: OutboxStatus
    facts: TerminalFacts
    switch: SwitchReading

    def sections(self) -> list[Section]:
        return [
            (DEVICES, [(DEVICE_NAMES[s.device], describe(s)) for s in self.devices]),
            (OUTBOX, self._outbox_rows()),
            (TERMINAL, self._terminal_rows()),
        ]

    def actions(self) -> list[Option]:
        wanted = []
        if any(paper_needs_staff(s) for s in self.devices):
            wanted.append(Action.REFILLED)
        counts = self.outbox.counts
        if counts.get("pending") or counts.get("in_flight"):
            wanted.append(Action.SEND_NOW)
        if self.outbox.needs_staff:
            wanted.append(Action.RETRY_ITEMS)
        wanted.append(Action.OUT_OF_SERVICE_OFF if self.switch.out_of_service else Action.OUT_OF_SERVICE_ON)
        wanted += [Action.EXPORT_LOGS, Action.LEAVE]
        return [Option(str(a), ACTION_LABELS[a]) for a in wanted]

    def _outbox_rows(self) -> list[Row]:
        counts = self.outbox.counts
        age = self.outbox.oldest_pending_age_s
        return [
            (WAITING, str(counts.get("pending", 0))),
            (IN_FLIGHT, str(counts.get("in_flight", 0))),
            (DEAD, str(counts.get("dead", 0))),
            (REJECTED, str(counts.get("rejected", 0))),
            (OLDEST, NONE_WAITING if age is None else fill(AGE, minutes=int(age // 60))),
        ]

    def _terminal_rows(self) -> list[Row]:
        f = self.facts
        expires = f.certificate_expires
        certificate = NOT_ENROLLED if expires is None else fill(
            DAYS_LEFT, day=f"{expires:%Y-%m-%d}", days=f.certificate_days_left()
        )  # fmt: skip
        words = self.switch.words
        return [
            (SERVICE_STATE, IN_SERVICE if words is None else fill(OUT_OF_SERVICE, reason=words)),
            (TERMINAL_ID, f.terminal_id),
            (OUTLET, f.outlet_id),
            (VERSION, f.version),
            (SLOT, f.slot),
            (CERTIFICATE, certificate),
            (CLOCK, self._clock_value()),
        ]


    def _clock_value(self) -> Bilingual | str:
        f = self.facts
        clock = f"{f.clock:%Y-%m-%d %H:%M:%S %z}"
        if f.clock_days_behind:
            return fill(CLOCK_BEHIND, clock=clock, day=f"{f.not_before:%Y-%m-%d}")
        return clock


def device_statuses(services: Any, cancel=None) -> tuple[DeviceStatus, ...]:
    """Every fitted device asked now (each driver's own way of asking), then its status."""
    asked = [
        (services.card_reader, lambda d: d.refresh_status(cancel)),
        (services.id_reader, lambda d: d.sam_status(cancel=cancel)),
        (services.printer, lambda d: d.refresh_status(cancel)),
        (services.usb_drive, lambda d: d.refresh_status(cancel)),
        (services.staff_signal, lambda d: d.refresh_status()),
    ]
    found = []
    for device, ask in asked:
        if device is None:
            continue  # not fitted at this terminal
        ask(device)  # a failure is in the status the driver keeps
        found.append(device.status())
    return tuple(found)


def switch_of(services: Any) -> OutOfServiceSwitch:
    return OutOfServiceSwitch(services.config.data_dir)


def look(services: Any, cancel=None) -> TerminalView:
    return TerminalView(
        devices=device_statuses(services, cancel),
        outbox=services.outbox.status(),
        facts=terminal_facts(services.config, services.now()),
        switch=switch_of(services).read(),
    )


def audit(action: Action, staff: StaffCredential, **fields: Any) -> None:
    record(AuditEvent.STAFF_ACTION, action=action, staff=staff.staff_id, **fields)


async def run(port: FlowPort) -> None:
    staff = await sign_in(port)
    if isinstance(staff, str):
        return
    try:
        await maintain(port, staff)
    except asyncio.CancelledError:
        log.info("maintenance: the session ended (walked away or ended from the shell)")
        audit(Action.LEAVE, staff, reason=Left.SESSION_ENDED)
        raise
    log.info("maintenance: left")
    audit(Action.LEAVE, staff, reason=Left.LEFT)


async def maintain(port: FlowPort, staff: StaffCredential) -> None:
    """The terminal as it is now, and what staff chose to do about it, until they leave."""
    who = fill(SIGNED_IN, staff=staff.staff_id)
    while True:
        view = await port.device(look, port.services)
        answer = await port.ask("maintenance", title=TITLE, who=who, sections=view.sections(), actions=view.actions())
        if answer in (Action.LEAVE, BACK, HOME):
            return
        await act(port, staff, Action(answer))


async def act(port: FlowPort, staff: StaffCredential, action: Action) -> None:
    """One action, and its line in the audit trail."""
    services = port.services
    if action is Action.REFILLED:
        done = await paper_refilled(port)
        audit(action, staff)
        if done.ok:
            audit(Action.TEST_VOUCHER, staff)
    elif action is Action.SEND_NOW:
        report = await send_now(port)
        audit(action, staff, count=report.sent)
    elif action is Action.RETRY_ITEMS:
        retried = await retry_items(port)
        if isinstance(retried, int):
            audit(action, staff, count=1)
    elif action is Action.OUT_OF_SERVICE_ON:
        options = [Option(str(r), words) for r, words in REASON_WORDS.items()]
        answer = await port.ask("choose", title=WHY_OUT, options=options, note=WHY_OUT_NOTE)
        if answer in (BACK, HOME):
            return
        await port.device(lambda cancel=None: switch_of(services).take_out(OutOfServiceReason(answer), by=staff.staff_id))
        audit(action, staff, reason=str(answer))
    elif action is Action.EXPORT_LOGS:
        exported = await export_logs(port)
        if exported.ok:
            audit(action, staff)
    elif action is Action.OUT_OF_SERVICE_OFF:
        await port.device(lambda cancel=None: switch_of(services).put_in(by=staff.staff_id))
        audit(action, staff)
    else:
        raise ValueError(f"maintenance has no step for {action}")
