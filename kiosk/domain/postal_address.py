"""A postal address as the kiosk takes it: district and street picked from the region
policy, only the rest (road, number, building) written by the resident.

Picking the first two parts means they are spelled the way the post office and the card
centre expect, and the resident writes as few characters as possible. The centre accepts
at most `CENTRE_ADDRESS_MAX_CHARS` characters (docs/centre-api.yaml, `address`); a region
may set a tighter `address_max_chars` in its `[postal]` table (kiosk.domain.postal_areas).
"""

from __future__ import annotations

from dataclasses import dataclass

# docs/centre-api.yaml: Person.address and Pickup.address have maxLength 200.
CENTRE_ADDRESS_MAX_CHARS = 200


@dataclass(frozen=True)
class PostalAddress:
    district: str  # 区县, as the region policy names it: "长寿区"
    street: str  # 街道/镇: "凤城街道"
    rest: str  # road, number, building, as the resident wrote it: "向阳路13号2单元"
    city: str = ""  # what comes before the district on an envelope: "重庆市"

    def text(self) -> str:
        """The full address as posted: "重庆市长寿区凤城街道向阳路13号2单元"."""
        return f"{self.city}{self.district}{self.street}{self.rest}"

    @property
    def prefix(self) -> str:
        """The part picked from the list, before what the resident writes."""
        return f"{self.city}{self.district}{self.street}"

    def fits(self, max_chars: int = CENTRE_ADDRESS_MAX_CHARS) -> bool:
        return len(self.text()) <= max_chars


def rest_limit(prefix: str, max_chars: int = CENTRE_ADDRESS_MAX_CHARS) -> int:
    """How many characters the resident may write after the picked `prefix`."""
    return max(0, max_chars - len(prefix))
