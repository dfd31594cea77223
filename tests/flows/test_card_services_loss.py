"""挂失 and 解挂 headless on the in-process fakes (tests/flows/fake_rig.py): the ID card or the
card, the centre simulator over loopback HTTP, the outbox, and the fake printer (its jobs read
back by the printer simulator's ESC/POS model)."""

from __future__ import annotations

import dataclasses
import time

import pytest

from hwsim.card.profile import load_profile
from kiosk.config import OutboxSettings
from kiosk.domain.voucher import verify_payload
from kiosk.flows import loss_cancel, loss_report, on_behalf, pin_entry
from kiosk.flows.context import KioskServices
from kiosk.flows.steps import CONFIRM, OK
from kiosk.offline.outbox import ItemState, Kind, PRIORITY
from kiosk.printing.voucher_layout import NOT_UPLOADED
from tests.flows.card_rig import HOLDER_OF, Pins, run_card_flow, texts, with_cards
from tests.flows.conftest import FAST
from tests.flows.fake_rig import printed_jobs, rig, services  # noqa: F401
from tests.flows.journeys import then
from tests.support.processes import wait_for


GEN3 = load_profile("gen3")
LOST = load_profile("reported-lost")
MINE = ("choose", on_behalf.OWN)  # "whose card is it?": my own
QUICK_RETRIES = OutboxSettings(backoff_base_s=0.1, backoff_cap_s=0.3)


def centre_status(rig, card_number: str) -> str:
    return rig.centre.store._card(card_number)["status"]


def voucher_lines(rig) -> str:
    """The printed voucher's text with line breaks and spaces taken out (it is wrapped at 48 columns)."""
    [job] = printed_jobs(rig)
    return "".join("".join(job["lines"]).split())


def flat(text: str) -> str:
    return "".join(text.split())


# --- report --------------------------------------------------------------------------------


def test_loss_report_is_sent_at_once_and_the_voucher_proves_it(rig, services):
    with_cards(rig, id_card=HOLDER_OF["gen3"])
    port = run_card_flow(services, "loss_report", [MINE, ("review", CONFIRM), ("done", OK)])
    assert centre_status(rig, GEN3.card_number) == "reported_lost"
    rows = dict((label.zh, value) for label, value in port.last("review").params["rows"])
    assert rows["姓名"] == "王*" and rows["证件号码"].startswith("500115") and "*" in rows["证件号码"]
    assert rows["挂失的卡"].endswith(GEN3.card_number[-4:]) and GEN3.card_number not in rows["挂失的卡"]
    [item] = services.outbox.items()
    assert item.kind == Kind.LOSS_REPORT and item.state is ItemState.SENT
    text = voucher_lines(rig)
    assert flat(NOT_UPLOADED.zh) not in text and flat(loss_report.IF_FOUND.zh) in text
    assert GEN3.social_security_number not in text and GEN3.holder_name not in text
    assert port.last("done").params["title"] == loss_report.REPORTED


@pytest.fixture
def quick_services(rig, config):
    """The kiosk's services with retries after a tenth of a second, not seconds."""
    services = KioskServices.build(dataclasses.replace(config, outbox=QUICK_RETRIES), timeouts=FAST, devices=rig.devices())
    yield services
    services.close()


def when_due(services, item=None) -> None:
    """Until the outbox has something due, or `item` itself is (an item queued earlier is due at
    once, and on the fakes the flow ends before the new item's first back-off has passed)."""
    due_at = services.outbox.next_due_at if item is None else lambda: services.outbox.item(item.id).next_attempt_at
    wait_for(lambda: due_at() <= time.time(), 5, "the retry to be due")


def test_centre_offline_queues_the_report_at_the_head_of_the_outbox_and_says_call_12333(rig, quick_services):
    services = quick_services
    with_cards(rig, id_card=HOLDER_OF["gen3"])
    earlier = services.outbox.enqueue(Kind.PIN_CHANGE_RECORD, {"card_number": GEN3.card_number})  # queued before
    rig.centre.down()
    port = run_card_flow(services, "loss_report", [MINE, ("review", CONFIRM), ("notice", OK)])
    final = port.last("notice").params
    assert final["title"] == loss_report.QUEUED and "12333" in final["body"].zh
    text = voucher_lines(rig)
    assert flat(NOT_UPLOADED.zh) in text and "12333" in text
    assert verify_payload(printed_qr(rig), services.key)["service"] == "loss_report"
    first = services.outbox.items(states=[ItemState.PENDING])[0]
    assert first.kind == Kind.LOSS_REPORT and first.priority == max(PRIORITY.values())

    rig.centre.up()
    when_due(services, first)
    services.sync.sync_once(limit=1)  # the worker's next round sends the loss report first
    assert services.outbox.item(first.id).state is ItemState.SENT
    assert services.outbox.item(earlier.id).state is ItemState.PENDING
    assert centre_status(rig, GEN3.card_number) == "reported_lost"


def printed_qr(rig) -> str:
    """The QR payload as the printer simulator received it."""
    [job] = printed_jobs(rig)
    return job["qr"][0]["content"]


def test_several_cards_on_record_the_resident_chooses_the_lost_one(rig, services):
    rig.centre.store.add_card("SECOND002", GEN3.social_security_number, "not_activated")
    with_cards(rig, id_card=HOLDER_OF["gen3"])
    port = run_card_flow(services, "loss_report", [MINE, ("choose", "SECOND002"), ("review", CONFIRM), ("done", OK)])
    options = [o.code for o in port.last("choose").params["options"]]
    assert sorted(options) == sorted([GEN3.card_number, "SECOND002"])
    assert centre_status(rig, "SECOND002") == "reported_lost" and centre_status(rig, GEN3.card_number) == "active"


def test_a_card_already_reported_lost_is_not_reported_twice(rig, services):
    with_cards(rig, id_card=HOLDER_OF["reported-lost"])
    port = run_card_flow(services, "loss_report", [MINE, ("notice", OK)])
    assert port.last("notice").params["title"] == loss_report.ALREADY_REPORTED
    assert services.outbox.items() == []


def test_leaving_at_the_confirmation_reports_nothing(rig, services):
    with_cards(rig, id_card=HOLDER_OF["gen3"])
    run_card_flow(services, "loss_report", [MINE, ("review", "back")])
    assert centre_status(rig, GEN3.card_number) == "active" and services.outbox.items() == []


def test_the_outbox_keeps_no_readable_id_number(rig, services):
    with_cards(rig, id_card=HOLDER_OF["gen3"])
    rig.centre.down()
    run_card_flow(services, "loss_report", [MINE, ("review", CONFIRM), ("notice", OK)])
    services.outbox.close()
    raw = (services.config.data_dir / "kiosk.sqlite3").read_bytes()
    assert GEN3.social_security_number.encode() not in raw and GEN3.holder_name.encode("utf-8") not in raw


# --- cancel --------------------------------------------------------------------------------


def test_cancelling_a_loss_report_with_the_card_and_its_pin(rig, services):
    with_cards(rig, "reported-lost")
    pins = Pins()
    port = run_card_flow(services, "loss_cancel", [("pin_pad", pins("123456")), ("review", CONFIRM), ("done", OK)])
    assert centre_status(rig, LOST.card_number) == "active"
    assert port.last("done").params["title"] == loss_cancel.CANCELLED and pins.all_wiped()
    [item] = services.outbox.items()
    assert item.kind == Kind.LOSS_CANCEL and item.state is ItemState.SENT
    assert flat(loss_cancel.WORKS_AGAIN.zh) in voucher_lines(rig)


def test_cancelling_with_the_centre_offline_is_queued_and_says_the_card_is_still_blocked(rig, quick_services):
    services = quick_services
    with_cards(rig, "reported-lost")
    script = [("pin_pad", then(rig.centre.down, Pins()("123456")(None))), ("review", CONFIRM), ("notice", OK)]
    port = run_card_flow(services, "loss_cancel", script)
    assert port.last("notice").params["title"] == loss_cancel.QUEUED
    assert flat(NOT_UPLOADED.zh) in voucher_lines(rig)
    [item] = services.outbox.items()
    assert item.state is ItemState.PENDING and centre_status(rig, LOST.card_number) == "reported_lost"
    rig.centre.up()
    when_due(services)
    services.sync.sync_once()
    assert centre_status(rig, LOST.card_number) == "active"


def test_cancel_needs_the_right_pin(rig, services):
    with_cards(rig, "reported-lost")
    port = run_card_flow(services, "loss_cancel", [("pin_pad", Pins()("000000")), ("notice", "back")])
    assert port.last("notice").params["title"] == pin_entry.WRONG_PIN
    assert services.outbox.items() == []


def test_a_card_that_is_not_reported_lost_has_nothing_to_cancel(rig, services):
    with_cards(rig, "gen3")
    port = run_card_flow(services, "loss_cancel", [("pin_pad", Pins()("123456")), ("notice", OK)])
    assert port.last("notice").params["title"] == loss_cancel.NOT_REPORTED
    assert services.outbox.items() == [] and "review" not in port.screens()
    assert "123456" not in texts(port)


def test_a_report_the_centre_refuses_sends_the_resident_to_12333_and_alerts_staff(rig, services):
    with_cards(rig, id_card=HOLDER_OF["gen3"])

    def cancelled_meanwhile() -> None:  # at the window, say, while the resident reads the screen
        rig.centre.store._db.execute("UPDATE cards SET status = 'cancelled' WHERE card_number = ?", [GEN3.card_number])

    port = run_card_flow(services, "loss_report", [MINE, ("review", then(cancelled_meanwhile, CONFIRM)), ("notice", OK)])
    notice = port.last("notice").params
    assert notice["title"] == loss_report.NOT_ACCEPTED and "12333" in notice["body"].zh
    [item] = services.outbox.items()
    assert item.state is ItemState.REJECTED and services.outbox.alerts()
    assert printed_jobs(rig, timeout=0.5) == []  # no voucher for what did not happen
