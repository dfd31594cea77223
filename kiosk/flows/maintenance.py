"""Maintenance mode on the touchscreen, for the outlet's staff.

    Staff press 「工作人员」 on the attract screen and insert their staff card; its PIN is
    checked on the card. They see every device's state with what to do about it, the
    outbox, and who and what this terminal is. They can say the paper is refilled (the kiosk
    asks the printer again and prints a test voucher), send the waiting items now, retry
    the ones that could not be delivered, and leave. Walking away ends it like any session.

Each action is a step in its own module: staff_sign_in, printer_refill, outbox_care;
what is on the screen comes from device_wording and terminal_facts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Awaitable, Callable

from kiosk.drivers.status import DeviceStatus
from kiosk.flows.device_wording import DEVICE_NAMES, describe, paper_needs_staff
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
    REFILLED = "refilled"
    SEND_NOW = "send_now"
    RETRY_ITEMS = "retry_items"
    LEAVE = "leave"


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

ACTION_LABELS: dict[Action, Bilingual] = {
    Action.REFILLED: bi("已加纸", "I refilled the paper"),
    Action.SEND_NOW: bi("立即发送", "Send now"),
    Action.RETRY_ITEMS: bi("处理未送达的业务", "Items not delivered"),
    Action.LEAVE: bi("退出维护", "Leave maintenance"),
}

Row = tuple[Bilingual, Bilingual | str]
Section = tuple[Bilingual, list[Row]]


@dataclass(frozen=True)
class TerminalView:
    """What maintenance mode shows, read in one go off the UI thread."""

    devices: tuple[DeviceStatus, ...]
    outbox: OutboxStatus
    facts: TerminalFacts

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
        wanted.append(Action.LEAVE)
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
        return [
            (TERMINAL_ID, f.terminal_id),
            (OUTLET, f.outlet_id),
            (VERSION, f.version),
            (SLOT, f.slot),
            (CERTIFICATE, certificate),
            (CLOCK, f"{f.clock:%Y-%m-%d %H:%M:%S %z}"),
        ]


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


def look(services: Any, cancel=None) -> TerminalView:
    return TerminalView(
        devices=device_statuses(services, cancel),
        outbox=services.outbox.status(),
        facts=terminal_facts(services.config, services.now()),
    )


ACTIONS: dict[Action, Callable[[FlowPort], Awaitable[object]]] = {
    Action.REFILLED: paper_refilled,
    Action.SEND_NOW: send_now,
    Action.RETRY_ITEMS: retry_items,
}


async def run(port: FlowPort) -> None:
    staff = await sign_in(port)
    if isinstance(staff, str):
        return
    await maintain(port, fill(SIGNED_IN, staff=staff.staff_id))


async def maintain(port: FlowPort, who: Bilingual) -> None:
    """The terminal as it is now, and what staff chose to do about it, until they leave."""
    while True:
        view = await port.device(look, port.services)
        answer = await port.ask("maintenance", title=TITLE, who=who, sections=view.sections(), actions=view.actions())
        if answer in (Action.LEAVE, BACK, HOME):
            log.info("maintenance: left")
            return
        await ACTIONS[Action(answer)](port)
