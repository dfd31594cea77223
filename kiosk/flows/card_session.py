"""The social security card in the reader: the steps every card service shares.

Put the card in and read it; make sure the ID card on the other reader is the card
holder's; take the PIN on the pin pad and check it on the card, counting the tries down;
choose a new PIN twice, refusing easy ones; send the blocked card to the window with a
printed slip (unlocking is window-only, seed 003 section 7); ask the centre what it knows;
keep a record in the outbox and print a voucher.

Each step returns its value, or a code when the flow should end: BACK or HOME when the
resident left, ENDED when the step's own screen already told them why. Flows end on any
`str` (`if isinstance(result, str): return`).

PINs arrive from the pin pad as a bytearray of ASCII digits (`EnteredPin` holds it) and are
wiped as soon as the card has had them. The driver's `Pin` still takes a `str` (it cannot
be wiped; it lives only for the one driver call).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Callable

from kiosk.centre.client import CentreReply
from kiosk.config import Config
from kiosk.domain.application import Identity, Position, Role
from kiosk.domain.pin_rules import PIN_LENGTH, pin_problem
from kiosk.domain.voucher import Voucher
from kiosk.drivers.card import CardData, Pin, SocialSecurityCardReader, resident_message
from kiosk.drivers.status import Completion, ResultCode
from kiosk.flows.identify import BACK_OPTION, Purpose, read_id_card
from kiosk.flows.port import FlowPort
from kiosk.flows.steps import HOME, HOME_OPTION, LEAVING, OK_OPTION, RETRY, RETRY_OPTION, Option
from kiosk.flows.submission import PRINTER_PROBLEMS, PRINTER_TROUBLE
from kiosk.flows.wording import fill
from kiosk.i18n import Bilingual, bi
from kiosk.offline.database import StoreError
from kiosk.offline.outbox import ItemState, Kind
from kiosk.printing.guidance_slip import guidance_slip_job

log = logging.getLogger(__name__)

ENDED = "ended"  # the flow is over; its last screen said why
PRINT = "print"
HOLDER = Purpose(Role.SELF, Position.APPLICANT)  # the card services are for the holder in person

# --- words ---------------------------------------------------------------------------

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
ENTER_PIN = bi("请输入社保卡密码", "Please enter your card PIN")
ENTER_PIN_HINT = bi("6位数字", "6 digits")
WRONG_PIN = bi("密码不对", "Wrong PIN")
LAST_TRY = bi(
    "再输错一次，密码就会被锁定。想不起来，可以返回，用身份证办理“重置密码”。",
    "One more wrong try locks the PIN. If you cannot remember it, go back and use “Reset PIN” with your ID card.",
)
TRY_AGAIN_PIN = Option(RETRY, bi("重新输入密码", "Enter the PIN again"))
PIN_LOCKED = bi("社保卡密码已被锁定", "Your card PIN is locked")
PIN_LOCKED_BODY = bi(
    "密码输错次数太多，已经锁定。{guidance}\n也可以带身份证，在本机办理“重置密码”。",
    "The PIN was entered wrongly too many times and is now locked. {guidance}\nYou can also reset the PIN at this kiosk with your ID card.",
)
PRINT_SLIP = Option(PRINT, bi("打印办事指引", "Print what to bring"), bi("写明要带什么、到哪里办", "What to bring and where to go"))
PRINTING_SLIP = bi("正在打印办事指引", "Printing the guidance slip")
TAKE_SLIP = bi("从下方出纸口取走指引。", "Take the slip from the slot below.")
SLIP_NOT_PRINTED = bi("办事指引没有打印出来", "The slip was not printed")
SLIP_NOT_PRINTED_BODY = bi(
    "{problem}请记下：解锁要到服务窗口办理，咨询电话{hotline}。",
    "{problem}Please remember: unlocking is done at a service window. Hotline {hotline}.",
)
NEW_PIN = bi("请输入新密码", "Enter your new PIN")
NEW_PIN_HINT = bi(
    "6位数字。不要用生日、相同或连着的数字。",
    "6 digits. Not your birthday, not the same digit, not digits in a row.",
)
NEW_PIN_AGAIN = bi("请再输入一次新密码", "Enter the new PIN again")
PIN_NOT_ALLOWED = bi("这个密码太容易被猜到", "This PIN is too easy to guess")
PINS_DIFFER = bi("两次输入的新密码不一样", "The two new PINs are not the same")
PINS_DIFFER_BODY = bi("请重新设置新密码。", "Please choose the new PIN again.")
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
PRINTING_VOUCHER = bi("正在打印凭证", "Printing your voucher")
TAKE_VOUCHER = bi("凭证从下方出纸口出来，请拿好。", "The voucher comes out of the slot below. Please take it.")
VOUCHER_NOT_PRINTED = bi("凭证没有打印出来", "The voucher was not printed")
VOUCHER_NOT_PRINTED_BODY = bi(
    "{problem}您办的业务已经保存好了。请找工作人员补打凭证，凭证号：{serial}",
    "{problem}What you did here is saved. Please ask the staff to print the voucher again, with this number: {serial}",
)
TAIL = bi("尾号{digits}", "ending {digits}")
CARD_NAMED = bi("尾号{digits}的社保卡", "The card ending {digits}")
TAKE_CARD_BACK = bi("请取回您的社保卡和证件。", "Please take your card and documents with you.")

CARD_STATUS: dict[str, Bilingual] = {
    "active": bi("正常", "in use"),
    "not_activated": bi("未启用", "not activated yet"),
    "reported_lost": bi("已挂失", "reported lost"),
    "temporarily_lost": bi("临时挂失", "temporarily reported lost"),
    "cancelled": bi("已注销", "cancelled"),
    "replaced": bi("已停用（已换新卡）", "no longer in use (replaced by a new card)"),
}
UNKNOWN_STATUS = bi("状态不明，请到窗口查询", "unknown: please ask at a window")


def status_words(status: str) -> Bilingual:
    return CARD_STATUS.get(status, UNKNOWN_STATUS)


def masked_card_number(card_number: str) -> str:
    return "*" * max(0, len(card_number) - 4) + card_number[-4:]


def card_tail(card_number: str) -> Bilingual:
    """How a card is named on screen: by its last four characters only."""
    return fill(TAIL, digits=card_number[-4:])


def card_named(card_number: str) -> Bilingual:
    """A card as the subject of a sentence: 尾号1234的社保卡 / The card ending 1234."""
    return fill(CARD_NAMED, digits=card_number[-4:])


# --- the reader ----------------------------------------------------------------------


def build_card_reader(config: Config) -> SocialSecurityCardReader:
    """The terminal's card reader. 3.00 cards need a PSAM for EXTERNAL AUTHENTICATE: a
    simulator configuration gets the simulated one (its published test key); a production
    terminal has none yet (kiosk.drivers.card.auth) and says so when a 3.00 card is read."""
    authenticator = None
    if config.is_simulated:
        from hwsim.card.psam import SimulatedPsam

        authenticator = SimulatedPsam()
    return SocialSecurityCardReader(config.devices.card_reader or "pcsc://", authenticator=authenticator)


GONE_BEFORE_READ = (ResultCode.NO_MEDIA, ResultCode.MEDIA_REMOVED)
READER_SETTLE_S = 0.5  # longer than one pcscd poll


def _settle(cancel=None) -> None:
    if cancel is not None:
        cancel.wait(READER_SETTLE_S)
    else:
        time.sleep(READER_SETTLE_S)


async def insert_card(port: FlowPort, title: Bilingual = INSERT_CARD) -> CardData | str:
    """Wait for the card and read its basic data; the CardData, BACK or HOME."""
    services = port.services
    reader: SocialSecurityCardReader = services.card_reader
    while True:
        await port.show("wait", title=title, body=INSERT_CARD_BODY, picture="card")
        done: Completion = await port.device(reader.wait_for_card, timeout_s=services.timeouts.card_wait_s)
        if done.ok:
            await port.show("wait", title=READING_CARD, body=READING_CARD_BODY, picture="card")
            done = await port.device(reader.read_basic)
            if done.code in GONE_BEFORE_READ:
                # The last resident's card, not yet seen going (pcscd looks every 0.4 s), or
                # this card pulled out at once: ask for it again.
                log.info("card gone before it was read (%s); waiting for a card again", done.code)
                await port.device(_settle)
                continue
        if done.code is ResultCode.CANCELLED:
            return HOME
        if done.ok:
            port.session.set("card", done.value)
            return done.value
        log.info("card not read for %s: %s (%s)", port.service, done.code, done.reason)
        heading = NO_CARD if done.code is ResultCode.NO_MEDIA else CARD_PROBLEM
        answer = await port.ask(
            "notice", title=heading, body=resident_message(done), tone="warning", actions=[RETRY_OPTION, BACK_OPTION]
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


# --- PINs ----------------------------------------------------------------------------


class EnteredPin(Sequence):
    """A PIN as typed on the pin pad: its digits as values 0..9, never shown, wiped on `wipe()`
    or when a `with` block ends. Comparing two does not copy either."""

    __slots__ = ("_buffer",)

    def __init__(self, buffer: bytearray) -> None:
        if not isinstance(buffer, bytearray):
            raise TypeError("the pin pad answers a bytearray")
        self._buffer = buffer

    def __len__(self) -> int:
        return len(self._buffer)

    def __getitem__(self, index: int) -> int:  # type: ignore[override]
        if not isinstance(index, int):
            raise TypeError("an EnteredPin is read one digit at a time (a slice would be an unwiped copy)")
        return self._buffer[index] - 0x30

    def matches(self, other: EnteredPin) -> bool:
        return len(self) == len(other) and all(a == b for a, b in zip(self._buffer, other._buffer))

    def to_pin(self) -> Pin:
        """For the one driver call that sends it."""
        return Pin(self._buffer.decode("ascii"))

    def as_text(self) -> str:
        """For the one centre request that carries it (PIN reset: the HSM computes the reload block)."""
        return self._buffer.decode("ascii")

    def wipe(self) -> None:
        self._buffer[:] = bytes(len(self._buffer))

    @property
    def wiped(self) -> bool:
        return not any(self._buffer)

    def __enter__(self) -> EnteredPin:
        return self

    def __exit__(self, *exc: object) -> None:
        self.wipe()

    def __repr__(self) -> str:
        return f"EnteredPin({'*' * len(self._buffer)})"

    __str__ = __repr__

    def __reduce__(self):
        raise TypeError("a PIN cannot be pickled")


async def enter_pin(port: FlowPort, title: Bilingual, hint: Bilingual | None = ENTER_PIN_HINT) -> EnteredPin | str:
    answer = await port.ask("pin_pad", title=title, hint=hint, length=PIN_LENGTH)
    if isinstance(answer, bytearray):
        return EnteredPin(answer)
    return answer


def _send_pin(operation: Callable[..., Completion], *pins: EnteredPin, cancel=None) -> Completion:
    """One PIN command to the card; the typed digits are wiped as soon as it has gone."""
    try:
        return operation(*(p.to_pin() for p in pins), cancel=cancel)
    finally:
        for pin in pins:
            pin.wipe()


async def verified_pin(port: FlowPort, *, keep: bool = False, title: Bilingual = ENTER_PIN) -> EnteredPin | str:
    """The holder's PIN, checked on the card (wrong: the tries left; blocked: the window).

    keep=True hands the caller the typed PIN (for CHANGE PIN, which sends the old PIN
    again) to use in a `with` block; otherwise it is wiped once the card has checked it
    and the returned EnteredPin is empty.
    """
    reader: SocialSecurityCardReader = port.services.card_reader
    status = await port.device(reader.pin_status)
    if status.ok and status.value.blocked:
        return await blocked_pin(port)
    while True:
        entered = await enter_pin(port, title)
        if isinstance(entered, str):
            return entered
        try:
            done = await port.device(reader.verify_pin, entered.to_pin())
        finally:
            if not keep:
                entered.wipe()
        if done.ok:
            return entered
        entered.wipe()
        answer = await pin_refused(port, done)
        if answer != RETRY:
            return answer


async def pin_refused(port: FlowPort, done: Completion) -> str:
    """What the card said to a PIN command it did not carry out: RETRY (a wrong PIN, typed
    again), BACK, HOME, or ENDED (blocked: the window; the card gone or failing: said so)."""
    if done.detail.get("blocked"):
        return await blocked_pin(port)
    if done.code is ResultCode.REFUSED and "tries_left" in done.detail:
        body = resident_message(done)
        if done.detail["tries_left"] == 1:
            body = Bilingual(f"{body.zh}\n{LAST_TRY.zh}", f"{body.en}\n{LAST_TRY.en}")
        return await port.ask("notice", title=WRONG_PIN, body=body, tone="warning", actions=[TRY_AGAIN_PIN, BACK_OPTION])
    log.info("%s: card command failed: %s (%s)", port.service, done.code, done.reason)
    answer = await port.ask("notice", title=CARD_PROBLEM, body=resident_message(done), tone="warning", actions=[OK_OPTION])
    return HOME if answer == HOME else ENDED


async def choose_new_pin(port: FlowPort, card: CardData, old: EnteredPin | None = None) -> EnteredPin | str:
    """A new PIN typed twice, refused when easy to guess; the caller wipes it (`with`)."""
    while True:
        first = await enter_pin(port, NEW_PIN, NEW_PIN_HINT)
        if isinstance(first, str):
            return first
        problem = pin_problem(first, birth_date=card.birth_date, id_number=card.social_security_number, old=old)
        if problem is not None:
            first.wipe()
            answer = await port.ask("notice", title=PIN_NOT_ALLOWED, body=problem, tone="warning", actions=[OK_OPTION])
            if answer == HOME:
                return HOME
            continue
        second = await enter_pin(port, NEW_PIN_AGAIN, None)
        if isinstance(second, str):
            first.wipe()
            if second == HOME:
                return HOME
            continue  # Back: choose the new PIN again
        with second:
            same = first.matches(second)
        if same:
            return first
        first.wipe()
        answer = await port.ask("notice", title=PINS_DIFFER, body=PINS_DIFFER_BODY, tone="warning", actions=[OK_OPTION])
        if answer == HOME:
            return HOME


async def change_pin_on_card(port: FlowPort, old: EnteredPin, new: EnteredPin) -> Completion:
    """CHANGE PIN; both buffers are wiped once the command has gone."""
    reader: SocialSecurityCardReader = port.services.card_reader
    return await port.device(_send_pin, reader.change_pin, old, new)


async def record_pin_change(port: FlowPort, card: CardData) -> None:
    """Tell the centre (through the outbox) that the PIN was changed here; never the PIN."""
    services = port.services
    payload = {
        "card_number": card.card_number,
        "changed_at": services.now().astimezone().isoformat(timespec="seconds"),
        "terminal_id": services.config.terminal_id,
    }
    try:
        await port.device(store_record, services, Kind.PIN_CHANGE_RECORD, payload)
    except StoreError as exc:  # the card has the new PIN either way; staff see the log
        log.error("the PIN change record could not be stored: %s", exc)
        return
    services.sync.wake()


# --- the window ----------------------------------------------------------------------


async def blocked_pin(port: FlowPort) -> str:
    """The PIN is blocked: what to bring to the window, and a slip that says it. ENDED or HOME."""
    services = port.services
    log.info("%s: the card's PIN is blocked", port.service)
    body = fill(PIN_LOCKED_BODY, guidance=services.policy.service("unlock").guidance)
    answer = await port.ask("notice", title=PIN_LOCKED, body=body, tone="warning", actions=[PRINT_SLIP, HOME_OPTION])
    if answer == PRINT:
        await print_guidance_slip(port, "unlock")
    return HOME if answer == HOME else ENDED


async def print_guidance_slip(port: FlowPort, service: str) -> bool:
    services = port.services
    job = guidance_slip_job(services.policy, service, services.config.outlet_id, services.now(), services.config.printer)
    hotline = services.policy.contacts.hotline
    return await print_until_done(
        port, job, PRINTING_SLIP, TAKE_SLIP, SLIP_NOT_PRINTED, lambda problem: fill(SLIP_NOT_PRINTED_BODY, problem=problem, hotline=hotline)
    )


async def print_until_done(
    port: FlowPort,
    job: bytes,
    title: Bilingual,
    body: Bilingual,
    failed_title: Bilingual,
    failed_body: Callable[[Bilingual], Bilingual],
) -> bool:
    """Print `job`; on a printer problem say which and offer to try again. True once printed."""
    printer = port.services.printer
    while True:
        await port.show("wait", title=title, body=body, picture="printer")
        done = await port.device(printer.print_job, job)
        if done.ok:
            return True
        log.warning("%s: printing failed: %s %s", port.service, done.code, done.reason)
        problem = PRINTER_PROBLEMS.get(done.code, PRINTER_TROUBLE)
        answer = await port.ask("notice", title=failed_title, body=failed_body(problem), tone="error", actions=[RETRY_OPTION, OK_OPTION])
        if answer != RETRY:
            return False


async def print_voucher(port: FlowPort, voucher: Voucher) -> bool:
    from kiosk.printing.voucher_layout import voucher_job

    services = port.services
    job = voucher_job(voucher, services.key, services.config.printer).job
    return await print_until_done(
        port, job, PRINTING_VOUCHER, TAKE_VOUCHER, VOUCHER_NOT_PRINTED,
        lambda problem: fill(VOUCHER_NOT_PRINTED_BODY, problem=problem, serial=voucher.serial),
    )  # fmt: skip


# --- the centre ----------------------------------------------------------------------


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
    status: str
    generation: int

    @classmethod
    def from_reply(cls, data: dict[str, Any]) -> CardOnRecord:
        return cls(str(data["card_number"]), str(data["status"]), int(data.get("generation", 3)))


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


# --- the outbox ----------------------------------------------------------------------


def idempotency_key(kind: Kind | str, reference: str | None = None) -> str:
    """One per business action: the voucher serial when there is one, else a fresh UUID."""
    return f"{kind}:{reference or uuid.uuid4().hex}"


def store_record(services, kind: Kind, payload: dict[str, Any], *, voucher: Voucher | None = None, cancel=None) -> int:
    """The record in the outbox, durably (with its voucher's fields, for a reprint); its item id.

    `cancel` is ignored on purpose: a write, once begun, finishes."""
    key = idempotency_key(kind, voucher.serial if voucher is not None else None)
    with services.outbox.transaction() as tx:
        item = tx.enqueue(kind, payload, idempotency_key=key, voucher=voucher)
    log.info("%s stored as outbox item %d", kind, item.id)
    return item.id


def issue_voucher(
    services, service: str, name: str, id_number: str, next_steps: tuple[Bilingual, ...], proxy: Identity | None = None
) -> Voucher:
    """A voucher with this terminal's next serial; Voucher.issue masks the names and ID numbers."""
    config = services.config
    issued_at = services.now().replace(second=0, microsecond=0)
    serial = services.serials.next(config.outlet_id, config.terminal_id, issued_at.date())
    return Voucher.issue(
        serial=serial, service=service, issued_at=issued_at, holder_name=name, id_number=id_number,
        outlet=services.outlet, policy=services.policy, next_steps=next_steps,
        proxy=(proxy.name, proxy.number) if proxy else None,
    )  # fmt: skip


def record_and_send(services, kind: Kind, payload: dict[str, Any], voucher: Voucher, cancel=None) -> tuple[int, ItemState]:
    """Stored first, then one quick try to send it (this kind first: the queue is by priority).

    (outbox item id, its state after the try): SENT, still PENDING (the centre could not be
    reached; the sync worker goes on trying) or REJECTED (the centre refused it; staff are
    alerted). A StoreError means nothing was kept."""
    item_id = store_record(services, kind, payload, voucher=voucher)
    services.deliver_now(item_id, cancel)
    return item_id, services.outbox.item(item_id).state


