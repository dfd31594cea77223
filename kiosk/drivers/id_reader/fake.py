"""An ID card reader in the test's hand: put a document on it, take it away, unplug it.

It answers like `IdCardReader` (kiosk.drivers.id_reader.interface) without a serial line:
"no card" is the same NO_MEDIA the SAM module's SW3 80 gives, and a read is checked with
the same `check_document`, so a flow cannot tell it from the real reader.
"""

from __future__ import annotations

from datetime import date
from typing import Callable

from kiosk.drivers.fake_device import FakeDevice
from kiosk.drivers.id_reader import status_words as sw
from kiosk.drivers.id_reader.checks import check_document
from kiosk.drivers.id_reader.documents import IdentityDocument
from kiosk.drivers.id_reader.frames import Command
from kiosk.drivers.id_reader.reader import CardRead
from kiosk.drivers.status import CancelToken, Completion, DeviceKind, MediaState

FAKE_SAM_ID = "05000000000000000000000000000001"


class FakeIdReader(FakeDevice):
    def __init__(self, *, today: Callable[[], date] = date.today) -> None:
        super().__init__(DeviceKind.ID_READER, media=MediaState.NOT_PRESENT)
        self.today = today
        self.reads = 0  # successful reads, so a test can see the flow did (or did not) read
        self._card: tuple[IdentityDocument, bytes, bytes | None] | None = None

    # --- steering ------------------------------------------------------------------------

    def place(self, document: IdentityDocument, photo_wlt: bytes = b"", fingerprints: bytes | None = None) -> None:
        """Lay a card on the reader (replacing any card lying there)."""
        self._card = (document, photo_wlt, fingerprints)
        self.set_status(media=MediaState.PRESENT)

    def take_away(self) -> None:
        self._card = None
        self.set_status(media=MediaState.NOT_PRESENT)

    # --- IdReaderDevice ------------------------------------------------------------------

    def card_present(self, *, cancel: CancelToken | None = None) -> Completion[bool]:
        return self._unusable("find card", cancel) or Completion.success(self._card is not None)

    def read_card(self, *, fingerprints: bool = False, cancel: CancelToken | None = None) -> Completion[CardRead]:
        failed = self._unusable("read card", cancel)
        if failed is not None:
            return failed
        if self._card is None:
            meaning = sw.interpret(sw.FIND_FAILED)
            return Completion.failure(
                meaning.code, meaning.reason, meaning.recovery, command=Command.FIND_CARD.label, sw3=f"{meaning.sw3:02X}"
            )
        document, photo, prints = self._card
        self.reads += 1
        read = CardRead(document, photo, prints if fingerprints else None, check_document(document, self.today()))
        return Completion.success(read)

    def sam_status(self, *, cancel: CancelToken | None = None) -> Completion[None]:
        return self._unusable("SAM status", cancel) or Completion.success(None)

    def sam_id(self, *, cancel: CancelToken | None = None) -> Completion[str]:
        return self._unusable("SAM id", cancel) or Completion.success(FAKE_SAM_ID)
