"""Run engine work on one background thread and keep only the newest answer.

Recognition after every stroke and a lookup after every pinyin key must not hold up the
frame the resident is drawing in. Requests go to one worker thread in order; when a
newer request was made before an older one finished, the older answer is dropped, so
the candidates on screen always belong to the ink or letters now on screen.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


class LatestOnly:
    def __init__(self, name: str = "text-input") -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._lock = threading.Lock()
        self._latest = 0

    def submit(self, work: Callable[[], T], deliver: Callable[[T], Any]) -> Future:
        """Run `work` on the worker; `deliver(result)` (on the worker thread) only if no
        request was made since. A failure is logged and delivers nothing."""
        with self._lock:
            self._latest += 1
            ticket = self._latest

        def run() -> None:
            try:
                result = work()
            except Exception:
                log.exception("text input work failed")
                return
            if self.is_latest(ticket):
                deliver(result)

        return self._pool.submit(run)

    def is_latest(self, ticket: int) -> bool:
        with self._lock:
            return ticket == self._latest

    def cancel_pending(self) -> None:
        """Answers to requests made so far are dropped (the pad was cleared, the screen left)."""
        with self._lock:
            self._latest += 1

    def run_first(self, work: Callable[[], Any]) -> Future:
        """Work that later requests rely on (loading an engine); it runs before them."""
        return self._pool.submit(work)

    def close(self) -> None:
        self.cancel_pending()
        self._pool.shutdown(wait=False, cancel_futures=True)
