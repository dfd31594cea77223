"""Where a batch package's bytes come from: a folder or a `.zip` on the clerk's USB drive.

A source lists its members (files, by a safe relative name) and reads one at a time, never
more than a limit. It writes nothing and follows no link. What it will not read is named,
not raised past the caller: an unsafe member name or a link is skipped and reported; a zip
that is encrypted, damaged or a bomb refuses the whole package (`PackageRefused`); a drive
that disappears mid-read is `SourceLost`.

Zips made by Windows' built-in compressor store member names in the PC's code page (GBK on a
Chinese PC) without the UTF-8 flag; Python reads them as CP437. Such names are turned back
into bytes and decoded as UTF-8 if that works (some tools write UTF-8 without the flag), else
as GB 18030 (a superset of GBK).
"""

from __future__ import annotations

import errno
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, NamedTuple, TypeVar

from kiosk.batch.problems import BatchProblem, ProblemCode, problem

T = TypeVar("T")
ZIP_UTF8_FLAG = 0x800
ZIP_ENCRYPTED_FLAG = 0x1
UNIX_SYMLINK = 0o120000

# Files an office PC or a Mac leaves beside the package; never part of it.
_CLUTTER_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
_CLUTTER_DIRS = frozenset({"__macosx", "$recycle.bin", "system volume information", ".trashes", ".spotlight-v100", ".fseventsd"})

# Errors that mean the drive (or the file on it) went away rather than that a file is bad.
_GONE_ERRNOS = frozenset({errno.ENOENT, errno.ENODEV, errno.ENXIO, errno.EIO, errno.ESTALE, errno.ENOTDIR, errno.ENOTCONN})


@dataclass(frozen=True)
class Limits:
    """What a package may hold. Generous for real packages, far below what would hurt a kiosk."""

    max_files: int = 20_000  # 2,000 people × 3-4 images, twice over
    max_depth: int = 4  # folders inside the package
    max_image_bytes: int = 20 * 1024 * 1024
    max_sheet_bytes: int = 20 * 1024 * 1024  # the sheet file as stored (2,000 people: ~150 KB)
    max_sheet_unpacked_bytes: int = 64 * 1024 * 1024  # an .xlsx's XML unpacked (100,000 formatted rows: ~10 MB)
    max_total_unpacked_bytes: int = 16 * 1024**3  # a zip's members together
    max_zip_ratio: int = 100  # unpacked ÷ packed for a member over 1 MB (JPEGs are ~1)
    max_image_pixels: int = 50_000_000  # a 100-megapixel "photo" is refused (Pillow warns at 89 MP)
    max_people: int = 5_000
    max_sheet_rows: int = 1_048_576  # Excel's own limit: rows beyond are not read


DEFAULT_LIMITS = Limits()


HEAD_BYTES = 64 * 1024  # an image's markers up to its frame header, EXIF included, as a rule
TAIL_BYTES = 4 * 1024  # its end-of-image marker, with a scanner's padding after it
FINGERPRINT_HEAD = 4 * 1024  # how much of the head a folder file's fingerprint covers (CRC-32 of 64 KB costs a read)


class Sample(NamedTuple):
    """An image's first HEAD_BYTES and last TAIL_BYTES (b"" when the head is all of it).

    `fingerprint` identifies the content: a zip member's size and CRC-32, a file's size,
    modification time and the CRC-32 of head and tail."""

    head: bytes
    tail: bytes
    size: int
    fingerprint: str

    @property
    def whole(self) -> bool:
        return len(self.head) >= self.size


@dataclass(frozen=True)
class Member:
    """A file of the package: `name` relative, "/"-separated, as the clerk sees it."""

    name: str
    size: int
    ref: Any = field(compare=False, repr=False)  # ZipInfo, or the file's path (str)

    @property
    def basename(self) -> str:
        return self.name.rpartition("/")[2]


class PackageRefused(Exception):
    """The package as a whole cannot be read; `.problem` says why and what to do."""

    def __init__(self, found: BatchProblem) -> None:
        self.problem = found
        super().__init__(str(found.code))


class SourceLost(OSError):
    """The drive or the package went away while it was being read."""


class MemberTooLarge(Exception):
    """A member is larger than the limit it was read with (nothing of it was kept)."""


class MemberDamaged(Exception):
    """A member's bytes cannot be read although the package is still there (e.g. a bad CRC)."""


class PackageSource:
    """A package's members and a way to read them; use as a context manager."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.members: list[Member] = []
        self.skipped: list[BatchProblem] = []  # unsafe names and links, reported beside the people
        self._identity = _identity(path)

    def read(self, member: Member, limit: int) -> bytes:
        """The member's bytes; MemberTooLarge past `limit`, SourceLost if the drive went away."""
        return self._guarded(member, limit, self._read)

    def read_with_fingerprint(self, member: Member, limit: int) -> tuple[bytes, str]:
        """The member's bytes and its fingerprint (see `sample`), to compare with a check's."""
        return self._guarded(member, limit, self._read_fingerprinted)

    def sample(self, member: Member, limit: int) -> Sample:
        """The member's head and tail, enough to judge an image without reading all of it where
        the source can seek (a folder); a zip member is unpacked whole, so its CRC is checked."""
        return self._guarded(member, limit, self._sample)

    def _guarded(self, member: Member, limit: int, how: Callable[[Member, int], T]) -> T:
        if member.size > limit:
            raise MemberTooLarge(member.name)
        try:
            return how(member, limit)
        except OSError as exc:
            self._raise_if_gone(exc)
            raise MemberDamaged(member.name) from exc
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError) as exc:
            self._raise_if_gone(exc)
            raise MemberDamaged(member.name) from exc

    def still_there(self) -> bool:
        """Whether the package is still on the drive, unchanged since it was opened."""
        return _identity(self.path) == self._identity

    def _raise_if_gone(self, exc: BaseException) -> None:
        gone = isinstance(exc, OSError) and exc.errno in _GONE_ERRNOS
        if gone or not self.still_there():
            raise SourceLost(errno.ENODEV, "the package went away while it was read") from exc

    def _read(self, member: Member, limit: int) -> bytes:
        raise NotImplementedError

    def _read_fingerprinted(self, member: Member, limit: int) -> tuple[bytes, str]:
        raise NotImplementedError

    def _sample(self, member: Member, limit: int) -> Sample:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> "PackageSource":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_source(path: Path, limits: Limits = DEFAULT_LIMITS) -> PackageSource:
    """The package at `path`; PackageRefused when it cannot be read at all."""
    try:
        info = os.lstat(path)
    except OSError:
        raise PackageRefused(problem(ProblemCode.NOT_FOUND)) from None
    if stat.S_ISLNK(info.st_mode):
        raise PackageRefused(problem(ProblemCode.NOT_A_PACKAGE))
    if stat.S_ISDIR(info.st_mode):
        return FolderSource(path, limits)
    if stat.S_ISREG(info.st_mode) and path.suffix.lower() == ".zip":
        return ZipSource(path, limits)
    raise PackageRefused(problem(ProblemCode.NOT_A_PACKAGE))


def _identity(path: Path) -> tuple[int, int, int, int] | None:
    try:
        s = os.stat(path)
    except OSError:
        return None
    # A folder's mtime changes when a member is added or removed: not part of "still there".
    if stat.S_ISDIR(s.st_mode):
        return (s.st_dev, s.st_ino, 0, 0)
    return (s.st_dev, s.st_ino, s.st_size, s.st_mtime_ns)


def is_clutter(name: str) -> bool:
    """Lock files, thumbnails and a Mac's resource forks: never part of a package."""
    parts = name.split("/")
    base = parts[-1]
    return (
        base.lower() in _CLUTTER_NAMES
        or base.startswith("~$")
        or base.startswith("._")
        or any(p.lower() in _CLUTTER_DIRS for p in parts[:-1])
    )


class FolderSource(PackageSource):
    """A folder: walked without following links, at most `max_depth` deep."""

    def __init__(self, path: Path, limits: Limits) -> None:
        super().__init__(path, limits)
        try:
            self._walk(path, "", 0)
        except OSError as exc:
            if exc.errno in _GONE_ERRNOS:
                raise PackageRefused(problem(ProblemCode.SOURCE_LOST)) from None
            raise PackageRefused(problem(ProblemCode.NOT_A_PACKAGE)) from None
        self.members.sort(key=lambda m: m.name)

    def _walk(self, folder: str | Path, prefix: str, depth: int) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_symlink():
                    self.skipped.append(problem(ProblemCode.SYMLINK, file=name))
                elif entry.is_dir(follow_symlinks=False):
                    if depth < self.limits.max_depth and entry.name.lower() not in _CLUTTER_DIRS:
                        self._walk(entry.path, name + "/", depth + 1)
                elif entry.is_file(follow_symlinks=False) and not is_clutter(name):
                    self.members.append(Member(name, entry.stat(follow_symlinks=False).st_size, entry.path))
                    if len(self.members) > self.limits.max_files:
                        raise PackageRefused(
                            problem(ProblemCode.TOO_MANY_FILES, count=f"{len(self.members)}+", limit=self.limits.max_files)
                        )

    def _open(self, member: Member, limit: int) -> tuple[int, os.stat_result]:
        # O_NOFOLLOW: a member swapped for a link after the listing is still not followed.
        fd = os.open(member.ref, os.O_RDONLY | os.O_NOFOLLOW)
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            os.close(fd)
            raise MemberTooLarge(member.name) if stat.S_ISREG(info.st_mode) else MemberDamaged(member.name)
        return fd, info

    def _read(self, member: Member, limit: int) -> bytes:
        return self._read_fingerprinted(member, limit)[0]

    def _read_fingerprinted(self, member: Member, limit: int) -> tuple[bytes, str]:
        fd, info = self._open(member, limit)
        with os.fdopen(fd, "rb", buffering=0) as f:
            data = _read_upto(f, info.st_size, limit)
        if len(data) > limit:
            raise MemberTooLarge(member.name)
        return data, _folder_fingerprint(len(data), info.st_mtime_ns, data[:HEAD_BYTES], _tail_of(data))

    def _sample(self, member: Member, limit: int) -> Sample:
        fd, info = self._open(member, limit)
        try:
            size = info.st_size
            head = os.pread(fd, HEAD_BYTES, 0)
            tail = os.pread(fd, TAIL_BYTES, size - TAIL_BYTES) if size > HEAD_BYTES else b""
        finally:
            os.close(fd)
        if len(head) < min(size, HEAD_BYTES) or (size > HEAD_BYTES and len(tail) < TAIL_BYTES):
            raise MemberDamaged(member.name)  # shorter than it says: cut off while being read
        return Sample(head, tail, size, _folder_fingerprint(size, info.st_mtime_ns, head, tail))


class ZipSource(PackageSource):
    """A `.zip`: its directory checked for bombs, passwords and unsafe names before any read."""

    def __init__(self, path: Path, limits: Limits) -> None:
        super().__init__(path, limits)
        try:
            self._zip = _open_zip(path, limits)
        except OSError as exc:
            if exc.errno in _GONE_ERRNOS:
                raise PackageRefused(problem(ProblemCode.SOURCE_LOST)) from None
            raise PackageRefused(problem(ProblemCode.ZIP_DAMAGED)) from None
        try:
            self._list()
        except PackageRefused:
            self._zip.close()
            raise

    def _list(self) -> None:
        infos = self._zip.infolist()
        total = 0
        offsets: set[int] = set()
        for info in infos:
            if info.flag_bits & ZIP_ENCRYPTED_FLAG:
                raise PackageRefused(problem(ProblemCode.ZIP_ENCRYPTED))
            if info.header_offset in offsets:  # overlapping entries: the "better zip bomb"
                raise PackageRefused(problem(ProblemCode.ZIP_BOMB, detail="overlapping entries"))
            offsets.add(info.header_offset)
            total += info.file_size
            big = info.file_size > 1024 * 1024
            if big and info.file_size > self.limits.max_zip_ratio * max(info.compress_size, 1):
                raise PackageRefused(problem(ProblemCode.ZIP_BOMB, detail=_size_words(info.file_size)))
            if total > self.limits.max_total_unpacked_bytes:
                raise PackageRefused(problem(ProblemCode.ZIP_BOMB, detail=_size_words(total) + "+"))
            name = member_name(info)
            if info.is_dir():
                continue
            safe = safe_name(name)
            if safe is None:
                self.skipped.append(problem(ProblemCode.UNSAFE_NAME, file=name))
            elif (info.external_attr >> 16) & 0o170000 == UNIX_SYMLINK:
                self.skipped.append(problem(ProblemCode.SYMLINK, file=safe))
            elif safe.count("/") <= self.limits.max_depth and not is_clutter(safe):
                self.members.append(Member(safe, info.file_size, info))
        self.members.sort(key=lambda m: m.name)

    def _read(self, member: Member, limit: int) -> bytes:
        with self._zip.open(member.ref) as f:
            data = _read_upto(f, member.size, limit)
        if len(data) > limit:
            raise MemberTooLarge(member.name)
        return data

    def _read_fingerprinted(self, member: Member, limit: int) -> tuple[bytes, str]:
        # Read to the end, zipfile has compared the member's CRC-32 with the directory's.
        return self._read(member, limit), f"{member.size}-{member.ref.CRC:08x}"

    def _sample(self, member: Member, limit: int) -> Sample:
        data, fingerprint = self._read_fingerprinted(member, limit)
        return Sample(data[:HEAD_BYTES], _tail_of(data), len(data), fingerprint)

    def close(self) -> None:
        self._zip.close()


def _tail_of(data: bytes) -> bytes:
    return data[-TAIL_BYTES:] if len(data) > HEAD_BYTES else b""


def _folder_fingerprint(size: int, mtime_ns: int, head: bytes, tail: bytes) -> str:
    """Size, modification time and the CRC-32 of the first 4 KB and the tail: a rewritten file
    differs (its time changes; FAT keeps it to 2 s, so the CRC catches a quick same-size copy)."""
    return f"{size}-{mtime_ns}-{zlib.crc32(tail, zlib.crc32(head[:FINGERPRINT_HEAD])):08x}"


def _read_upto(f: Any, size: int, limit: int) -> bytes:
    """The bytes of `f`, expected to be `size` long, never more than limit + 1 of them (asking
    for limit + 1 at once would allocate that much for every small file)."""
    data = f.read(min(size, limit) + 1)
    if len(data) > size and len(data) <= limit:  # it grew since it was listed: read on, up to the limit
        data += f.read(limit + 1 - len(data))
    return data


def _open_zip(path: Path, limits: Limits) -> zipfile.ZipFile:
    """The zip, after its end record says how many entries it has (a directory of millions is
    refused before Python builds an object for each)."""
    with open(path, "rb") as f:
        try:
            end = zipfile._EndRecData(f)  # noqa: SLF001 - the stdlib's own end-record reader
        except OSError:
            end = None
        if not end:
            raise PackageRefused(problem(ProblemCode.ZIP_DAMAGED))
        entries = end[zipfile._ECD_ENTRIES_TOTAL]  # noqa: SLF001
        if entries > limits.max_files:
            raise PackageRefused(problem(ProblemCode.TOO_MANY_FILES, count=entries, limit=limits.max_files))
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, ValueError, NotImplementedError, EOFError):
        raise PackageRefused(problem(ProblemCode.ZIP_DAMAGED)) from None


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as the clerk's PC wrote it (see the module docstring)."""
    name = info.filename
    if not info.flag_bits & ZIP_UTF8_FLAG:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            return name.replace("\\", "/")
        for encoding in ("utf-8", "gb18030"):
            try:
                name = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    return name.replace("\\", "/")


def safe_name(name: str) -> str | None:
    """`name` as a relative path inside the package, or None if it points outside it."""
    if not name or name.startswith("/") or "\x00" in name or (len(name) > 1 and name[1] == ":"):
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    return "/".join(parts)


def _size_words(n: int) -> str:
    return f"{n / 1024**3:.1f} GB" if n >= 1024**3 else f"{n / 1024**2:.0f} MB"
