"""An exchange of APDUs with one card, under one deadline, cancellable between commands.

T=0 plumbing lives here, once: `61xx` (bytes waiting) is fetched with GET RESPONSE
`00 C0 00 00 xx`, `6Cxx` (wrong Le) is answered by sending the command again with Le = xx.

A session's operations run on its own worker thread (`run`), so that a card that never
answers costs the caller the operation's timeout and not forever. SCardTransmit cannot be
interrupted, and pcsc-lite serialises calls on one context, so a session whose command
hangs is abandoned whole: its disconnect and its context's release are queued behind the
stuck command on the same worker, and the reader starts afresh with a new context.

Only `Command.hex()` (secret data masked) and status words are logged; response data,
which is personal, never is.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Callable, TypeVar

from kiosk.drivers.card.apdu import Command, Response, describe_sw, get_response
from kiosk.drivers.card.deadline import Deadline
from kiosk.drivers.card.errors import CardFailure, no_answer
from kiosk.drivers.card.pcsc import Channel, Context, PcscFailure
from kiosk.drivers.status import Recovery, ResultCode

log = logging.getLogger(__name__)

T = TypeVar("T")
Trace = Callable[[str], None]
MAX_CHAINED_RESPONSES = 16


class Session:
    """A connected card; `broken` once an exchange failed in a way that leaves the
    connection unusable (the card went, a command hung)."""

    def __init__(self, channel: Channel, trace: Trace | None = None) -> None:
        self.channel = channel
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="card-apdu")
        self._last: Future | None = None
        self.trace = trace
        self.broken = False
        self.apdus = 0
        # What the card has shown in this session; reset when the card is reset.
        self.ssse_selected = False
        self.working_form = None  # the READ RECORD form this card answered, once known
        self.authenticated = False

    @property
    def reader(self) -> str:
        return self.channel.reader

    @property
    def atr(self) -> bytes:
        return self.channel.atr

    def run(self, what: str, step: Callable[["Session", Deadline], T], deadline: Deadline) -> T:
        """`step(self, deadline)` on the worker thread; TIMEOUT if it is not done in time
        (it stops by itself at its next command: the deadline has passed)."""
        self._last = future = self.executor.submit(step, self, deadline)
        try:
            return future.result(timeout=max(0.0, deadline.remaining()) + 0.05)
        except FutureTimeout:
            self.broken = True
            raise no_answer(deadline.seconds, what) from None

    @property
    def stuck(self) -> bool:
        """A command is still inside pcscd after its caller gave up on it."""
        return self._last is not None and not self._last.done()

    def _transmit(self, cmd: Command, deadline: Deadline) -> Response:
        deadline.check(f"sending {cmd.name or 'a command'}")
        try:
            raw = self.channel.transmit(cmd.to_bytes())
        except PcscFailure as failure:
            self.broken = True
            raise CardFailure.from_pcsc(failure) from None
        self.apdus += 1
        if len(raw) < 2:  # no status word: a reader or card fault, answered as one (never a ValueError)
            raise CardFailure(ResultCode.PROTOCOL_ERROR, f"{cmd.name or 'a command'}: the card answered "
                              f"{len(raw)} byte(s), without a status word", Recovery.RETRY)  # fmt: skip
        response = Response.from_bytes(raw)
        line = f"{cmd.hex()} -> {response.sw:04X} ({len(response.data)} bytes)"
        log.debug("%s: %s", self.channel.reader, line)
        if self.trace is not None:
            self.trace(line)
        return response

    def exchange(self, cmd: Command, deadline: Deadline) -> Response:
        """Send `cmd`; follow 6Cxx (once) and 61xx (GET RESPONSE, chained) to the answer."""
        response = self._transmit(cmd, deadline)
        if response.sw1 == 0x6C and cmd.le is not None:
            response = self._transmit(cmd.with_le(response.sw2), deadline)
        data = b""
        for _ in range(MAX_CHAINED_RESPONSES):
            if response.sw1 != 0x61:
                return Response(data + response.data, response.sw)
            data += response.data
            response = self._transmit(get_response(response.sw2), deadline)
            if response.sw1 == 0x6C:  # the card corrected the length it announced
                response = self._transmit(get_response(response.sw2), deadline)
        raise CardFailure(
            ResultCode.PROTOCOL_ERROR,
            f"{cmd.name}: the card kept announcing more data ({describe_sw(response.sw)})",
            Recovery.RETRY,
        )

    def close(self, context: Context | None = None) -> None:
        """Disconnect, leaving the card powered (its PIN state intact). A stuck session is
        closed behind its stuck command, together with `context` (which it would block)."""
        if self.stuck:
            self.executor.submit(self._disconnect)
            if context is not None:
                self.executor.submit(context.release)
        else:
            self._disconnect()
        self.executor.shutdown(wait=False)

    def _disconnect(self) -> None:
        try:
            self.channel.disconnect()
        except PcscFailure:
            pass
