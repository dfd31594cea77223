"""Finding submission packages on a drive and copying one off it, for the real driver and the fake.

The checker (kiosk.batch) reads a package from a folder or a .zip on the kiosk's own disk,
so the drive is read once, file by file, into a private working folder: a drive pulled out
part-way leaves nothing half-copied behind (the partial copy is removed), and a kiosk disk
too full for the package is said before anything is written.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Iterator

from kiosk.drivers.status import CancelToken, Completion, Detail, Recovery, ResultCode

SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
MARKED_COPY_SUFFIX = "-问题标注"  # "<sheet>-问题标注.xlsx": the marked copy (kiosk.batch.marked_copy names it so)
DISK_MARGIN_BYTES = 64 << 20  # what the kiosk keeps free for its outbox and logs after a copy

Listing = Callable[[str], list[tuple[str, bool, int]]]
"""path on the drive -> (name, is_directory, size) of its entries."""
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DrivePackage:
    """A submission package on the drive: a folder holding a sheet, or a .zip."""

    path: str  # "/公司报盘" or "/报盘.zip" or "/" for a drive whose root holds the sheet
    is_zip: bool
    files: int
    size: int

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name or "/"

    @property
    def folder(self) -> str:
        """Where the marked-up copy goes back: the package folder, or beside the zip."""
        return str(PurePosixPath(self.path).parent) if self.is_zip else self.path


class DriveGone(Exception):
    """The drive went away while it was being read or written."""


def _is_sheet(name: str) -> bool:
    return name.lower().endswith(SHEET_SUFFIXES) and MARKED_COPY_SUFFIX not in name and not name.startswith("~$")


def _tree(listdir: Listing, top: str) -> Iterator[tuple[str, int]]:
    for name, is_dir, size in listdir(top):
        child = f"{top.rstrip('/')}/{name}"
        if is_dir:
            yield from _tree(listdir, child)
        else:
            yield child, size


def _package(listdir: Listing, path: str, is_zip: bool, size: int = 0) -> DrivePackage:
    if is_zip:
        return DrivePackage(path, True, 1, size)
    files = list(_tree(listdir, path))
    return DrivePackage(path, False, len(files), sum(s for _, s in files))


def find_packages(listdir: Listing) -> list[DrivePackage]:
    """The packages at the top of the drive: folders with a sheet at their top, .zip files,
    or the drive itself when its root holds the sheet."""
    root = listdir("/")
    if any(not is_dir and _is_sheet(name) for name, is_dir, _ in root):
        return [_package(listdir, "/", False)]
    found = []
    for name, is_dir, size in sorted(root):
        if is_dir and any(not d and _is_sheet(n) for n, d, _ in listdir(f"/{name}")):
            found.append(_package(listdir, f"/{name}", False))
        elif not is_dir and name.lower().endswith(".zip"):
            found.append(_package(listdir, f"/{name}", True, size))
    return found


def copy_package(
    package: DrivePackage,
    listdir: Listing,
    read_chunks: Callable[[str], Iterable[bytes]],
    still_there: Callable[[], bool],
    destination: Path,
    cancel: CancelToken | None = None,
    progress: Progress | None = None,
    modified: Callable[[str], float | None] | None = None,
) -> Completion[Path]:
    """Copy `package` into the new folder `destination`; success carries the local folder or
    .zip to check. On any failure nothing of the copy is left. Each copy keeps the drive's
    modification time (`modified`), so the same package copied on another visit is the same
    package to the checker (kiosk.batch fingerprints a folder's files by size and time too)."""
    if package.is_zip:
        files = [(package.path, package.size)]
        base = str(PurePosixPath(package.path).parent)
    else:
        files = list(_tree(listdir, package.path))
        base = package.path
    total = sum(size for _, size in files)
    destination.mkdir(parents=True, exist_ok=False)
    free = shutil.disk_usage(destination).free
    if total + DISK_MARGIN_BYTES > free:
        shutil.rmtree(destination, ignore_errors=True)
        return Completion.failure(
            ResultCode.DEVICE_ERROR, f"kiosk disk full: package {total} bytes, {free} free",
            Recovery.STAFF_CAN_CLEAR, **{Detail.DISK_FULL: True},
        )
    done = 0
    try:
        for path, _size in files:
            if cancel is not None and cancel.cancelled:
                raise InterruptedError
            target = destination / PurePosixPath(path).relative_to(base)
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as out:
                for block in read_chunks(path):
                    out.write(block)
                    done += len(block)
                    if progress is not None:
                        progress(done, total)
            if not still_there():
                raise DriveGone(path)
            stamp = modified(path) if modified is not None else None
            if stamp is not None:
                os.utime(target, (stamp, stamp))
    except InterruptedError:
        shutil.rmtree(destination, ignore_errors=True)
        return Completion.failure(ResultCode.CANCELLED, "copy cancelled")
    except DriveGone:
        shutil.rmtree(destination, ignore_errors=True)
        return Completion.failure(ResultCode.MEDIA_REMOVED, "the drive was pulled out while the package was copied", Recovery.RESIDENT_CAN_FIX)
    except OSError as exc:
        shutil.rmtree(destination, ignore_errors=True)
        if exc.errno == 28:  # ENOSPC: the kiosk's disk, since the drive is only read here
            return Completion.failure(ResultCode.DEVICE_ERROR, "kiosk disk full while copying", Recovery.STAFF_CAN_CLEAR, **{Detail.DISK_FULL: True})
        if not still_there():
            return Completion.failure(ResultCode.MEDIA_REMOVED, "the drive was pulled out while the package was copied", Recovery.RESIDENT_CAN_FIX)
        return Completion.failure(ResultCode.DEVICE_ERROR, f"reading the drive failed: {os.strerror(exc.errno) if exc.errno else exc}", Recovery.RETRY)
    local = destination / PurePosixPath(package.path).name if package.is_zip else destination
    return Completion.success(local)


def free_name(name: str, taken: Iterable[str]) -> str:
    """`name`, or `stem(2).ext`, `stem(3).ext`, …: the first that no file in `taken` has
    (FAT compares names without case). A file already on the drive is never overwritten."""
    path = PurePosixPath(name)
    taken_folded = {other.casefold() for other in taken}
    for n in range(1, 100):
        candidate = name if n == 1 else f"{path.stem}({n}){path.suffix}"
        if candidate.casefold() not in taken_folded:
            return candidate
    raise FileExistsError(f"{name}: 99 copies already on the drive")
