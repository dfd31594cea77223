"""Card inserted / card removed as events, and the reader's status as it changes.

A thread blocks in SCardGetStatusChange (pyscard) on the watched readers plus pcscd's
`\\\\?PnP?\\Notification` pseudo-reader, so it wakes for a card and for a reader coming or
going. pcscd polls vpcd and most serial readers every 400 ms; USB CCID readers notify at
once. When pcscd is not running, or there is no reader, the status is NO_DEVICE and the
thread keeps trying every `retry_s`: a vanished reader is a status, not a crash.

Why not pyscard's CardMonitor (smartcard/CardMonitoring.py, 2.3): it is one singleton per
process; its thread waits up to 60 s in CardRequest before it notices stop(); when pcscd
goes away it prints a traceback and ends for good, so the kiosk would never hear of the
reader again; and it tells cards apart by reader and ATR, so a card swapped for another of
the same kind (same ATR, as all cards of one issue have) between two looks goes unseen.
This one stops at once (SCardCancel), reports NO_DEVICE and recovers, and uses pcscd's
event counter.

The thread is a kiosk.background.BackgroundLoop whose step watches one PC/SC context until
pcscd goes (then it waits `retry_s` and takes a new one); listeners are a Listeners list and
run on the monitor's thread: a Kivy screen hops to the UI thread itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Callable

from smartcard import scard

from kiosk.background import BackgroundLoop, Listeners
from kiosk.drivers.card.pcsc import Context, PcscFailure, ReaderChoice, failure_for
from kiosk.drivers.status import DeviceKind, DeviceState, DeviceStatus, MediaState, Recovery, StatusReporter

log = logging.getLogger(__name__)

PNP_NOTIFICATION = "\\\\?PnP?\\Notification"


class CardEventKind(StrEnum):
    INSERTED = "inserted"
    REMOVED = "removed"


@dataclass(frozen=True)
class CardEvent:
    kind: CardEventKind
    reader: str
    atr: bytes = b""

    def __repr__(self) -> str:
        return f"CardEvent({self.kind} in {self.reader!r})"


EventListener = Callable[[CardEvent], None]


class CardMonitor:
    def __init__(self, url: str = "pcsc://", *, poll_ms: int = 1000, retry_s: float = 0.5) -> None:
        self.choice = ReaderChoice.from_url(url)
        self.poll_ms = poll_ms
        self.retry_s = retry_s
        self.reporter = StatusReporter(DeviceStatus(DeviceKind.CARD_READER, DeviceState.OFFLINE, MediaState.UNKNOWN))
        self._listeners: Listeners[CardEvent] = Listeners("card monitor")
        self._loop = BackgroundLoop("card-monitor", self._watch_until_lost, lambda: self.retry_s)
        self._context: Context | None = None
        self._present: dict[str, tuple[int, bytes]] = {}  # reader -> (event counter, ATR) while a card is in

    def add_listener(self, listener: EventListener) -> None:
        self._listeners.add(listener)

    def remove_listener(self, listener: EventListener) -> None:
        self._listeners.remove(listener)

    def status(self) -> DeviceStatus:
        """The reader's status as the monitor last saw it; no I/O."""
        return self.reporter.status

    def start(self) -> "CardMonitor":
        if not self._loop.running:
            self._loop.start()
        return self

    def stop(self, timeout_s: float = 3.0) -> None:
        self._loop.stopping.set()  # first, so that the woken thread does not wait again
        context = self._context
        if context is not None:
            context.cancel()  # wakes SCardGetStatusChange at once
        self._loop.stop(timeout_s)

    # --- the thread --------------------------------------------------------------------

    def _watch_until_lost(self) -> None:
        """One step of the loop: watch with a new context until pcscd goes or the monitor
        stops; the loop waits `retry_s` before the next."""
        try:
            self._watch()
        except PcscFailure as failure:
            self._lost(failure.reason)
        except Exception:  # never let the monitor die silently
            log.exception("card monitor: unexpected failure")
            self._lost("card monitor failure (see log)")
        else:
            self._release()  # stopped

    def _release(self) -> None:
        context, self._context = self._context, None
        if context is not None:
            try:
                context.release()
            except Exception:
                pass

    def _lost(self, reason: str) -> None:
        """pcscd went away: every card counts as removed; a new context is needed."""
        self._release()
        self._no_reader(reason)

    def _no_reader(self, reason: str) -> None:
        for reader in list(self._present):
            self._emit(CardEvent(CardEventKind.REMOVED, reader))
        self._present.clear()
        self.reporter.update(state=DeviceState.NO_DEVICE, media=MediaState.UNKNOWN, detail=reason, recovery=Recovery.NEEDS_MAINTENANCE)

    def _watched(self, readers: list[str]) -> list[str]:
        if self.choice.name is None:
            return readers
        name = self.choice.match(readers)
        return [name] if name else []

    def _watch(self) -> None:
        self._context = Context()
        known: dict[str, int] = {PNP_NOTIFICATION: scard.SCARD_STATE_UNAWARE}
        readers: list[str] = []
        while not self._loop.stopping.is_set():
            readers = self._watched(self._context.readers())
            if not readers:
                self._no_reader(f"no {self.choice.describe() if self.choice.name else 'card reader'} is connected")
            request = [(r, known.get(r, scard.SCARD_STATE_UNAWARE)) for r in readers]
            request.append((PNP_NOTIFICATION, known[PNP_NOTIFICATION]))
            hresult, result = scard.SCardGetStatusChange(self._context.handle, self.poll_ms, request)
            code = hresult & 0xFFFFFFFF
            if code in (scard.SCARD_E_TIMEOUT & 0xFFFFFFFF, scard.SCARD_E_CANCELLED & 0xFFFFFFFF):
                continue
            if hresult != scard.SCARD_S_SUCCESS:
                raise failure_for(hresult, "watching the card readers")
            for name, state, atr in result:
                known[name] = state & ~scard.SCARD_STATE_CHANGED
                if name != PNP_NOTIFICATION:
                    self._update(name, state, bytes(atr or b""))
            for gone in [r for r in self._present if r not in readers]:
                del self._present[gone]
                self._emit(CardEvent(CardEventKind.REMOVED, gone))
            for stale in [r for r in known if r != PNP_NOTIFICATION and r not in readers]:
                del known[stale]
            if readers:
                self._report(readers)

    def _update(self, reader: str, state: int, atr: bytes) -> None:
        present = bool(state & scard.SCARD_STATE_PRESENT) and not state & scard.SCARD_STATE_UNAVAILABLE
        counter = (state >> 16) & 0xFFFF
        before = self._present.get(reader)
        if before is not None and (not present or before[0] != counter):
            # Gone, or the counter moved: out and (maybe) in again between two looks.
            del self._present[reader]
            self._emit(CardEvent(CardEventKind.REMOVED, reader))
            before = None
        if present and before is None:
            self._present[reader] = (counter, atr)
            self._emit(CardEvent(CardEventKind.INSERTED, reader, atr))

    def _report(self, readers: list[str]) -> None:
        holding = [r for r in readers if r in self._present]
        self.reporter.update(
            state=DeviceState.ONLINE,
            media=MediaState.PRESENT if holding else MediaState.NOT_PRESENT,
            detail=f"card in {holding[0]}" if holding else f"no card ({', '.join(readers)})",
            recovery=Recovery.NONE,
        )

    def _emit(self, event: CardEvent) -> None:
        log.info("card %s: %s", event.kind, event.reader)
        self._listeners.emit(event)
