"""Who stands at the kiosk for a card service: the holder, or someone acting for them.

Seed 003 lets a proxy (他人代办) report a card lost (6.1: the holder's card or ID card and
the proxy's card or ID card) and reset a PIN (5.1: the holder's card and the proxy's card or
ID card), but never change one (密码修改只允许本人办理). An old person's son reporting
the card his father lost, or a parent the card of a child, is the common case, so the holder
may be of any age; the proxy must be an adult. The proxy's own ID card goes on the reader
first (they are the one at the kiosk), then the holder's, as in the new-card application.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kiosk.domain.application import Identity, Position, Role
from kiosk.drivers.card import CardData
from kiosk.flows.card_in_reader import HOLDER, identify_holder, same_number
from kiosk.flows.identify import BACK_OPTION, Purpose, read_id_card
from kiosk.flows.port import FlowPort
from kiosk.flows.steps import BACK, LEAVING, RETRY_OPTION, Option
from kiosk.i18n import bi

log = logging.getLogger(__name__)

OWN, FOR_SOMEONE = "own", "for_someone"
WHOSE_CARD = bi("是谁的社保卡？", "Whose card is it?")
WHOSE_OPTIONS = [
    Option(OWN, bi("我自己的卡", "My own card"), bi("带上您的身份证", "You need your own ID card")),
    Option(
        FOR_SOMEONE,
        bi("家人或别人的卡（代办）", "A family member's or someone else's card"),
        bi("带上持卡人的身份证和您自己的身份证", "You need the cardholder's ID card and your own"),
    ),
]
PROXY = Purpose(Role.PROXY, Position.PROXY)  # "your ID card (the proxy)"; 18 or older
CARDHOLDER_ID = bi("持卡人的身份证", "the cardholder's ID card")
HOLDERS_OWN_ID = bi("这是持卡人本人的身份证", "This is the cardholder's own ID card")
HOLDERS_OWN_ID_BODY = bi(
    "代办时，请放您自己（代办人）的身份证。持卡人本人在这里的话，请点“上一步”，选择“我自己的卡”。",
    "For someone else's card, place your own ID card (the proxy's). If the cardholder is here, press “Back” and choose “My own card”.",
)
PROXY_ROW = bi("代办人", "Proxy")


@dataclass(frozen=True)
class OnBehalf:
    """The holder (None when only their card is here) and the proxy (None: the holder in person)."""

    holder: Identity | None
    proxy: Identity | None = None

    def proxy_fields(self) -> dict:
        """What the centre API takes: `proxy` as a Person, when there is one."""
        return {"proxy": self.proxy.to_person()} if self.proxy else {}


async def whose_card(port: FlowPort) -> str:
    return await port.ask("choose", title=WHOSE_CARD, options=WHOSE_OPTIONS)


async def identify_by_id_cards(port: FlowPort) -> OnBehalf | str:
    """The holder's ID card, shown by the holder or by a proxy who shows their own first."""
    while True:
        whose = await whose_card(port)
        if whose in LEAVING:
            return whose
        people = await (_holder_in_person(port) if whose == OWN else _proxy_and_holder(port))
        if people != BACK:
            return people  # BACK from the first ID card: the question again


async def _holder_in_person(port: FlowPort) -> OnBehalf | str:
    holder = await read_id_card(port, HOLDER)
    return holder if isinstance(holder, str) else OnBehalf(holder)


async def _proxy_and_holder(port: FlowPort) -> OnBehalf | str:
    while True:
        proxy = await read_id_card(port, PROXY)
        if isinstance(proxy, str):
            return proxy
        holder = await read_id_card(port, Purpose(Role.PROXY, Position.APPLICANT, (proxy,), CARDHOLDER_ID, any_age=True))
        if holder == BACK:
            continue  # back to the proxy's own card
        if isinstance(holder, str):
            return holder
        return OnBehalf(holder, proxy)


async def identify_for_card(port: FlowPort, card: CardData) -> OnBehalf | str:
    """With the holder's card in the reader: the holder's own ID card (it must match the
    card), or the ID card of a proxy (anyone but the holder, 18 or older)."""
    while True:
        whose = await whose_card(port)
        if whose in LEAVING:
            return whose
        if whose == OWN:
            holder = await identify_holder(port, card)
            people = holder if isinstance(holder, str) else OnBehalf(holder)
        else:
            people = await _proxy_for(port, card)
        if people != BACK:
            return people


async def _proxy_for(port: FlowPort, card: CardData) -> OnBehalf | str:
    while True:
        proxy = await read_id_card(port, PROXY)
        if isinstance(proxy, str):
            return proxy
        if not same_number(proxy.number, card.social_security_number):
            return OnBehalf(None, proxy)
        log.info("%s: a proxy was asked for and the holder's own ID card came", port.service)
        answer = await port.ask(
            "notice", title=HOLDERS_OWN_ID, body=HOLDERS_OWN_ID_BODY, tone="warning", actions=[RETRY_OPTION, BACK_OPTION]
        )
        if answer in LEAVING:
            return answer
