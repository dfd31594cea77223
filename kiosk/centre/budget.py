"""How long a centre call may take and how much of an answer it may read, whatever the server.

httpx's timeouts bound each read, not a call: a server dripping one byte every 1.5 s holds a
call for as long as it likes under a 2 s timeout, and a 199 KB gzip body decodes to 200 MB
in one piece. A `CallDeadline` ends the whole call when its time is up, by shutting down the
call's socket from a timer (the blocked read then returns at once); `read_body` decodes the
body itself, never more than the limit plus one byte, whatever the compression ratio.
"""

from __future__ import annotations

import socket
import threading
import zlib
from typing import Any, Iterable

MAX_REPLY_BYTES = 1 << 20  # decoded; the largest documented reply (a person's applications) is a few KB
DEFAULT_DEADLINE_S = 20.0
ACCEPTED_ENCODINGS = "gzip, deflate"
_ZLIB_OR_GZIP = 32 + zlib.MAX_WBITS  # zlib's header detection: either wrapper


class ReplyTooLarge(Exception):
    pass


class UnknownEncoding(Exception):
    pass


class CallDeadline:
    """One call's time budget. Pass `trace` as the request's httpx "trace" extension: it sees
    each socket the call opens (a call opens its own: requests say `Connection: close`)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> "CallDeadline":
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event not in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # closed already, or detached into the TLS socket (which is in the list too)


def read_body(chunks: Iterable[bytes], encoding: str, limit: int = MAX_REPLY_BYTES, deadline: CallDeadline | None = None) -> bytes:
    """The decoded body from the raw `chunks`, or ReplyTooLarge past `limit` decoded bytes.
    `encoding` is the Content-Encoding header: identity, gzip or deflate."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        decoder = None
    elif encoding in ("gzip", "x-gzip", "deflate"):
        decoder = zlib.decompressobj(_ZLIB_OR_GZIP)
    else:
        raise UnknownEncoding(encoding[:40])
    try:
        return _decoded(chunks, decoder, limit, deadline)
    except zlib.error as exc:
        raise UnknownEncoding(f"broken {encoding}: {exc}") from None


def _decoded(chunks: Iterable[bytes], decoder: Any, limit: int, deadline: CallDeadline | None) -> bytes:
    out = bytearray()
    for chunk in chunks:
        if deadline is not None and deadline.expired:
            raise TimeoutError("the call's deadline passed")
        if decoder is None:
            out += chunk
        else:
            pending = chunk
            while pending and len(out) <= limit:
                out += decoder.decompress(pending, limit + 1 - len(out))
                pending = decoder.unconsumed_tail
        if len(out) > limit:
            raise ReplyTooLarge(f"more than {limit} bytes")
    if decoder is not None:
        out += decoder.flush()
        if len(out) > limit:
            raise ReplyTooLarge(f"more than {limit} bytes")
    return bytes(out)
