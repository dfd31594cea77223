"""The terminal's key file: where the secret behind TerminalKey is kept.

The key file holds 32 random bytes as 64 hex digits (comment lines start with `#`). It never
goes into the database or a log. The key itself, and the per-purpose keys derived from it,
are kiosk.domain.terminal_key; TerminalKey is re-exported here for the callers that read a file.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from kiosk.domain.terminal_key import TerminalKey, VoucherKey

__all__ = [
    "SIMULATOR_KEY_MARKER", "KeyFileError", "TerminalKey", "VoucherKey", "is_simulator_secret", "read_key_file",
    "read_verifier_file", "write_new_key_file", "write_verifier_file",
]  # fmt: skip

SIMULATOR_KEY_MARKER = "# kiosk-simulator-key"
# SHA-256 of the simulator's published key (kiosk/config/simulator-terminal.key): recognised by
# its value, so deleting the marker comment does not get it past a production config.
SIMULATOR_KEY_SHA256 = "43816c7e15971cc0babd65529971a9ba06c8c149ec27a5f3365be97ff67cc0f4"
VERIFIER_PREFIX = "voucher-verifier-v1:"


def is_simulator_secret(secret: bytes) -> bool:
    return hashlib.sha256(secret).hexdigest() == SIMULATOR_KEY_SHA256


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
    secret = bytes.fromhex(body[0])
    marked = any(ln.startswith(SIMULATOR_KEY_MARKER) for ln in lines)
    return TerminalKey(secret, marked or is_simulator_secret(secret))


def write_new_key_file(path: str | os.PathLike) -> None:
    """A fresh random key, readable by its owner only."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("# sscard-kiosk terminal key: keep secret, never copy into logs or tickets\n")
        f.write(os.urandom(32).hex() + "\n")


def write_verifier_file(path: str | os.PathLike, key: TerminalKey, terminal_id: str) -> None:
    """The voucher key alone, for the window PC that checks this terminal's vouchers."""
    fd = os.open(Path(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(f"# sscard-kiosk voucher verifier of terminal {terminal_id}: checks vouchers, opens no stored data\n")
        f.write(VERIFIER_PREFIX + key.voucher_verifier().voucher_mac_key.hex() + "\n")


def read_verifier_file(path: str | os.PathLike) -> VoucherKey:
    path = Path(path)
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"verifier file {path} cannot be read ({type(exc).__name__})") from None
    body = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    if len(body) != 1 or not re.fullmatch(re.escape(VERIFIER_PREFIX) + r"[0-9a-f]{64}", body[0]):
        raise KeyFileError(f"verifier file {path} must hold one line {VERIFIER_PREFIX}<64 hex digits> (`kiosk keys export-verifier`)")
    return VoucherKey(bytes.fromhex(body[0][len(VERIFIER_PREFIX):]))
