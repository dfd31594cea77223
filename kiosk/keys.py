"""The terminal's key file: where the secret behind TerminalKey is kept.

The key file holds 32 random bytes as 64 hex digits (comment lines start with `#`). It never
goes into the database or a log. The key itself, and the per-purpose keys derived from it,
are kiosk.domain.terminal_key; TerminalKey is re-exported here for the callers that read a file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from kiosk.domain.terminal_key import TerminalKey

__all__ = ["SIMULATOR_KEY_MARKER", "KeyFileError", "TerminalKey", "read_key_file", "write_new_key_file"]

SIMULATOR_KEY_MARKER = "# kiosk-simulator-key"


class KeyFileError(Exception):
    pass


def read_key_file(path: str | os.PathLike) -> TerminalKey:
    path = Path(path)
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise KeyFileError(f"key file {path} does not exist (make one with `kiosk keys new FILE`)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"key file {path} cannot be read: {exc}") from None
    lines = [ln.strip() for ln in text.splitlines()]
    body = [ln for ln in lines if ln and not ln.startswith("#")]
    if len(body) != 1 or not re.fullmatch(r"[0-9a-fA-F]{64}", body[0]):
        raise KeyFileError(f"key file {path} must hold one line of 64 hex digits (32 bytes)")
    return TerminalKey(bytes.fromhex(body[0]), any(ln.startswith(SIMULATOR_KEY_MARKER) for ln in lines))


def write_new_key_file(path: str | os.PathLike) -> None:
    """A fresh random key, readable by its owner only."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("# sscard-kiosk terminal key: keep secret, never copy into logs or tickets\n")
        f.write(os.urandom(32).hex() + "\n")
