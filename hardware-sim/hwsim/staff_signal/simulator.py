"""A CH340 "LCUS" relay board with a light tower on relay 1, on a pty: the outlet's
staff-call signal as the kiosk's real driver (kiosk/drivers/staff_signal/relay.py) meets it.

It reads the bytes the kiosk writes, takes every well-formed `A0 ch state sum` frame, ignores
a frame with a wrong checksum as the board does (and counts it, for tests), and keeps each
relay's state. Whenever the light goes on or off it says so on its log and in its history,
which is how a technician "sees" the light (`kiosk sim ctl staff-signal status`).

Control verbs: status, history [last=N], unplug, plug, acknowledge (staff switch the light off
at the tower, as its reset button does).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

from hwsim.control import ControlServer
from hwsim.pty_device import PtyDevice

log = logging.getLogger(__name__)

NAME = "staff-signal"
HEADER = 0xA0
CALL_LIGHT = 1  # the relay the light tower hangs on
MAX_HISTORY = 200


class StaffSignalSimulator:
    def __init__(self, name: str = NAME, on_change: Callable[[bool], None] | None = None) -> None:
        self.name = name
        self.device: PtyDevice | None = None
        self.relays = {channel: False for channel in range(1, 9)}
        self.frames = 0
        self.bad_frames = 0
        self.history: list[dict[str, Any]] = []  # {"at": epoch s, "light": bool}
        self.on_change = on_change
        self._buffer = bytearray()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._control: ControlServer | None = None

    @property
    def port(self) -> str:
        return str(self.device.link) if self.device else ""

    @property
    def light(self) -> bool:
        return self.relays[CALL_LIGHT]

    def start(self) -> "StaffSignalSimulator":
        self.device = PtyDevice(self.name)
        self._thread = threading.Thread(target=self._serve, name=f"sim-{self.name}", daemon=True)
        self._thread.start()
        self._control = ControlServer(self.name, self.port, self.commands()).start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._control is not None:
            self._control.stop()
            self._control = None
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None
        if self.device is not None:
            self.device.close()
            self.device = None

    # --- the wire ------------------------------------------------------------------------

    def _serve(self) -> None:
        while not self._stop.is_set():
            device = self.device
            data = device.read(64, timeout=0.05) if device is not None else b""
            if data:
                self.feed(data)

    def feed(self, data: bytes) -> None:
        """Bytes from the kiosk; whole frames take effect, a partial one waits for the rest."""
        with self._lock:
            self._buffer += data
            while self._buffer:
                if self._buffer[0] != HEADER:
                    del self._buffer[0]  # line noise before a frame: the board skips it
                    continue
                if len(self._buffer) < 4:
                    return
                header, channel, state, checksum = self._buffer[:4]
                del self._buffer[:4]
                if (header + channel + state) & 0xFF != checksum or not 1 <= channel <= 8 or state not in (0, 1):
                    self.bad_frames += 1
                    continue
                self.frames += 1
                self._set(channel, bool(state))

    def _set(self, channel: int, on: bool) -> None:
        was = self.relays[channel]
        self.relays[channel] = on
        if channel == CALL_LIGHT and on != was:
            self.history.append({"at": time.time(), "light": on})
            del self.history[:-MAX_HISTORY]
            log.warning("staff-call light %s", "ON  ● 呼叫工作人员" if on else "off ○")
            if self.on_change is not None:
                self.on_change(on)

    # --- control -------------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        return {
            "light": self.light,
            "plugged": bool(self.device and self.device.plugged),
            "frames": self.frames,
            "bad_frames": self.bad_frames,
            "calls": sum(1 for change in self.history if change["light"]),
            "port": self.port,
        }

    def commands(self) -> dict[str, Callable[[dict[str, Any]], Any]]:
        def acknowledge(_args: dict[str, Any]) -> dict[str, Any]:
            with self._lock:
                self._set(CALL_LIGHT, False)
            return self.status()

        def unplug(_args: dict[str, Any]) -> dict[str, Any]:
            self.device.unplug()
            return self.status()

        def plug(_args: dict[str, Any]) -> dict[str, Any]:
            self.device.plug()
            return self.status()

        return {
            "status": lambda _a: self.status(),
            "history": lambda a: self.history[-int(a.get("last", 20)):],
            "acknowledge": acknowledge,
            "unplug": unplug,
            "plug": plug,
        }
