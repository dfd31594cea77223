"""The sync worker against the real centre simulator over HTTP: the net effect is exactly once."""

from __future__ import annotations

import dataclasses
import random
import threading

import httpx
import pytest

from kiosk.centre.client import CentreClient
from kiosk.config import OutboxSettings, load_config
from kiosk.flows.context import FlowTimeouts, KioskServices
from kiosk.offline.outbox import ItemState, Kind, Outbox
from kiosk.offline.sync import SyncWorker
from tests.centre.fixtures import local_centre  # noqa: F401  (the centre in this process, for KioskServices)
from tests.offline import people
from tests.support.processes import wait_for

# Long backoffs, so a round never retries by itself; tests move items due with _due_now().
RETRY_LATER = OutboxSettings(max_attempts=5, backoff_base_s=30.0, backoff_cap_s=60.0, retention_days=30)


@pytest.fixture
def outbox(tmp_path, terminal_key):
    box = Outbox.open(tmp_path / "data", terminal_key, RETRY_LATER, rng=random.Random(3))  # no near-zero draw
    yield box
    box.close()


@pytest.fixture
def worker(outbox, centre):
    client = CentreClient(centre.url, **centre.terminal, terminal_id="T01", timeout=httpx.Timeout(2.0, connect=1.0))
    yield SyncWorker(outbox, client)
    client.close()


def _due_now(outbox: Outbox) -> None:
    """Skip the backoff wait: the schedule itself is tested on a fake clock."""
    outbox.db.execute("UPDATE outbox_items SET next_attempt_at = 0 WHERE state = 'pending'")


def test_application_arrives_with_its_photo_and_the_photo_is_then_deleted(outbox, worker, centre):
    item = outbox.enqueue(Kind.APPLICATION, people.application(), attachments=[people.photo()], voucher=people.voucher())
    report = worker.sync_once()
    assert report.sent == 1
    [arrived] = centre.applications()
    sent = outbox.item(item.id)
    assert sent.state is ItemState.SENT and sent.centre_reference == arrived["reference"]
    assert arrived["attachments"] == ["photo"]
    assert sent.attachments == ()


def test_centre_down_keeps_the_item_pending_then_it_arrives_exactly_once(outbox, worker, centre):
    centre.ctl("down")
    item = outbox.enqueue(Kind.APPLICATION, people.application(), attachments=[people.photo()])
    report = worker.sync_once()
    assert report.centre_unreachable and report.sent == 0
    waiting = outbox.item(item.id)
    assert waiting.state is ItemState.PENDING and "cannot reach" in waiting.last_error
    assert waiting.attachments == ("photo",)

    centre.ctl("up")
    _due_now(outbox)
    assert worker.sync_once().sent == 1
    assert len(centre.applications()) == 1
    assert worker.sync_once().attempted == 0  # nothing is sent again


def test_lost_answer_is_resent_and_the_centre_keeps_one_application(outbox, worker, centre):
    centre.ctl("drop_response", count=1)
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    assert worker.sync_once().retrying == 1
    assert len(centre.applications()) == 1  # it did arrive; only the answer was lost
    _due_now(outbox)
    assert worker.sync_once().sent == 1
    [arrived] = centre.applications()
    assert outbox.item(item.id).centre_reference == arrived["reference"]


def test_request_delivered_twice_makes_one_application(outbox, worker, centre):
    centre.ctl("replay", count=1)
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    assert worker.sync_once().sent == 1
    [arrived] = centre.applications()
    assert outbox.item(item.id).centre_reference == arrived["reference"]


def test_server_errors_are_retried_until_the_centre_accepts(outbox, worker, centre):
    centre.ctl("fail5xx", count=2)
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    assert worker.sync_once().retrying == 1
    assert "503" in outbox.item(item.id).last_error
    _due_now(outbox)
    assert worker.sync_once().retrying == 1
    _due_now(outbox)
    assert worker.sync_once().sent == 1
    assert outbox.item(item.id).attempts == 3
    assert len(centre.applications()) == 1


def test_slow_centre_times_out_and_the_retry_is_not_a_second_application(outbox, centre):
    centre.ctl("slow", seconds=0.6)
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    with CentreClient(centre.url, **centre.terminal, timeout=httpx.Timeout(0.3)) as impatient:
        report = SyncWorker(outbox, impatient).sync_once()
    assert report.retrying == 1 and "no answer" in outbox.item(item.id).last_error
    wait_for(lambda: len(centre.applications()) == 1, what="the slow centre to finish")
    centre.ctl("slow", seconds=0)
    _due_now(outbox)
    with CentreClient(centre.url, **centre.terminal) as client:
        assert SyncWorker(outbox, client).sync_once().sent == 1
    assert len(centre.applications()) == 1


def test_centre_rejection_goes_to_staff_and_is_not_retried(outbox, worker, centre):
    item = outbox.enqueue(Kind.APPLICATION, {"service": "apply", "applicant": {"id_number": people.ID_NUMBER}})
    report = worker.sync_once()
    assert report.needs_staff == 1
    rejected = outbox.item(item.id)
    assert rejected.state is ItemState.REJECTED and rejected.last_error.endswith("rejected 422 missing_field")  # a code, not the text
    assert outbox.alerts()[0].item_id == item.id
    assert worker.sync_once().attempted == 0


def test_dead_letter_after_max_attempts_against_a_down_centre(outbox, worker, centre):
    centre.ctl("down")
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    for _ in range(RETRY_LATER.max_attempts):
        _due_now(outbox)
        worker.sync_once()
    assert outbox.item(item.id).state is ItemState.DEAD
    assert [a.item_id for a in outbox.alerts()] == [item.id]


def test_loss_report_reaches_the_centre_before_queued_applications(outbox, worker, centre):
    centre.ctl("add_card", card_number="K12345678", id_number=people.ID_NUMBER, status="active")
    centre.ctl("down")
    application = outbox.enqueue(Kind.APPLICATION, people.application())
    loss = outbox.enqueue(Kind.LOSS_REPORT, {"id_number": people.ID_NUMBER})
    worker.sync_once()
    centre.ctl("up")
    _due_now(outbox)
    assert worker.sync_once(limit=1).sent == 1
    assert outbox.item(loss.id).state is ItemState.SENT
    assert outbox.item(application.id).state is ItemState.PENDING
    cards = CentreClient(centre.url, **centre.terminal).cards_of(people.ID_NUMBER).data["cards"]
    assert cards == [{"card_number": "K12345678", "status": "reported_lost", "generation": 3}]


def test_background_worker_delivers_what_is_enqueued_and_stops_cleanly(outbox, centre):
    others = set(threading.enumerate())
    with CentreClient(centre.url, **centre.terminal) as client:
        worker = SyncWorker(outbox, client, idle_s=0.1).start()
        [thread] = [t for t in set(threading.enumerate()) - others if t.name == "outbox-sync"]
        try:
            items = [outbox.enqueue(Kind.APPLICATION, people.application()) for _ in range(3)]
            worker.wake()
            wait_for(lambda: all(outbox.item(i.id).state is ItemState.SENT for i in items), what="delivery")
        finally:
            worker.stop(timeout=10)
    assert not worker.running and not thread.is_alive()
    assert len(centre.applications()) == 3


def test_deliver_now_sends_the_residents_item_not_the_older_ones_queued_before_it(local_centre):
    config = dataclasses.replace(load_config(), centre_url=local_centre.url)
    services = KioskServices.build(config, timeouts=FlowTimeouts(deliver_now_s=2.0))
    try:
        older = [services.outbox.enqueue(Kind.APPLICATION, people.application()) for _ in range(5)]
        mine = services.outbox.enqueue(Kind.APPLICATION, people.application())
        assert services.deliver_now(mine.id) is True
        assert services.outbox.item(mine.id).state is ItemState.SENT
        assert [services.outbox.item(i.id).state for i in older] == [ItemState.PENDING] * 5
        assert [a["reference"] for a in local_centre.applications()] == [services.outbox.item(mine.id).centre_reference]
    finally:
        services.close()


def test_deliver_leaves_an_item_another_worker_is_sending(outbox, worker, centre):
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    outbox.lease("background", 60)
    assert worker.deliver(item.id) is None
    assert outbox.item(item.id).state is ItemState.IN_FLIGHT and centre.applications() == []


def test_deliver_sends_a_waiting_loss_report_before_the_residents_item(outbox, worker, centre):
    centre.ctl("add_card", card_number="K12345678", id_number=people.ID_NUMBER, status="active")
    centre.ctl("down")
    loss = outbox.enqueue(Kind.LOSS_REPORT, {"id_number": people.ID_NUMBER})
    worker.sync_once()  # the loss report could not go: the centre was down
    centre.ctl("up")
    _due_now(outbox)
    mine = outbox.enqueue(Kind.APPLICATION, people.application())
    assert worker.deliver(mine.id) is ItemState.SENT
    assert outbox.item(loss.id).state is ItemState.SENT  # it went first, though older and not the resident's
    losses = CentreClient(centre.url, **centre.terminal).cards_of(people.ID_NUMBER).data["cards"]
    assert losses[0]["status"] == "reported_lost"


def test_deliver_holds_the_residents_item_while_what_must_go_first_cannot(outbox, worker, centre):
    centre.ctl("down")
    loss = outbox.enqueue(Kind.LOSS_REPORT, {"id_number": people.ID_NUMBER})
    mine = outbox.enqueue(Kind.APPLICATION, people.application())
    assert worker.deliver(mine.id) is None
    assert outbox.item(loss.id).state is ItemState.PENDING and outbox.item(mine.id).state is ItemState.PENDING
    assert outbox.item(mine.id).attempts == 0  # never sent ahead of the loss report
