"""What flows and the CLI may ask of an ID card reader, whichever reader it is.

`IdCardReader` (the GA 467 SAM module on a serial line) and `FakeIdReader` (in-process,
for flow tests) both satisfy it; tests/drivers/test_interfaces.py checks that they keep to it.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from kiosk.drivers.id_reader.reader import CardRead
from kiosk.drivers.status import CancelToken, Completion, DeviceStatus


@runtime_checkable
class IdReaderDevice(Protocol):
    url: str

    def status(self) -> DeviceStatus:
        """The reader's condition as last seen (no I/O; never blocks)."""
        ...

    def card_present(self, *, cancel: CancelToken | None = None) -> Completion[bool]:
        """True with a card on the reader, False without; a failure only for a reader problem."""
        ...

    def read_card(self, *, fingerprints: bool = False, cancel: CancelToken | None = None) -> Completion[CardRead]:
        """The card on the reader, read and checked; NO_MEDIA when there is none."""
        ...

    def sam_status(self, *, cancel: CancelToken | None = None) -> Completion[None]:
        """Whether the reader's security module works."""
        ...

    def sam_id(self, *, cancel: CancelToken | None = None) -> Completion[str]:
        """The security module's id, in hex."""
        ...

    def close(self) -> None: ...
