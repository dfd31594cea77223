"""What the in-process fakes of every device kind share (kiosk/drivers/<kind>/fake.py).

A fake stands in for a device in flow tests: no bytes, no protocol, no threads. A test
steers it (set a status, unplug it, put a card on it) and the flow meets the same
`DeviceStatus` and `Completion` values the real driver would give it.
"""

from __future__ import annotations

from kiosk.drivers.status import CancelToken, Completion, DeviceKind, DeviceState, DeviceStatus, Recovery
from kiosk.drivers.status import ResultCode, StatusReporter

UNUSABLE = {
    DeviceState.NO_DEVICE: ResultCode.NO_DEVICE,
    DeviceState.OFFLINE: ResultCode.TIMEOUT,  # there, perhaps, but not answering
    DeviceState.HARDWARE_ERROR: ResultCode.DEVICE_ERROR,
    DeviceState.USER_ERROR: ResultCode.REFUSED,
}


class FakeDevice:
    def __init__(self, kind: DeviceKind, **status) -> None:
        self.url = f"fake://{kind}"
        self.reporter = StatusReporter(DeviceStatus(kind, **{"state": DeviceState.ONLINE, **status}))
        self.plugged = True
        self.closed = False

    def status(self) -> DeviceStatus:
        return self.reporter.status

    def set_status(self, **changes) -> DeviceStatus:
        """Change any field of the status (state, media, cover, recovery, detail, …)."""
        return self.reporter.update(**changes)

    def unplug(self) -> None:
        self.plugged = False
        self.set_status(
            state=DeviceState.NO_DEVICE, recovery=Recovery.NEEDS_MAINTENANCE, detail=f"{self.url} unplugged"
        )

    def plug(self) -> None:
        self.plugged = True
        self.set_status(**self._plugged_in())

    def _plugged_in(self) -> dict:
        """The status fields of this device while it is plugged in (a kind may know better)."""
        return {"state": DeviceState.ONLINE, "recovery": Recovery.NONE, "detail": ""}

    def close(self) -> None:
        self.closed = True

    def _unusable(self, what: str, cancel: CancelToken | None = None) -> Completion | None:
        """The failure `what` meets now (cancelled, or the device not usable), else None."""
        if cancel is not None and cancel.cancelled:
            return Completion.failure(ResultCode.CANCELLED, f"{what} cancelled")
        status = self.status()
        if status.usable:
            return None
        code = UNUSABLE.get(status.state, ResultCode.DEVICE_ERROR)
        return Completion.failure(code, status.detail or f"{self.url} is {status.state}", status.recovery)
