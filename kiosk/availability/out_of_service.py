"""The out-of-service switch: staff take the whole kiosk out of service, with a reason.

Kept in the data directory (`out-of-service.json`), so it survives a restart, and written
atomically (a temporary file, fsync, rename, fsync of the folder): a reader, or a kiosk
killed half-way, sees the old state or the new one, never half of either. Each change
records who made it (a staff id, or "cli" for `kiosk service …`) and when.

A file that cannot be read (damaged disk, a hand edit) reads as *in service*, with the
problem said in `SwitchReading.problem` for `kiosk service status` and the log. The atomic
write means the kiosk itself never leaves such a file, and the devices and the centre are
still checked live, so what cannot work is closed anyway; taking every service away from
residents because of a file nobody meant to write would do more harm than good.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from kiosk.i18n import Bilingual, bi

log = logging.getLogger(__name__)

FILE_NAME = "out-of-service.json"
BY_CLI = "cli"
MAX_BY = 32  # a staff id or "cli"; never a name


class OutOfServiceReason(StrEnum):
    MAINTENANCE = "maintenance"
    PAPER = "paper"
    DEVICE_FAULT = "device_fault"
    NETWORK = "network"
    UPDATE = "update"


REASON_WORDS: dict[OutOfServiceReason, Bilingual] = {
    OutOfServiceReason.MAINTENANCE: bi("本机正在维护，暂停服务", "This kiosk is being serviced and is closed for now"),
    OutOfServiceReason.PAPER: bi("本机正在换打印纸，暂停服务", "This kiosk is closed while its paper is changed"),
    OutOfServiceReason.DEVICE_FAULT: bi("本机设备出了故障，暂停服务", "A part of this kiosk is broken: it is closed for now"),
    OutOfServiceReason.NETWORK: bi("本机网络出了故障，暂停服务", "This kiosk has lost its network: it is closed for now"),
    OutOfServiceReason.UPDATE: bi("本机正在更新，暂停服务", "This kiosk is being updated and is closed for now"),
}
GO_ELSEWHERE = bi("请到服务窗口办理，或使用其他自助机。", "Please go to a service window, or use another kiosk.")


@dataclass(frozen=True)
class SwitchChange:
    """The last change of the switch: out of service (with a reason) or back in service."""

    out_of_service: bool
    reason: OutOfServiceReason | None
    by: str
    at: datetime

    @property
    def words(self) -> Bilingual | None:
        """What residents are told; None while in service."""
        return REASON_WORDS[self.reason] if self.out_of_service and self.reason else None

    def to_dict(self) -> dict:
        return {
            "out_of_service": self.out_of_service,
            "reason": str(self.reason) if self.reason else None,
            "by": self.by,
            "at": self.at.isoformat(timespec="seconds"),
        }

    @classmethod
    def from_dict(cls, data: object) -> SwitchChange:
        """Raises ValueError (with what is wrong) for anything this module did not write."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        out = data.get("out_of_service")
        if not isinstance(out, bool):
            raise ValueError("out_of_service is not true or false")
        reason = data.get("reason")
        if out and reason is None:
            raise ValueError("out of service without a reason")
        by = data.get("by")
        if not isinstance(by, str) or not by:
            raise ValueError("no 'by'")
        at = data.get("at")
        if not isinstance(at, str):
            raise ValueError("no 'at' time")
        return cls(out, OutOfServiceReason(reason) if reason is not None else None, by, datetime.fromisoformat(at))


@dataclass(frozen=True)
class SwitchReading:
    change: SwitchChange | None  # None: never switched, or the file is unreadable
    problem: str = ""  # why the file could not be read; the kiosk stays in service

    @property
    def out_of_service(self) -> bool:
        return self.change is not None and self.change.out_of_service

    @property
    def words(self) -> Bilingual | None:
        return self.change.words if self.change is not None else None


class OutOfServiceSwitch:
    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / FILE_NAME

    def read(self) -> SwitchReading:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return SwitchReading(None)
        except OSError as exc:
            return self._unreadable(f"cannot read {self.path}: {exc.strerror or exc}")
        except UnicodeDecodeError:
            return self._unreadable(f"{self.path} is not text")
        try:
            return SwitchReading(SwitchChange.from_dict(json.loads(text)))
        except ValueError as exc:  # JSONDecodeError, a bad enum value or time are ValueErrors too
            return self._unreadable(f"{self.path} is damaged ({exc})")

    def _unreadable(self, problem: str) -> SwitchReading:
        log.warning("out-of-service switch: %s; the kiosk stays in service", problem)
        return SwitchReading(None, f"{problem}; the kiosk stays in service until the switch is set again")

    def take_out(self, reason: OutOfServiceReason, by: str, at: datetime | None = None) -> SwitchChange:
        return self._write(SwitchChange(True, OutOfServiceReason(reason), _checked_by(by), at or datetime.now().astimezone()))

    def put_in(self, by: str, at: datetime | None = None) -> SwitchChange:
        return self._write(SwitchChange(False, None, _checked_by(by), at or datetime.now().astimezone()))

    def _write(self, change: SwitchChange) -> SwitchChange:
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=f".{FILE_NAME}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(change.to_dict(), f, ensure_ascii=False)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_folder(folder)
        log.info("out-of-service switch: %s by %s", change.reason or "in service", change.by)
        return change


def _checked_by(by: str) -> str:
    """A staff id or "cli": short, printable, one word (it goes to logs and the status)."""
    by = by.strip()
    if not by or len(by) > MAX_BY or not by.isprintable() or any(c.isspace() for c in by):
        raise ValueError(f"'by' must be a staff id or {BY_CLI!r}: one word of at most {MAX_BY} characters")
    return by


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
