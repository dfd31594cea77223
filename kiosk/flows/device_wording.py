"""The shared device vocabulary (kiosk/drivers/status.py) in words for outlet staff: what
each device is, the state it is in, its paper, and the recovery hint (who can fix it).

Staff-facing, so denser than a resident's screen, but still Chinese first, English second.
"""

from __future__ import annotations

from kiosk.drivers.status import DeviceKind, DeviceState, DeviceStatus, Recovery, SupplyState
from kiosk.i18n import Bilingual, bi

DEVICE_NAMES: dict[DeviceKind, Bilingual] = {
    DeviceKind.ID_READER: bi("身份证阅读器", "ID card reader"),
    DeviceKind.CARD_READER: bi("社保卡读卡器", "Card reader"),
    DeviceKind.PRINTER: bi("凭证打印机", "Receipt printer"),
    DeviceKind.CAMERA: bi("摄像头", "Camera"),
    DeviceKind.USB_DRIVE: bi("U盘接口", "USB drive slot"),
    DeviceKind.STAFF_SIGNAL: bi("呼叫灯", "Staff-call light"),
}
STATES: dict[DeviceState, Bilingual] = {
    DeviceState.ONLINE: bi("正常", "Online"),
    DeviceState.OFFLINE: bi("离线", "Offline"),
    DeviceState.BUSY: bi("忙", "Busy"),
    DeviceState.NO_DEVICE: bi("未连接", "Not connected"),
    DeviceState.HARDWARE_ERROR: bi("硬件故障", "Hardware error"),
    DeviceState.USER_ERROR: bi("需要人工处理", "Needs a hand"),
}
PAPER: dict[SupplyState, Bilingual] = {
    SupplyState.FULL: bi("纸充足", "paper full"),
    SupplyState.LOW: bi("纸将用完", "paper low"),
    SupplyState.OUT: bi("缺纸", "paper out"),
    SupplyState.JAMMED: bi("卡纸", "paper jammed"),
    SupplyState.UNKNOWN: bi("纸况不明", "paper unknown"),
}
HINTS: dict[Recovery, Bilingual] = {
    Recovery.NONE: bi("无需处理", "Nothing to do"),
    Recovery.RETRY: bi("再试一次", "Try again"),
    Recovery.RESIDENT_CAN_FIX: bi("使用者可自行处理（如重新插卡）", "The user can fix it (e.g. insert the card again)"),
    Recovery.STAFF_CAN_CLEAR: bi("工作人员可处理（加纸、关盖、取出卡）", "Staff can clear it (paper, cover, a stuck card)"),
    Recovery.NEEDS_MAINTENANCE: bi("需要技术人员上门", "A technician must come"),
}


def paper_state(status: DeviceStatus) -> SupplyState | None:
    """The printer's paper, if the status says anything about it."""
    return status.supplies.get("paper")


def paper_needs_staff(status: DeviceStatus) -> bool:
    return paper_state(status) in (SupplyState.LOW, SupplyState.OUT)


def describe(status: DeviceStatus) -> Bilingual:
    """"正常 · 纸将用完 — 工作人员可处理" / "Online · paper low — Staff can clear it"."""
    parts = [STATES[status.state]]
    paper = paper_state(status)
    if paper is not None:
        parts.append(PAPER[paper])
    hint = HINTS[status.recovery]
    if status.recovery is Recovery.NONE and paper in (SupplyState.LOW, SupplyState.OUT):
        hint = HINTS[Recovery.STAFF_CAN_CLEAR]
    return Bilingual(
        " · ".join(p.zh for p in parts) + f" — {hint.zh}",
        " · ".join(p.en for p in parts) + f" — {hint.en}",
    )
