"""A light tower (or buzzer) on a USB-serial relay board: the outlet's staff-call signal.

The board is the common CH340 "LCUS-1" USB relay, reached as a serial port at 9600 8N1
(`serial:///dev/ttyUSB1?baud=9600`, or `sim://staff-signal` in the simulator). Its whole
protocol is one 4-byte frame per switch, which the board does not answer:

    A0  <channel 01..08>  <state 00 off | 01 on>  <checksum = (A0 + channel + state) & FF>

    A0 01 01 A2   relay 1 on  (the call light)
    A0 01 00 A1   relay 1 off

A frame with a wrong checksum is ignored by the board. As it never answers, the driver knows
only whether the port is there and took the bytes: ONLINE after a frame was written,
NO_DEVICE when the port is missing or vanished; the light's state is what it last sent.
"""

from __future__ import annotations

import logging
import threading

from kiosk.drivers.serial_link import NoDevice, SerialLink
from kiosk.drivers.simulation import Resolve
from kiosk.drivers.status import Completion, DeviceKind, DeviceState, DeviceStatus, Recovery, ResultCode, StatusReporter

log = logging.getLogger(__name__)

DEFAULT_BAUD = 9600
HEADER = 0xA0
ON, OFF = 0x01, 0x00


def frame(channel: int, on: bool) -> bytes:
    if not 1 <= channel <= 8:
        raise ValueError(f"relay channel must be 1 to 8, not {channel}")
    state = ON if on else OFF
    return bytes([HEADER, channel, state, (HEADER + channel + state) & 0xFF])


class RelaySignal:
    def __init__(self, url: str, channel: int = 1, resolve: Resolve | None = None) -> None:
        self.url = url
        self.channel = channel
        self._link = SerialLink(url, DEFAULT_BAUD, resolve)
        self._reporter = StatusReporter(DeviceStatus(DeviceKind.STAFF_SIGNAL, DeviceState.OFFLINE, detail="not used yet"))
        self._lock = threading.Lock()
        self.lit = False

    def status(self) -> DeviceStatus:
        return self._reporter.status

    def _switch(self, on: bool) -> Completion[None]:
        with self._lock:
            try:
                self._link.write(frame(self.channel, on))
            except NoDevice as exc:
                self._reporter.update(state=DeviceState.NO_DEVICE, recovery=Recovery.NEEDS_MAINTENANCE, detail=str(exc))
                return Completion.failure(ResultCode.NO_DEVICE, str(exc), Recovery.NEEDS_MAINTENANCE)
            self.lit = on
            self._reporter.update(state=DeviceState.ONLINE, recovery=Recovery.NONE, detail=f"light {'on' if on else 'off'}")
            return Completion.success(None)

    def call(self) -> Completion[None]:
        return self._switch(True)

    def clear(self) -> Completion[None]:
        return self._switch(False)

    def refresh_status(self) -> Completion[DeviceStatus]:
        """The board cannot be asked anything: writing the light's current state again is the
        one harmless way to learn whether it is there."""
        done = self._switch(self.lit)
        return Completion.success(self.status()) if done.ok else Completion.failure(done.code, done.reason, done.recovery)

    def close(self) -> None:
        self._link.close()
