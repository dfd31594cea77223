"""Card placed / taken away events and the reader's status, as the screens receive them."""

import threading

from kiosk.drivers.id_reader import CardEvent, CardPoller
from kiosk.drivers.status import DeviceState
from tests.support.processes import wait_for


def test_card_placed_then_taken_away(simulator, reader):
    poller = CardPoller(reader, removal_misses=2)
    events = []
    poller.add_listener(events.append)
    assert poller.poll() is None  # nothing there yet
    simulator.insert("resident")
    assert poller.poll() is CardEvent.PLACED
    assert poller.poll() is None  # still there: no second event
    simulator.remove()
    assert poller.poll() is None  # one miss is not yet "taken away"
    assert poller.poll() is CardEvent.REMOVED
    assert events == [CardEvent.PLACED, CardEvent.REMOVED]


def test_a_single_missed_find_does_not_report_removal(simulator, reader):
    simulator.insert("resident")
    poller = CardPoller(reader, removal_misses=2)
    poller.poll()
    simulator.fault("status", count=1, sw3="80", command="20 01")
    assert [poller.poll() for _ in range(3)] == [None, None, None]
    assert poller.card_present


def test_reading_between_polls_keeps_the_card_present(simulator, reader):
    simulator.insert("elder")
    poller = CardPoller(reader)
    assert poller.poll() is CardEvent.PLACED
    assert reader.read_card().ok
    assert poller.poll() is None and poller.card_present


def test_unplugged_reader_takes_the_card_away_and_reports_no_device(simulator, reader):
    states = []
    reader.reporter.add_listener(lambda status: states.append(status.state))
    simulator.insert("resident")
    poller = CardPoller(reader)
    assert poller.poll() is CardEvent.PLACED
    simulator.unplug()
    assert poller.poll() is CardEvent.REMOVED
    assert reader.status().state is DeviceState.NO_DEVICE
    simulator.plug()
    assert poller.poll() is CardEvent.PLACED  # reconnected by itself
    assert states[-2:] == [DeviceState.NO_DEVICE, DeviceState.ONLINE]


def test_background_polling_reports_events_and_stops(simulator, reader):
    poller = CardPoller(reader, interval=0.02)
    events = []
    placed = threading.Event()
    poller.add_listener(lambda event: (events.append(event), placed.set()))
    poller.start()
    assert poller.running
    try:
        simulator.insert("tujia")
        assert placed.wait(5)
        simulator.remove()
        wait_for(lambda: CardEvent.REMOVED in events, timeout=5, what="card removed event")
    finally:
        poller.stop()
    assert events == [CardEvent.PLACED, CardEvent.REMOVED]
    assert not poller.running


def test_failing_listener_does_not_stop_polling(simulator, reader):
    poller = CardPoller(reader)
    seen = []

    def broken(event):
        raise RuntimeError("screen bug")

    poller.add_listener(broken)
    poller.add_listener(seen.append)
    simulator.insert("resident")
    assert poller.poll() is CardEvent.PLACED
    assert seen == [CardEvent.PLACED]
