"""Work that runs beside the UI: a loop on its own thread, and the listeners it tells.

Card detection, ID-card polling and the outbox's sync worker each run one step again and
again until told to stop; a step that fails is logged and the loop goes on (the next step may
well work), and a listener that fails never stops the loop that called it. One piece serves
all three so they stop, wake and report failures the same way.
"""

from __future__ import annotations

import logging
import threading
from typing import Callable, Generic, TypeVar

E = TypeVar("E")

log = logging.getLogger(__name__)


class Listeners(Generic[E]):
    """Callbacks told of events, called on the emitting thread (a Kivy screen hops to the UI
    thread itself). Safe to add and remove from any thread, even while emitting."""

    def __init__(self, owner: str) -> None:
        self._owner = owner
        self._listeners: list[Callable[[E], None]] = []
        self._lock = threading.Lock()

    def add(self, listener: Callable[[E], None]) -> None:
        with self._lock:
            self._listeners.append(listener)

    def remove(self, listener: Callable[[E], None]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def emit(self, event: E) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # a faulty screen must not stop the device loop that calls it
                log.exception("%s: a listener failed on %r", self._owner, event)

    def __len__(self) -> int:
        with self._lock:
            return len(self._listeners)


class BackgroundLoop:
    """Runs `step()` on a daemon thread until stopped, pausing `pause()` seconds between steps.

    `wake()` cuts the current pause short (something new to do); `stop()` ends the loop after
    the step in hand and waits for the thread. `step` may itself wait on `stopping` to notice a
    stop inside a long step.
    """

    def __init__(self, name: str, step: Callable[[], object], pause: Callable[[], float]) -> None:
        self.name = name
        self._step = step
        self._pause = pause
        self.stopping = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError(f"{self.name} is running already")
        self.stopping.clear()
        self._wake.clear()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout_s: float) -> None:
        self.stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                self._step()
            except Exception:  # the loop must outlive a bad moment (a device, the disk, the network)
                log.exception("%s: a step failed; trying again", self.name)
            if self.stopping.is_set():
                break
            self._wake.wait(self._pause())
            self._wake.clear()
