"""The reader's side of a card operation: pcscd's context, the connected card, waiting for a
card, and what the reader reports about itself.

    connection = CardConnection(ReaderChoice.from_url("pcsc://"))
    connection.run("reading the card", step, timeout_s=10, cancel=None)   # Completion

`run` hands `step(session, deadline)` a connected card and turns whatever it raises into a
Completion, so the card application's commands (application.py) never deal with readers,
contexts or pcscd restarts. The connection to a card is kept between operations (a
verified PIN stays verified) until the card is taken out or `close()`. Operations run one
at a time.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable, TypeVar

from kiosk.drivers.card.errors import CardFailure
from kiosk.drivers.card.pcsc import Channel, Context, PcscFailure, ReaderChoice, choose_reader
from kiosk.drivers.card.deadline import Deadline
from kiosk.drivers.card.session import Session, Trace
from kiosk.drivers.status import CancelToken, Completion, DeviceKind, DeviceState, DeviceStatus, MediaState, Recovery
from kiosk.drivers.status import ResultCode, StatusReporter

log = logging.getLogger(__name__)

T = TypeVar("T")
CARD_WAIT_POLL_S = 0.1
# After these the card is not where the session thinks it is: connect afresh next time.
CARD_GONE = (ResultCode.NO_DEVICE, ResultCode.NO_MEDIA, ResultCode.MEDIA_REMOVED)


class CardConnection:
    def __init__(self, choice: ReaderChoice, trace: Trace | None = None) -> None:
        self.choice = choice
        self.trace = trace
        self.reporter = StatusReporter(DeviceStatus(DeviceKind.CARD_READER, DeviceState.OFFLINE, MediaState.UNKNOWN))
        self._context: Context | None = None
        self._session: Session | None = None
        self._lock = threading.RLock()

    def run(
        self, what: str, step: Callable[..., T], timeout_s: float, cancel: CancelToken | None, *args: object
    ) -> Completion[T]:
        """`step(session, deadline, *args)` on the connected card within `timeout_s`; a
        failure as a Completion."""
        with self._lock:
            deadline = Deadline(timeout_s, cancel)
            try:
                session = self._ensure_session(deadline)
                value = session.run(what, lambda s, d: step(s, d, *args), deadline)
            except CardFailure as failure:
                return self._failed(what, failure)
            except PcscFailure as failure:
                return self._failed(what, CardFailure.from_pcsc(failure))
        self._report(DeviceState.ONLINE, MediaState.PRESENT, f"card in {session.reader}")
        return Completion.success(value)

    def wait_for_card(self, timeout_s: float, cancel: CancelToken | None) -> Completion[str]:
        """The name of the reader holding a card, once one does; NO_DEVICE at once if there is
        no reader, NO_MEDIA if no card came within `timeout_s`."""
        deadline = Deadline(timeout_s, cancel)
        while True:
            try:
                with self._lock:
                    context = self._ensure_context()
                    state = choose_reader(context, self.choice)
                self._report(DeviceState.ONLINE, MediaState.PRESENT, f"card in {state.name}")
                return Completion.success(state.name)
            except PcscFailure as failure:
                if failure.code is not ResultCode.NO_MEDIA:
                    self._forget_context(failure)
                    self._report_failure(failure.code, failure.reason)
                    return Completion.failure(failure.code, failure.reason, failure.recovery)
                self._report(DeviceState.ONLINE, MediaState.NOT_PRESENT, failure.reason)
            if cancel is not None and cancel.cancelled:
                return Completion.failure(ResultCode.CANCELLED, "cancelled while waiting for a card")
            if deadline.remaining() <= 0:
                return Completion.failure(
                    ResultCode.NO_MEDIA, f"no card was put in within {timeout_s:g} s", Recovery.RESIDENT_CAN_FIX
                )
            wait = min(CARD_WAIT_POLL_S, max(0.0, deadline.remaining()))
            if cancel is not None:
                cancel.wait(wait)
            else:
                time.sleep(wait)

    def status(self) -> DeviceStatus:
        """What the last operation or `refresh_status` found; no I/O."""
        return self.reporter.status

    def refresh_status(self, cancel: CancelToken | None = None) -> Completion[DeviceStatus]:
        """Ask pcscd for the reader and its card: ONLINE with the media, or NO_DEVICE (a
        failure) without pcscd or the reader."""
        if cancel is not None and cancel.cancelled:
            return Completion.failure(ResultCode.CANCELLED, "cancelled before asking for the reader's status")
        with self._lock:
            try:
                context = self._ensure_context()
                readers = context.readers()
                if not readers:
                    return self._status_failure(ResultCode.NO_DEVICE, "no card reader is connected")
                if self.choice.name is not None:
                    name = self.choice.match(readers)
                    if name is None:
                        reason = f"no {self.choice.describe()} (readers: {', '.join(readers)})"
                        return self._status_failure(ResultCode.NO_DEVICE, reason)
                    readers = [name]
                states = context.states(readers)
            except PcscFailure as failure:
                self._forget_context(failure)
                return self._status_failure(failure.code, failure.reason)
        holding = [s.name for s in states if s.present]
        media = MediaState.PRESENT if holding else MediaState.NOT_PRESENT
        detail = f"card in {holding[0]}" if holding else f"no card ({', '.join(readers)})"
        return Completion.success(self._report(DeviceState.ONLINE, media, detail))

    def close(self) -> None:
        with self._lock:
            self._drop_session()
            if self._context is not None:
                self._context.release()
                self._context = None

    # --- context and session -----------------------------------------------------------

    def _failed(self, what: str, failure: CardFailure) -> Completion:
        log.info("%s failed: %s (%s)", what, failure.reason, failure.code)
        session = self._session
        if failure.code in CARD_GONE or (session is not None and session.broken):
            self._drop_session()
        if failure.code is ResultCode.NO_DEVICE:
            self._forget_context(None)
            self._report_failure(failure.code, failure.reason)
        elif failure.code in (ResultCode.NO_MEDIA, ResultCode.MEDIA_REMOVED):
            self._report(DeviceState.ONLINE, MediaState.NOT_PRESENT, failure.reason)
        return failure.completion()

    def _ensure_context(self) -> Context:
        if self._context is None:
            self._context = Context()
        return self._context

    def _forget_context(self, failure: PcscFailure | None) -> None:
        """After pcscd went away its context is dead: the next call makes a new one."""
        if failure is not None and failure.code is not ResultCode.NO_DEVICE:
            return
        self._drop_session()
        if self._context is not None:
            try:
                self._context.release()
            except Exception:  # pyscard on a dead pcscd: nothing left to release
                pass
            self._context = None

    def _ensure_session(self, deadline: Deadline) -> Session:
        deadline.check("connecting to the card")
        session = self._session
        if session is not None and not session.broken and session.channel.alive():
            return session
        self._drop_session()
        for attempt in (1, 2):
            try:
                context = self._ensure_context()
                state = choose_reader(context, self.choice)
                channel = Channel(context, state.name)
                break
            except PcscFailure as failure:
                if failure.code is ResultCode.NO_DEVICE and attempt == 1 and self._context is not None:
                    self._forget_context(failure)  # a context from before a pcscd restart: try a fresh one
                    continue
                raise
        self._session = Session(channel, self.trace)
        log.info("connected to the card in %s (%s)", channel.reader, channel.protocol_name)
        return self._session

    def _drop_session(self) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        if session.stuck:  # its context would block on the stuck command: give both up
            context, self._context = self._context, None
            session.close(context)
        else:
            session.close()

    # --- status --------------------------------------------------------------------------

    def _report(self, state: DeviceState, media: MediaState, detail: str, recovery: Recovery = Recovery.NONE) -> DeviceStatus:
        return self.reporter.update(state=state, media=media, detail=detail, recovery=recovery)

    def _status_failure(self, code: ResultCode, reason: str) -> Completion[DeviceStatus]:
        status = self._report_failure(code, reason)
        return Completion.failure(code, reason, status.recovery)

    def _report_failure(self, code: ResultCode, reason: str) -> DeviceStatus:
        if code is ResultCode.NO_DEVICE:
            return self._report(DeviceState.NO_DEVICE, MediaState.UNKNOWN, reason, Recovery.NEEDS_MAINTENANCE)
        return self._report(DeviceState.HARDWARE_ERROR, MediaState.UNKNOWN, reason, Recovery.RETRY)
