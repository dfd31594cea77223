"""Logging for the kiosk: no ID number, phone number or name reaches a log by accident.

`setup_logging()` gives the root logger a console handler (and a rotating file when asked)
and puts a `RedactingFilter` on every root handler. A filter on a handler sees each record
that reaches it, whichever logger it was logged on; a filter on the root *logger* would miss
records propagated from `logging.getLogger("kiosk.flows")` and the like.

Patterns (kiosk.domain.masking.redact) find numbers in their usual forms; nothing finds a
name. `session_secrets` holds the values the current session knows about its resident
(kiosk.flows.session adds them and clears them when the session ends), and the filter
masks those exact values too, also as GBK or UTF-16 bytes and as hex.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
import threading
from pathlib import Path

from kiosk.domain.masking import MASK, redact

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FILE_BYTES = 5 * 1024 * 1024
LOG_FILE_BACKUPS = 5
_OURS = "_kiosk_handler"


MIN_SECRET_LENGTH = 2  # a single character would mask half of every message
# A short run of Latin letters and digits ("0000", "2026", "T01") identifies nobody and shows up
# in every APDU and date: only longer ones are masked (numbers that name a person are longer).
MIN_ASCII_SECRET_LENGTH = 6


def _forms(value: str) -> set[str]:
    """How `value` can show up in a log: as text, without spaces, and as the repr or hex
    of its GBK and UTF-16 bytes."""
    texts = {value, "".join(value.split())}
    short_ascii = {t for t in texts if t.isascii() and t.isalnum() and len(t) < MIN_ASCII_SECRET_LENGTH}
    forms = texts - short_ascii
    for encoding in ("gbk", "utf-8", "utf-16-le", "utf-16-be"):
        try:
            raw = value.encode(encoding)
        except UnicodeEncodeError:
            continue
        forms |= {repr(raw)[2:-1], raw.hex(), raw.hex().upper()}
    return {form for form in forms - short_ascii if len(form) >= MIN_SECRET_LENGTH}  # its ASCII bytes' repr is itself


class SessionSecrets:
    """The values one resident's session knows, masked in every log record until cleared."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._forms: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def add(self, *values: str) -> None:
        with self._lock:
            for value in values:
                if isinstance(value, str) and len(value.strip()) >= MIN_SECRET_LENGTH:
                    self._forms |= _forms(value.strip())
            longest_first = sorted(self._forms, key=len, reverse=True)
            self._pattern = re.compile("|".join(map(re.escape, longest_first))) if longest_first else None

    def clear(self) -> None:
        with self._lock:
            self._forms.clear()
            self._pattern = None

    def __len__(self) -> int:
        return len(self._forms)

    def redact(self, text: str) -> str:
        pattern = self._pattern
        return text if pattern is None else pattern.sub(lambda m: MASK * len(m.group(0)), text)


session_secrets = SessionSecrets()


def scrub(text: object) -> str:
    """Patterns first (they keep a number's ends for staff), then the session's own values."""
    return session_secrets.redact(redact(text))


class RedactingFilter(logging.Filter):
    """Masks the message, its arguments, the traceback and the stack of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not hide the record, nor leak its args
            message = f"{record.msg} {record.args!r}"
        record.msg = scrub(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


def setup_logging(level: int | str = logging.INFO, log_file: str | os.PathLike | None = None) -> logging.Logger:
    """Configure the root logger once; calling again replaces what an earlier call installed."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _OURS, False)]:
        root.removeHandler(handler)
        handler.close()
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        path = Path(log_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(
            logging.handlers.RotatingFileHandler(
                path, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_BACKUPS, encoding="utf-8"
            )
        )
    for handler in handlers:
        setattr(handler, _OURS, True)
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    install_redaction(root)
    return root


def install_redaction(logger: logging.Logger | None = None) -> None:
    """Put the redacting filter on every handler of `logger` (the root by default) that lacks one."""
    logger = logger or logging.getLogger()
    for handler in logger.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
