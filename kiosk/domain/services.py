"""The services a resident may ask for, grouped as in the Chongqing procedure (seed 003).

Which of them a terminal offers, and which are window-only, is the region policy's call
(`kiosk.domain.policy`); this module only names them.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.i18n import Bilingual, bi


@dataclass(frozen=True)
class Group:
    code: str
    title: Bilingual


@dataclass(frozen=True)
class Service:
    code: str
    group: str
    title: Bilingual
    procedure_section: str  # where seed 003 describes it


# The menu's words are the residents' (issue 13): what happened to their card, not the procedure's terms.
GROUPS: tuple[Group, ...] = (
    Group("new_card", bi("申领社保卡", "Apply for a card")),
    Group("replace", bi("卡丢了、坏了", "Card lost or damaged")),
    Group("activate", bi("领到新卡后启用", "Got a new card: start using it")),
    Group("pin", bi("忘了密码、改密码", "Forgot or change my PIN")),
    Group("loss", bi("挂失 · 取消挂失", "Block or unblock a lost card")),
    Group("query", bi("查办卡进度", "Where is my card?")),
    Group("info_change", bi("改地址或手机号", "Change address or phone")),
    Group("batch", bi("单位经办人：批量办卡", "For employers: batch applications")),
    Group("window_only", bi("要到服务窗口办的业务", "Done at the service window")),
)

SERVICES: tuple[Service, ...] = (
    Service("apply", "new_card", bi("申领社保卡", "Apply for a new card"), "1.1"),
    Service("reissue", "replace", bi("补领（卡丢失）", "Reissue a lost card"), "3.1"),
    Service("replace", "replace", bi("换领（卡损坏）", "Replace a damaged card"), "3.1"),
    Service("upgrade", "replace", bi("换发第三代社保卡", "Upgrade to a 3rd-generation card"), "3.1"),
    Service("activate", "activate", bi("启用新卡", "Activate a new card"), "2"),
    Service("pin_change", "pin", bi("修改密码", "Change PIN"), "5"),
    Service("pin_reset", "pin", bi("重置密码", "Reset PIN"), "5"),
    Service("loss_report", "loss", bi("挂失", "Report a lost card"), "6"),
    Service("loss_cancel", "loss", bi("解除挂失", "Cancel a loss report"), "6"),
    Service("status_query", "query", bi("应用状态查询", "Card and application status"), "8"),
    Service("info_change", "info_change", bi("变更地址或电话", "Change address or phone"), "4"),
    Service("batch_new", "batch", bi("批量新办", "Batch application"), "1.2"),
    Service("batch_replace", "batch", bi("批量补换", "Batch reissue or replace"), "3.2"),
    Service("unlock", "window_only", bi("社保卡解锁", "Unlock a card"), "7"),
    Service("cancel_card", "window_only", bi("注销与回退", "Cancel a card"), "9"),
    Service("batch_to_single", "window_only", bi("批量转零星", "Batch to single"), "1.3"),
    Service("key_info_change", "window_only", bi("变更姓名等关键信息", "Change name or other key details"), "4"),
)

BY_CODE: dict[str, Service] = {s.code: s for s in SERVICES}
GROUP_BY_CODE: dict[str, Group] = {g.code: g for g in GROUPS}


def service(code: str) -> Service:
    try:
        return BY_CODE[code]
    except KeyError:
        raise KeyError(f"unknown service {code!r}; known: {', '.join(BY_CODE)}") from None
