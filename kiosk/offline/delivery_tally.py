"""What the sync workers' deliveries ended in, per outbox kind, since the process started.

Sending is where the centre's trouble shows first (an item retried again and again, items
going dead), so the workers count each delivery's resulting state here and the exporter
reads it as counters; the outbox's depth (kiosk.offline.depth) says what is left. One tally
per process: the flows' quick worker and the background worker count into the same one.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Mapping

from kiosk.offline.item_states import ItemState


class DeliveryTally:
    def __init__(self) -> None:
        self._counts: Counter[tuple[str, ItemState]] = Counter()
        self._lock = threading.Lock()

    def count(self, kind: str, result: ItemState) -> None:
        """One delivery of an item of `kind` that left it `result` (sent, pending again, dead, rejected)."""
        with self._lock:
            self._counts[(str(kind), ItemState(result))] += 1

    def counts(self) -> Mapping[tuple[str, ItemState], int]:
        with self._lock:
            return dict(self._counts)


DELIVERIES = DeliveryTally()
