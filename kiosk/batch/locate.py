"""Where on a USB drive the package is: the clerk may have copied the folder, its `.zip`, or
the sheet and images straight onto the drive's root.

`find_packages(root)` lists the candidates a screen offers (usually one): the root itself
when a sheet lies there, each folder up to two levels down holding a sheet, each `.zip` on the
root or in such a folder. Links are not followed; the marked-up copies the kiosk wrote back
and office clutter do not count as sheets.
"""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.batch.marked_copy import is_marked_copy
from kiosk.batch.sheet import SheetFormat
from kiosk.batch.source import is_clutter

MAX_DEPTH = 2
MAX_ENTRIES = 2_000  # entries looked at per folder: a drive full of photos is not walked to the end


def find_packages(root: Path, max_depth: int = MAX_DEPTH) -> list[Path]:
    """The packages on the drive mounted at `root`, root first, then by name; [] if none."""
    found: list[Path] = []
    _look(Path(root), 0, max_depth, found)
    return found


def _look(folder: Path, depth: int, max_depth: int, found: list[Path]) -> None:
    try:
        with os.scandir(folder) as entries:
            listed = sorted((e for _, e in zip(range(MAX_ENTRIES), entries)), key=lambda e: e.name)
    except OSError:
        return  # unreadable or gone: nothing to offer from here
    sheets = [e for e in listed if e.is_file(follow_symlinks=False) and _is_sheet(e.name)]
    if sheets:
        found.append(folder)
    for entry in listed:
        if entry.is_symlink() or is_clutter(entry.name + ("/x" if entry.is_dir(follow_symlinks=False) else "")):
            continue
        if entry.is_file(follow_symlinks=False) and entry.name.lower().endswith(".zip") and not sheets:
            found.append(Path(entry.path))
        elif entry.is_dir(follow_symlinks=False) and depth < max_depth and not sheets:
            _look(Path(entry.path), depth + 1, max_depth, found)


def _is_sheet(name: str) -> bool:
    return SheetFormat.of(name) is not None and not is_marked_copy(name) and not is_clutter(name)
