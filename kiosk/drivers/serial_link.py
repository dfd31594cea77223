"""The serial line under the ID-card reader and the receipt printer.

Both devices are reached by a URL from the config: `serial:///dev/ttyUSB0?baud=115200`,
any URL pyserial's `serial_for_url` knows (`socket://`, `rfc2217://`, `loop://`), or
`sim://NAME` for a running simulator, found through the `resolve` its builder hands in
(kiosk.drivers.simulation; without one a sim:// URL is simply `NoDevice`). The link opens
lazily and reopens by itself after the device went away, so an unplugged cable is a state
(`NoDevice`) the driver reports, not a crash; when the device comes back the next
operation simply works.
"""

from __future__ import annotations

import termios
import threading
import time
from urllib.parse import parse_qs, urlsplit

import serial

from kiosk.drivers.simulation import SIM_SCHEME, Resolve, not_installed


class NoDevice(Exception):
    """The port is missing or vanished (unplugged, wrong path, simulator stopped)."""


class LinkTimeout(Exception):
    """The device did not send what was expected in time."""


def baud_of(url: str, default_baud: int) -> int:
    """The line speed a config URL asks for (`?baud=`), else the device's default."""
    return int(parse_qs(urlsplit(url).query).get("baud", [default_baud])[0])


def resolve_url(url: str, default_baud: int, resolve: Resolve | None = None) -> tuple[str, int]:
    """(pyserial URL or device path, baud rate) for a config URL; NoDevice for a sim:// URL
    whose simulator is not running, or not installed (no `resolve`)."""
    parts = urlsplit(url)
    baud = baud_of(url, default_baud)
    if parts.scheme == "serial":
        return parts.path, baud
    if parts.scheme == SIM_SCHEME:
        if resolve is None:
            raise NoDevice(not_installed(url))
        try:
            return resolve(url), baud
        except LookupError as exc:
            raise NoDevice(str(exc)) from None
    return url, baud


class SerialLink:
    def __init__(self, url: str, default_baud: int, resolve: Resolve | None = None) -> None:
        self.url = url
        self.default_baud = default_baud
        self.resolve = resolve
        self._port: serial.SerialBase | None = None
        self.lock = threading.RLock()  # one exchange at a time on the wire

    def _open(self) -> serial.SerialBase:
        if self._port is None:
            target, baud = resolve_url(self.url, self.default_baud, self.resolve)
            try:
                self._port = serial.serial_for_url(target, baudrate=baud, timeout=0.05, write_timeout=2)
            except (serial.SerialException, OSError, ValueError) as exc:
                raise NoDevice(f"cannot open {self.url}: {exc}") from None
        return self._port

    def close(self) -> None:
        with self.lock:
            if self._port is not None:
                try:
                    self._port.close()
                except Exception:
                    pass
                self._port = None

    def _failed(self, exc: Exception) -> NoDevice:
        self.close()
        return NoDevice(f"{self.url}: {exc}")

    def write(self, data: bytes) -> None:
        with self.lock:
            port = self._open()
            try:
                port.write(data)
                port.flush()
            except (serial.SerialException, OSError, termios.error) as exc:  # tcflush/tcdrain on a vanished pty raise termios.error
                raise self._failed(exc) from None

    def discard_input(self) -> None:
        with self.lock:
            port = self._open()
            try:
                port.reset_input_buffer()
            except (serial.SerialException, OSError, termios.error) as exc:  # tcflush/tcdrain on a vanished pty raise termios.error
                raise self._failed(exc) from None

    def read_some(self, deadline: float, max_bytes: int = 4096) -> bytes:
        """Whatever arrives before `deadline` (time.monotonic()), at least one byte, else LinkTimeout."""
        with self.lock:
            port = self._open()
            while True:
                try:
                    data = port.read(1)
                    if data and port.in_waiting:
                        data += port.read(min(port.in_waiting, max_bytes - 1))
                except (serial.SerialException, OSError, TypeError) as exc:
                    raise self._failed(exc) from None
                if data:
                    return data
                if time.monotonic() >= deadline:
                    raise LinkTimeout(f"{self.url}: no answer in time")
