"""A FAT volume read and written in user space, straight from the block device or image file.

This machine's kernel has no vfat module (nothing here can mount FAT), and a kiosk should
not let the kernel mount what a stranger brings anyway: no mount means nothing on the
drive can be executed, no device node or set-uid file on it means anything. So the drive
is read with pyfatfs over the raw bytes, opened read-only; it is opened for writing only to
put back one new file (the marked-up copy of the sheet), never to change an existing one.

FAT12/16/32 (what Windows formats a stick up to 32 GB as). exFAT is recognised and refused
with a plain reason; a whole-disk image with an MBR is read from its first FAT partition.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Iterator

SECTOR = 512
FAT_PARTITION_TYPES = {0x01, 0x04, 0x06, 0x0B, 0x0C, 0x0E}
LOWERCASE_BASE = 0x08  # DIR_NTRes bits Windows sets for an all-lowercase 8.3 name
LOWERCASE_EXT = 0x10


class VolumeError(Exception):
    """The bytes are not a FAT volume this kiosk can read (the reason is for technicians)."""


class UnsupportedFormat(VolumeError):
    """A real filesystem, but one we do not read (exFAT, NTFS): the handler can fix it."""


@dataclass(frozen=True)
class DriveFile:
    path: str  # "/folder/name.jpg", names as Windows shows them
    size: int


def _open_pyfatfs(device: str, offset: int, read_only: bool):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fs (pyfilesystem2) warns about pkg_resources on import
        from pyfatfs.PyFatFS import PyFatFS
    return PyFatFS(device, offset=offset, read_only=read_only, preserve_case=True, lazy_load=True)


def filesystem_offset(head: bytes) -> int:
    """Where the filesystem starts in a device whose first sector is `head`: 0 for a
    partitionless volume ("superfloppy"), else the first FAT partition of an MBR."""
    if len(head) < SECTOR:
        raise VolumeError("the drive is empty or too small to hold a filesystem")
    if head[3:11] == b"EXFAT   ":
        raise UnsupportedFormat("exFAT")
    if head[3:11] == b"NTFS    ":
        raise UnsupportedFormat("NTFS")
    if head[510:512] != b"\x55\xaa":
        raise VolumeError("no boot sector signature")
    if head[82:87] == b"FAT32" or head[54:59] in (b"FAT12", b"FAT16", b"FAT  "):
        return 0
    for slot in range(4):
        entry = head[446 + 16 * slot : 446 + 16 * (slot + 1)]
        kind, start = entry[4], int.from_bytes(entry[8:12], "little")
        if kind in FAT_PARTITION_TYPES and start:
            return start * SECTOR
        if kind == 0x07:
            raise UnsupportedFormat("exFAT or NTFS partition")
    raise VolumeError("no FAT filesystem or FAT partition found")


def _shown_name(entry) -> str:
    """The name as Windows shows it: the long name, else the 8.3 name with Windows'
    lowercase flags applied (pyfatfs ignores them and would show "PKG" for "pkg")."""
    name = repr(entry)
    if entry.lfn_entry is not None:
        return name
    base, dot, ext = name.partition(".")
    if entry.ntres & LOWERCASE_BASE:
        base = base.lower()
    if entry.ntres & LOWERCASE_EXT:
        ext = ext.lower()
    return base + dot + ext


class FatVolume:
    """One open FAT volume; use as a context manager. Paths are "/a/b" as Windows shows them,
    found case-insensitively as FAT does."""

    def __init__(self, device: str, *, writable: bool = False) -> None:
        try:
            with open(device, "rb") as raw:
                head = raw.read(SECTOR)
        except OSError as exc:
            raise VolumeError(f"cannot read the drive: {exc.strerror or exc}") from exc
        offset = filesystem_offset(head)
        if writable:
            open(device, "r+b").close()  # a locked stick says EROFS/EPERM here, as itself (OSError)
        try:
            self._fs = _open_pyfatfs(device, offset, read_only=not writable)
        except OSError as exc:
            raise VolumeError(f"cannot open the drive: {exc.strerror or exc}") from exc
        except Exception as exc:  # pyfatfs raises its own kinds for a damaged volume
            raise VolumeError(f"not a readable FAT volume: {exc}") from exc
        self._offset = offset
        self._raw = open(device, "rb")  # file data is read here, a run of clusters at a time
        self._children: dict[int, dict[str, object]] = {}  # directory entry id -> folded name -> entry

    def __enter__(self) -> "FatVolume":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._raw.close()
        with contextlib.suppress(Exception):
            self._fs.close()

    # --- reading -----------------------------------------------------------------------

    def _listing(self, directory) -> dict[str, object]:
        """The directory's entries by folded name, read once (a package folder may hold
        thousands: looking each file up by scanning would be quadratic)."""
        key = id(directory)
        if key not in self._children:
            try:
                dirs, files, _ = directory.get_entries()
                self._children[key] = {_shown_name(e).casefold(): e for e in dirs + files}
            except OSError:
                raise
            except Exception as exc:  # pyfatfs on a damaged directory: struct, index, its own errors
                raise VolumeError(f"damaged directory: {type(exc).__name__}: {exc}") from exc
        return self._children[key]

    def _entry(self, path: str):
        """The directory entry at `path`, matched case-insensitively; KeyError if none."""
        entry = self._fs.fs.root_dir
        for part in PurePosixPath(path).parts[1:]:
            entry = self._listing(entry).get(part.casefold())
            if entry is None:
                raise KeyError(path)
        return entry

    def listdir(self, path: str = "/") -> list[tuple[str, bool, int]]:
        """(name, is_directory, size) of every entry in `path`, hidden and system files left out."""
        return [
            (_shown_name(e), e.is_directory(), 0 if e.is_directory() else e.filesize)
            for e in self._listing(self._entry(path)).values()
            if not (e.is_hidden() or e.is_system())
        ]

    def walk(self, top: str) -> Iterator[DriveFile]:
        """Every file under `top` (a directory), depth first."""
        for name, is_dir, size in self.listdir(top):
            child = f"{top.rstrip('/')}/{name}"
            if is_dir:
                yield from self.walk(child)
            else:
                yield DriveFile(child, size)

    def _fs_path(self, path: str) -> str:
        entry = self._entry(path)
        return "/" + entry.get_full_path().lstrip("/")

    def read_chunks(self, path: str, chunk: int = 1 << 20) -> Iterator[bytes]:
        """The file's bytes, each contiguous run of clusters (up to `chunk`) in one read. The
        chain is followed only as far as the file's size: a looping FAT cannot hang us."""
        entry = self._entry(path)
        fat = self._fs.fs
        per_cluster = fat.bytes_per_cluster
        remaining = entry.filesize
        needed = -(-remaining // per_cluster)
        try:
            clusters = list(itertools.islice(fat.get_cluster_chain(entry.get_cluster()), needed)) if needed else []
        except Exception as exc:  # pyfatfs: a bad or free cluster inside the chain
            raise VolumeError(f"damaged file: {exc}") from exc
        if len(clusters) < needed:
            raise VolumeError("damaged file: its cluster chain is shorter than its size")
        for first, count in _runs(clusters, max(1, chunk // per_cluster)):
            self._raw.seek(self._offset + fat.get_data_cluster_address(first))
            data = self._raw.read(min(count * per_cluster, remaining))
            if not data:
                raise OSError(errno.EIO, "the drive returned no data")
            remaining -= len(data)
            yield data

    def modified(self, path: str) -> float | None:
        """When the file was last written, as the drive says (2-second steps; local time), or
        None when its timestamp is not a date."""
        try:
            return self._entry(path).get_mtime().timestamp()
        except (ValueError, OverflowError, OSError):
            return None

    def exists(self, path: str) -> bool:
        try:
            self._entry(path)
        except KeyError:
            return False
        return True

    def free_bytes(self) -> int:
        fat = self._fs.fs
        free = sum(1 for n in range(2, len(fat.fat)) if fat.fat[n] == 0)
        return free * fat.bytes_per_cluster

    # --- the one write -----------------------------------------------------------------

    def write_new_file(self, path: str, data: bytes) -> None:
        """Create `path` (which must not exist) holding `data`."""
        if self.exists(path):
            raise FileExistsError(path)
        parent = self._fs_path(str(PurePosixPath(path).parent))
        target = f"{parent.rstrip('/')}/{PurePosixPath(path).name}"
        try:
            self._fs.writebytes(target, data)
        except OSError:
            raise
        except Exception as exc:  # pyfatfs on a damaged volume, or one with no room
            raise VolumeError(f"cannot write the file: {type(exc).__name__}: {exc}") from exc
        finally:
            self._children.clear()  # the parent may have a new entry


def _runs(clusters: list[int], longest: int) -> Iterator[tuple[int, int]]:
    """(first cluster, count) of each run of consecutive cluster numbers, at most `longest` long."""
    start, count = None, 0
    for cluster in clusters:
        if start is not None and cluster == start + count and count < longest:
            count += 1
            continue
        if start is not None:
            yield start, count
        start, count = cluster, 1
    if start is not None:
        yield start, count
