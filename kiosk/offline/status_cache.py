"""The last answers the centre gave to a status query, for when it cannot be reached.

A resident who asks while the network is down still learns something: what the centre said
the last time anyone asked about them here, clearly marked with when that was. The answer
is personal data, so it is sealed like everything in the outbox database (SM4-GCM with the
terminal's storage key), and the row is found by a keyed hash of the ID number (HMAC-SM3
with a key derived from the terminal key), which nobody can compute from a list of ID
numbers without the terminal's key. Answers older than `max_age_s` are neither shown nor
kept, and the table never holds more than `max_rows` people.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Callable

from cryptography.hazmat.primitives import hashes, hmac

from kiosk.keys import TerminalKey
from kiosk.offline.crypto import UnreadableField
from kiosk.offline.outbox import Outbox
from kiosk.offline.reseal import STATUS_CACHE_KIND as CACHE_KIND

MAX_AGE_S = 30 * 86400.0
MAX_ROWS = 500
PERSON_KEY_PURPOSE = "status-cache/person"


@dataclass(frozen=True)
class CachedAnswer:
    answer: dict[str, Any]
    fetched_at: float  # seconds since the epoch

    def __repr__(self) -> str:  # the answer is personal
        return f"CachedAnswer(fetched_at={self.fetched_at:.0f})"


class StatusCache:
    def __init__(
        self,
        outbox: Outbox,
        key: TerminalKey,
        *,
        max_age_s: float = MAX_AGE_S,
        max_rows: int = MAX_ROWS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._outbox = outbox
        self._cipher = outbox.cipher
        self._person_key = key.derive(PERSON_KEY_PURPOSE)
        self.max_age_s = max_age_s
        self.max_rows = max_rows
        self.clock = clock

    def _person(self, id_number: str) -> str:
        mac = hmac.HMAC(self._person_key, hashes.SM3())
        mac.update("".join(id_number.split()).upper().encode("utf-8"))
        return mac.finalize().hex()

    def remember(self, id_number: str, answer: dict[str, Any]) -> None:
        person = self._person(id_number)
        now = self.clock()
        sealed = self._cipher.seal(json.dumps(answer, ensure_ascii=False).encode(), row=person, column="answer", kind=CACHE_KIND)
        with self._outbox.transaction() as tx:
            tx.db.execute(
                "INSERT INTO status_cache (person, answer, fetched_at) VALUES (?, ?, ?)"
                " ON CONFLICT (person) DO UPDATE SET answer = excluded.answer, fetched_at = excluded.fetched_at",
                [person, sealed, now],
            )
            tx.db.execute("DELETE FROM status_cache WHERE fetched_at < ?", [now - self.max_age_s])
            tx.db.execute(
                "DELETE FROM status_cache WHERE person NOT IN"
                " (SELECT person FROM status_cache ORDER BY fetched_at DESC LIMIT ?)",
                [self.max_rows],
            )

    def recall(self, id_number: str) -> CachedAnswer | None:
        """The last answer about this person, if one is recent enough and opens."""
        person = self._person(id_number)
        with self._outbox.transaction() as tx:
            row = tx.db.execute("SELECT answer, fetched_at FROM status_cache WHERE person = ?", [person]).fetchone()
        if row is None or row[1] < self.clock() - self.max_age_s:
            return None
        try:
            answer = json.loads(self._cipher.open(row[0], row=person, column="answer", kind=CACHE_KIND))
        except UnreadableField:
            return None  # sealed under an older terminal key: as good as absent
        if not _usable(answer):
            return None  # kept before replies were checked (kiosk.centre.replies): never shown
        return CachedAnswer(answer, row[1])


def _usable(answer: object) -> bool:
    """The shape `remember` is given: lists of objects under "cards" and "applications"."""
    return isinstance(answer, dict) and all(
        isinstance(answer.get(key, []), list) and all(isinstance(x, dict) for x in answer.get(key, []))
        for key in ("cards", "applications")
    )
