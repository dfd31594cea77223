"""What flows and the CLI use of the social security card reader: one Protocol and its values.

The real driver (reader.SocialSecurityCardReader, over PC/SC) and the in-process fake
(fake.FakeCardReader) both have exactly these methods with these signatures;
tests/drivers/card/test_interface.py compares them, so the three cannot drift apart.

Every operation ends in a Completion (kiosk.drivers.status) and never raises for anything a
card or a reader can do; `status()` is the last known status, `refresh_status()` asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from kiosk.drivers.card.pin import Pin
from kiosk.drivers.card.records import CardData
from kiosk.drivers.card.staff import StaffCredential
from kiosk.drivers.status import CancelToken, Completion, DeviceStatus


@dataclass(frozen=True)
class PinStatus:
    tries_left: int | None  # None when the card does not say (it answers 9000 once verified)
    verified: bool
    blocked: bool


@runtime_checkable
class CardReader(Protocol):
    def wait_for_card(self, *, timeout_s: float = 30.0, cancel: CancelToken | None = None) -> Completion[str]:
        """Until a card is in the reader: the reader's name. NO_DEVICE at once without a
        reader, NO_MEDIA when no card came within `timeout_s`, CANCELLED."""
        ...

    def read_basic(self, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[CardData]:
        """The card's basic data. NO_MEDIA, MEDIA_REMOVED, NO_DEVICE, INVALID_DATA with
        Detail.SW 6A82 (not a social security card), DEVICE_ERROR (no PSAM for a 3.00 card)."""
        ...

    def read_staff(self, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[StaffCredential]:
        """The outlet staff application's staff id and outlet. INVALID_DATA with Detail.SW
        6A82 on any card without it (a resident's card); NO_MEDIA, MEDIA_REMOVED, NO_DEVICE."""
        ...

    def pin_status(self, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[PinStatus]:
        """How many PIN tries are left, without using one."""
        ...

    def verify_pin(self, pin: Pin | str, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[None]:
        """Wrong PIN: REFUSED with Detail.TRIES_LEFT; blocked: DEVICE_ERROR with Detail.BLOCKED;
        a PIN that is not 4 to 12 digits: INVALID_DATA without a card command."""
        ...

    def change_pin(
        self, old: Pin | str, new: Pin | str, *, timeout_s: float = 10.0, cancel: CancelToken | None = None
    ) -> Completion[None]:
        """CHANGE PIN; a wrong old PIN counts down like verify_pin."""
        ...

    def get_challenge(self, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[bytes]:
        """The card's 8-byte random, for the centre to compute a PIN reload block."""
        ...

    def reload_pin(self, block: bytes, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[None]:
        """Reset and unblock the PIN with the centre's 20-byte block for the last challenge."""
        ...

    def status(self) -> DeviceStatus:
        """The last known status (DeviceKind.CARD_READER); no I/O."""
        ...

    def refresh_status(self, cancel: CancelToken | None = None) -> Completion[DeviceStatus]:
        """Ask the reader now; `status()` says the same afterwards."""
        ...

    def close(self) -> None: ...
