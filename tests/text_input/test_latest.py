"""Only the newest answer reaches the screen."""

from __future__ import annotations

import threading

from kiosk.text_input.latest import LatestOnly


def test_an_older_answer_is_dropped_when_a_newer_request_was_made():
    worker = LatestOnly()
    gate = threading.Event()
    delivered: list[str] = []
    first = worker.submit(lambda: (gate.wait(5), "old")[1], delivered.append)
    second = worker.submit(lambda: "new", delivered.append)
    gate.set()
    first.result(5)
    second.result(5)
    assert delivered == ["new"]
    worker.close()


def test_cancel_pending_drops_the_answer_in_flight():
    worker = LatestOnly()
    gate = threading.Event()
    delivered: list[str] = []
    job = worker.submit(lambda: (gate.wait(5), "late")[1], delivered.append)
    worker.cancel_pending()
    gate.set()
    job.result(5)
    assert delivered == []
    worker.close()


def test_failing_work_delivers_nothing():
    worker = LatestOnly()
    delivered: list[object] = []
    worker.submit(lambda: 1 / 0, delivered.append).result(5)
    assert delivered == []
    worker.close()
