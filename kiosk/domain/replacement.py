"""补领 · 换领 · 换发: a new card in place of one the resident has or had (seed 003 3.1).

The resident names their situation in plain words; the situation decides the kind of
application (the service code the centre and the voucher know) and its reason. What a region
says about the old card and what happens once the new one is enabled is data in the region
policy's `[replacement]` table (seed 000 四, seed 002 七(一)), read here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kiosk.domain.policy_tables import policy_table
from kiosk.i18n import Bilingual, bi

THIRD_GENERATION = 3


class ReplacementKind(StrEnum):
    """The three kinds, named by their service codes (kiosk.domain.services)."""

    REISSUE = "reissue"  # 补领: the card is lost
    REPLACE = "replace"  # 换领: the card is damaged or expired
    UPGRADE = "upgrade"  # 换发: a 1st- or 2nd-generation card for a 3rd-generation one

    @property
    def term(self) -> Bilingual:
        return _TERMS[self]


_TERMS = {
    ReplacementKind.REISSUE: bi("补领", "Reissue"),
    ReplacementKind.REPLACE: bi("换领", "Replacement"),
    ReplacementKind.UPGRADE: bi("换发", "Upgrade"),
}


class Reason(StrEnum):
    """The resident's situation, as the centre records it (`reason` of a replacement)."""

    LOST = "lost"
    DAMAGED = "damaged"
    EXPIRED = "expired"
    NEW_GENERATION = "new_generation"

    @property
    def kind(self) -> ReplacementKind:
        return _KIND_OF[self]

    @property
    def words(self) -> Bilingual:
        """The situation in the resident's words, as the kiosk offers it."""
        return _WORDS[self]


_KIND_OF = {
    Reason.LOST: ReplacementKind.REISSUE,
    Reason.DAMAGED: ReplacementKind.REPLACE,
    Reason.EXPIRED: ReplacementKind.REPLACE,
    Reason.NEW_GENERATION: ReplacementKind.UPGRADE,
}
_WORDS = {
    Reason.LOST: bi("卡丢了，补办新卡", "I lost my card: a new one"),
    Reason.DAMAGED: bi("卡坏了，换新卡", "My card is damaged: a new one"),
    Reason.EXPIRED: bi("卡过期了，换新卡", "My card has expired: a new one"),
    Reason.NEW_GENERATION: bi("换第三代社保卡", "Change to a 3rd-generation card"),
}


class PhotoChoice(StrEnum):
    """The photo on the new card: the one the centre has, or one taken here."""

    ON_RECORD = "on_record"
    NEW = "new"
    NONE = "none"  # a child without a photo (seed 003 3.1.1: optional for minors)


@dataclass(frozen=True)
class ReplacementRules:
    """What a region says about the old card and the new one."""

    old_card_handed_in: bool  # the window takes the old card (换领, 换发)
    after_new_card: tuple[Bilingual, ...]  # what happens once the new card is enabled


def replacement_rules(policy: Any) -> ReplacementRules:
    """The `[replacement]` table of the policy's file (policy.schema.json describes it)."""
    table = policy_table(policy, "replacement")
    return ReplacementRules(
        old_card_handed_in=bool(table.get("old_card_handed_in", False)),
        after_new_card=tuple(Bilingual(line["zh"], line["en"]) for line in table.get("after_new_card", ())),
    )
