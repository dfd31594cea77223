"""The card coming and going: mid-command, between commands, swapped; and slow cards."""

from __future__ import annotations

import threading
import time

import pytest

from kiosk.drivers.card.monitor import CardMonitor
from kiosk.drivers.status import CancelToken, MediaState, Recovery, ResultCode

from tests.support.processes import wait_for

from .conftest import SLOT0, insert, wait_until_empty

pytestmark = pytest.mark.pcsc  # pcscd with the vpcd virtual reader


def test_card_pulled_out_mid_command_is_media_removed(card_sim, reader):
    insert(card_sim, "gen2")
    card_sim.remove(0, during_next_command=True)
    done = reader.read_basic()
    assert done.code is ResultCode.MEDIA_REMOVED
    assert done.recovery is Recovery.RESIDENT_CAN_FIX
    assert reader.reporter.status.media is MediaState.NOT_PRESENT


def test_no_card_in_the_reader_is_no_media(card_sim, reader):
    done = reader.read_basic()
    assert done.code is ResultCode.NO_MEDIA
    assert reader.status().media is MediaState.NOT_PRESENT


def test_card_taken_out_between_operations_is_no_media_then_a_new_card_reads(card_sim, reader):
    insert(card_sim, "gen1")
    assert reader.read_basic().value.name == "张伟"
    card_sim.remove(0)
    wait_until_empty(reader)
    assert reader.read_basic().code is ResultCode.NO_MEDIA
    insert(card_sim, "gen2")
    assert reader.read_basic().value.name == "李娜"


def test_card_swapped_under_an_open_session_reads_the_new_card(card_sim, reader):
    insert(card_sim, "gen1")
    assert reader.verify_pin("123456").ok  # keeps the connection open
    insert(card_sim, "gen2")  # out and in again with another card
    done = reader.read_basic()
    assert done.ok, done.reason
    assert done.value.name == "李娜"


def test_wait_for_card_returns_when_a_card_is_put_in(card_sim, reader):
    later = threading.Timer(0.3, lambda: card_sim.insert("gen1", 0))
    later.start()
    done = reader.wait_for_card(timeout_s=5)
    later.join()
    assert done.ok and done.value == SLOT0


def test_wait_for_card_gives_up_as_no_media(card_sim, reader):
    done = reader.wait_for_card(timeout_s=0.3)
    assert done.code is ResultCode.NO_MEDIA


def test_wait_for_card_can_be_cancelled(card_sim, reader):
    cancel = CancelToken()
    threading.Timer(0.2, cancel.cancel).start()
    started = time.monotonic()
    done = reader.wait_for_card(timeout_s=10, cancel=cancel)
    assert done.code is ResultCode.CANCELLED
    assert time.monotonic() - started < 5


def test_card_that_hangs_times_out_without_waiting_for_it(card_sim, reader):
    insert(card_sim, "gen2")
    card_sim.set(0, apdu_delay_ms=2000)
    started = time.monotonic()
    done = reader.read_basic(timeout_s=0.3)
    assert done.code is ResultCode.TIMEOUT
    assert time.monotonic() - started < 1.9, "the caller waited for the card (2 s), not for its timeout"
    card_sim.set(0, apdu_delay_ms=0)
    again = reader.read_basic()  # a fresh connection, once pcscd is done with the stuck command
    assert again.ok, again.reason


def test_cancelled_read_stops_between_commands(card_sim, reader, trace):
    insert(card_sim, "gen2")
    cancel = CancelToken()
    cancel.cancel()
    done = reader.read_basic(cancel=cancel)
    assert done.code is ResultCode.CANCELLED
    assert trace == []


def test_monitor_reports_insertions_and_removals(card_sim, pcscd):
    events = []
    monitor = CardMonitor("pcsc://", poll_ms=200)
    monitor.add_listener(events.append)
    monitor.start()
    try:
        insert(card_sim, "gen3")
        wait_for(lambda: [e.kind for e in events] == ["inserted"], timeout=3, what="the insertion")
        assert events[0].reader == SLOT0 and events[0].atr.hex().upper().startswith("3B6D")
        assert monitor.status().media is MediaState.PRESENT
        card_sim.remove(0)
        wait_for(lambda: [e.kind for e in events] == ["inserted", "removed"], timeout=3, what="the removal")
        assert monitor.status().media is MediaState.NOT_PRESENT
    finally:
        monitor.stop()


def test_monitor_sees_a_card_swapped_while_it_was_not_looking(card_sim, pcscd):
    """Same ATR, never seen empty: only pcscd's event counter tells the cards apart."""
    events = []
    looking_away = threading.Event()

    def slow_listener(event):
        events.append(event)
        if len(events) == 1:
            looking_away.wait(5)  # a listener busy with the first card

    monitor = CardMonitor("pcsc://", poll_ms=5000)
    monitor.add_listener(slow_listener)
    insert(card_sim, "gen1")
    monitor.start()
    try:
        wait_for(lambda: len(events) == 1, timeout=3, what="the first card")
        insert(card_sim, "gen2")  # out and in while the monitor's thread is busy
        looking_away.set()
        wait_for(lambda: [e.kind for e in events] == ["inserted", "removed", "inserted"], timeout=3, what="the swap")
        assert events[0].atr == events[2].atr
    finally:
        looking_away.set()
        monitor.stop()


def test_monitor_stops_at_once_while_pcscd_would_block_it_for_seconds(card_sim, pcscd):
    """stop() cancels the SCardGetStatusChange in hand (SCardCancel) instead of waiting out poll_ms."""
    monitor = CardMonitor("pcsc://", poll_ms=10_000)
    monitor.start()
    try:
        wait_for(lambda: monitor.status().media is MediaState.NOT_PRESENT, timeout=3, what="the monitor to be watching")
        time.sleep(0.2)  # inside SCardGetStatusChange by now
    finally:
        started = time.monotonic()
        monitor.stop()
    assert time.monotonic() - started < 1.0
    assert not [t for t in threading.enumerate() if t.name == "card-monitor"]
