"""Asking the card centre while the resident waits, and saying plainly when it cannot be
reached or does not agree. What the centre knows of a person's cards is read here too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable

from kiosk.centre.client import CentreReply
from kiosk.domain.cards import CardStatus
from kiosk.drivers.card import CardData
from kiosk.flows.port import FlowPort
from kiosk.flows.steps import ENDED, HOME, OK_OPTION, RETRY, RETRY_OPTION
from kiosk.flows.wording import fill
from kiosk.i18n import Bilingual, bi

log = logging.getLogger(__name__)

CENTRE_OFFLINE = bi("现在连不上社保中心", "The card centre cannot be reached")
CENTRE_OFFLINE_BODY = bi(
    "{what}要连接社保中心才能办理，现在连不上。您的信息没有留下。请稍后再试，或到服务窗口办理。咨询电话{hotline}。",
    "{what} needs the card centre, which cannot be reached just now. Nothing of yours was kept. Please try again later, or go to a service window. Hotline {hotline}.",
)
CENTRE_REFUSED = bi("社保中心没有办理", "The card centre did not accept this")
CENTRE_REFUSED_BODY = bi(
    "{why}请带身份证和社保卡到服务窗口办理。",
    "{why}Please take your ID card and social security card to a service window.",
)
ASKING_CENTRE = bi("正在连接社保中心", "Contacting the card centre")
ASKING_CENTRE_BODY = bi("请稍等，不要拔卡。", "Please wait and leave the card in.")


def call_centre(method: Callable[..., CentreReply], *args: Any, cancel=None) -> CentreReply:
    """A centre call as a port device operation: the HTTP client's timeout bounds it, so the
    CancelToken is not needed (the flow task itself is cancelled when the resident leaves)."""
    return method(*args)


async def ask_centre(port: FlowPort, method: Callable[..., CentreReply], *args: Any) -> CentreReply:
    await port.show("wait", title=ASKING_CENTRE, body=ASKING_CENTRE_BODY, picture="network")
    return await port.device(call_centre, method, *args)


async def centre_unreachable(port: FlowPort, what: Bilingual, reply: CentreReply | None = None, *, retry: bool = False) -> str:
    """Say that `what` needs the centre and it cannot be reached; RETRY (if offered), HOME or ENDED."""
    if reply is not None:
        log.info("%s: the centre cannot be reached: %s", port.service, reply.reason)
    hotline = port.services.policy.contacts.hotline
    body = fill(CENTRE_OFFLINE_BODY, what=what, hotline=hotline)
    actions = [RETRY_OPTION, OK_OPTION] if retry else [OK_OPTION]
    answer = await port.ask("notice", title=CENTRE_OFFLINE, body=body, tone="warning", actions=actions)
    return answer if answer in (RETRY, HOME) else ENDED


async def centre_refused(port: FlowPort, why: Bilingual, reply: CentreReply | None = None) -> str:
    if reply is not None:
        log.warning("%s: the centre refused: %s", port.service, reply.reason)
    answer = await port.ask("notice", title=CENTRE_REFUSED, body=fill(CENTRE_REFUSED_BODY, why=why), tone="error", actions=[OK_OPTION])
    return HOME if answer == HOME else ENDED


@dataclass(frozen=True)
class CardOnRecord:
    card_number: str
    status: CardStatus
    generation: int

    @classmethod
    def from_reply(cls, data: dict[str, Any]) -> CardOnRecord:
        return cls(str(data["card_number"]), CardStatus(str(data["status"])), int(data.get("generation", 3)))


def cards_in(reply: CentreReply) -> list[CardOnRecord]:
    return [CardOnRecord.from_reply(c) for c in reply.data.get("cards", []) if isinstance(c, dict) and "card_number" in c]


async def card_on_record(port: FlowPort, card: CardData, what: Bilingual, not_on_record: Bilingual) -> CardOnRecord | str:
    """What the centre knows of the card in the reader, for a service that cannot go on
    without it: the resident may try the centre again, or is told it has no such card."""
    while True:
        reply = await ask_centre(port, port.services.centre.cards_of, card.social_security_number)
        if not reply.retryable:
            break
        answer = await centre_unreachable(port, what, reply, retry=True)
        if answer != RETRY:
            return answer
    if not reply.ok:
        return await centre_refused(port, not_on_record, reply)
    record = next((c for c in cards_in(reply) if c.card_number == card.card_number), None)
    if record is None:
        return await centre_refused(port, not_on_record)
    return record
