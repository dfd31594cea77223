"""Submitting: stored before printing, sent when the centre can be reached, never lost."""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timedelta
from pathlib import Path

from kiosk.config import OutboxSettings
from kiosk.domain.voucher import verify_payload
from kiosk.drivers.status import ResultCode
from kiosk.flows import apply_card, printout, record, submission
from kiosk.flows.context import KioskServices
from kiosk.flows.steps import OK, RETRY
from kiosk.flows.wording import fill
from kiosk.offline.outbox import ItemState
from kiosk.printing.voucher_layout import NOT_UPLOADED
from tests.flows import journeys
from tests.flows.conftest import FAST, printed_jobs, run_flow
from tests.flows.journeys import FINISH, signature_png, then
from tests.support.processes import wait_for

QUICK_RETRIES = OutboxSettings(backoff_base_s=0.1, backoff_cap_s=0.3)


def before_submitting(action) -> list:
    """A self-applicant's journey with `action` done just as they sign."""
    script = journeys.for_myself("resident")
    assert script[-1][0] == "sign"
    script[-1] = ("sign", then(action, signature_png()))
    return script


def voucher_text(job: dict) -> str:
    return "\n".join(job["lines"])


def test_centre_down_the_voucher_says_not_yet_uploaded_and_it_arrives_once_when_the_centre_returns(rig, config):
    services = KioskServices.build(dataclasses.replace(config, outbox=QUICK_RETRIES), timeouts=FAST)
    try:
        port = run_flow(services, before_submitting(rig.centre.down) + FINISH)
        [job] = printed_jobs(rig)
        assert NOT_UPLOADED.zh in voucher_text(job)
        assert apply_card.NOT_UPLOADED in port.last("done").params["extra"]
        [item] = services.outbox.items()
        assert item.state is ItemState.PENDING and rig.centre.store.applications() == []

        rig.centre.up()
        services.start_background_sync()  # what the kiosk runs all day
        wait_for(lambda: services.outbox.item(item.id).state is ItemState.SENT, 15, "the sync worker")
        services.sync.sync_once()  # nothing more to send: still one application
        [arrived] = rig.centre.store.applications()
        assert arrived["voucher_serial"] == item.voucher_serial
        assert services.outbox.stored_voucher(item.id).uploaded  # a reprint now says it is uploaded
    finally:
        services.close()


def test_a_lost_answer_from_the_centre_is_retried_without_a_second_application(rig, config):
    services = KioskServices.build(dataclasses.replace(config, outbox=QUICK_RETRIES), timeouts=FAST)
    try:
        run_flow(services, before_submitting(lambda: rig.centre.switches.arm("drop_response", 1)) + FINISH)
        [job] = printed_jobs(rig)
        assert NOT_UPLOADED.zh in voucher_text(job)  # the kiosk never heard back
        [item] = services.outbox.items()
        services.start_background_sync()
        wait_for(lambda: services.outbox.item(item.id).state is ItemState.SENT, 15, "the sync worker")
        assert len(rig.centre.store.applications()) == 1
    finally:
        services.close()


def test_paper_out_mid_voucher_keeps_the_application_and_staff_reprint_it(rig, services):
    script = before_submitting(lambda: rig.printer.verbs()["paper_low"]({"mm": 60})) + [("notice", OK), ("done", OK)]
    port = run_flow(services, script)
    notice = port.last("notice")
    [item] = services.outbox.items()
    assert notice.params["title"] == record.NOT_PRINTED
    assert printout.PRINTER_PROBLEMS[ResultCode.NO_MEDIA].zh in notice.params["body"].zh
    assert item.voucher_serial in notice.params["body"].zh  # what staff need to reprint it
    assert port.last("done").params["body"] == fill(apply_card.DONE_NO_VOUCHER, serial=item.voucher_serial)
    [partial] = printed_jobs(rig)
    assert not partial["complete"] and partial["qr"] == []

    rig.printer.verbs()["load_paper"]({"meters": 50})
    done = record.reprint(services.outbox, item.id, services.printer, services.key, services.config.printer)
    assert done.ok
    _partial, again = printed_jobs(rig, 2)
    assert again["complete"] and verify_payload(again["qr"][0]["content"], services.key)["serial"] == item.voucher_serial


def test_no_printer_gets_a_clear_screen_and_a_retry_prints_once_it_is_back(rig, services):
    def plug_back_and_retry(_step):
        rig.printer.verbs()["plug"]({})
        return RETRY

    script = before_submitting(lambda: rig.printer.verbs()["unplug"]({})) + [("notice", plug_back_and_retry), ("done", OK)]
    port = run_flow(services, script)
    [notice] = port.asked("notice")
    assert printout.PRINTER_PROBLEMS[ResultCode.NO_DEVICE].zh in notice.params["body"].zh
    [job] = printed_jobs(rig)
    assert job["complete"]
    assert port.last("done").params["body"].zh.startswith("请拿好凭证")


def test_a_kiosk_that_cannot_store_says_so_and_prints_nothing(rig, services):
    services.serials.path = Path("/proc/no-such-dir/voucher-serials.sqlite3")  # a real OSError, not a mock
    script = journeys.for_myself("resident") + [("notice", OK)]
    port = run_flow(services, script)
    assert port.last("notice").params["title"] == submission.NOT_SAVED
    assert services.outbox.items() == [] and printed_jobs(rig, 0) == []


def _encodings(text: str) -> list[bytes]:
    return [text.encode(e) for e in ("utf-8", "gbk", "utf-16-le", "utf-16-be")]


def test_after_whole_journeys_the_kiosk_database_holds_no_readable_name_or_id_number(rig, services, config):
    run_flow(services, journeys.for_myself("resident", pickup_entries=journeys.pickup("post", "id_card")) + FINISH)
    run_flow(services, journeys.for_my_child("mother", "minor") + FINISH)
    run_flow(services, journeys.for_another_adult_by_passport("elder") + FINISH)
    people = journeys.people()
    files = [p for p in Path(config.data_dir).iterdir() if p.is_file()]
    raw = b"".join(p.read_bytes() for p in files)
    assert b"outbox_items" in raw  # the real files, WAL included
    secrets = [journeys.PHONE, journeys.PASSPORT, journeys.PASSPORT_NAME, journeys.PASSPORT_CHINESE_NAME]
    for key in ("resident", "mother", "minor", "elder"):
        person = people[key]
        secrets += [person.fields["name"], person.id_number, person.id_number[6:14], person.fields["address"]]
    for secret in secrets:
        for encoded in _encodings(secret):
            assert encoded not in raw, f"{secret[:2]}… is readable in {config.data_dir}"


def test_a_whole_journey_logs_no_name_id_number_or_phone(rig, services, caplog):
    caplog.set_level(logging.DEBUG)
    run_flow(services, journeys.for_my_child("mother", "minor", pickup_entries=journeys.pickup("post", "id_card")) + FINISH)
    assert "application stored as outbox item" in caplog.text  # the records are there
    people = journeys.people()
    for secret in (journeys.PHONE, people["mother"].id_number, people["minor"].id_number, people["mother"].fields["name"],
                   people["minor"].fields["name"], people["minor"].fields["address"]):  # fmt: skip
        assert secret not in caplog.text


def test_a_clock_before_the_software_build_date_issues_no_voucher_and_keeps_nothing(rig, config):
    """A flat clock battery: the kiosk would date the voucher in the past and reuse that day's
    serials, so it issues none and says so (the image names its build day in `build_info`)."""
    later = datetime.now().date() + timedelta(days=30)
    services = KioskServices.build(dataclasses.replace(config, not_before=later), timeouts=FAST)
    try:
        port = run_flow(services, journeys.for_myself("resident") + [("notice", OK)])
        assert port.last("notice").params["title"] == submission.NOT_SAVED
        assert services.outbox.items() == [] and printed_jobs(rig, 0) == []
    finally:
        services.close()
