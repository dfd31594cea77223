"""An in-process staff-call signal for flow tests: no bytes; `lit` says what a person would see."""

from __future__ import annotations

from kiosk.drivers.fake_device import FakeDevice
from kiosk.drivers.status import Completion, DeviceKind, DeviceStatus


class FakeStaffSignal(FakeDevice):
    def __init__(self, **status) -> None:
        super().__init__(DeviceKind.STAFF_SIGNAL, **status)
        self.lit = False
        self.calls = 0

    def refresh_status(self) -> Completion[DeviceStatus]:
        return self._unusable("staff signal") or Completion.success(self.status())

    def call(self) -> Completion[None]:
        failure = self._unusable("staff signal")
        if failure:
            return failure
        self.lit = True
        self.calls += 1
        return Completion.success(None)

    def clear(self) -> Completion[None]:
        failure = self._unusable("staff signal")
        if failure:
            return failure
        self.lit = False
        return Completion.success(None)
