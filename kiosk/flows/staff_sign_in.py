"""Staff signing in for maintenance: the outlet staff card in the reader, then its PIN.

Only the card opens maintenance mode, never a gesture: the chip must carry the outlet staff
application (kiosk/drivers/card/staff.py) naming this terminal's outlet, and the PIN is
checked on the card itself, its tries counted down and a blocked PIN refused, as for a
resident (pin_entry.verified_pin). What the card names (a staff id) is all the kiosk keeps.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from kiosk.audit import AuditEvent, record
from kiosk.drivers.card import CardReader, StaffCredential, is_not_staff_card, resident_message
from kiosk.drivers.status import Completion, Detail, ResultCode
from kiosk.flows.card_in_reader import read_inserted_card
from kiosk.flows.pin_entry import verified_pin
from kiosk.flows.port import FlowPort
from kiosk.flows.steps import ENDED, HOME, OK_OPTION
from kiosk.flows.wording import fill
from kiosk.i18n import Bilingual, bi

log = logging.getLogger(__name__)

INSERT_STAFF_CARD = bi("工作人员：请插入工作人员卡", "Staff: please insert your staff card")
INSERT_STAFF_CARD_BODY = bi(
    "维护模式只对本网点工作人员开放：插入工作人员卡，再输入卡的密码。",
    "Maintenance is for this outlet's staff only: insert the staff card, then enter its PIN.",
)
NOT_A_STAFF_CARD = bi(
    "这不是工作人员卡（卡里没有工作人员应用）。居民的社保卡不能打开维护模式。",
    "This is not a staff card (it has no staff application). A resident's card cannot open maintenance.",
)
OTHER_OUTLET = bi("这张工作人员卡不是本网点的", "This staff card belongs to another outlet")
OTHER_OUTLET_BODY = bi(
    "卡上的网点是{card_outlet}，本机属于{outlet}。请用本网点的工作人员卡。",
    "The card is for outlet {card_outlet}; this kiosk belongs to {outlet}. Please use a staff card of this outlet.",
)
STAFF_PIN = bi("请输入工作人员卡密码", "Enter the staff card's PIN")
STAFF_PIN_LOCKED = bi("工作人员卡密码已锁定", "The staff card's PIN is locked")
STAFF_PIN_LOCKED_BODY = bi(
    "密码输错次数太多，卡已锁定，不能打开维护模式。请联系社保中心为工作人员卡解锁。",
    "Too many wrong PINs: the card is locked and cannot open maintenance. The card centre unlocks staff cards.",
)


class Outcome(StrEnum):
    """How a staff entry attempt ended: the audit catalogue's `outcome` values."""

    ACCEPTED = "accepted"
    REFUSED_CARD = "refused-card"
    REFUSED_PIN = "refused-pin"
    LOCKED = "locked"


def _not_staff_card(done: Completion) -> bool:
    return done.code is ResultCode.INVALID_DATA and is_not_staff_card(done.detail.get(Detail.SW))


def _audited_read(reader: CardReader):
    """read_staff, with every card refused as not a staff card in the audit trail."""

    def read(cancel=None) -> Completion[StaffCredential]:
        done = reader.read_staff(cancel=cancel)
        if _not_staff_card(done):
            record(AuditEvent.STAFF_ENTRY, outcome=Outcome.REFUSED_CARD)
        return done

    return read


def staff_card_message(done: Completion) -> Bilingual | None:
    """A card read for sign-in that failed, in words for staff."""
    if _not_staff_card(done):
        return NOT_A_STAFF_CARD
    return resident_message(done)


async def staff_pin_blocked(port: FlowPort) -> str:
    log.info("maintenance: the staff card's PIN is blocked")
    answer = await port.ask("notice", title=STAFF_PIN_LOCKED, body=STAFF_PIN_LOCKED_BODY, tone="error", actions=[OK_OPTION])
    return HOME if answer == HOME else ENDED


async def sign_in(port: FlowPort) -> StaffCredential | str:
    """The staff card of this outlet with its PIN verified on the card; else BACK, HOME or ENDED."""
    read = _audited_read(port.services.card_reader)
    staff = await read_inserted_card(port, read, INSERT_STAFF_CARD, INSERT_STAFF_CARD_BODY, staff_card_message)
    if isinstance(staff, str):
        return staff
    who = {"staff": staff.staff_id}
    outlet = port.services.config.outlet_id
    if staff.outlet != outlet:
        log.info("maintenance: a staff card of outlet %s offered at outlet %s", staff.outlet, outlet)
        record(AuditEvent.STAFF_ENTRY, outcome=Outcome.REFUSED_CARD, **who)
        body = fill(OTHER_OUTLET_BODY, card_outlet=staff.outlet, outlet=outlet)
        answer = await port.ask("notice", title=OTHER_OUTLET, body=body, tone="warning", actions=[OK_OPTION])
        return HOME if answer == HOME else ENDED
    locked: list[bool] = []

    async def blocked(port: FlowPort) -> str:
        locked.append(True)
        return await staff_pin_blocked(port)

    pin = await verified_pin(port, title=STAFF_PIN, blocked=blocked)
    if isinstance(pin, str):
        record(AuditEvent.STAFF_ENTRY, outcome=Outcome.LOCKED if locked else Outcome.REFUSED_PIN, **who)
        return pin
    log.info("maintenance: staff %s signed in", staff.staff_id)
    record(AuditEvent.STAFF_ENTRY, outcome=Outcome.ACCEPTED, **who)
    return staff
