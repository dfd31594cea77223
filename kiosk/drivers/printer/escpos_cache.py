"""python-escpos's printer database: parsed once per version, no folder left behind.

On import, python-escpos parses a 1 MB capabilities file and pickles the result into the
folder `ESCPOS_CAPABILITIES_PICKLE_DIR` names, else into a new temporary folder; and it makes
that temporary folder even when the variable is set (`environ.get(NAME, mkdtemp())`). So every
kiosk start paid ~0.2 s of parsing and left one /tmp folder behind (a terminal restarted by
its watchdog, or a test run, fills /tmp). `import_capabilities()` imports it with the kiosk's
own cache folder, private to its user (a pickle is code: nobody else may write it), and with
Python's temporary folder pointed, for that one import, at a scratch folder it then removes.

escpos writes its pickle in place, not atomically: a second process starting at that moment
(the app and a technician's `kiosk` command, two test workers) read half a file, and a start
killed mid-write (the watchdog, a power cut) left a torn pickle that failed every start after
it with EOFError. So the import holds a lock on the folder, and a pickle that does not load is
removed and parsed again.
"""

from __future__ import annotations

import fcntl
import logging
import os
import pickle
import shutil
import sys
import tempfile
from pathlib import Path

VARIABLE = "ESCPOS_CAPABILITIES_PICKLE_DIR"
LOCK_NAME = ".import.lock"

log = logging.getLogger(__name__)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sscard-kiosk" / "escpos"


def _private(folder: Path) -> bool:
    """The folder exists (made if need be) and only this user can write it."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = folder.stat()
    except OSError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & 0o077


def import_capabilities() -> None:
    """Import escpos.capabilities as described above; a no-op once it is imported. Without a
    private cache folder (read-only home, someone else's folder) escpos keeps its default."""
    if "escpos.capabilities" in sys.modules:
        return
    folder = cache_dir()
    if VARIABLE in os.environ or not _private(folder):
        import escpos.capabilities  # noqa: F401
        return
    os.environ[VARIABLE] = str(folder)
    with open(folder / LOCK_NAME, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the process dies
        try:
            _import_with_scratch_tempdir(folder)
        except (EOFError, pickle.UnpicklingError, AttributeError, ValueError):
            # A torn pickle (a start killed while escpos wrote it): parse the database again.
            log.warning("python-escpos's cached printer database did not load; parsing it again")
            for torn in folder.glob("*.capabilities.pickle"):
                torn.unlink(missing_ok=True)
            _import_with_scratch_tempdir(folder)


def _import_with_scratch_tempdir(folder: Path) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="escpos-import-", dir=folder))
    saved = tempfile.tempdir
    tempfile.tempdir = str(scratch)
    try:
        import escpos.capabilities  # noqa: F401
    finally:
        tempfile.tempdir = saved
        shutil.rmtree(scratch, ignore_errors=True)
