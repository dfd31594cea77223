"""Card placed / card taken away, for the screens, by polling "find card".

The SAM module does not announce a card; the kiosk asks (20 01) a few times a second.
`CardPoller.poll()` is one such step, for a UI timer; `start()` runs the steps on a
background thread. A card counts as taken away only after `removal_misses` "no card"
answers in a row, because a card lying at the edge of the field is missed now and then
(vendor SDKs debounce the same way). The reader's own condition (unplugged, back again,
SAM failure) reaches listeners of `reader.reporter`; the link reopens by itself, so the
poller simply keeps asking.

Listeners run on the polling thread: a Kivy screen hops to the UI thread itself.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Callable

from kiosk.background import BackgroundLoop, Listeners
from kiosk.drivers.id_reader.interface import IdReaderDevice
from kiosk.drivers.status import ResultCode


class CardEvent(StrEnum):
    PLACED = "card_placed"
    REMOVED = "card_removed"


CardListener = Callable[[CardEvent], None]


class CardPoller:
    def __init__(self, reader: IdReaderDevice, *, interval: float = 0.3, removal_misses: int = 2) -> None:
        self.reader = reader
        self.interval = interval
        self.removal_misses = max(1, removal_misses)
        self.card_present = False
        self._misses = 0
        self._listeners: Listeners[CardEvent] = Listeners("id reader card poller")
        self._loop = BackgroundLoop("id-reader-poller", self.poll, lambda: self.interval)

    def add_listener(self, listener: CardListener) -> None:
        self._listeners.add(listener)

    def remove_listener(self, listener: CardListener) -> None:
        self._listeners.remove(listener)

    def poll(self) -> CardEvent | None:
        """Ask the reader once; the event this answer causes, if any."""
        found = self.reader.card_present()
        event = None
        if found.ok and found.value:
            self._misses = 0
            if not self.card_present:
                self.card_present, event = True, CardEvent.PLACED
        elif found.ok:
            self._misses += 1
            if self.card_present and self._misses >= self.removal_misses:
                self.card_present, event = False, CardEvent.REMOVED
        elif found.code is ResultCode.NO_DEVICE and self.card_present:
            # the card cannot be read any more, whatever lies on the dead reader
            self.card_present, event = False, CardEvent.REMOVED
        if event is not None:
            self._listeners.emit(event)
        return event

    @property
    def running(self) -> bool:
        return self._loop.running

    def start(self) -> "CardPoller":
        if not self.running:
            self._loop.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._loop.stop(timeout)
