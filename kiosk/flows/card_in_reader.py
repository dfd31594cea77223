"""The social security card in the reader: put it in, read it, and make sure the ID card on
the other reader is the card holder's. How a card is named on screen (by its last four
characters only) lives here too.

Each step returns its value, or a code when the flow should end: BACK or HOME when the
resident left, ENDED when the step's own screen already told them why. Flows end on any
`str` (`if isinstance(result, str): return`).
"""

from __future__ import annotations

import logging
import time
from typing import Callable, TypeVar

from kiosk.domain.application import Identity, Position, Role
from kiosk.drivers.card import CardData, CardReader, resident_message
from kiosk.drivers.status import Completion, ResultCode
from kiosk.flows.identify import BACK_OPTION, Purpose, read_id_card
from kiosk.flows.port import FlowPort
from kiosk.flows.steps import HOME, LEAVING, RETRY_OPTION
from kiosk.flows.wording import fill
from kiosk.i18n import Bilingual, bi

log = logging.getLogger(__name__)
T = TypeVar("T")

HOLDER = Purpose(Role.SELF, Position.APPLICANT)  # the card services are for the holder in person

INSERT_CARD = bi("请插入您的社保卡", "Please insert your social security card")
INSERT_CARD_BODY = bi(
    "芯片朝上，插进下方的插卡口，办完之前不要拔卡。",
    "Chip side up, into the card slot below. Leave it in until we are done.",
)
READING_CARD = bi("正在读卡", "Reading your card")
READING_CARD_BODY = bi("请稍等，不要拔卡。", "Please wait and leave the card in.")
CARD_PROBLEM = bi("社保卡读不了", "The card could not be read")
NO_CARD = bi("没有插入社保卡", "No card was inserted")
NOT_THE_HOLDER = bi("身份证和社保卡不是同一个人", "The ID card and the social security card do not match")
NOT_THE_HOLDER_BODY = bi(
    "这项业务只能持卡人本人办理。请放持卡人本人的身份证。",
    "Only the cardholder can do this. Please place the cardholder's own ID card on the reader.",
)
TAIL = bi("尾号{digits}", "ending {digits}")
CARD_NAMED = bi("尾号{digits}的社保卡", "The card ending {digits}")
TAKE_CARD_BACK = bi("请取回您的社保卡和证件。", "Please take your card and documents with you.")


def masked_card_number(card_number: str) -> str:
    return "*" * max(0, len(card_number) - 4) + card_number[-4:]


def card_tail(card_number: str) -> Bilingual:
    """How a card is named on screen: by its last four characters only."""
    return fill(TAIL, digits=card_number[-4:])


def card_named(card_number: str) -> Bilingual:
    """A card as the subject of a sentence: 尾号1234的社保卡 / The card ending 1234."""
    return fill(CARD_NAMED, digits=card_number[-4:])

GONE_BEFORE_READ = (ResultCode.NO_MEDIA, ResultCode.MEDIA_REMOVED)
READER_SETTLE_S = 0.5  # longer than one pcscd poll


def _settle(cancel=None) -> None:
    if cancel is not None:
        cancel.wait(READER_SETTLE_S)
    else:
        time.sleep(READER_SETTLE_S)


async def insert_card(port: FlowPort, title: Bilingual = INSERT_CARD) -> CardData | str:
    """Wait for the card and read its basic data; the CardData, BACK or HOME."""
    card = await read_inserted_card(port, port.services.card_reader.read_basic, title, INSERT_CARD_BODY)
    if isinstance(card, CardData):
        port.session.set("card", card)
    return card


async def read_inserted_card(
    port: FlowPort,
    read: Callable[..., Completion[T]],
    title: Bilingual,
    body: Bilingual,
    explain: Callable[[Completion], Bilingual | None] = resident_message,
) -> T | str:
    """Wait for a card and `read` it (a card reader operation); its value, BACK or HOME.
    A failure is said in `explain(done)`'s words with the choice to try again."""
    services = port.services
    reader: CardReader = services.card_reader
    while True:
        await port.show("wait", title=title, body=body, picture="card")
        done: Completion = await port.device(reader.wait_for_card, timeout_s=services.timeouts.card_wait_s)
        if done.ok:
            await port.show("wait", title=READING_CARD, body=READING_CARD_BODY, picture="card")
            done = await port.device(read)
            if done.code in GONE_BEFORE_READ:
                # The last resident's card, not yet seen going (pcscd looks every 0.4 s), or
                # this card pulled out at once: ask for it again.
                log.info("card gone before it was read (%s); waiting for a card again", done.code)
                await port.device(_settle)
                continue
        if done.code is ResultCode.CANCELLED:
            return HOME
        if done.ok:
            return done.value
        log.info("card not read for %s: %s (%s)", port.service, done.code, done.reason)
        heading = NO_CARD if done.code is ResultCode.NO_MEDIA else CARD_PROBLEM
        answer = await port.ask(
            "notice", title=heading, body=explain(done), tone="warning", actions=[RETRY_OPTION, BACK_OPTION]
        )
        if answer in LEAVING:
            return answer


def same_number(a: str, b: str) -> bool:
    return "".join(a.split()).upper() == "".join(b.split()).upper()


async def identify_holder(port: FlowPort, card: CardData) -> Identity | str:
    """The ID card on the reader, which must be the card holder's own."""
    while True:
        person = await read_id_card(port, HOLDER)
        if not isinstance(person, Identity):
            return person
        if same_number(person.number, card.social_security_number):
            port.session.set("holder", person)
            return person
        log.info("%s: the ID card is not the card holder's", port.service)
        answer = await port.ask(
            "notice", title=NOT_THE_HOLDER, body=NOT_THE_HOLDER_BODY, tone="warning", actions=[RETRY_OPTION, BACK_OPTION]
        )
        if answer in LEAVING:
            return answer
