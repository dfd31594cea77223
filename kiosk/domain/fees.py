"""Whether a new card costs the resident anything: the region policy's `[fees]`, and how many
third-generation cards the centre says this person has had.

Changshou (seed 000 四(二)): the first two third-generation cards are free, later ones carry
the card fee, whose amount the seeds do not give (the window tells it). Beijing (seed 002
七(三)): free, delivery included. When the centre could not be asked, the kiosk does not
guess: it says it could not check, and the window decides. The fee is paid or offset at the
window (seed 003 3.1.2 2)), never at the kiosk.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kiosk.i18n import Bilingual, bi


class Fee(StrEnum):
    FREE = "free"
    DUE = "due"
    NOT_CHECKED = "not_checked"  # the centre could not be asked: the window decides


@dataclass(frozen=True)
class FeeDecision:
    fee: Fee
    line: Bilingual  # the one line the review, the voucher and the done screen show


FREE_FOR_ALL = bi("费用：免费。", "Fee: free of charge.")
FREE_THIS_TIME = bi(
    "费用：本次免费（前{count}张第三代社保卡免费）。",
    "Fee: free this time (the first {count} 3rd-generation cards are free).",
)
DUE = bi(
    "费用：要交工本费，金额以窗口告知为准。请到服务窗口交费或抵扣。",
    "Fee: the card fee applies; the window tells you the amount. Pay or offset it at the service window.",
)
NOT_CHECKED = bi(
    "费用：本机没能查到是否免费，由服务窗口确定。要交费的，请到窗口交费或抵扣。",
    "Fee: this kiosk could not check whether it is free; the service window decides. Any fee is paid or offset at the window.",
)


def card_fee(fees: Any, third_generation_cards: int | None) -> FeeDecision:
    """The fee for one more card, given the policy's Fees and how many third-generation
    cards the person already had (None: the centre could not say)."""
    if fees.all_free:
        return FeeDecision(Fee.FREE, FREE_FOR_ALL)
    if third_generation_cards is None:
        return FeeDecision(Fee.NOT_CHECKED, NOT_CHECKED)
    if fees.upgrade_free_count is not None and fees.upgrade_is_free(third_generation_cards):
        count = fees.upgrade_free_count
        return FeeDecision(Fee.FREE, bi(FREE_THIS_TIME.zh.format(count=count), FREE_THIS_TIME.en.format(count=count)))
    return FeeDecision(Fee.DUE, DUE)
