"""The social security card reader driver: basic data and PIN operations over PC/SC.

    reader = SocialSecurityCardReader("pcsc://", authenticator=psam)
    done = reader.read_basic(timeout_s=10)          # Completion[CardData]
    if done.ok: ...done.value.name...
    reader.verify_pin("123456")                      # Completion[None]: REFUSED + tries_left

Every public method returns a Completion and never raises for anything a card, a
reader or pcscd can do. The reader (connection.py: pcscd, the connected card, waiting for
one) and the card's SSSE application (application.py: SELECT, READ RECORD, the PIN
commands) are apart; this class checks what the caller hands in and puts the two together.
"""

from __future__ import annotations

from functools import partial

from kiosk.drivers.card.application import SsseApplication
from kiosk.drivers.card.auth import Authenticator
from kiosk.drivers.card.connection import CardConnection
from kiosk.drivers.card.errors import bad_reload_block, with_pins
from kiosk.drivers.card.interface import PinStatus
from kiosk.drivers.card.pcsc import ReaderChoice
from kiosk.drivers.card.pin import Pin
from kiosk.drivers.card.records import CardData, RecordForm
from kiosk.drivers.card.session import Trace
from kiosk.drivers.card.staff import StaffCredential, read_staff
from kiosk.drivers.status import CancelToken, Completion, DeviceStatus, StatusReporter

__all__ = ["PinStatus", "SocialSecurityCardReader"]


class SocialSecurityCardReader:
    def __init__(
        self,
        url: str = "pcsc://",
        *,
        authenticator: Authenticator | None = None,
        record_form: RecordForm | str = RecordForm.TAG,
        fallback: bool = True,
        exact_le: bool = True,
        trace: Trace | None = None,
    ) -> None:
        self.connection = CardConnection(ReaderChoice.from_url(url), trace)
        self.application = SsseApplication(authenticator, RecordForm(record_form), fallback, exact_le)

    @property
    def reporter(self) -> StatusReporter:
        """Tells listeners when the reader's status changes."""
        return self.connection.reporter

    def read_basic(self, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[CardData]:
        """The card's basic data (EF05 + EF06), authenticating first on 3.00 cards."""
        return self.connection.run("reading the card", self.application.read_basic, timeout_s, cancel)

    def read_staff(self, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[StaffCredential]:
        """The staff application's staff id and outlet: what makes a card a staff card."""
        return self.connection.run("reading the staff application", read_staff, timeout_s, cancel)

    def verify_pin(self, pin: Pin | str, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[None]:
        """VERIFY. Wrong PIN: REFUSED with detail tries_left; blocked: DEVICE_ERROR, blocked=True."""
        return with_pins((pin,), partial(self.connection.run, "verifying the PIN", self.application.verify, timeout_s, cancel))

    def pin_status(self, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[PinStatus]:
        """How many PIN tries are left, without using one (VERIFY with no data)."""
        return self.connection.run("reading the PIN tries left", self.application.pin_status, timeout_s, cancel)

    def change_pin(
        self, old: Pin | str, new: Pin | str, *, timeout_s: float = 10.0, cancel: CancelToken | None = None
    ) -> Completion[None]:
        """CHANGE PIN on the card itself; a wrong old PIN counts down like VERIFY."""
        return with_pins((old, new), partial(self.connection.run, "changing the PIN", self.application.change, timeout_s, cancel))

    def get_challenge(self, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[bytes]:
        """The card's 8-byte random; the centre needs it to compute a PIN reload block."""
        return self.connection.run("getting a challenge", self.application.challenge, timeout_s, cancel)

    def reload_pin(self, block: bytes, *, timeout_s: float = 10.0, cancel: CancelToken | None = None) -> Completion[None]:
        """RELOAD (reset and unblock) the PIN with the 20-byte block the centre's HSM computed
        for the card's last challenge (`get_challenge` first, same card session)."""
        refused = bad_reload_block(block)
        if refused is not None:
            return refused
        return self.connection.run("reloading the PIN", self.application.reload, timeout_s, cancel, bytes(block))

    def wait_for_card(self, *, timeout_s: float = 30.0, cancel: CancelToken | None = None) -> Completion[str]:
        """Wait until a card is in the reader; the reader's name. NO_DEVICE at once if there
        is no reader, NO_MEDIA if no card came within `timeout_s`."""
        return self.connection.wait_for_card(timeout_s, cancel)

    def status(self) -> DeviceStatus:
        """The reader's state as the last operation or `refresh_status` found it; no I/O."""
        return self.connection.status()

    def refresh_status(self, cancel: CancelToken | None = None) -> Completion[DeviceStatus]:
        """Ask pcscd: ONLINE with the card present or not, or NO_DEVICE without pcscd or reader."""
        return self.connection.refresh_status(cancel)

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> "SocialSecurityCardReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

