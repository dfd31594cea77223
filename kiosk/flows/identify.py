"""Who is this? Identification steps that every flow needing a person's document reuses.

`identify(port, purpose)` lets the resident say which document they have, then either
reads it on the ID reader (`read_id_card`) or takes its number on the kiosk keypad
(`key_in_document`). Every way it can go wrong has its own plain screen: no card placed,
a card the reader cannot read, an expired card, a card that does not fit the role (a
child's card where an adult applies, a guardian under 18, the same card twice), and the
reader itself gone. Each returns an `Identity`, or BACK / HOME when the resident leaves.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from kiosk.domain.application import WRONG_CARD, Identity, Position, Role, Source, role_problem
from kiosk.domain.documents import (
    ADULT_TYPED,
    MINOR_TYPED,
    TITLES,
    WHERE_THE_NUMBER_IS,
    DocumentKind,
    InvalidDocumentEntry,
    parse_document_number,
    parse_latin_name,
)
from kiosk.drivers.id_reader import CardRead, IdCardReader
from kiosk.drivers.status import CancelToken, Completion, Detail, Recovery, ResultCode
from kiosk.flows.chinese_entry import FOREIGNER_CHINESE_NAME, HOLDER_NAME, write_chinese
from kiosk.flows.port import FlowPort
from kiosk.flows.steps import BACK, HOME, LEAVING, OK_OPTION, RETRY, RETRY_OPTION, Option
from kiosk.flows.wording import fill
from kiosk.domain import glossary
from kiosk.i18n import Bilingual, bi

BACK_OPTION = Option(BACK, glossary.BACK)
READER, TYPED = "reader", "typed"

# --- words ---------------------------------------------------------------------------

WHOSE_DOCUMENT: dict[tuple[Role, Position], Bilingual] = {
    (Role.SELF, Position.APPLICANT): bi("您的身份证", "your ID card"),
    (Role.MINOR, Position.APPLICANT): bi("孩子的身份证", "the child's ID card"),
    (Role.PROXY, Position.APPLICANT): bi("办卡人的身份证", "the applicant's ID card"),
    (Role.MINOR, Position.GUARDIAN): bi("监护人（您）的身份证", "your ID card (the guardian)"),
    (Role.PROXY, Position.PROXY): bi("代办人（您）的身份证", "your ID card (the proxy)"),
}
PLACE_CARD = bi("请把{whose}放在读卡区", "Please place {whose} on the card reader")
PLACE_NEXT_CARD_BODY = bi(
    "请先拿走刚才那张证件，再把{whose}平放在读卡区。",
    "First take the last card away, then lay {whose} flat on the reader.",
)
PLACE_CARD_BODY = bi(
    "身份证正面朝上，平放在下方读卡区，不要移动，读完会自动进入下一步。",
    "Lay the card flat on the reader below and keep it still. The kiosk goes on by itself once it is read.",
)
WHICH_DOCUMENT = bi("您带的是哪种证件？", "Which document do you have?")
ON_READER = {
    Role.MINOR: Option(READER, bi("孩子的身份证", "The child's ID card"), bi("放在读卡区", "Placed on the card reader")),
    None: Option(
        READER,
        bi("身份证或居住证", "ID card or residence permit"),
        bi("居民身份证、港澳台居民居住证、外国人永久居留身份证：放在读卡区", "Resident ID card, residence permit or permanent residence card: placed on the reader"),
    ),
}
TYPED_OPTION = {
    Role.MINOR: Option(TYPED, bi("户口簿", "Household register"), bi("输入孩子的身份号码", "Type the child's ID number")),
    None: Option(TYPED, bi("护照、通行证或军官证", "Passport, travel permit or officer's card"), bi("在屏幕上输入号码", "Type the number on the screen")),
}

NO_CARD = bi("没有找到证件", "No card found")
NO_CARD_BODY = bi(
    "读卡区上没有证件。请把证件平放在读卡区，再点“再试一次”。",
    "There is no card on the reader. Lay the card flat on the reader, then touch “Try again”.",
)
UNREADABLE = bi("证件读不出来", "The card could not be read")
UNREADABLE_BODY = bi(
    "请把证件拿起来，擦干净，再平放在读卡区，不要移动。还是不行，请找工作人员。",
    "Lift the card, wipe it, and lay it flat on the reader without moving it. If it still fails, please ask the staff.",
)
EXPIRED = bi("证件已过期", "This document has expired")
EXPIRED_BODY = bi(
    "这张证件的有效期到{day}，已经过期，不能用来办卡。请用有效的证件，或到服务窗口办理。",
    "This document was valid until {day}. It cannot be used. Please use a valid document, or go to a service window.",
)
NOT_USABLE = bi("这张证件不能在这里使用", "This document cannot be used here")
WRONG_TITLE = bi("证件不对", "Wrong card")
READER_GONE = bi("读卡器暂时不能用", "The card reader is not working")
READER_GONE_BODY = bi(
    "读卡器没有连接好。请找工作人员帮忙，或到服务窗口办理。",
    "The card reader is not connected. Please ask the staff for help, or go to a service window.",
)
DOCUMENT_KIND = bi("请选择证件", "Choose the document")
NUMBER_TITLE = bi("请输入{doc}号码", "{doc}: enter its number")
NAME_TITLE = bi("请输入姓名（拼音或英文）", "Enter the name (in Latin letters)")
ENTER_AGAIN = bi("请再输入一次", "Please enter it again")
NAME_HINT = bi(
    "证件上印有拼音或英文的，照着输入；没有的，输入姓名的拼音。字母之间可以有空格。窗口会核对证件原件。",
    "Type it as printed on the document, or the name's pinyin if none is printed. The window checks the original.",
)


@dataclass(frozen=True)
class Purpose:
    """Whose document is wanted, in an application of which role, next to whom."""

    role: Role
    position: Position
    others: tuple[Identity, ...] = ()  # people already identified: the same card twice is refused
    whose_text: Bilingual | None = None  # instead of the application's wording
    any_age: bool = False  # a card service for a holder of any age (a child's lost card)

    @property
    def whose(self) -> Bilingual:
        return self.whose_text or WHOSE_DOCUMENT[self.role, self.position]

    def problem(self, person: Identity, today: date) -> str | None:
        """Why `person` cannot be the one wanted here (a WRONG_CARD code), or None."""
        if self.any_age:
            return "same_person" if any(person.same_person(other) for other in self.others) else None
        return role_problem(self.role, self.position, person, today, self.others)

    def typed_kinds(self) -> tuple[DocumentKind, ...]:
        """Documents without a reader this person may use (seed 003 1.1.1)."""
        if self.position is not Position.APPLICANT:
            return ()  # a guardian or proxy shows their ID card
        return MINOR_TYPED if self.role is Role.MINOR else ADULT_TYPED


async def identify(port: FlowPort, purpose: Purpose) -> Identity | str:
    """Read the document, or type it when it has no reader; an Identity, BACK or HOME."""
    while True:
        typed = purpose.typed_kinds()
        how = READER
        if typed:
            key = Role.MINOR if purpose.role is Role.MINOR else None
            how = await port.ask("choose", title=WHICH_DOCUMENT, options=[ON_READER[key], TYPED_OPTION[key]])
            if how in LEAVING:
                return how
        result = await (read_id_card(port, purpose) if how == READER else key_in_document(port, purpose, typed))
        if result == BACK and typed:
            continue  # back to the choice of document
        return result


# --- the ID reader ---------------------------------------------------------------------


def wait_and_read(
    reader: IdCardReader, timeout_s: float, poll_s: float, ignore: frozenset[str] = frozenset(), cancel: CancelToken | None = None
) -> Completion[CardRead]:
    """Wait up to `timeout_s` for a card on the reader, then read it.

    A card whose number is in `ignore` (the guardian's, still lying there when the child's
    is wanted) is read again and again until another takes its place. NO_MEDIA when no card
    came (detail `same_card` when only an ignored one did); NO_DEVICE when the reader is
    gone; CANCELLED when the resident left.
    """
    cancel = cancel or CancelToken()
    deadline = time.monotonic() + timeout_s
    same_card = False
    while True:
        present = reader.card_present(cancel=cancel)
        if not present.ok:
            return present  # type: ignore[return-value]
        if present.value:
            read = reader.read_card(cancel=cancel)
            if not (read.ok and read.value.document.id_number in ignore):
                return read
            same_card = True
        if time.monotonic() >= deadline:
            reason = f"no {'other ' if same_card else ''}card placed within {timeout_s:g} s"
            return Completion.failure(ResultCode.NO_MEDIA, reason, Recovery.RESIDENT_CAN_FIX, same_card=same_card)
        if cancel.wait(poll_s):
            return Completion.failure(ResultCode.CANCELLED, "waiting for a card cancelled")


async def read_id_card(port: FlowPort, purpose: Purpose) -> Identity | str:
    services = port.services
    timeouts = services.timeouts
    earlier = frozenset(p.number for p in purpose.others)
    body = fill(PLACE_NEXT_CARD_BODY, whose=purpose.whose) if earlier else PLACE_CARD_BODY
    while True:
        await port.show("wait", title=fill(PLACE_CARD, whose=purpose.whose), body=body, picture="id_card")
        done = await port.device(wait_and_read, services.id_reader, timeouts.card_wait_s, timeouts.card_poll_s, earlier)
        if done.code is ResultCode.CANCELLED:
            return HOME
        if done.detail.get(Detail.SAME_CARD):
            answer = await _notice(port, WRONG_TITLE, WRONG_CARD["same_person"], "warning")
        elif done.ok:
            problem = await _refusal(port, purpose, done.value, services.now().date())
            if problem is None:
                return Identity.from_document(done.value.document)
            answer = problem
        else:
            answer = await _read_failed(port, done)
        if answer in LEAVING:
            return answer


async def _read_failed(port: FlowPort, done: Completion) -> str:
    if done.code is ResultCode.NO_MEDIA:
        return await _notice(port, NO_CARD, NO_CARD_BODY, "warning")
    if done.code is ResultCode.NO_DEVICE:
        return await _notice(port, READER_GONE, READER_GONE_BODY, "error")
    return await _notice(port, UNREADABLE, UNREADABLE_BODY, "warning")


async def _refusal(port: FlowPort, purpose: Purpose, read: CardRead, today: date) -> str | None:
    """The resident's answer to the screen refusing this card, or None when it is fine."""
    document = read.document
    if read.expired:
        body = fill(EXPIRED_BODY, day=document.valid_to.isoformat())
        return await _notice(port, EXPIRED, body, "error")
    if not read.check.acceptable:
        return await _notice(port, NOT_USABLE, read.check.problems[0], "error")
    identity = Identity.from_document(document)
    code = purpose.problem(identity, today)
    if code is not None:
        return await _notice(port, WRONG_TITLE, WRONG_CARD[code], "warning")
    return None


async def _notice(port: FlowPort, title: Bilingual, body: Bilingual, tone: str) -> str:
    answer = await port.ask("notice", title=title, body=body, tone=tone, actions=[RETRY_OPTION, BACK_OPTION])
    return RETRY if answer == RETRY else answer


# --- documents typed on the keypad ------------------------------------------------------


def keypad_for(kind: DocumentKind) -> str:
    return "id_number" if kind is DocumentKind.HOUSEHOLD_REGISTER else "digits" if kind is DocumentKind.OFFICER_CARD else "text"


def _reason_or_none(check, text: str) -> Bilingual | None:
    try:
        check(text)
    except InvalidDocumentEntry as exc:
        return exc.reason
    return None


async def key_in_document(port: FlowPort, purpose: Purpose, kinds: tuple[DocumentKind, ...]) -> Identity | str:
    """Choose the document, type its number and the holder's name; an Identity, BACK or HOME."""
    today = port.services.now().date()
    while True:
        if len(kinds) == 1:
            kind = kinds[0]
        else:
            code = await port.ask("choose", title=DOCUMENT_KIND, options=[Option(k.value, TITLES[k]) for k in kinds])
            if code in LEAVING:
                return code
            kind = DocumentKind(code)
        result = await _typed_identity(port, purpose, kind, today)
        if result == BACK and len(kinds) > 1:
            continue
        return result


async def _typed_identity(port: FlowPort, purpose: Purpose, kind: DocumentKind, today: date) -> Identity | str:
    def check_number(text: str):
        return parse_document_number(kind, text, today)

    while True:
        text = await port.ask(
            "keypad",
            title=fill(NUMBER_TITLE, doc=TITLES[kind]),
            keypad=keypad_for(kind),
            hint=WHERE_THE_NUMBER_IS[kind],
            max_length=18,
            validate=lambda t: _reason_or_none(check_number, t),
        )
        if text in LEAVING:
            return text
        try:
            number = check_number(text)
        except InvalidDocumentEntry as exc:  # the screen let it through: say it here
            if await _try_again(port, exc.reason) == HOME:
                return HOME
            continue
        name = await _typed_name(port)
        if name == BACK:
            continue
        if name == HOME:
            return HOME
        chinese_name = await _chinese_name(port, kind)
        if chinese_name == BACK:
            continue
        if chinese_name == HOME:
            return HOME
        id_number = number.id_number
        identity = Identity(
            document=kind,
            number=number.value,
            name=name,
            source=Source.TYPED,
            birth_date=id_number.birth_date if id_number else None,
            sex=id_number.sex if id_number else None,
            chinese_name=chinese_name or None,
        )
        code = purpose.problem(identity, today)
        if code is None:
            return identity
        answer = await port.ask("notice", title=WRONG_TITLE, body=WRONG_CARD[code], tone="warning", actions=[BACK_OPTION])
        if answer == HOME:
            return HOME


async def _typed_name(port: FlowPort) -> str:
    while True:
        text = await port.ask(
            "keypad", title=NAME_TITLE, keypad="text", hint=NAME_HINT, max_length=60,
            validate=lambda t: _reason_or_none(parse_latin_name, t),
        )  # fmt: skip
        if text in LEAVING:
            return text
        try:
            return parse_latin_name(text)
        except InvalidDocumentEntry as exc:
            if await _try_again(port, exc.reason) == HOME:
                return HOME


# Whose Chinese name is written on the pad after the Latin name: a permit holder from Hong
# Kong, Macao or Taiwan has one printed on the permit; a foreigner may have one, or not.
CHINESE_NAME_FIELDS = {
    DocumentKind.HMT_TRAVEL_PERMIT: HOLDER_NAME,
    DocumentKind.PASSPORT: FOREIGNER_CHINESE_NAME,
}


async def _chinese_name(port: FlowPort, kind: DocumentKind) -> str:
    """The holder's Chinese name for a typed permit or passport ("" if none); BACK, HOME."""
    field = CHINESE_NAME_FIELDS.get(kind)
    return await write_chinese(port, field) if field is not None else ""


async def _try_again(port: FlowPort, body: Bilingual) -> str:
    return await port.ask("notice", title=ENTER_AGAIN, body=body, tone="warning", actions=[OK_OPTION])
