"""How a card operation fails: one exception inside the driver, a Completion outside.

Inside, any step may raise `CardFailure`; the driver's public methods turn it into a
`Completion.failure(...)` at their boundary, so callers only ever see values. Reasons are
for technicians and never contain card data or a PIN; resident-facing text for the same
failures is in `messages.py`. The detail keys flows read are `Detail` members.

The failures a card's answer can mean are built here only, so that the real driver and the
in-process fake (fake.py) end the same case with the same code, recovery and detail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from kiosk.drivers.card.apdu import SW_BLOCKED, SW_SM_WRONG, SW_WRONG_DATA, Command, describe_sw
from kiosk.drivers.card.auth import NO_PSAM_REASON
from kiosk.drivers.card.pin import BadPin, Pin, as_pin
from kiosk.drivers.status import Completion, Detail, Recovery, ResultCode

if TYPE_CHECKING:
    from kiosk.drivers.card.pcsc import PcscFailure

SW_PIN_TRIES = 0x63C0  # 63Cx: a wrong PIN, x tries left (63C0: none, blocked)
RELOAD_BLOCK_BYTES = 20


class CardFailure(Exception):
    def __init__(self, code: ResultCode, reason: str, recovery: Recovery = Recovery.NONE, detail: dict | None = None) -> None:
        self.code = code
        self.reason = reason
        self.recovery = recovery
        self.detail = dict(detail or {})
        super().__init__(reason)

    @classmethod
    def from_pcsc(cls, failure: "PcscFailure") -> "CardFailure":
        detail = {"hresult": f"0x{failure.hresult:08X}"} if failure.hresult is not None else {}
        return cls(failure.code, failure.reason, failure.recovery, detail)

    def completion(self) -> Completion:
        return Completion(self.code, None, self.reason, self.recovery, dict(self.detail))


def sw_detail(sw: int) -> dict:
    return {Detail.SW: f"{sw:04X}"}


@dataclass(frozen=True)
class Refusal:
    """A status word a command may meet that means something of its own."""

    code: ResultCode
    reason: str
    recovery: Recovery

    def failure(self, sw: int) -> CardFailure:
        return CardFailure(self.code, self.reason, self.recovery, sw_detail(sw))


NOT_SSSE = Refusal(
    ResultCode.INVALID_DATA,
    "this is not a social security card: it has no SSSE application (SELECT answered 6A82)",
    Recovery.RESIDENT_CAN_FIX,
)
WRONG_PSAM_KEY = Refusal(
    ResultCode.DEVICE_ERROR,
    "the card refused the terminal's EXTERNAL AUTHENTICATE (6300): wrong PSAM key?",
    Recovery.NEEDS_MAINTENANCE,
)
HOLDER_DATA_REFUSED = Refusal(
    ResultCode.DEVICE_ERROR,
    "the card still refuses the holder data after EXTERNAL AUTHENTICATE (6982)",
    Recovery.NEEDS_MAINTENANCE,
)
NO_CHALLENGE = Refusal(
    ResultCode.PROTOCOL_ERROR,
    "the card had no challenge for this reload block (GET CHALLENGE first, same card session)",
    Recovery.RETRY,
)
PIN_FORM_REFUSED = Refusal(ResultCode.INVALID_DATA, "the card refused the PIN's format", Recovery.RESIDENT_CAN_FIX)
RELOAD_BLOCK_REFUSED = Refusal(ResultCode.REFUSED, "the card refused the PIN reload block (its MAC is wrong)", Recovery.RETRY)
PIN_REFUSALS = {SW_WRONG_DATA: PIN_FORM_REFUSED, SW_SM_WRONG: RELOAD_BLOCK_REFUSED}


def no_psam() -> CardFailure:
    """A 3.00 card's holder data, and no PSAM to authenticate with."""
    return CardFailure(ResultCode.DEVICE_ERROR, NO_PSAM_REASON, Recovery.NEEDS_MAINTENANCE)


def no_answer(seconds: float, what: str) -> CardFailure:
    """The card did not answer within the operation's time."""
    return CardFailure(ResultCode.TIMEOUT, f"the card did not answer in {seconds:g} s while {what}", Recovery.RESIDENT_CAN_FIX)


def unexpected(cmd: Command, sw: int) -> CardFailure:
    """The card refused a command the driver had every reason to expect it to accept."""
    return CardFailure(
        ResultCode.DEVICE_ERROR,
        f"{cmd.name or 'command'} refused: {describe_sw(sw)}",
        Recovery.RESIDENT_CAN_FIX,
        sw_detail(sw),
    )


def pin_blocked(sw: int = SW_BLOCKED) -> CardFailure:
    """The PIN is blocked (6983, or 63C0 on the try that blocked it): DEVICE_ERROR, blocked."""
    return CardFailure(
        ResultCode.DEVICE_ERROR,
        "the PIN is blocked: reset it (needs the centre online) or unlock it at the service window",
        Recovery.STAFF_CAN_CLEAR,
        {**sw_detail(sw), Detail.TRIES_LEFT: 0, Detail.BLOCKED: True},
    )


def wrong_pin(tries: int) -> CardFailure:
    """A wrong PIN with `tries` (1 or more) left: REFUSED, the tries left."""
    return CardFailure(
        ResultCode.REFUSED,
        f"wrong PIN, {tries} {'try' if tries == 1 else 'tries'} left",
        Recovery.RESIDENT_CAN_FIX,
        {**sw_detail(SW_PIN_TRIES | tries), Detail.TRIES_LEFT: tries, Detail.BLOCKED: False},
    )


def pin_refused(cmd: Command, sw: int) -> CardFailure:
    """A PIN command's answer other than 9000, in the shared vocabulary:
    wrong PIN (63Cx) -> REFUSED with tries_left; blocked (6983, or 63C0) -> DEVICE_ERROR."""
    if sw in (SW_BLOCKED, SW_PIN_TRIES):
        return pin_blocked(sw)
    if sw & 0xFFF0 == SW_PIN_TRIES:
        return wrong_pin(sw & 0x0F)
    if sw in PIN_REFUSALS:
        return PIN_REFUSALS[sw].failure(sw)
    return unexpected(cmd, sw)


# --- what the caller handed in, refused before any card command -------------------------


def with_pins(pins: tuple[Pin | str, ...], operation: Callable[..., Completion]) -> Completion:
    """`operation(*pins)` with each a Pin; INVALID_DATA, without calling it, when one is not
    4 to 12 digits (the reason says what is wrong with its form, never what it is)."""
    try:
        checked = [as_pin(pin) for pin in pins]
    except BadPin as exc:
        return Completion.failure(ResultCode.INVALID_DATA, str(exc), Recovery.RESIDENT_CAN_FIX)
    return operation(*checked)


def bad_reload_block(block: object) -> Completion | None:
    """INVALID_DATA unless `block` is the 20 bytes of a PIN reload block."""
    if isinstance(block, (bytes, bytearray)) and len(block) == RELOAD_BLOCK_BYTES:
        return None
    return Completion.failure(ResultCode.INVALID_DATA, f"a PIN reload block is {RELOAD_BLOCK_BYTES} bytes")
