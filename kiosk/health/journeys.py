"""How residents' journeys ended, counted per service: the flow host tells, the exporter reads.

A journey is a service's flow from the tap that starts it: it finishes (the flow returned), it
fails (the flow raised: a fault, logged by the host) or it is abandoned (the resident left, the
idle timer wiped the session, another service was started over it). Counts only, no resident.
"""

from __future__ import annotations

import enum
import threading
from collections import Counter
from typing import Mapping

from kiosk.domain.services import BY_CODE

OTHER = "other"  # a service code the domain does not name: counted, never echoed as a label

class JourneyEvent(enum.StrEnum):
    STARTED = "started"
    FINISHED = "finished"
    FAILED = "failed"
    ABANDONED = "abandoned"


class JourneyCounter:
    """Thread-safe counts of (service, event) since the process started."""

    def __init__(self) -> None:
        self._counts: Counter[tuple[str, JourneyEvent]] = Counter()
        self._lock = threading.Lock()

    def count(self, service: str, event: JourneyEvent) -> None:
        key = (service if service in BY_CODE else OTHER, JourneyEvent(event))
        with self._lock:
            self._counts[key] += 1

    def counts(self) -> Mapping[tuple[str, JourneyEvent], int]:
        with self._lock:
            return dict(self._counts)
