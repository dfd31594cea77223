"""Writing the audit trail: one JSON object per line, to the journal and to audit.jsonl.

A line carries the time, the event id, the fields the catalogue allows, the terminal id and
the software version (and `disposition` for the end of a long action, `repeats` for folded
ones). The journal gets it through the `kiosk.audit` logger, so the root handlers' redaction
(kiosk/logs.py) applies; the file gets the same line scrubbed the same way. A file that cannot
be written (disk full, read-only) is said once in the log, and the kiosk goes on: the journal
still has every event.

Folding: an event the catalogue marks `fold` (it comes from polling) is written at once the
first time; the same event with the same fields again within the window is only counted, and
one more line with `repeats: N` is written when the window passes (a timer) or at `close()`.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum
from pathlib import Path
from typing import Any, Callable, Iterator

from kiosk.audit.catalogue import COMPLETE, INIT, Catalogue, EventSpec, catalogue
from kiosk.audit.store import AuditFile
from kiosk.logs import scrub

JOURNAL = "kiosk.audit"
FOLD_WINDOW_S = 60.0

journal = logging.getLogger(JOURNAL)
log = logging.getLogger(__name__ + ".writer")  # problems of the trail itself, not events


class Disposition(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"


@dataclass
class _Run:
    """A folded run: the same event and fields seen again within the window."""

    started: float
    repeats: int = 0
    timer: threading.Timer | None = field(default=None, repr=False)


class AuditTrail:
    def __init__(
        self,
        *,
        terminal_id: str = "",
        version: str = "",
        directory: str | Path | None = None,
        max_bytes: int | None = None,
        backups: int | None = None,
        fold_window_s: float = FOLD_WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
        cat: Catalogue | None = None,
    ) -> None:
        self.terminal_id = terminal_id
        self.version = version
        sizes = {k: v for k, v in (("max_bytes", max_bytes), ("backups", backups)) if v is not None}
        self.file = AuditFile(directory, **sizes) if directory is not None else None
        self.fold_window_s = fold_window_s
        self.catalogue = cat or catalogue()
        self._clock = clock
        self._wall_clock = wall_clock
        self._lock = threading.RLock()
        self._runs: dict[tuple, _Run] = {}
        self.file_failed: str | None = None  # why the file could not be written, once it could not

    # --- the two verbs ----------------------------------------------------------------

    def record(self, event: str, /, **fields: Any) -> None:
        """One single event; ValueError for a pair event, an unknown event or wrong fields."""
        spec = self.catalogue.event(str(event))
        if spec.pair:
            raise ValueError(f"audit event {spec.id} is a long action: use begin()")
        checked = self.catalogue.check(spec, fields)
        if spec.fold and self._folded(spec, checked):
            return
        self._write(spec.id, checked)

    @contextmanager
    def begin(self, event: str, /, **fields: Any) -> Iterator[None]:
        """`<id>-init` now, `<id>-complete` at the end: success, or failure when the block
        raises (the exception goes on)."""
        spec = self.catalogue.event(str(event))
        if not spec.pair:
            raise ValueError(f"audit event {spec.id} is a single event: use record()")
        checked = self.catalogue.check(spec, fields)
        self._write(spec.id + INIT, checked)
        try:
            yield
        except BaseException:
            self._write(spec.id + COMPLETE, checked, disposition=Disposition.FAILURE)
            raise
        self._write(spec.id + COMPLETE, checked, disposition=Disposition.SUCCESS)

    # --- folding ----------------------------------------------------------------------

    def _folded(self, spec: EventSpec, fields: dict[str, Any]) -> bool:
        key = (spec.id, tuple(sorted(fields.items())))
        now = self._clock()
        with self._lock:
            run = self._runs.get(key)
            if run is not None and now - run.started < self.fold_window_s:
                run.repeats += 1
                if run.timer is None:
                    run.timer = threading.Timer(max(0.0, run.started + self.fold_window_s - now), self.flush_due)
                    run.timer.daemon = True
                    run.timer.start()
                return True
            if run is not None:
                self._end_run(key)
            self._runs[key] = _Run(started=now)
        return False

    def flush_due(self) -> None:
        """Write the repeats of every run whose window has passed."""
        now = self._clock()
        with self._lock:
            for key in [k for k, run in self._runs.items() if now - run.started >= self.fold_window_s]:
                self._end_run(key)

    def close(self) -> None:
        """Write every run's repeats now (the kiosk is stopping)."""
        with self._lock:
            for key in list(self._runs):
                self._end_run(key)

    def _end_run(self, key: tuple) -> None:
        run = self._runs.pop(key)
        if run.timer is not None:
            run.timer.cancel()
        if run.repeats:
            event_id, items = key
            self._write(event_id, dict(items), repeats=run.repeats)

    # --- writing ----------------------------------------------------------------------

    def line(self, event_id: str, fields: dict[str, Any], **extra: Any) -> str:
        entry: dict[str, Any] = {
            "ts": self._wall_clock().isoformat(timespec="milliseconds"),
            "event": event_id,
            **{k: str(v) for k, v in extra.items() if k == "disposition"},
            "fields": fields,
            "terminal": self.terminal_id,
            "version": self.version,
            **{k: v for k, v in extra.items() if k != "disposition"},
        }
        return scrub(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))

    def _write(self, event_id: str, fields: dict[str, Any], **extra: Any) -> None:
        text = self.line(event_id, fields, **extra)
        journal.info(text)
        if self.file is None:
            return
        with self._lock:
            try:
                self.file.append(text)
            except OSError as exc:
                if self.file_failed is None:
                    log.error(
                        "the audit trail cannot be written to %s (%s); audit events go to the journal only until it can",
                        self.file.path, exc.strerror or exc,
                    )  # fmt: skip
                self.file_failed = exc.strerror or str(exc)
                return
            if self.file_failed is not None:
                log.warning("the audit trail is written to %s again", self.file.path)
                self.file_failed = None
