"""What a resident is told when a card operation does not succeed: simple words, Chinese first.

The driver's `Completion.reason` is for technicians; screens show `resident_message(done)`.
"""

from __future__ import annotations

from kiosk.drivers.status import Completion, Detail, Recovery, ResultCode
from kiosk.i18n import Bilingual, bi

INSERT_CARD = bi("请插入社保卡。", "Please insert your social security card.")
CARD_TAKEN_OUT = bi(
    "社保卡被拔出了。请重新插入，办完前不要拔卡。",
    "The card was taken out. Please insert it again and leave it in until we are done.",
)
READER_BROKEN = bi(
    "读卡器暂时不能使用，请找工作人员帮忙。",
    "The card reader is not working. Please ask a member of staff for help.",
)
NOT_SSCARD = bi(
    "这不是社保卡。请插入您的社保卡。",
    "This is not a social security card. Please insert your social security card.",
)
CANNOT_READ = bi(
    "这张卡读不出来。请取出后重新插入；还不行，请到服务窗口。",
    "This card cannot be read. Please take it out and insert it again. If it still fails, please go to the service window.",
)
KIOSK_CANNOT = bi(
    "本机暂时不能读这张卡，请到服务窗口办理。",
    "This kiosk cannot read this card right now. Please go to the service window.",
)
TOO_SLOW = bi(
    "读卡时间太长。请取出社保卡，再重新插入。",
    "Reading the card took too long. Please take it out and insert it again.",
)
CANCELLED = bi("已取消。", "Cancelled.")
PIN_FORM = bi("密码格式不对，请重新输入。", "The PIN is not in the right form. Please enter it again.")
PIN_WRONG = bi("密码不对，还可以再试{n}次。", "Wrong PIN. You can try {n} more {times}.")
PIN_BLOCKED = bi(
    "密码已被锁定。请到服务窗口解锁，或在本机办理密码重置。",
    "Your PIN is locked. Please go to the service window to unlock it, or reset the PIN at this kiosk.",
)


def resident_message(done: Completion) -> Bilingual | None:
    """The words for the resident; None for a success."""
    code, detail = done.code, done.detail
    if code is ResultCode.SUCCESS:
        return None
    if detail.get(Detail.BLOCKED):
        return PIN_BLOCKED
    if code is ResultCode.REFUSED and Detail.TRIES_LEFT in detail:
        n = detail[Detail.TRIES_LEFT]
        return PIN_WRONG.format(n=n, times="time" if n == 1 else "times")
    if code is ResultCode.INVALID_DATA:
        return NOT_SSCARD if detail.get(Detail.SW) == "6A82" else PIN_FORM
    if code is ResultCode.DEVICE_ERROR and done.recovery is Recovery.NEEDS_MAINTENANCE:
        return KIOSK_CANNOT
    return {
        ResultCode.NO_MEDIA: INSERT_CARD,
        ResultCode.MEDIA_REMOVED: CARD_TAKEN_OUT,
        ResultCode.NO_DEVICE: READER_BROKEN,
        ResultCode.TIMEOUT: TOO_SLOW,
        ResultCode.CANCELLED: CANCELLED,
    }.get(code, CANNOT_READ)
