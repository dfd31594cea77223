"""The in-process fake card reader ends each case the way the real driver does (fast, no
pcscd): the same codes, recoveries and Detail keys, PIN tries that count down and block,
change and reload, a card pulled out mid-command, the reader gone, cancel tokens."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest

from hwsim.card.crypto import TEST_RELOAD_KEY, open_reload_block, reload_block
from kiosk.drivers.card import apdu, messages
from kiosk.drivers.card.errors import pin_refused
from kiosk.drivers.card.fake import FAKE_READER, FakeCard, FakeCardReader, fake_reload_block
from kiosk.drivers.status import CancelToken, DeviceKind, DeviceState, Detail, MediaState, Recovery, ResultCode

PIN = "123456"


@pytest.fixture
def reader():
    return FakeCardReader()


def test_a_card_put_in_reads_its_basic_data(reader):
    reader.insert(FakeCard(name="李娜", social_security_number="110105198507210429", card_number="B10234567", generation=2))
    done = reader.read_basic()
    assert done.ok, done.reason
    card = done.value
    assert (card.name, card.card_number, card.generation, card.spec_version) == ("李娜", "B10234567", 2, "2.00")
    assert card.social_security_number == "110105198507210429"
    assert card.birth_date == date(1985, 7, 21) and card.sex == "女" and card.nation == "汉"
    assert card.reader == FAKE_READER and len(card.card_id_code) == 32
    assert "李娜" not in repr(card)  # the real CardData, masked
    status = reader.status()
    assert status.device is DeviceKind.CARD_READER
    assert (status.state, status.media) == (DeviceState.ONLINE, MediaState.PRESENT)


def test_no_card_is_no_media(reader):
    done = reader.read_basic()
    assert done.code is ResultCode.NO_MEDIA and done.recovery is Recovery.RESIDENT_CAN_FIX
    assert reader.status().media is MediaState.NOT_PRESENT
    assert messages.resident_message(done) is messages.INSERT_CARD


def test_wrong_pin_counts_the_tries_down_as_the_card_says_it(reader):
    reader.insert(FakeCard(pin=PIN, pin_retry_limit=6))
    seen = [reader.verify_pin("000000") for _ in range(3)]
    for tries, done in zip((5, 4, 3), seen):
        assert done == pin_refused(apdu.pin_tries_query(), 0x63C0 | tries).completion()  # what the real driver returns for 63Cx
        assert done.code is ResultCode.REFUSED and done.detail[Detail.TRIES_LEFT] == tries
    assert reader.pin_status().value.tries_left == 3
    assert reader.verify_pin(PIN).ok
    assert reader.pin_status().value.verified


def test_the_last_wrong_try_blocks_and_blocked_is_blocked(reader):
    reader.insert(FakeCard(pin=PIN, pin_retry_limit=3))
    assert [reader.verify_pin("999999").detail[Detail.TRIES_LEFT] for _ in range(2)] == [2, 1]
    last = reader.verify_pin("999999")
    assert last.code is ResultCode.DEVICE_ERROR and last.recovery is Recovery.STAFF_CAN_CLEAR
    assert last.detail == {Detail.SW: "63C0", Detail.TRIES_LEFT: 0, Detail.BLOCKED: True}
    for done in (reader.verify_pin(PIN), reader.change_pin(PIN, "654321")):
        assert done.code is ResultCode.DEVICE_ERROR and done.detail == {"sw": "6983", "tries_left": 0, "blocked": True}
    assert reader.pin_status().value.blocked
    assert messages.resident_message(last) is messages.PIN_BLOCKED


def test_the_tries_are_card_memory_and_verified_is_not(reader):
    card = reader.insert(FakeCard(pin=PIN, pin_retry_limit=6))
    assert reader.verify_pin("000000").detail[Detail.TRIES_LEFT] == 5
    reader.remove()
    reader.insert(card)
    assert reader.pin_status().value.tries_left == 5
    assert reader.verify_pin(PIN).ok
    reader.remove()
    reader.insert(card)
    assert not reader.pin_status().value.verified


def test_change_pin_then_only_the_new_pin_verifies(reader):
    reader.insert(FakeCard(pin=PIN))
    assert reader.change_pin(PIN, "246810").ok
    assert reader.verify_pin(PIN).code is ResultCode.REFUSED
    assert reader.verify_pin("246810").ok
    wrong_old = reader.change_pin("111111", "222222")
    assert wrong_old.code is ResultCode.REFUSED and wrong_old.detail[Detail.TRIES_LEFT] == 5
    assert reader.card.pin == "246810"


def test_reload_unblocks_with_a_block_for_the_last_challenge(reader):
    card = reader.insert(FakeCard(pin=PIN, pin_retry_limit=6, pin_tries_left=0))
    challenge = reader.get_challenge()
    assert challenge.ok and len(challenge.value) == 8
    assert reader.reload_pin(fake_reload_block(challenge.value, "864202")).ok
    assert reader.pin_status().value.tries_left == 6 and card.pin == "864202"
    assert reader.verify_pin("864202").ok


def test_reload_refusals_are_the_real_drivers(reader):
    reader.insert(FakeCard(pin_tries_left=0))
    no_challenge = reader.reload_pin(fake_reload_block(bytes(8), "864202"))
    assert no_challenge.code is ResultCode.PROTOCOL_ERROR and no_challenge.detail[Detail.SW] == "6985"
    old = reader.get_challenge().value
    reader.get_challenge()  # a new random: the old block is no good
    bad = reader.reload_pin(fake_reload_block(old, "864202"))
    assert bad.code is ResultCode.REFUSED and bad.detail[Detail.SW] == "6988" and bad.recovery is Recovery.RETRY
    short = reader.reload_pin(b"\x00" * 19)
    assert short.code is ResultCode.INVALID_DATA
    assert reader.pin_status().value.blocked


def test_reload_with_the_simulators_opener_takes_the_centre_simulators_block():
    reader = FakeCardReader(reload_opener=lambda challenge, block: open_reload_block(TEST_RELOAD_KEY, challenge, block))
    reader.insert(FakeCard(pin_tries_left=0))
    challenge = reader.get_challenge().value
    assert reader.reload_pin(reload_block(TEST_RELOAD_KEY, challenge, "864202")).ok
    assert reader.verify_pin("864202").ok


def test_a_pin_that_is_not_digits_never_reaches_the_card(reader):
    reader.insert(FakeCard())
    for bad in ("12ab56", "123", "1234567890123", ""):
        assert reader.verify_pin(bad).code is ResultCode.INVALID_DATA
    assert reader.change_pin(PIN, "12").code is ResultCode.INVALID_DATA
    assert reader.operations == [] and reader.card.pin_tries_left == 6


def test_card_pulled_out_mid_command_is_media_removed_and_not_counted(reader):
    card = reader.insert(FakeCard(pin=PIN))
    reader.remove(during_next_command=True)
    done = reader.verify_pin("000000")
    assert done.code is ResultCode.MEDIA_REMOVED and done.recovery is Recovery.RESIDENT_CAN_FIX
    assert card.pin_tries_left == 6
    assert reader.card is None and reader.status().media is MediaState.NOT_PRESENT
    assert reader.read_basic().code is ResultCode.NO_MEDIA
    assert messages.resident_message(done) is messages.CARD_TAKEN_OUT


def test_the_reader_gone_is_no_device_and_it_comes_back(reader):
    reader.insert(FakeCard())
    reader.unplug()
    for done in (reader.read_basic(), reader.pin_status(), reader.wait_for_card(timeout_s=5), reader.refresh_status()):
        assert done.code is ResultCode.NO_DEVICE and done.recovery is Recovery.NEEDS_MAINTENANCE
    assert reader.status().state is DeviceState.NO_DEVICE
    assert messages.resident_message(reader.read_basic()) is messages.READER_BROKEN
    reader.plug_in()
    assert reader.read_basic().ok
    assert reader.status().state is DeviceState.ONLINE


def test_status_is_the_last_known_and_refresh_status_asks(reader):
    assert reader.status().state is DeviceState.OFFLINE
    reader.insert(FakeCard())
    assert reader.status().media is MediaState.UNKNOWN  # nobody asked yet
    done = reader.refresh_status()
    assert done.ok and done.value.media is MediaState.PRESENT and reader.status() == done.value


def test_wait_for_card_returns_when_a_card_is_put_in(reader):
    threading.Timer(0.1, reader.insert).start()
    done = reader.wait_for_card(timeout_s=5)
    assert done.ok and done.value == FAKE_READER


def test_wait_for_card_gives_up_as_no_media(reader):
    done = reader.wait_for_card(timeout_s=0.1)
    assert done.code is ResultCode.NO_MEDIA and done.recovery is Recovery.RESIDENT_CAN_FIX


def test_wait_for_card_can_be_cancelled(reader):
    cancel = CancelToken()
    threading.Timer(0.1, cancel.cancel).start()
    started = time.monotonic()
    done = reader.wait_for_card(timeout_s=10, cancel=cancel)
    assert done.code is ResultCode.CANCELLED and time.monotonic() - started < 1


def test_a_cancelled_operation_does_nothing_to_the_card(reader):
    card = reader.insert(FakeCard())
    cancel = CancelToken()
    cancel.cancel()
    assert reader.verify_pin("000000", cancel=cancel).code is ResultCode.CANCELLED
    assert card.pin_tries_left == 6


def test_a_slow_card_times_out_without_waiting_for_it_and_can_be_cancelled(reader):
    reader.insert(FakeCard())
    reader.answer_delay_s = 5
    started = time.monotonic()
    done = reader.read_basic(timeout_s=0.2)
    assert done.code is ResultCode.TIMEOUT and done.recovery is Recovery.RESIDENT_CAN_FIX
    assert time.monotonic() - started < 1
    cancel = CancelToken()
    threading.Timer(0.1, cancel.cancel).start()
    assert reader.read_basic(timeout_s=10, cancel=cancel).code is ResultCode.CANCELLED
    reader.answer_delay_s = 0
    assert reader.read_basic().ok


def test_another_kind_of_card_is_not_a_social_security_card(reader):
    reader.insert(FakeCard(social_security=False))
    done = reader.read_basic()
    assert done.code is ResultCode.INVALID_DATA and done.detail[Detail.SW] == "6A82"
    assert messages.resident_message(done) is messages.NOT_SSCARD


def test_a_third_generation_card_needs_the_psam():
    reader = FakeCardReader(psam=False)
    reader.insert(FakeCard(generation=3))
    done = reader.read_basic()
    assert done.code is ResultCode.DEVICE_ERROR and done.recovery is Recovery.NEEDS_MAINTENANCE and "PSAM" in done.reason
    reader.insert(FakeCard(generation=2))
    assert reader.read_basic().ok


def test_the_pin_shows_nowhere(reader):
    card = reader.insert(FakeCard(pin="975310"))
    wrong = reader.verify_pin("864297")
    for text in (repr(card), repr(wrong), wrong.reason, repr(reader.operations)):
        assert "975310" not in text and "864297" not in text
