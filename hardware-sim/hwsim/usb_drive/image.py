"""Real FAT images, made the way a technician would make them: mkfs.vfat + mcopy (mtools).

A folder becomes a FAT volume holding its files with their long (Chinese) names; nothing is
mounted, so this works on a machine whose kernel cannot mount FAT.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

MIN_IMAGE_BYTES = 40 << 20  # below ~33 MB mkfs.vfat makes FAT12/16 with few root slots
MTOOLS_ENV = {"MTOOLS_SKIP_CHECK": "1", "LC_ALL": "C.UTF-8"}  # mcopy encodes long names from the locale


def _run(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **MTOOLS_ENV})
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {done.stderr.strip() or done.stdout.strip()}")


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def make_fat_image(folder: Path, image: Path, *, label: str = "BATCH", size: int | None = None) -> Path:
    """A FAT image at `image` whose root holds what `folder` holds."""
    size = size or max(MIN_IMAGE_BYTES, 2 * folder_size(folder) + (16 << 20))
    image.parent.mkdir(parents=True, exist_ok=True)
    with open(image, "wb") as out:
        out.truncate(size)
    _run("mkfs.vfat", "-n", label[:11], str(image))
    entries = sorted(folder.iterdir())
    if entries:
        _run("mcopy", "-s", "-m", "-i", str(image), *(str(p) for p in entries), "::/")  # -m: the files keep their times, as on a stick
    return image


def list_files(image: Path) -> list[str]:
    """Every file on the image as "/dir/name" (mtools' own reading, not the kiosk's)."""
    done = subprocess.run(["mdir", "-/", "-b", "-i", str(image), "::/"], capture_output=True, text=True,
                          env={**os.environ, **MTOOLS_ENV})
    if done.returncode != 0:
        raise RuntimeError(f"mdir failed: {done.stderr.strip()}")
    return sorted(line[2:].rstrip("/") if line.startswith("::") else line for line in done.stdout.splitlines()
                  if line.strip() and not line.endswith("/"))


def read_file(image: Path, path: str, out: Path) -> Path:
    """Copy one file off the image (mtools) to `out`."""
    _run("mcopy", "-n", "-i", str(image), f"::{path}", str(out))
    return out
