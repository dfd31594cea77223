"""An in-process card reader for flow tests: no pcscd, no APDUs, no threads of its own.

    reader = FakeCardReader()
    reader.insert(FakeCard(name="王芳", pin="123456", pin_retry_limit=6))
    reader.verify_pin("000000").detail[Detail.TRIES_LEFT]       # 5
    reader.remove(during_next_command=True)                     # pulled out mid-command
    reader.unplug()                                             # the reader gone: NO_DEVICE

It has CardReader's methods (interface.py) and ends every case with the Completion the real
driver gives for it: the failures come from errors.py, which both use. A test steers it from
any thread (`insert`, `remove`, `unplug`, `plug_in`, `answer_delay_s`) and reads what was
asked in `operations` (names only, never a PIN).

Like the real driver, `status()` changes with operations and `refresh_status()`, not at the
moment a card goes in (the real one learns that from pcscd when it asks).

PIN reload: the centre's block is opened by `reload_opener(challenge, block) -> new PIN | None`.
The default opens `fake_reload_block(challenge, pin)`; a test with the centre simulator hands
in the simulator's own opener (hwsim.card.crypto.open_reload_block with its test key).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Callable, TypeVar

from kiosk.drivers.card.apdu import SW_BLOCKED, SW_CONDITIONS_NOT_SATISFIED, SW_FILE_NOT_FOUND, SW_SM_WRONG
from kiosk.drivers.card.deadline import Deadline
from kiosk.drivers.card.errors import (
    NO_CHALLENGE,
    NOT_SSSE,
    RELOAD_BLOCK_REFUSED,
    SW_PIN_TRIES,
    CardFailure,
    bad_reload_block,
    no_answer,
    no_psam,
    pin_blocked,
    with_pins,
    wrong_pin,
)
from kiosk.drivers.card.interface import PinStatus
from kiosk.drivers.card.pin import Pin
from kiosk.drivers.card.records import CardData
from kiosk.drivers.card.staff import NOT_STAFF, StaffCredential
from kiosk.drivers.id_reader.nations import nation_by_code
from kiosk.drivers.status import CancelToken, Completion, DeviceKind, DeviceState, DeviceStatus, MediaState, Recovery
from kiosk.drivers.status import ResultCode, StatusReporter

T = TypeVar("T")
FAKE_READER = "Fake PCD 00 00"
FAKE_ATR = "3B6D000080318065B0831100C883009000"
CHALLENGE_BYTES = 8
WAIT_POLL_S = 0.02  # how often wait_for_card looks at its cancel token
OpenReloadBlock = Callable[[bytes, bytes], "str | None"]


@dataclass(eq=False)
class FakeCard:
    """A social security card: what its chip holds and its PIN counter (card memory, kept
    when the card is taken out). `social_security=False` is another kind of card."""

    name: str = "王芳"
    social_security_number: str = "500115199002151283"
    card_number: str = "C50011521"
    generation: int = 3
    birth_date: date | None = None  # None: the one in the ID number
    sex: str | None = None  # 男 / 女; None: the one in the ID number
    nation_code: str = "01"
    region_code: str = "500115"
    issue_date: date = date(2024, 3, 15)
    expiry_date: date = date(2034, 3, 15)
    pin: str = field(default="123456", repr=False)
    pin_retry_limit: int = 6
    pin_tries_left: int | None = None  # None: the retry limit
    social_security: bool = True
    staff: StaffCredential | None = None  # an outlet staff card's staff application
    # What the chip forgets when it loses power (taken out, or put in again).
    verified: bool = field(default=False, init=False)
    challenge: bytes | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.pin_tries_left is None:
            self.pin_tries_left = self.pin_retry_limit
        if self.birth_date is None:
            digits = self.social_security_number[6:14]
            self.birth_date = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
        if self.sex is None:
            self.sex = "男" if int(self.social_security_number[16]) % 2 else "女"

    def power_on(self) -> None:
        self.verified = False
        self.challenge = None

    def data(self, reader: str) -> CardData:
        nation = nation_by_code(self.nation_code)
        return CardData(
            card_id_code=f"{self.region_code}D156000005{self.card_number.encode().hex().upper()[:16]:0<16}",
            region_code=self.region_code,
            card_type="3",
            spec_version=f"{self.generation}.00",
            generation=self.generation,
            init_org=f"{self.region_code}00",
            issue_date=self.issue_date,
            expiry_date=self.expiry_date,
            card_number=self.card_number,
            social_security_number=self.social_security_number,
            name=self.name,
            sex=self.sex,
            nation_code=self.nation_code,
            nation=nation.name.zh if nation else f"未知({self.nation_code})",
            birthplace_code=self.region_code,
            birth_date=self.birth_date,
            atr=FAKE_ATR,
            reader=reader,
        )

    # --- what the chip does with a PIN -------------------------------------------------

    def check_pin(self, pin: Pin) -> None:
        """VERIFY, and the old PIN of CHANGE PIN: counts down when wrong, blocks at 0."""
        if self.pin_tries_left == 0:
            raise pin_blocked(SW_BLOCKED)
        if pin != Pin(self.pin):
            self.pin_tries_left -= 1
            self.verified = False
            if self.pin_tries_left == 0:
                raise pin_blocked(SW_PIN_TRIES)
            raise wrong_pin(self.pin_tries_left)
        self.pin_tries_left = self.pin_retry_limit
        self.verified = True

    def change_pin(self, old: Pin, new: Pin) -> None:
        self.check_pin(old)
        self.pin = digits_of(new)

    def pin_state(self) -> PinStatus:
        if self.pin_tries_left == 0:
            return PinStatus(0, verified=False, blocked=True)
        if self.verified:
            return PinStatus(None, verified=True, blocked=False)
        return PinStatus(self.pin_tries_left, verified=False, blocked=False)


def digits_of(pin: Pin) -> str:
    """The digits a Pin never shows; the fake card keeps its PIN as text."""
    return pin.bcd().hex().upper().rstrip("F")


def fake_reload_block(challenge: bytes, new_pin: str) -> bytes:
    """A 20-byte block the fake's default opener accepts: the challenge, the PIN's length and
    its BCD digits (F-padded, then FF). What a fake centre hands out; no secret in it."""
    digits = new_pin + "F" * (len(new_pin) % 2)
    return challenge + bytes([len(new_pin)]) + bytes.fromhex(digits).ljust(11, b"\xff")


def open_fake_reload_block(challenge: bytes, block: bytes) -> str | None:
    if block[:CHALLENGE_BYTES] != challenge:
        return None
    length = block[CHALLENGE_BYTES]
    digits = block[CHALLENGE_BYTES + 1 :].hex().upper()[:length]
    return digits if 4 <= length <= 12 and digits.isdigit() else None


class FakeCardReader:
    def __init__(self, *, reader: str = FAKE_READER, psam: bool = True, reload_opener: OpenReloadBlock = open_fake_reload_block) -> None:
        self.reader = reader
        self.psam = psam  # False: a terminal without a PSAM, which cannot read 3.00 cards
        self.reload_opener = reload_opener
        self.answer_delay_s = 0.0  # how long the card takes to answer each operation
        self.operations: list[str] = []
        self.closed = False
        self.reporter = StatusReporter(DeviceStatus(DeviceKind.CARD_READER, DeviceState.OFFLINE, MediaState.UNKNOWN))
        self._changed = threading.Condition(threading.RLock())
        self._card: FakeCard | None = None
        self._plugged = True
        self._pull_at_next_command = False

    # --- steering (the test's hands) ---------------------------------------------------

    @property
    def card(self) -> FakeCard | None:
        return self._card

    def insert(self, card: FakeCard | None = None) -> FakeCard:
        """Put `card` (a new FakeCard if none) in the reader, taking out any card there."""
        card = card or FakeCard()
        with self._changed:
            card.power_on()
            self._card = card
            self._pull_at_next_command = False
            self._changed.notify_all()
        return card

    def remove(self, *, during_next_command: bool = False) -> None:
        """Take the card out now, or while the next operation talks to it (MEDIA_REMOVED)."""
        with self._changed:
            if during_next_command:
                self._pull_at_next_command = True
            else:
                self._take_out()

    def unplug(self) -> None:
        with self._changed:
            self._plugged = False
            self._changed.notify_all()

    def plug_in(self) -> None:
        with self._changed:
            self._plugged = True
            self._changed.notify_all()

    # --- CardReader ----------------------------------------------------------------------

    def wait_for_card(self, *, timeout_s: float = 30.0, cancel: CancelToken | None = None) -> Completion[str]:
        self.operations.append("wait_for_card")
        until = time.monotonic() + timeout_s
        with self._changed:
            while True:
                if not self._plugged:
                    return self._failed(self._unplugged())
                if self._card is not None:
                    self._report(DeviceState.ONLINE, MediaState.PRESENT, f"card in {self.reader}")
                    return Completion.success(self.reader)
                self._report(DeviceState.ONLINE, MediaState.NOT_PRESENT, f"no card in {self.reader}")
                if cancel is not None and cancel.cancelled:
                    return Completion.failure(ResultCode.CANCELLED, "cancelled while waiting for a card")
                remaining = until - time.monotonic()
                if remaining <= 0:
                    return Completion.failure(
                        ResultCode.NO_MEDIA, f"no card was put in within {timeout_s:g} s", Recovery.RESIDENT_CAN_FIX
                    )
                self._changed.wait(min(WAIT_POLL_S, remaining))

    def read_basic(self, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[CardData]:
        return self._run("read_basic", "reading the card", self._read, timeout_s, cancel)

    def read_staff(self, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[StaffCredential]:
        return self._run("read_staff", "reading the staff application", self._staff, timeout_s, cancel)

    def pin_status(self, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[PinStatus]:
        return self._run("pin_status", "reading the PIN tries left", FakeCard.pin_state, timeout_s, cancel)

    def verify_pin(self, pin: Pin | str, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[None]:
        return with_pins((pin,), partial(self._run, "verify_pin", "verifying the PIN", FakeCard.check_pin, timeout_s, cancel))

    def change_pin(
        self, old: Pin | str, new: Pin | str, *, timeout_s: float = 10.0, cancel: CancelToken | None = None
    ) -> Completion[None]:
        return with_pins((old, new), partial(self._run, "change_pin", "changing the PIN", FakeCard.change_pin, timeout_s, cancel))

    def get_challenge(self, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[bytes]:
        return self._run("get_challenge", "getting a challenge", self._challenge, timeout_s, cancel)

    def reload_pin(self, block: bytes, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[None]:
        refused = bad_reload_block(block)
        if refused is not None:
            return refused
        return self._run("reload_pin", "reloading the PIN", self._reload, timeout_s, cancel, bytes(block))

    def status(self) -> DeviceStatus:
        return self.reporter.status

    def refresh_status(self, cancel: CancelToken | None = None) -> Completion[DeviceStatus]:
        if cancel is not None and cancel.cancelled:
            return Completion.failure(ResultCode.CANCELLED, "cancelled before asking for the reader's status")
        with self._changed:
            if not self._plugged:
                return self._failed(self._unplugged())
            if self._card is None:
                return Completion.success(self._report(DeviceState.ONLINE, MediaState.NOT_PRESENT, f"no card ({self.reader})"))
            return Completion.success(self._report(DeviceState.ONLINE, MediaState.PRESENT, f"card in {self.reader}"))

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> "FakeCardReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- the card's side -----------------------------------------------------------------

    def _read(self, card: FakeCard) -> CardData:
        if not card.social_security:
            raise NOT_SSSE.failure(SW_FILE_NOT_FOUND)
        if card.generation == 3:
            if not self.psam:
                raise no_psam()
            card.challenge = None  # EXTERNAL AUTHENTICATE used it
        return card.data(self.reader)

    @staticmethod
    def _staff(card: FakeCard) -> StaffCredential:
        if card.staff is None:
            raise NOT_STAFF.failure(SW_FILE_NOT_FOUND)
        return card.staff

    def _challenge(self, card: FakeCard) -> bytes:
        card.challenge = os.urandom(CHALLENGE_BYTES)
        return card.challenge

    def _reload(self, card: FakeCard, block: bytes) -> None:
        challenge, card.challenge = card.challenge, None
        if challenge is None:
            raise NO_CHALLENGE.failure(SW_CONDITIONS_NOT_SATISFIED)
        new = self.reload_opener(challenge, block)
        if new is None:
            raise RELOAD_BLOCK_REFUSED.failure(SW_SM_WRONG)
        card.pin = new
        card.pin_tries_left = card.pin_retry_limit
        card.verified = False

    # --- the machinery around every operation ----------------------------------------------

    def _run(
        self, name: str, what: str, step: Callable[..., T], timeout_s: float, cancel: CancelToken | None, *args: object
    ) -> Completion[T]:
        """`step(card, *args)` on the card in the reader, the way the real driver's run ends."""
        self.operations.append(name)
        deadline = Deadline(timeout_s, cancel)
        try:
            deadline.check("connecting to the card")
            with self._changed:
                card = self._reachable_card()
            self._answer_slowly(what, deadline)
            with self._changed:
                if self._pull_at_next_command:
                    self._take_out()
                if self._plugged and self._card is not card:
                    raise CardFailure(
                        ResultCode.MEDIA_REMOVED, f"the card was taken out in the middle of {what}", Recovery.RESIDENT_CAN_FIX
                    )
                value = step(self._reachable_card(), *args)
        except CardFailure as failure:
            return self._failed(failure)
        self._report(DeviceState.ONLINE, MediaState.PRESENT, f"card in {self.reader}")
        return Completion.success(value)

    def _reachable_card(self) -> FakeCard:
        if not self._plugged:
            raise self._unplugged()
        if self._card is None:
            raise CardFailure(ResultCode.NO_MEDIA, f"no card in {self.reader}", Recovery.RESIDENT_CAN_FIX)
        return self._card

    def _answer_slowly(self, what: str, deadline: Deadline) -> None:
        """The card takes `answer_delay_s`: TIMEOUT past the deadline, CANCELLED if cancelled."""
        delay = self.answer_delay_s
        if delay <= 0:
            return
        wait = min(delay, max(0.0, deadline.remaining()))
        cancel = deadline.cancel
        if cancel is not None and cancel.wait(wait):
            raise CardFailure(ResultCode.CANCELLED, f"cancelled while {what}")
        if cancel is None:
            time.sleep(wait)
        if delay > wait:
            raise no_answer(deadline.seconds, what)

    def _take_out(self) -> None:
        if self._card is not None:
            self._card.power_on()
        self._card = None
        self._pull_at_next_command = False
        self._changed.notify_all()

    def _unplugged(self) -> CardFailure:
        return CardFailure(ResultCode.NO_DEVICE, f"no card reader is connected ({self.reader} unplugged)", Recovery.NEEDS_MAINTENANCE)

    def _failed(self, failure: CardFailure) -> Completion:
        if failure.code is ResultCode.NO_DEVICE:
            self._report(DeviceState.NO_DEVICE, MediaState.UNKNOWN, failure.reason, Recovery.NEEDS_MAINTENANCE)
        elif failure.code in (ResultCode.NO_MEDIA, ResultCode.MEDIA_REMOVED):
            self._report(DeviceState.ONLINE, MediaState.NOT_PRESENT, failure.reason)
        return failure.completion()

    def _report(self, state: DeviceState, media: MediaState, detail: str, recovery: Recovery = Recovery.NONE) -> DeviceStatus:
        return self.reporter.update(state=state, media=media, detail=detail, recovery=recovery)
