"""The two kinds of employer batch (seed 003 1.2 批量新办, 3.2 批量补换): one package shape,
two sheets. The replacement sheet adds, per person, the reason and whether the photo changes."""

from __future__ import annotations

from enum import StrEnum

from kiosk.i18n import Bilingual, bi


class BatchKind(StrEnum):
    NEW = "new"  # 批量新办: 《制卡明细表》
    REPLACE = "replace"  # 批量补换: 《补换卡明细表》

    @property
    def sheet_title(self) -> Bilingual:
        return _SHEET_TITLES[self]

    @property
    def service_code(self) -> str:
        """The service this batch is (kiosk.domain.services, the policy's [services])."""
        return _SERVICE_CODES[self]


_SHEET_TITLES = {
    BatchKind.NEW: bi("制卡明细表", "card details sheet"),
    BatchKind.REPLACE: bi("补换卡明细表", "replacement details sheet"),
}
_SERVICE_CODES = {BatchKind.NEW: "batch_new", BatchKind.REPLACE: "batch_replace"}
