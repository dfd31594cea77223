"""A value built on a thread once the first screen is up; whoever needs it sooner waits for it.

The flows' services (drivers, the outbox, the centre client, the sync worker) take longer
to import and open than the whole first screen takes to draw, and nobody needs them
before a resident has touched the screen and chosen a service.
"""

from __future__ import annotations

import threading
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class BuiltLater(Generic[T]):
    def __init__(self, build: Callable[[], T], name: str) -> None:
        self._build = build
        self._name = name
        self._value: T | None = None
        self._lock = threading.Lock()  # held while building: get() waits on it
        self._done = False
        self._error: BaseException | None = None  # what the build raised, raised again to whoever asks
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Build on a thread of its own; does nothing once started or built."""
        with self._lock:
            if self._done or self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name=f"build-{self._name}", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        with self._lock:
            self._build_once()

    def _build_once(self) -> None:
        if not self._done:
            try:
                self._value = self._build()
            except BaseException as exc:
                self._error = exc
            finally:
                self._done = True

    def _result(self) -> T | None:
        if self._error is not None:
            raise self._error
        return self._value

    def get(self) -> T | None:
        """The value, built here and now if nobody started it, else once the thread has it."""
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            self._build_once()
        return self._result()

    def if_started(self) -> T | None:
        """The value if its build was started (waiting for it to end); None, building nothing, if not."""
        if self._thread is not None:
            self._thread.join()
        return self._result() if self._done else None
