"""One operation's time limit and cancel token, checked before each card command.

A command already sent cannot be taken back (SCardTransmit does not stop), so an operation
stops at its next command once its time is up or the resident has walked away.
"""

from __future__ import annotations

import time

from kiosk.drivers.card.errors import CardFailure
from kiosk.drivers.status import CancelToken, Recovery, ResultCode


class Deadline:
    def __init__(self, seconds: float, cancel: CancelToken | None = None) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.cancel = cancel

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def check(self, doing: str) -> None:
        if self.cancel is not None and self.cancel.cancelled:
            raise CardFailure(ResultCode.CANCELLED, f"cancelled while {doing}")
        if self.remaining() <= 0:
            raise CardFailure(ResultCode.TIMEOUT, f"timed out after {self.seconds:g} s while {doing}", Recovery.RETRY)
