"""The card's side of vsmartcard-vpcd's TCP protocol: connecting inserts the card.

vpcd (the pcscd driver in /etc/reader.conf.d/vpcd) listens on TCP port 35963 for its slot 0
and 35964 for slot 1. Every message either way is a 2-byte big-endian length and a payload.
A 1-byte payload from vpcd is a control message: 00 power off, 01 power on, 02 reset (no
answer to any of these), 04 "your ATR?" (answer with the ATR; vpcd also uses it every
400 ms to see that the card is still there). A longer payload is a C-APDU; the answer is
the R-APDU. Closing the socket is pulling the card out.

Linux delays the ACK of a small segment (delayed ACK, ~40 ms) unless TCP_QUICKACK is set,
and the option is cleared again by the kernel after use: set it before every receive or
each APDU round trip costs ~44 ms.
"""

from __future__ import annotations

import logging
import socket
import struct
import threading
import time
from typing import Protocol

log = logging.getLogger(__name__)

VPCD_HOST = "127.0.0.1"
VPCD_BASE_PORT = 35963  # slot 0; slot N is VPCD_BASE_PORT + N (CHANNELID in the reader conf)

CTRL_OFF, CTRL_ON, CTRL_RESET, CTRL_ATR = 0, 1, 2, 4


class Chip(Protocol):
    """What a card answers with; the card's logic lives behind this (ssse_card.py)."""

    atr: bytes

    def power_on(self) -> None: ...

    def power_off(self) -> None: ...

    def process(self, apdu: bytes) -> bytes: ...


class VpcdLink:
    """One card in one vpcd slot.

    While the card is inserted the link keeps a connection to vpcd. If vpcd goes away
    (pcscd stopped, restarted) the card stays "in the reader" and the link reconnects as
    soon as vpcd listens again, as a real card stays in an unplugged reader.
    """

    def __init__(
        self,
        chip: Chip,
        slot: int = 0,
        *,
        host: str = VPCD_HOST,
        base_port: int = VPCD_BASE_PORT,
        quickack: bool = True,
        reconnect_interval_s: float = 0.3,
    ) -> None:
        self.chip = chip
        self.slot = slot
        self.host = host
        self.port = base_port + slot
        self.quickack = quickack
        self.reconnect_interval_s = reconnect_interval_s
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._inserted = threading.Event()
        self._stop = threading.Event()
        self._polled = threading.Event()  # vpcd has talked to us on the current connection
        self._powered = threading.Event()  # pcscd powered the card and read its ATR: it lists it now
        self._power_on_seen = False
        self._pull_on_next_apdu = False
        self._thread: threading.Thread | None = None
        self.apdu_delay_s = 0.0  # a slow card, for timeout tests
        self.apdus_answered = 0

    # --- state -------------------------------------------------------------------------

    @property
    def inserted(self) -> bool:
        """The card is meant to be in the reader (connected or waiting for vpcd)."""
        return self._inserted.is_set()

    @property
    def seen_by_reader(self) -> bool:
        """vpcd has polled the card on the current connection."""
        return self._polled.is_set()

    def pull_on_next_apdu(self) -> None:
        """The next C-APDU closes the connection instead of being answered: a card
        pulled out in the middle of a command."""
        self._pull_on_next_apdu = True

    # --- insert / remove ---------------------------------------------------------------

    @property
    def powered(self) -> bool:
        """pcscd has powered the card and read its ATR: applications see it now."""
        return self._powered.is_set()

    def insert(self, wait_s: float = 3.0) -> bool:
        """Put the card in; True once pcscd has powered it up (within `wait_s`), which is
        when PC/SC applications start to see it (pcscd polls every 400 ms)."""
        if self._thread is not None and self._thread.is_alive():
            return self._powered.wait(wait_s)
        self._stop.clear()
        self._polled.clear()
        self._powered.clear()
        self._inserted.set()
        self._thread = threading.Thread(target=self._run, name=f"vpcd-slot{self.slot}", daemon=True)
        self._thread.start()
        if wait_s <= 0 or not self._powered.wait(wait_s):
            return False
        time.sleep(0.02)  # pcscd publishes the reader state right after reading the ATR
        return True

    def remove(self, timeout_s: float = 3.0) -> None:
        """Pull the card out: close the connection and stop reconnecting."""
        self._stop.set()
        self._inserted.clear()
        self._close_socket()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout_s)
        self._thread = None

    def _close_socket(self) -> None:
        with self._lock:
            sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        self._polled.clear()
        self._powered.clear()
        self._power_on_seen = False

    # --- the connection ----------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            sock = self._connect()
            if sock is None:
                self._stop.wait(self.reconnect_interval_s)
                continue
            try:
                self._serve(sock)
            except OSError as exc:
                log.debug("slot %d: connection ended: %s", self.slot, exc)
            finally:
                self._close_socket()
        self._inserted.clear()

    def _connect(self) -> socket.socket | None:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=2.0)
        except OSError:
            return None
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._lock:
            if self._stop.is_set():
                sock.close()
                return None
            self._sock = sock
        log.info("slot %d: connected to vpcd on port %d", self.slot, self.port)
        return sock

    def _recv_exact(self, sock: socket.socket, n: int) -> bytes | None:
        buf = bytearray()
        while len(buf) < n:
            if self.quickack:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            chunk = sock.recv(n - len(buf))
            if not chunk:
                return None
            buf += chunk
        return bytes(buf)

    @staticmethod
    def _send(sock: socket.socket, payload: bytes) -> None:
        sock.sendall(struct.pack(">H", len(payload)) + payload)

    def _serve(self, sock: socket.socket) -> None:
        while not self._stop.is_set():
            header = self._recv_exact(sock, 2)
            if header is None:
                if not self._stop.is_set():
                    log.info("slot %d: vpcd closed the connection (pcscd stopped?)", self.slot)
                return
            (length,) = struct.unpack(">H", header)
            payload = self._recv_exact(sock, length) if length else b""
            if payload is None:
                return
            self._polled.set()
            if length == 1:
                self._control(sock, payload[0])
                continue
            if self._pull_on_next_apdu:
                self._pull_on_next_apdu = False
                log.info("slot %d: card pulled out in the middle of a command", self.slot)
                self._stop.set()
                self._inserted.clear()
                return
            if self.apdu_delay_s:
                time.sleep(self.apdu_delay_s)
            answer = self.chip.process(payload)
            self._send(sock, answer)
            self.apdus_answered += 1

    def _control(self, sock: socket.socket, code: int) -> None:
        if code == CTRL_ATR:
            self._send(sock, self.chip.atr)
            if self._power_on_seen:
                self._powered.set()
        elif code == CTRL_ON:
            self.chip.power_on()
            self._power_on_seen = True
        elif code == CTRL_RESET:
            self.chip.power_off()
            self.chip.power_on()
            self._power_on_seen = True
        elif code == CTRL_OFF:
            self.chip.power_off()
            self._power_on_seen = False
            self._powered.clear()
        else:
            log.warning("slot %d: unknown vpcd control byte %02X", self.slot, code)
