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

import logging
import threading
from enum import StrEnum
from typing import Callable

from kiosk.drivers.id_reader.reader import IdCardReader
from kiosk.drivers.status import ResultCode

log = logging.getLogger(__name__)


class CardEvent(StrEnum):
    PLACED = "card_placed"
    REMOVED = "card_removed"


CardListener = Callable[[CardEvent], None]


class CardPoller:
    def __init__(self, reader: IdCardReader, *, interval: float = 0.3, removal_misses: int = 2) -> None:
        self.reader = reader
        self.interval = interval
        self.removal_misses = max(1, removal_misses)
        self.card_present = False
        self._misses = 0
        self._listeners: list[CardListener] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add_listener(self, listener: CardListener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: CardListener) -> None:
        with self._lock:
            if listener in self._listeners:
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
            self._notify(event)
        return event

    def _notify(self, event: CardEvent) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # a faulty screen must not stop card detection
                log.exception("id reader: a card listener failed on %s", event)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> "CardPoller":
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="id-reader-poller", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll()
            except Exception:  # keep polling: the next step may well work
                log.exception("id reader: polling step failed")
            self._stop.wait(self.interval)
