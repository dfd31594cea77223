"""The audit trail: what happened at this terminal, for the people who answer for it.

    from kiosk.audit import AuditEvent, record, begin

    record(AuditEvent.SERVICE_STARTED, service="apply")
    with begin(AuditEvent.KIOSK_START):
        ...

The events and their fields are the catalogue's (kiosk/audit/events.toml, rendered in
docs/audit-events.md); a field the catalogue does not name, a missing one or a value of the
wrong type is a ValueError, so a test finds the mismatch. Until `configure()` names the data
directory, events go to the journal only (the CLI and tests that need no file).
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from enum import StrEnum
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.audit.catalogue import Catalogue, CatalogueError, EventSpec, FieldType, catalogue, enum_name
from kiosk.audit.store import FILE_NAME, AuditFile
from kiosk.audit.trail import FOLD_WINDOW_S, JOURNAL, AuditTrail, Disposition

AuditEvent = StrEnum("AuditEvent", {enum_name(event_id): event_id for event_id in catalogue().events})
AuditEvent.__doc__ = "Every event of the catalogue (kiosk/audit/events.toml), by id."

__all__ = [
    "AuditEvent", "AuditFile", "AuditTrail", "Catalogue", "CatalogueError", "Disposition", "EventSpec",
    "FieldType", "FILE_NAME", "FOLD_WINDOW_S", "JOURNAL", "begin", "catalogue", "close", "configure",
    "current", "record",
]  # fmt: skip

_lock = threading.Lock()
_trail = AuditTrail()


def configure(
    data_dir: str | Path | None, terminal_id: str, version: str | None = None, **options: Any
) -> AuditTrail:
    """Write the trail to `<data_dir>/audit.jsonl` from now on, as this terminal; returns it.
    `options` go to AuditTrail (fold_window_s, max_bytes, backups, clocks)."""
    global _trail
    new = AuditTrail(terminal_id=terminal_id, version=version or __version__, directory=data_dir, **options)
    with _lock:
        old, _trail = _trail, new
    old.close()
    return new


def current() -> AuditTrail:
    return _trail


def record(event: AuditEvent | str, /, **fields: Any) -> None:
    _trail.record(event, **fields)


def begin(event: AuditEvent | str, /, **fields: Any) -> AbstractContextManager[None]:
    return _trail.begin(event, **fields)


def close() -> None:
    """Write what folding still holds (at exit)."""
    _trail.close()
