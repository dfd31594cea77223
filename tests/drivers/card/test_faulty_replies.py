"""Faulty card answers that scripts/fuzz (target card-read) found crashing a read.

A card (or a reader) that answers a command with fewer than two bytes: before, Response.from_bytes raised ValueError through the session, past the
connection's `except CardFailure`, and the flow's card operation crashed instead of saying
"try again". A card that answers the issuer data (EF05) with "security status not satisfied":
before, the application's private _NeedsAuthentication escaped the same way. The simulated
chip answers every other command, so the rest of the read is real."""

from __future__ import annotations

import pytest

from hwsim.card.chip import Chip
from hwsim.card.profile import load_profile
from hwsim import kiosk_hooks
from kiosk.drivers.card.application import SsseApplication
from kiosk.drivers.card.deadline import Deadline
from kiosk.drivers.card.errors import CardFailure
from kiosk.drivers.card.records import RecordForm
from kiosk.drivers.card.session import Session
from kiosk.drivers.status import Recovery, ResultCode


class ShortAnswer:
    """The gen3 chip, except that its answer number `short_at` is `keep` instead."""

    reader = "chip"

    def __init__(self, short_at: int, keep: bytes) -> None:
        self.chip = Chip(load_profile("gen3"))
        self.atr = self.chip.atr
        self.short_at, self.keep, self.count = short_at, keep, 0

    def transmit(self, apdu: bytes) -> bytes:
        self.count += 1
        reply = self.chip.process(apdu)
        return self.keep if self.count == self.short_at else reply


@pytest.mark.parametrize("keep", [b"", b"\x90"], ids=["empty", "one byte"])
@pytest.mark.parametrize("short_at", [1, 3])
def test_a_reply_without_a_status_word_is_a_protocol_error_to_retry_not_a_crash(short_at, keep):
    session = Session(ShortAnswer(short_at, keep))
    app = SsseApplication(kiosk_hooks.test_psam(), RecordForm.TAG_SFI, fallback=True, exact_le=True)
    with pytest.raises(CardFailure) as failure:
        app.read_basic(session, Deadline(5.0))
    assert failure.value.code is ResultCode.PROTOCOL_ERROR and failure.value.recovery is Recovery.RETRY
    assert "status word" in str(failure.value)


def test_the_same_read_with_whole_replies_succeeds():
    session = Session(ShortAnswer(short_at=0, keep=b""))
    card = SsseApplication(kiosk_hooks.test_psam(), RecordForm.TAG_SFI, fallback=True, exact_le=True).read_basic(session, Deadline(5.0))
    assert card.card_number == load_profile("gen3").card_number


class FirstReadRecordRefused(ShortAnswer):
    """The gen3 chip, except that the first READ RECORD (of EF05, the issuer's data) gets 6982."""

    def transmit(self, apdu: bytes) -> bytes:
        if apdu[1] == 0xB2 and not self.count:
            self.count += 1
            return b"\x69\x82"
        return self.chip.process(apdu)


def test_a_card_asking_for_authentication_before_its_issuer_data_is_a_protocol_error_not_a_crash():
    session = Session(FirstReadRecordRefused(short_at=0, keep=b""))
    app = SsseApplication(kiosk_hooks.test_psam(), RecordForm.TAG_SFI, fallback=True, exact_le=True)
    with pytest.raises(CardFailure) as failure:
        app.read_basic(session, Deadline(5.0))
    assert failure.value.code is ResultCode.PROTOCOL_ERROR and failure.value.recovery is Recovery.RETRY
