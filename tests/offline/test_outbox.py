"""The outbox state machine on a fake clock: enqueue, lease, ack, backoff, dead letters, pruning."""

from __future__ import annotations

import dataclasses
import logging
import os
import random

import pytest

from kiosk.config import OutboxSettings
from kiosk.keys import TerminalKey
from kiosk.offline import backoff
from kiosk.offline.outbox import (
    Attachment,
    DuplicateKey,
    ItemState,
    Kind,
    Outbox,
    WrongState,
)
from tests.offline import people


def test_enqueue_commits_with_the_callers_own_writes(outbox):
    with outbox.transaction() as tx:
        tx.db.execute("CREATE TABLE IF NOT EXISTS local_notes (note TEXT) STRICT")
        item = tx.enqueue(Kind.APPLICATION, people.application(), voucher=people.voucher())
        tx.db["local_notes"].insert({"note": "voucher 0007 handed out"})
    assert outbox.item(item.id).state is ItemState.PENDING
    assert outbox.db["local_notes"].count == 1


def test_error_in_the_callers_transaction_undoes_the_enqueue(outbox):
    with pytest.raises(RuntimeError):
        with outbox.transaction() as tx:
            tx.enqueue(Kind.APPLICATION, people.application(), attachments=[people.photo()])
            raise RuntimeError("the printer caught fire before commit")
    assert outbox.items() == []
    assert outbox.db["outbox_attachments"].count == 0


def test_duplicate_idempotency_key_is_refused(outbox):
    outbox.enqueue(Kind.APPLICATION, people.application(), idempotency_key="CS01-T01-20261123-0007")
    with pytest.raises(DuplicateKey):
        outbox.enqueue(Kind.APPLICATION, people.application(), idempotency_key="CS01-T01-20261123-0007")
    assert len(outbox.items()) == 1


def test_duplicate_inside_a_transaction_leaves_the_rest_of_it_usable(outbox):
    outbox.enqueue(Kind.APPLICATION, {}, idempotency_key="already-there")
    with outbox.transaction() as tx:
        with pytest.raises(DuplicateKey):
            tx.enqueue(Kind.APPLICATION, {}, idempotency_key="already-there")
        tx.enqueue(Kind.LOSS_REPORT, {"id_number": people.ID_NUMBER})
    assert sorted(i.kind for i in outbox.items()) == ["application", "loss_report"]


def test_attachment_name_that_could_hold_an_id_number_is_refused(outbox):
    with pytest.raises(ValueError, match="lowercase letters"):
        outbox.enqueue(Kind.APPLICATION, {}, attachments=[Attachment(people.ID_NUMBER, b"x")])


def test_loss_report_is_leased_before_older_applications(outbox, clock):
    first = outbox.enqueue(Kind.APPLICATION, people.application())
    outbox.enqueue(Kind.PIN_CHANGE_RECORD, {"card_number": "C00000001"})
    clock.advance(5)
    loss = outbox.enqueue(Kind.LOSS_REPORT, {"id_number": people.ID_NUMBER})
    assert outbox.lease("w", 60).item.id == loss.id
    assert outbox.lease("w", 60).item.id == first.id


def test_leased_item_is_hidden_until_its_lease_expires(outbox, clock):
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    first = outbox.lease("worker-a", 60)
    assert first.item.attempts == 1
    assert outbox.lease("worker-b", 60) is None
    clock.advance(61)  # worker-a crashed mid-send
    again = outbox.lease("worker-b", 60)
    assert again.item.id == item.id and again.item.attempts == 2
    assert again.payload == people.application()


def test_lease_opens_payload_and_attachments(outbox):
    photo = people.photo()
    outbox.enqueue(Kind.APPLICATION, people.application(), attachments=[photo])
    delivery = outbox.lease("w", 60)
    assert delivery.attachments == (photo,)
    assert people.NAME not in repr(delivery)


def test_backoff_ceiling_doubles_up_to_the_cap():
    settings = OutboxSettings(backoff_base_s=2.0, backoff_cap_s=300.0)
    assert [backoff.ceiling(n, settings) for n in range(1, 11)] == [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]
    assert backoff.ceiling(10_000, settings) == 300


def test_backoff_is_full_jitter_within_the_ceiling():
    settings = OutboxSettings(backoff_base_s=2.0, backoff_cap_s=300.0)
    rng = random.Random(1)
    draws = [backoff.delay(6, settings, rng) for _ in range(2000)]
    assert 0 <= min(draws) < 3 and 61 < max(draws) <= 64  # uniform over [0, 64], not clustered


def test_failed_delivery_waits_out_its_backoff(outbox, clock, settings):
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    for attempt in (1, 2, 3):
        delivery = outbox.lease("w", 60)
        assert delivery.item.attempts == attempt
        assert outbox.fail(delivery, "centre 503") is ItemState.PENDING
        waiting = outbox.item(item.id)
        assert 0 <= waiting.next_attempt_at - clock.now <= backoff.ceiling(attempt, settings)
        clock.now = waiting.next_attempt_at - 0.001
        assert outbox.lease("w", 60) is None  # not due yet
        clock.now = waiting.next_attempt_at


def test_retry_after_from_the_centre_is_respected(outbox, clock):
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    outbox.fail(outbox.lease("w", 60), "centre 429", retry_after=120)
    assert outbox.item(item.id).next_attempt_at >= clock.now + 120


def test_dead_after_max_attempts_raises_a_staff_alert(outbox, clock, settings, caplog):
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    caplog.set_level(logging.WARNING)
    states = []
    for _ in range(settings.max_attempts):
        clock.advance(settings.backoff_cap_s)
        states.append(outbox.fail(outbox.lease("w", 60), "cannot reach the centre"))
    assert states == [ItemState.PENDING] * (settings.max_attempts - 1) + [ItemState.DEAD]
    assert outbox.lease("w", 60) is None
    [alert] = outbox.alerts()
    assert alert.item_id == item.id and alert.kind == "dead"
    assert "staff alert" in caplog.text and f"item {item.id}" in caplog.text
    assert people.NAME not in caplog.text and people.ID_NUMBER not in caplog.text


def test_worker_dying_on_the_last_attempt_dead_letters_the_item(outbox, clock, settings):
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    for _ in range(settings.max_attempts - 1):
        clock.advance(settings.backoff_cap_s)
        outbox.fail(outbox.lease("w", 60), "503")
    clock.advance(settings.backoff_cap_s)
    assert outbox.lease("w", 60).item.attempts == settings.max_attempts
    clock.advance(61)  # that worker never came back
    assert outbox.lease("w2", 60) is None
    assert outbox.item(item.id).state is ItemState.DEAD
    assert "lease expired" in outbox.alerts()[0].message


def test_rejected_item_raises_an_alert_and_is_not_retried(outbox, clock):
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    assert outbox.reject(outbox.lease("w", 60), "centre 422 missing_field") is ItemState.REJECTED
    clock.advance(10_000)
    assert outbox.lease("w", 60) is None
    assert outbox.item(item.id).state is ItemState.REJECTED
    assert outbox.alerts()[0].kind == "rejected"


def test_confirmed_item_loses_its_images_but_keeps_its_voucher(outbox):
    item = outbox.enqueue(
        Kind.APPLICATION, people.application(), attachments=[people.photo(), Attachment("signature", b"sig")],
        voucher=people.voucher(),
    )  # fmt: skip
    assert outbox.item(item.id).attachments == ("photo", "signature")
    delivery = outbox.lease("w", 60)
    outbox.ack(delivery.item.id, "A00000001")
    sent = outbox.item(item.id)
    assert sent.state is ItemState.SENT and sent.centre_reference == "A00000001"
    assert sent.attachments == () and outbox.db["outbox_attachments"].count == 0
    assert outbox.voucher(item.id)["serial"] == "CS01-T01-20261123-0007"


def test_failure_reported_after_the_lease_moved_on_is_ignored(outbox, clock):
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    slow = outbox.lease("slow-worker", 60)
    clock.advance(61)
    fresh = outbox.lease("fresh-worker", 60)
    assert outbox.fail(slow, "timed out") is None
    assert outbox.item(item.id).state is ItemState.IN_FLIGHT
    outbox.ack(fresh.item.id, "A1")
    assert outbox.item(item.id).state is ItemState.SENT


def test_late_confirmation_of_a_dead_item_marks_it_sent(outbox, clock, settings):
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    for _ in range(settings.max_attempts):
        clock.advance(settings.backoff_cap_s)
        last = outbox.lease("w", 60)
        outbox.fail(last, "no answer")
    assert outbox.item(item.id).state is ItemState.DEAD
    outbox.ack(item.id, "A00000009")  # the centre had it after all
    assert outbox.item(item.id).state is ItemState.SENT
    assert outbox.alerts() == []


def test_staff_retry_gives_a_dead_item_fresh_attempts(outbox, clock, settings):
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    outbox.reject(outbox.lease("w", 60), "centre 400")
    retried = outbox.retry(item.id)
    assert retried.state is ItemState.PENDING and retried.attempts == 0
    assert outbox.alerts() == [] and len(outbox.alerts(open_only=False)) == 1
    assert outbox.lease("w", 60).item.id == item.id


def test_staff_retry_of_a_pending_item_is_refused(outbox):
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    with pytest.raises(WrongState):
        outbox.retry(item.id)


def test_sent_items_are_pruned_after_the_retention_period(outbox, clock, settings):
    old = outbox.enqueue(Kind.APPLICATION, people.application(), voucher=people.voucher())
    outbox.ack(outbox.lease("w", 60).item.id, "A1")
    clock.advance(settings.retention_days * 86400 - 10)
    recent = outbox.enqueue(Kind.APPLICATION, people.application())
    outbox.ack(outbox.lease("w", 60).item.id, "A2")
    waiting = outbox.enqueue(Kind.APPLICATION, people.application())
    assert outbox.prune_sent() == 0
    clock.advance(20)
    assert outbox.prune_sent() == 1
    assert [i.id for i in outbox.items()] == [recent.id, waiting.id]
    assert old.id not in [i.id for i in outbox.items()]


def test_purge_removes_dead_and_rejected_items_only(outbox):
    dead = outbox.enqueue(Kind.APPLICATION, people.application(), attachments=[people.photo()])
    outbox.reject(outbox.lease("w", 60), "centre 422")
    keep = outbox.enqueue(Kind.APPLICATION, people.application())
    assert outbox.purge_needing_staff() == 1
    assert [i.id for i in outbox.items()] == [keep.id]
    assert outbox.db["outbox_attachments"].count == 0
    assert outbox.alerts() == [] and outbox.alerts(open_only=False)[0].item_id is None
    assert dead.id != keep.id


def test_stored_voucher_is_rebuilt_for_reprinting(outbox):
    voucher = people.voucher()
    item = outbox.enqueue(Kind.APPLICATION, people.application(), voucher=voucher)
    assert outbox.stored_voucher(item.id) == voucher  # uploaded=False: not sent yet
    outbox.ack(outbox.lease("w", 60).item.id, "A1")
    reprint = outbox.stored_voucher(item.id)
    assert reprint.uploaded is True and reprint.serial == voucher.serial
    assert outbox.item(item.id).voucher_serial == voucher.serial


def test_status_counts_states_and_oldest_pending_age(outbox, clock):
    outbox.enqueue(Kind.APPLICATION, people.application())
    clock.advance(30)
    outbox.enqueue(Kind.LOSS_REPORT, {"id_number": people.ID_NUMBER})
    outbox.reject(outbox.lease("w", 60), "centre 404 no_card_on_record")
    clock.advance(15)
    status = outbox.status()
    assert status.counts == {"pending": 1, "in_flight": 0, "sent": 0, "dead": 0, "rejected": 1}
    assert status.oldest_pending_age_s == 45
    assert len(status.needs_staff) == 1 and len(status.open_alerts) == 1


def test_item_sealed_under_another_key_goes_to_staff_instead_of_blocking(tmp_path, terminal_key, settings, clock):
    with Outbox.open(tmp_path, terminal_key, settings, clock=clock) as old_terminal:
        stuck = old_terminal.enqueue(Kind.APPLICATION, people.application())
    with Outbox.open(tmp_path, TerminalKey(os.urandom(32)), settings, clock=clock) as new_terminal:
        fine = new_terminal.enqueue(Kind.APPLICATION, people.application())
        delivery = new_terminal.lease("w", 60)
        assert delivery.item.id == fine.id
        assert new_terminal.item(stuck.id).state is ItemState.DEAD
        assert "another terminal key" in new_terminal.alerts()[0].message


def test_unsent_opens_what_the_centre_has_not_confirmed_and_nothing_else(outbox):
    waiting = outbox.enqueue(Kind.APPLICATION, {"applicant": {"id_number": "waiting"}}, idempotency_key="apply:waiting-1")
    sent = outbox.enqueue(Kind.APPLICATION, {"applicant": {"id_number": "sent"}}, idempotency_key="apply:sent-0001")
    refused = outbox.enqueue(Kind.APPLICATION, {"applicant": {"id_number": "refused"}}, idempotency_key="apply:refused-1")
    outbox.enqueue(Kind.LOSS_REPORT, {"id_number": "loss"}, idempotency_key="loss:report-01")
    outbox.ack(sent.id, "R-1")
    for _ in range(3):  # the loss report goes first; then the two applications in order
        delivery = outbox.lease("test", 30)
        if delivery.item.id == refused.id:
            outbox.reject(delivery, "422 bad application")
        else:
            outbox.fail(delivery, "centre down")
    unsent = outbox.unsent(Kind.APPLICATION)
    assert [(item.id, payload["applicant"]["id_number"]) for item, payload in unsent] == [(waiting.id, "waiting"), (refused.id, "refused")]
    assert {item.id: item.state for item, _ in unsent} == {waiting.id: ItemState.PENDING, refused.id: ItemState.REJECTED}


def test_a_voucher_without_an_expected_date_and_with_a_proxy_comes_back_whole(outbox):
    voucher = dataclasses.replace(people.voucher(), expected_date=None, proxy="张* 1101**********0012")
    item = outbox.enqueue(Kind.APPLICATION, people.application(), voucher=voucher)
    record = outbox.voucher(item.id)
    assert record["expected_date"] is None and record["issued_at"] == "2026-11-23T14:05:00"
    assert outbox.stored_voucher(item.id) == voucher


def test_leasing_one_item_by_id_skips_the_more_urgent_ones(outbox):
    outbox.enqueue(Kind.LOSS_REPORT, {"id_number": people.ID_NUMBER})
    mine = outbox.enqueue(Kind.APPLICATION, people.application())
    delivery = outbox.lease("quick", 10, item_id=mine.id)
    assert delivery.item.id == mine.id and delivery.item.state is ItemState.IN_FLIGHT
    assert delivery.payload == people.application()
    assert outbox.lease("w", 60).item.kind == Kind.LOSS_REPORT  # still waiting, still first


def test_an_item_is_not_leased_by_id_while_another_worker_holds_it_or_it_waits_out_a_backoff(outbox, clock):
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    held = outbox.lease("background", 60)
    assert outbox.lease("quick", 10, item_id=item.id) is None
    outbox.fail(held, "centre down")
    assert outbox.lease("quick", 10, item_id=item.id) is None  # its backoff is not over
    assert outbox.item(item.id).attempts == 1
    clock.advance(outbox.item(item.id).next_attempt_at - clock())
    assert outbox.lease("quick", 10, item_id=item.id).item.attempts == 2


def test_due_now_cuts_the_backoff_of_waiting_items_only(outbox, clock, settings):
    waiting = outbox.enqueue(Kind.APPLICATION, people.application())
    outbox.fail(outbox.lease("w", 60), "centre 503", retry_after=3600)
    assert outbox.lease("w", 60) is None  # not due for an hour
    assert outbox.due_now() == 1
    delivery = outbox.lease("w", 60)
    assert delivery is not None and delivery.item.id == waiting.id
    assert outbox.due_now() == 0, "an item in flight keeps its lease"
