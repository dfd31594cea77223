"""How a card operation fails: one exception inside the driver, a Completion outside.

Inside, any step may raise `CardFailure`; the driver's public methods turn it into a
`Completion.failure(...)` at their boundary, so callers only ever see values. Reasons are
for technicians and never contain card data or a PIN; resident-facing text for the same
failures is in `messages.py`.
"""

from __future__ import annotations

from kiosk.drivers.card.apdu import SW_BLOCKED, Command, describe_sw
from kiosk.drivers.card.pcsc import PcscFailure
from kiosk.drivers.status import Completion, Recovery, ResultCode


class CardFailure(Exception):
    def __init__(self, code: ResultCode, reason: str, recovery: Recovery = Recovery.NONE, **detail) -> None:
        self.code = code
        self.reason = reason
        self.recovery = recovery
        self.detail = detail
        super().__init__(reason)

    @classmethod
    def from_pcsc(cls, failure: PcscFailure) -> "CardFailure":
        detail = {"hresult": f"0x{failure.hresult:08X}"} if failure.hresult is not None else {}
        return cls(failure.code, failure.reason, failure.recovery, **detail)

    def completion(self) -> Completion:
        return Completion.failure(self.code, self.reason, self.recovery, **self.detail)


def unexpected(cmd: Command, sw: int) -> CardFailure:
    """The card refused a command the driver had every reason to expect it to accept."""
    return CardFailure(
        ResultCode.DEVICE_ERROR,
        f"{cmd.name or 'command'} refused: {describe_sw(sw)}",
        Recovery.RESIDENT_CAN_FIX,
        sw=f"{sw:04X}",
    )


def pin_refused(cmd: Command, sw: int) -> CardFailure:
    """A PIN command's answer other than 9000, in the shared vocabulary:
    wrong PIN (63Cx) -> REFUSED with tries_left; blocked (6983, or 63C0) -> DEVICE_ERROR."""
    if sw == SW_BLOCKED or sw == 0x63C0:
        return CardFailure(
            ResultCode.DEVICE_ERROR,
            "the PIN is blocked: reset it (needs the centre online) or unlock it at the service window",
            Recovery.STAFF_CAN_CLEAR,
            sw=f"{sw:04X}",
            tries_left=0,
            blocked=True,
        )
    if sw & 0xFFF0 == 0x63C0:
        tries = sw & 0x0F
        return CardFailure(
            ResultCode.REFUSED,
            f"wrong PIN, {tries} {'try' if tries == 1 else 'tries'} left",
            Recovery.RESIDENT_CAN_FIX,
            sw=f"{sw:04X}",
            tries_left=tries,
            blocked=False,
        )
    if sw == 0x6A80:
        return CardFailure(ResultCode.INVALID_DATA, "the card refused the PIN's format", Recovery.RESIDENT_CAN_FIX, sw=f"{sw:04X}")
    if sw == 0x6988:
        return CardFailure(ResultCode.REFUSED, "the card refused the PIN reload block (its MAC is wrong)", Recovery.RETRY, sw=f"{sw:04X}")
    return unexpected(cmd, sw)
