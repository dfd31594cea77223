"""Export for a technician: the kiosk's log of the last days and the audit trail, redacted,
written to a USB drive as one new .zip file (kiosk/drivers/usb_drive: nothing on the drive
is changed, nothing is mounted).

The log is the kiosk unit's journal (`journalctl -u kiosk.service`; the unit logs to the
journal, deploy/image). Every line passes through `kiosk.logs.scrub`, like every line the
kiosk logs, so a number that slipped past the logging filter is masked here too. The audit
trail holds no personal data by construction (kiosk/audit); it is scrubbed all the same.
"""

from __future__ import annotations

import errno
import logging
import subprocess
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk import audit
from kiosk.audit import FILE_NAME as AUDIT_FILE
from kiosk.drivers.status import CancelToken, Completion, Detail, Recovery, ResultCode
from kiosk.flows.port import FlowPort
from kiosk.flows.steps import OK_OPTION, RETRY, RETRY_OPTION
from kiosk.flows.wording import fill
from kiosk.i18n import Bilingual, bi
from kiosk.logs import scrub

log = logging.getLogger(__name__)

DAYS = 7  # how far back the export goes
JOURNALCTL = "journalctl"
KIOSK_UNIT = "kiosk.service"
JOURNAL_TIMEOUT_S = 60.0
LOG_NAME = "kiosk-log.txt"
DRIVE_WAIT_S = 60.0  # for staff to find a stick


@dataclass(frozen=True)
class Export:
    path: Path  # the .zip in the kiosk's private folder, to be written to the drive
    log_lines: int
    files: int


def journal_lines(days: int, unit: str = KIOSK_UNIT) -> list[str]:
    """The unit's journal since `days` ago, one entry per line; a line saying why when the
    journal cannot be read (this is an export, not a check: what there is goes out)."""
    # --merge: every journal directory, not only this boot's machine id. The image's root is
    # read-only with an empty /etc/machine-id, so each boot gets a new id and journald a new
    # directory under /var/log/journal; without it only the current boot would be exported.
    command = [JOURNALCTL, "--merge", "--unit", unit, "--since", f"-{days}d", "--output", "short-iso", "--no-pager", "--quiet"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=JOURNAL_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [f"-- the journal could not be read: {type(exc).__name__}"]
    lines = done.stdout.splitlines()
    if done.returncode != 0:
        lines.append(f"-- journalctl ended with {done.returncode}: {done.stderr.strip()[:200]}")
    return lines


def audit_files(audit_dir: Path | None) -> list[Path]:
    """The audit trail and its rotated predecessors, oldest first (none: the trail goes to
    the journal only)."""
    if audit_dir is None:
        return []
    current = Path(audit_dir) / AUDIT_FILE
    rotated = sorted(current.parent.glob(f"{AUDIT_FILE}.*"), key=lambda p: p.name, reverse=True)
    return [p for p in (*rotated, current) if p.is_file()]


def build_export(data_dir: Path, terminal_id: str, now: datetime, audit_dir: Path | None, days: int = DAYS) -> Export:
    """The redacted log and audit trail as one .zip under `<data_dir>/export/`. OSError when
    the kiosk's own disk cannot hold it."""
    folder = Path(data_dir) / "export"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for old in folder.glob("*.zip"):  # what an earlier export left (it was written to a drive, or failed)
        old.unlink(missing_ok=True)
    path = folder / f"kiosk-logs-{terminal_id}-{now:%Y%m%d-%H%M}.zip"
    lines = [scrub(line) for line in journal_lines(days)]
    audits = audit_files(audit_dir)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(LOG_NAME, "\n".join(lines) + "\n")
        for trail in audits:
            text = trail.read_text(encoding="utf-8", errors="replace")
            archive.writestr(trail.name, "\n".join(scrub(line) for line in text.splitlines()) + "\n")
    return Export(path, len(lines), 1 + len(audits))


def export_to_drive(services: Any, days: int = DAYS, cancel: CancelToken | None = None) -> Completion[str]:
    """Build the export and write it to the drive in the slot: the path on the drive, or why not
    (the drive's own failures; DEVICE_ERROR with Detail.DISK_FULL when the kiosk's disk is full)."""
    config = services.config
    trail = audit.current().file  # where the runner writes the trail (kiosk.audit.configure)
    try:
        export = build_export(config.data_dir, config.terminal_id, services.now(), trail.path.parent if trail else None, days)
    except OSError as exc:
        full = exc.errno == errno.ENOSPC
        log.error("the log export could not be built: %s", exc.strerror or exc)
        return Completion.failure(ResultCode.DEVICE_ERROR, "the kiosk's disk is full" if full else f"building the export: {exc.strerror or exc}",
                                  Recovery.NEEDS_MAINTENANCE, **({Detail.DISK_FULL: True} if full else {}))  # fmt: skip
    try:
        return services.usb_drive.write_new_file(export.path, "/", cancel)
    finally:
        export.path.unlink(missing_ok=True)  # the drive has it, or it is made again next time


INSERT_DRIVE = bi("请插入U盘", "Insert a USB drive")
INSERT_DRIVE_BODY = bi(
    "导出最近{days}天的日志（已隐去个人信息）和审计记录，作为一个新文件写入U盘。",
    "The last {days} days' log (personal data masked) and the audit trail go onto the drive as one new file.",
)
EXPORTING = bi("正在导出", "Exporting")
EXPORTING_BODY = bi("写完之前不要拔出U盘。", "Leave the drive in until it is written.")
EXPORTED = bi("日志已导出", "The logs are exported")
EXPORTED_BODY = bi("U盘上的新文件：{path}", "New file on the drive: {path}")
NOT_EXPORTED = bi("日志没有导出", "The logs were not exported")
NO_DRIVE = bi("没有插入U盘。", "No USB drive was inserted.")
DRIVE_PULLED = bi("U盘被拔出了，导出没有完成，U盘上没有留下文件。", "The drive was pulled out: nothing was exported and nothing is left on it.")
DRIVE_FULL = bi("U盘空间不够，请换一个U盘。", "The drive is full: please use another one.")
KIOSK_FULL = bi("本机磁盘已满，请联系技术人员。", "This kiosk's disk is full: call a technician.")
WRITE_PROTECTED = bi("U盘有写保护，请打开写保护开关或换一个U盘。", "The drive is write-protected: slide its switch or use another one.")
DRIVE_PROBLEM = bi("U盘无法写入。", "The drive cannot be written.")
NO_USB_SLOT = bi("本机没有U盘接口。", "This kiosk has no USB drive slot.")


def export_problem(done: Completion) -> Bilingual:
    """Why an export did not reach the drive, in words for staff."""
    if done.detail.get(Detail.DISK_FULL):
        return KIOSK_FULL if done.code is ResultCode.DEVICE_ERROR else DRIVE_FULL
    if done.detail.get(Detail.WRITE_PROTECTED):
        return WRITE_PROTECTED
    return {
        ResultCode.MEDIA_REMOVED: DRIVE_PULLED,
        ResultCode.NO_MEDIA: NO_DRIVE,
        ResultCode.TIMEOUT: NO_DRIVE,
        ResultCode.NO_DEVICE: NO_USB_SLOT,
    }.get(done.code, DRIVE_PROBLEM)


async def export_logs(port: FlowPort) -> Completion[str]:
    """Ask for a drive, write the export to it, say how it went (a retry after a failure)."""
    services = port.services
    drive = services.usb_drive
    while True:
        if drive is None:
            done: Completion = Completion.failure(ResultCode.NO_DEVICE, "no USB drive slot is configured")
        else:
            await port.show("wait", title=INSERT_DRIVE, body=fill(INSERT_DRIVE_BODY, days=DAYS), picture="usb_drive")
            done = await port.device(drive.wait_for_drive, timeout=DRIVE_WAIT_S)
            if done.ok:
                await port.show("wait", title=EXPORTING, body=EXPORTING_BODY, picture="usb_drive")
                done = await port.device(export_to_drive, services)
        if done.code is ResultCode.CANCELLED:
            return done
        if done.ok:
            log.info("maintenance: logs exported to the drive as %s", done.value)
            await port.ask("notice", title=EXPORTED, body=fill(EXPORTED_BODY, path=done.value), actions=[OK_OPTION])
            return done
        log.warning("maintenance: log export failed: %s %s", done.code, done.reason)
        actions = [OK_OPTION] if drive is None else [RETRY_OPTION, OK_OPTION]
        answer = await port.ask("notice", title=NOT_EXPORTED, body=export_problem(done), tone="warning", actions=actions)
        if answer != RETRY:
            return done
