"""What each service needs to be done at this kiosk: devices, and the card centre.

Read off the flows (kiosk/flows/), one row per service of `kiosk.domain.services`; a test
checks that the two name the same services. Devices are named in the drivers' vocabulary
(`DeviceKind`), which the domain layer cannot import; that is why the table lives here.
The employer's USB drive is not listed: the handler brings it, and the batch flow asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kiosk.drivers.status import DeviceKind

PRINTER, CARD_READER, ID_READER, CAMERA = DeviceKind.PRINTER, DeviceKind.CARD_READER, DeviceKind.ID_READER, DeviceKind.CAMERA


class CentreUse(StrEnum):
    """What a service does when the card centre cannot be reached."""

    NONE = "none"  # done at the kiosk or on the card alone
    QUEUED = "queued"  # kept in the outbox and sent when the centre is back
    CACHED = "cached"  # answers from the last time the centre was asked, marked as old
    LIVE = "live"  # cannot be done without the centre (its HSM, its decision)


@dataclass(frozen=True)
class Needs:
    devices: frozenset[DeviceKind] = frozenset()  # every one of them
    either: frozenset[DeviceKind] = frozenset()  # at least one: the resident may prove who they are either way
    centre: CentreUse = CentreUse.NONE

    @property
    def prints(self) -> bool:
        return PRINTER in self.devices


def needs(*devices: DeviceKind, either: tuple[DeviceKind, ...] = (), centre: CentreUse = CentreUse.NONE) -> Needs:
    return Needs(frozenset(devices), frozenset(either), centre)


IDENTITY_EITHER_WAY = (ID_READER, CARD_READER)  # the ID card on its reader, or the card and its PIN
WINDOW_ONLY = needs()  # the kiosk says what to bring (a guidance slip is a help, not a must)

NEEDS: dict[str, Needs] = {
    # apply_card: most residents' document is the ID card (typed documents are for the few
    # with a passport or permit); the 1-inch photo; the voucher; the outbox.
    "apply": needs(ID_READER, CAMERA, PRINTER, centre=CentreUse.QUEUED),
    # replace_card: a lost card leaves only the ID document; the photo on record may be kept.
    "reissue": needs(ID_READER, PRINTER, centre=CentreUse.QUEUED),
    "replace": needs(PRINTER, either=IDENTITY_EITHER_WAY, centre=CentreUse.QUEUED),
    "upgrade": needs(PRINTER, either=IDENTITY_EITHER_WAY, centre=CentreUse.QUEUED),
    # activate: the new card, the holder's ID card, and the centre switches the card on.
    "activate": needs(CARD_READER, ID_READER, centre=CentreUse.LIVE),
    # pin_change: the card checks the old PIN and takes the new one; a record goes later.
    "pin_change": needs(CARD_READER),
    # pin_reset: the card, an ID card (holder's or proxy's), the centre's reload block.
    "pin_reset": needs(CARD_READER, ID_READER, centre=CentreUse.LIVE),
    # loss_report: ID cards only (the card is lost); queued first and the voucher says so.
    "loss_report": needs(ID_READER, PRINTER, centre=CentreUse.QUEUED),
    # loss_cancel: the found card and its PIN; queued when the centre is down.
    "loss_cancel": needs(CARD_READER, PRINTER, centre=CentreUse.QUEUED),
    # status_query: by card or by ID card; offline, the last known answer.
    "status_query": needs(either=IDENTITY_EITHER_WAY, centre=CentreUse.CACHED),
    # change_contact: ID card, or card and PIN; signature; voucher; outbox.
    "info_change": needs(PRINTER, either=IDENTITY_EITHER_WAY, centre=CentreUse.QUEUED),
    # employer_batch: the handler by ID card or card and PIN, the employer's letter photographed.
    "batch_new": needs(CAMERA, PRINTER, either=IDENTITY_EITHER_WAY, centre=CentreUse.QUEUED),
    "batch_replace": needs(CAMERA, PRINTER, either=IDENTITY_EITHER_WAY, centre=CentreUse.QUEUED),
    "unlock": WINDOW_ONLY,
    "cancel_card": WINDOW_ONLY,
    "batch_to_single": WINDOW_ONLY,
    "key_info_change": WINDOW_ONLY,
}


def needs_of(service_code: str) -> Needs:
    try:
        return NEEDS[service_code]
    except KeyError:
        raise KeyError(f"no needs recorded for service {service_code!r}; add a row to kiosk/availability/needs.py") from None


# Services that number a voucher (kiosk.offline.sequence) or date a record kept for the card
# centre (the outbox, a live call): a clock behind the software's build day closes them
# (kiosk.availability.clock_floor). The status query and the window-only guidance keep nothing.
DATES_A_VOUCHER_OR_RECORD = frozenset({
    "apply", "reissue", "replace", "upgrade", "activate", "pin_change", "pin_reset",
    "loss_report", "loss_cancel", "info_change", "batch_new", "batch_replace",
})  # fmt: skip
