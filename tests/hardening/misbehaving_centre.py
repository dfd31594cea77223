"""A real HTTP server on loopback that answers every request with the same scripted bytes,
at the pace the test asks: what a broken or hostile centre looks like to the kiosk's client."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from dataclasses import dataclass, field


def response(status: int, body: bytes, headers: dict[str, str] | None = None) -> tuple[bytes, bytes]:
    """(head, body) of an HTTP/1.1 reply with Content-Length."""
    lines = [f"HTTP/1.1 {status} Scripted", f"Content-Length: {len(body)}", "Content-Type: application/json",
             "Connection: close", *(f"{k}: {v}" for k, v in (headers or {}).items())]  # fmt: skip
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"), body


def json_reply(status: int, value, headers: dict[str, str] | None = None) -> tuple[bytes, bytes]:
    return response(status, json.dumps(value).encode(), headers)


def gzip_reply(status: int, plain: bytes) -> tuple[bytes, bytes]:
    return response(status, gzip.compress(plain, compresslevel=9), {"Content-Encoding": "gzip"})


@dataclass
class MisbehavingCentre:
    head: bytes
    body: bytes
    drip_s: float = 0.0  # >0: the body goes one byte at a time, this long apart
    hold: threading.Event | None = None  # set: answer only once this is set
    routes: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)  # path ending -> (head, body) instead
    connections: int = 0
    body_bytes_sent: int = 0
    _sock: socket.socket = field(init=False)
    _stop: threading.Event = field(default_factory=threading.Event, init=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def __enter__(self) -> "MisbehavingCentre":
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.hold is not None:
            self.hold.set()
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5.0)
            try:
                request = b""
                while b"\r\n\r\n" not in request:
                    request += conn.recv(65536)
                if self.hold is not None:
                    self.hold.wait(30)
                path = request.split(b" ", 2)[1].decode("latin-1")
                head, body = next((reply for end, reply in self.routes.items() if path.endswith(end)), (self.head, self.body))
                conn.sendall(head)
                if self.drip_s <= 0:
                    conn.sendall(body)
                    self.body_bytes_sent += len(body)
                    return
                for i in range(len(body)):
                    if self._stop.is_set():
                        return
                    conn.sendall(body[i : i + 1])
                    self.body_bytes_sent += 1
                    time.sleep(self.drip_s)
            except OSError:
                return  # the client hung up: what a deadline does
