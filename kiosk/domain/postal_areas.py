"""The districts (区县) and streets and towns (街道/镇) a region posts cards to, and its
address length limit: the `[postal]` table of the region policy (policy.schema.json).

Read from the policy's file (kiosk.domain.policy_tables), so the policy model stays as
it is; a region without the table offers no picker and the address goes to the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.domain.policy_tables import policy_table
from kiosk.domain.postal_address import CENTRE_ADDRESS_MAX_CHARS
from kiosk.i18n import Bilingual


@dataclass(frozen=True)
class District:
    name: Bilingual  # zh as written on an envelope: "长寿区"
    streets: tuple[Bilingual, ...]  # 街道 and 镇, zh as written on an envelope: "凤城街道"

    def street(self, zh: str) -> Bilingual:
        for street in self.streets:
            if street.zh == zh:
                return street
        raise KeyError(f"{self.name.zh} lists no street or town {zh!r}")


@dataclass(frozen=True)
class PostalAreas:
    city: str  # before the district on an envelope: "重庆市" ("" where the district says it all)
    districts: tuple[District, ...]
    address_max_chars: int  # the whole address, never above the centre's limit

    def district(self, zh: str) -> District:
        for district in self.districts:
            if district.name.zh == zh:
                return district
        raise KeyError(f"no district {zh!r}; known: {', '.join(d.name.zh for d in self.districts)}")


NO_AREAS = PostalAreas("", (), CENTRE_ADDRESS_MAX_CHARS)


def postal_areas(policy: Any) -> PostalAreas:
    """The policy's `[postal]` table; NO_AREAS when it has none."""
    table = policy_table(policy, "postal")
    return from_table(table) if table else NO_AREAS


def from_table(table: dict[str, Any]) -> PostalAreas:
    districts = tuple(
        District(_bi(d["name"]), tuple(_bi(s) for s in d.get("streets", ()))) for d in table.get("districts", ())
    )
    limit = min(int(table.get("address_max_chars", CENTRE_ADDRESS_MAX_CHARS)), CENTRE_ADDRESS_MAX_CHARS)
    return PostalAreas(table.get("city", ""), districts, limit)


def _bi(value: dict[str, str]) -> Bilingual:
    return Bilingual(value["zh"], value["en"])
