"""The terminal's secret key and the keys derived from it.

The key file holds 32 random bytes as 64 hex digits (comment lines start with `#`). It never
goes into the database or a log. From it we derive, with HKDF-SM3, one key per purpose, so
the voucher signature and the storage encryption never share a key.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SIMULATOR_KEY_MARKER = "# kiosk-simulator-key"


class KeyFileError(Exception):
    pass


@dataclass(frozen=True)
class TerminalKey:
    secret: bytes = field(repr=False)
    is_simulator_key: bool = False

    def derive(self, purpose: str, length: int = 32) -> bytes:
        return HKDF(hashes.SM3(), length, salt=None, info=f"sscard-kiosk/{purpose}".encode()).derive(
            self.secret
        )

    @property
    def voucher_mac_key(self) -> bytes:
        return self.derive("voucher-mac")

    @property
    def storage_key(self) -> bytes:
        return self.derive("storage-encryption")


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
