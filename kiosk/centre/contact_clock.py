"""When this process last had a successful contact with the centre: an answer of its own, even
a refusal (4xx), proves the network, the TLS enrolment and the centre itself work; a refused
connection, silence or a 5xx (the centre, or a proxy before it, failing) does not.

Every CentreClient marks the one process-wide clock, so the exporter and the heartbeat can say
"last contact with the centre" whichever part of the kiosk spoke to it last.
"""

from __future__ import annotations

import threading
import time
from typing import Callable


class ContactClock:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._last: float | None = None
        self._lock = threading.Lock()

    def answered(self) -> None:
        with self._lock:
            self._last = self._clock()

    @property
    def last(self) -> float | None:
        """Unix time of the last answer; None when the centre has not answered this process yet."""
        with self._lock:
            return self._last


LAST_CENTRE_ANSWER = ContactClock()
