"""audit.jsonl in the data directory: append-only, size-capped, rotated, readable without journald.

Each write opens the file with O_APPEND (mode 0600, created so), writes one whole line and
closes it, under an flock on a lock file beside it: the kiosk and `kiosk audit record` (run
by the update hooks) may write at the same time, and either may rotate. When the file would
pass its cap it becomes audit.jsonl.1 (the older ones move up, the oldest is dropped), so the
trail never takes more than (backups + 1) × cap bytes of the data partition.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

FILE_NAME = "audit.jsonl"
MAX_BYTES = 2 * 1024 * 1024
BACKUPS = 4
MODE = 0o600


@dataclass(frozen=True)
class ReadResult:
    entries: list[dict[str, Any]]
    damaged: int  # lines that were not a JSON object (a torn write after a power cut)


class AuditFile:
    def __init__(self, directory: str | os.PathLike, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> None:
        if max_bytes <= 0 or backups < 0:
            raise ValueError("the audit file needs a positive size cap and zero or more backups")
        self.path = Path(directory) / FILE_NAME
        self.max_bytes = max_bytes
        self.backups = backups

    def rotated(self, n: int) -> Path:
        return self.path.with_name(f"{FILE_NAME}.{n}")

    def append(self, line: str) -> None:
        """Write one line; OSError (disk full, read-only) goes to the caller."""
        data = (line.rstrip("\n") + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = os.open(self.path.with_name(FILE_NAME + ".lock"), os.O_WRONLY | os.O_CREAT, MODE)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._rotate_if_full(len(data))
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, MODE)
            try:
                written = os.write(fd, data)
                if written != len(data):
                    raise OSError(f"only {written} of {len(data)} bytes of an audit line were written")
            finally:
                os.close(fd)
        finally:
            os.close(lock)

    def _rotate_if_full(self, incoming: int) -> None:
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return
        if size == 0 or size + incoming <= self.max_bytes or not self.path.is_file():
            return
        if self.backups == 0:
            self.path.unlink()
            return
        for n in range(self.backups - 1, 0, -1):
            if self.rotated(n).exists():
                os.replace(self.rotated(n), self.rotated(n + 1))
        os.replace(self.path, self.rotated(1))

    def files(self) -> list[Path]:
        """Oldest first: the rotated files, then the current one."""
        older = [self.rotated(n) for n in range(self.backups, 0, -1)]
        return [p for p in (*older, self.path) if p.exists()]

    def read(self) -> ReadResult:
        entries, damaged = [], 0
        for line in self._lines():
            try:
                entry = json.loads(line)
            except ValueError:
                damaged += 1
                continue
            if isinstance(entry, dict) and isinstance(entry.get("event"), str):
                entries.append(entry)
            else:
                damaged += 1
        return ReadResult(entries, damaged)

    def _lines(self) -> Iterator[str]:
        for path in self.files():
            with open(path, encoding="utf-8", errors="replace") as f:
                for line in f:
                    if line.strip():
                        yield line
