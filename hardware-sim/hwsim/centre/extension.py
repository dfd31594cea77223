"""What each part of the centre simulator beyond the core store shares (replacements, contact
data, batches, staff calls): the store's database and lock, and tables of its own."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from hwsim.centre.store import CentreStore


class StoreExtension:
    SCHEMA = ""  # the CREATE TABLE statements of this part, run once when it is attached

    def __init__(self, store: CentreStore) -> None:
        self.store = store
        self._db = store._db
        with store._lock:
            self._db.executescript(self.SCHEMA)


def people_in(path: Path) -> list[dict[str, Any]]:
    """The `[[people]]` of a simulator people file."""
    with path.open("rb") as f:
        return tomllib.load(f)["people"]
