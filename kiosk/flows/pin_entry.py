"""The card's PIN on the pin pad: checked on the card with the tries counted down, and a new
one chosen twice, refusing easy ones.

PINs arrive from the pin pad as a bytearray of ASCII digits (`EnteredPin` holds it) and are
wiped as soon as the card has had them. The driver's `Pin` still takes a `str` (it cannot
be wiped; it lives only for the one driver call).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Awaitable, Callable

from kiosk.domain.pin_rules import PIN_LENGTH, pin_problem
from kiosk.drivers.card import CardData, CardReader, Pin, resident_message
from kiosk.drivers.status import Completion, Detail, ResultCode
from kiosk.flows.card_in_reader import CARD_PROBLEM
from kiosk.flows.identify import BACK_OPTION
from kiosk.flows.port import FlowPort
from kiosk.flows.record import keep_without_voucher
from kiosk.flows.steps import ENDED, HOME, OK_OPTION, RETRY, Option
from kiosk.flows.window_guidance import blocked_pin
from kiosk.i18n import Bilingual, bi
from kiosk.offline.database import StoreError
from kiosk.offline.outbox import Kind

log = logging.getLogger(__name__)
BlockedStep = Callable[[FlowPort], Awaitable[str]]  # what to say of a blocked PIN: ENDED or HOME

ENTER_PIN = bi("请输入社保卡密码", "Please enter your card PIN")
ENTER_PIN_HINT = bi("6位数字", "6 digits")
WRONG_PIN = bi("密码不对", "Wrong PIN")
LAST_TRY = bi(
    "再输错一次，密码就会被锁定。想不起来，可以点“上一步”，用身份证办理“重置密码”。",
    "One more wrong try locks the PIN. If you cannot remember it, press “Back” and use “Reset PIN” with your ID card.",
)
TRY_AGAIN_PIN = Option(RETRY, bi("重新输入密码", "Enter the PIN again"))
NEW_PIN = bi("请输入新密码", "Enter your new PIN")
NEW_PIN_HINT = bi(
    "6位数字。不要用生日、相同或连着的数字。",
    "6 digits. Not your birthday, not the same digit, not digits in a row.",
)
NEW_PIN_AGAIN = bi("请再输入一次新密码", "Enter the new PIN again")
PIN_NOT_ALLOWED = bi("这个密码太容易被猜到", "This PIN is too easy to guess")
PINS_DIFFER = bi("两次输入的新密码不一样", "The two new PINs are not the same")
KEEP_SECRET = bi(
    "请记住新密码，不要告诉任何人。社保中心和银行不会向您要密码。",
    "Remember the new PIN and tell it to nobody. The card centre and the banks never ask for it.",
)
PINS_DIFFER_BODY = bi("请重新设置新密码。", "Please choose the new PIN again.")


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


async def verified_pin(
    port: FlowPort, *, keep: bool = False, title: Bilingual = ENTER_PIN, blocked: BlockedStep = blocked_pin
) -> EnteredPin | str:
    """The holder's PIN, checked on the card (wrong: the tries left; blocked: `blocked`, by
    default the resident's way to the window).

    keep=True hands the caller the typed PIN (for CHANGE PIN, which sends the old PIN
    again) to use in a `with` block; otherwise it is wiped once the card has checked it
    and the returned EnteredPin is empty.
    """
    reader: CardReader = port.services.card_reader
    status = await port.device(reader.pin_status)
    if status.ok and status.value.blocked:
        return await blocked(port)
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
        answer = await pin_refused(port, done, blocked)
        if answer != RETRY:
            return answer


async def pin_refused(port: FlowPort, done: Completion, blocked: BlockedStep = blocked_pin) -> str:
    """What the card said to a PIN command it did not carry out: RETRY (a wrong PIN, typed
    again), BACK, HOME, or ENDED (blocked: `blocked`; the card gone or failing: said so)."""
    if done.detail.get(Detail.BLOCKED):
        return await blocked(port)
    if done.code is ResultCode.REFUSED and Detail.TRIES_LEFT in done.detail:
        body = resident_message(done)
        if done.detail[Detail.TRIES_LEFT] == 1:
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
    reader: CardReader = port.services.card_reader
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
        await port.device(keep_without_voucher, services, Kind.PIN_CHANGE_RECORD, payload, service=port.service)
    except StoreError as exc:  # the card has the new PIN either way; staff see the log
        log.error("the PIN change record could not be stored: %s", exc)
        return
    services.sync.wake()
