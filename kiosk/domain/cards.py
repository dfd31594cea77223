"""A social security card as the card centre keeps it: its state, in the resident's words.

The states are the centre API's (docs/centre-api.yaml, CardRecord.status). A state this
kiosk does not know yet is UNKNOWN, shown as "ask at a window", never a crash.
"""

from __future__ import annotations

from enum import StrEnum

from kiosk.i18n import Bilingual, bi


class CardStatus(StrEnum):
    ACTIVE = "active"
    NOT_ACTIVATED = "not_activated"
    REPORTED_LOST = "reported_lost"
    TEMPORARILY_LOST = "temporarily_lost"
    CANCELLED = "cancelled"
    REPLACED = "replaced"
    UNKNOWN = "unknown"

    @classmethod
    def _missing_(cls, value: object) -> CardStatus:
        return cls.UNKNOWN

    @property
    def words(self) -> Bilingual:
        return _WORDS[self]


_WORDS: dict[CardStatus, Bilingual] = {
    CardStatus.ACTIVE: bi("正常", "in use"),
    CardStatus.NOT_ACTIVATED: bi("未启用", "not activated yet"),
    CardStatus.REPORTED_LOST: bi("已挂失", "reported lost"),
    CardStatus.TEMPORARILY_LOST: bi("临时挂失", "temporarily reported lost"),
    CardStatus.CANCELLED: bi("已注销", "cancelled"),
    CardStatus.REPLACED: bi("已停用（已换新卡）", "no longer in use (replaced by a new card)"),
    CardStatus.UNKNOWN: bi("状态不明，请到窗口查询", "unknown: please ask at a window"),
}

# Cards a loss report can still block, and cards whose PIN the centre can reset.
REPORTABLE = frozenset({CardStatus.ACTIVE, CardStatus.NOT_ACTIVATED, CardStatus.TEMPORARILY_LOST})
RESETTABLE = frozenset({CardStatus.ACTIVE, CardStatus.NOT_ACTIVATED})
