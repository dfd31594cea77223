"""kiosk.systemd_notify: READY=1 once, then watchdog pings only while the kiosk is healthy."""

import threading

from kiosk import systemd_notify
from kiosk.systemd_notify import Notifier, dead_essential_threads, watchdog_interval_s


def test_ready_once_then_a_ping_per_tick():
    sent = []
    notifier = Notifier(sent.append, lambda: [])
    for _ in range(3):
        notifier.tick()
    assert sent[0].startswith("READY=1")
    assert sent[1:] == ["WATCHDOG=1"] * 3


def test_pings_stop_while_unhealthy():
    sent = []
    problems: list[str] = []
    notifier = Notifier(sent.append, lambda: problems)
    notifier.tick()
    problems.append("outbox-sync")
    notifier.tick()
    notifier.tick()
    assert sent.count("WATCHDOG=1") == 1
    assert sum(m.startswith("STATUS=unhealthy") for m in sent) == 1


def test_ping_interval_is_half_of_watchdog_sec():
    assert watchdog_interval_s({"WATCHDOG_USEC": "30000000"}) == 15.0
    assert watchdog_interval_s({}) == systemd_notify.DEFAULT_PING_S


def test_an_essential_thread_that_ended_is_reported(monkeypatch):
    monkeypatch.setattr(systemd_notify, "ESSENTIAL_THREADS", ("test-worker",))
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait, name="test-worker", daemon=True)
    seen: set[str] = set()
    assert dead_essential_threads(seen) == []  # not started yet: nothing to miss
    worker.start()
    assert dead_essential_threads(seen) == []
    stop.set()
    worker.join()
    assert dead_essential_threads(seen) == ["test-worker"]
