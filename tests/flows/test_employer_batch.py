"""批量新办 · 批量补换 headless, on the in-process fakes (the drive a local folder, the ID reader,
card reader, camera and printer fakes) and the centre simulator over HTTP: one test per
journey and per failure mode, each named after what it shows."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from kiosk.batch import BatchKind
from kiosk.config import OutboxSettings
from kiosk.drivers.camera.fake import FakeCamera
from kiosk.drivers.card.fake import FakeCard
from kiosk.drivers.usb_drive import package_copy
from kiosk.drivers.usb_drive.fake import FakeUsbDrive
from kiosk.flows import batch_submission, employer_batch
from kiosk.flows.context import KioskServices
from kiosk.flows.record import reprint
from kiosk.flows.scripted import ScriptedPort
from kiosk.flows.steps import CONFIRM, HOME, OK, RETRY
from kiosk.offline.outbox import ItemState, Kind
from tests.batch.packages import CREDIT_CODE, EMPLOYER, adult, build_package, minor
from tests.flows.conftest import FAST, centre_query, run_flow
from tests.flows.fake_rig import FakeRig, printed_jobs, rig  # noqa: F401
from tests.support.processes import wait_for
from tests.support.tiny_disk import tiny_disk_at

HANDLER = "resident"  # an ID card the fake reader holds (tests/flows/card_rig.py people)


@pytest.fixture
def drive():
    return FakeUsbDrive()


LETTER_PAGE = np.full((720, 960, 3), 240, np.uint8)  # what the camera sees: a sheet of paper


def build_services(rig, config, drive, **changes) -> KioskServices:  # noqa: F811
    devices = dataclasses.replace(rig.devices(), usb_drive=drive, camera=lambda: FakeCamera(LETTER_PAGE))
    return KioskServices.build(dataclasses.replace(config, **changes), timeouts=FAST, devices=devices)


@pytest.fixture
def services(rig, config, drive):  # noqa: F811
    built = build_services(rig, config, drive)
    yield built
    built.close()


def stick(tmp_path: Path, people, name: str = "stick", **options) -> Path:
    """A drive's root holding one package folder, 报盘."""
    root = tmp_path / name
    build_package(root / "报盘", people, **options)
    return root


GOOD = [adult(1), adult(2)]
ONE_BAD = [adult(1), adult(2), adult(3, phone="12345")]


def run(services, script, service: str = "batch_new") -> ScriptedPort:
    return run_flow(services, script, employer_batch.run, service=service)


def with_id_card(rig, answer):  # noqa: F811
    def respond(_step):
        rig.id_reader.insert(HANDLER)
        return answer

    return respond


def submitting(rig, employer=("choose", employer_batch.THIS_EMPLOYER)):  # noqa: F811
    """From the handler's identification to the done screen."""
    return [
        ("choose", with_id_card(rig, employer_batch.BY_ID_CARD)),
        employer,
        ("document_photo", OK),
        ("choose", CONFIRM),
        ("done", OK),
    ]


def batches(rig) -> list[dict]:  # noqa: F811
    return rig.centre.batches.listed()[1]["batches"]


def people_at_centre(rig) -> list[sqlite3.Row]:  # noqa: F811
    return centre_query(rig, "SELECT * FROM batch_people ORDER BY batch_serial, row")


def flat(text: str) -> str:
    return "".join(text.split())


def voucher_text(rig) -> str:  # noqa: F811
    jobs = printed_jobs(rig)
    return flat("".join(jobs[-1]["lines"]))


# --- journeys ------------------------------------------------------------------------------------


def test_a_clean_package_is_submitted_and_the_batch_voucher_printed(rig, services, drive, tmp_path):  # noqa: F811
    drive.insert(stick(tmp_path, GOOD))
    port = run(services, [("notice", OK), *submitting(rig)])
    assert "2" in port.asked("notice")[0].text()  # all 2 passed
    [batch] = batches(rig)
    assert batch["recorded"] and batch["people_received"] == 2 and batch["employer_uscc"] == CREDIT_CODE
    assert batch["employer_name"] == EMPLOYER and batch["people_left_out"] == 0
    text = voucher_text(rig)
    assert "批量业务凭证" in text and "经办人" in text and batch["batch_serial"] in text
    assert CREDIT_CODE not in text and CREDIT_CODE[:4] in text  # the code masked
    assert "本次提交2人" in text and "96小时" in text and "介绍信" in text and "10个工作日" in text
    assert drive.written == {}  # nothing to mark: the drive is not written


def test_problems_are_shown_by_person_written_back_and_the_good_rows_submitted(rig, services, drive, tmp_path):  # noqa: F811
    drive.insert(stick(tmp_path, ONE_BAD))
    port = run(services, [("batch_problems", employer_batch.PRINT_SLIP), ("batch_problems", employer_batch.SUBMIT_PASSED), *submitting(rig)])
    shown = port.asked("batch_problems")[0]
    [(heading, messages)] = shown.params["groups"]
    assert "第5行" in heading.zh and any("电话" in m.zh for m in messages)  # title, header, then rows 3, 4, 5
    [(marked, data)] = drive.written.items()
    assert marked == "/报盘/制卡明细表-问题标注.xlsx" and data.startswith(b"PK")
    assert "制卡明细表-问题标注.xlsx" in shown.params["note"].zh
    slip, voucher = printed_jobs(rig)
    assert "报盘问题清单" in flat("".join(slip["lines"])) and "第5行" in flat("".join(slip["lines"]))
    assert adult(3).id_number not in "".join(slip["lines"])  # no ID number leaves on paper
    [batch] = batches(rig)
    assert batch["people_received"] == 2 and batch["people_submitted"] == 2 and batch["people_left_out"] == 1
    assert "没有提交1人" in flat("".join(voucher["lines"]))


def test_the_same_package_again_sends_nobody_twice(rig, services, drive, tmp_path):  # noqa: F811
    root = stick(tmp_path, ONE_BAD)
    for _visit in range(2):
        drive.insert(root)
        run(services, [("batch_problems", employer_batch.SUBMIT_PASSED), *submitting(rig)])
    first, second = sorted(batches(rig), key=lambda b: b["batch_serial"])
    assert (first["people_received"], second["people_received"]) == (2, 0)
    assert len(people_at_centre(rig)) == 2  # each person exactly once
    assert "另有2人用同一份报盘在本机提交过" in voucher_text(rig)
    items = services.outbox.items()
    assert sum(i.kind == Kind.BATCH_APPLICATION for i in items) == 2 and sum(i.kind == Kind.BATCH_RECORD for i in items) == 2


def test_a_replacement_batch_is_the_same_service_with_its_own_sheet(rig, services, drive, tmp_path):  # noqa: F811
    drive.insert(stick(tmp_path, GOOD, kind=BatchKind.REPLACE))
    run(services, [("notice", OK), *submitting(rig)], service="batch_replace")
    [batch] = batches(rig)
    assert batch["kind"] == "batch_replace" and batch["people_received"] == 2
    assert "批量补换" in voucher_text(rig)


def test_a_child_is_submitted_with_the_household_register_page(rig, services, drive, tmp_path):  # noqa: F811
    drive.insert(stick(tmp_path, [adult(1), minor(1)]))
    run(services, [("notice", OK), *submitting(rig)])
    assert batches(rig)[0]["people_received"] == 2


def test_the_handler_may_show_a_social_security_card_and_its_pin(rig, services, drive, tmp_path):  # noqa: F811
    drive.insert(stick(tmp_path, GOOD))
    rig.card.reader.insert(FakeCard(name="王芳", pin="135790"))
    script = [("notice", OK), ("choose", employer_batch.BY_CARD), ("pin_pad", lambda _: bytearray(b"135790")),
              ("choose", employer_batch.THIS_EMPLOYER), ("document_photo", OK), ("choose", CONFIRM), ("done", OK)]  # fmt: skip
    run(services, script)
    assert batches(rig)[0]["recorded"]


def test_a_title_without_the_employer_asks_for_the_code_and_refuses_a_wrong_one(rig, services, drive, tmp_path):  # noqa: F811
    drive.insert(stick(tmp_path, GOOD, title=None))
    wrong = CREDIT_CODE[:-1] + ("0" if CREDIT_CODE[-1] != "0" else "1")
    employer = ("keypad", wrong)
    script = [("notice", OK), ("choose", with_id_card(rig, employer_batch.BY_ID_CARD)), employer, ("notice", OK),
              ("keypad", CREDIT_CODE.lower()), ("document_photo", OK), ("choose", CONFIRM), ("done", OK)]  # fmt: skip
    run(services, script)
    [batch] = batches(rig)
    assert batch["employer_uscc"] == CREDIT_CODE and batch["employer_name"] is None


def test_submitting_nobody_keeps_nothing(rig, services, drive, tmp_path):  # noqa: F811
    drive.insert(stick(tmp_path, ONE_BAD))
    script = [("batch_problems", employer_batch.SUBMIT_PASSED), ("choose", with_id_card(rig, employer_batch.BY_ID_CARD)),
              ("choose", employer_batch.THIS_EMPLOYER), ("document_photo", OK), ("choose", HOME), ("notice", OK)]  # fmt: skip
    run(services, script)
    assert services.outbox.items() == [] and batches(rig) == []
    assert not list((services.config.data_dir / "batch-work").glob("*/*"))  # the private copy is gone


# --- failure modes ---------------------------------------------------------------------------------


def test_nobody_passed_ends_after_the_problems_and_submits_nothing(rig, services, drive, tmp_path):  # noqa: F811
    drive.insert(stick(tmp_path, [adult(1, phone="1"), adult(2, name="")]))
    port = run(services, [("batch_problems", HOME)])
    assert [o.code for o in port.asked("batch_problems")[0].params["actions"]] == [employer_batch.PRINT_SLIP, HOME]
    assert services.outbox.items() == [] and len(drive.written) == 1


def test_an_unreadable_package_is_explained_and_nobody_can_be_submitted(rig, services, drive, tmp_path):  # noqa: F811
    root = tmp_path / "broken"
    (root / "报盘").mkdir(parents=True)
    (root / "报盘" / "制卡明细表.xlsx").write_bytes(b"not a workbook at all")
    drive.insert(root)
    port = run(services, [("batch_problems", HOME)])
    step = port.asked("batch_problems")[0]
    assert step.params["summary"] is employer_batch.UNREADABLE_PACKAGE and step.params["groups"]
    assert services.outbox.items() == []


def test_no_drive_inserted_says_so_and_offers_to_wait_again(rig, services, drive, tmp_path):  # noqa: F811
    port = run(services, [("notice", lambda _s: drive.insert(stick(tmp_path, GOOD)) or RETRY), ("notice", OK), *submitting(rig)])
    assert port.asked("notice")[0].params["title"] is employer_batch.NO_DRIVE
    assert batches(rig)[0]["people_received"] == 2


def test_a_drive_without_a_package_says_what_belongs_on_it(rig, services, drive, tmp_path):  # noqa: F811
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "holiday.jpg").write_bytes(b"\xff\xd8")
    drive.insert(empty)
    port = run(services, [("notice", HOME)])
    assert port.asked("notice")[0].params["title"] is employer_batch.NO_PACKAGE


def test_the_drive_pulled_out_while_copying_keeps_nothing_and_asks_for_it_again(rig, services, drive, tmp_path):  # noqa: F811
    root = stick(tmp_path, GOOD)
    drive.insert(root)
    drive.pull_during_copy(after_files=2)
    port = run(services, [("notice", lambda _s: drive.insert(root) or RETRY), ("notice", OK), *submitting(rig)])
    assert port.asked("notice")[0].params["title"] is employer_batch.PULLED_OUT
    assert batches(rig)[0]["people_received"] == 2
    assert not list((services.config.data_dir / "batch-work").glob("*/*"))


def test_the_drive_pulled_out_after_the_check_changes_nothing_of_the_submission(rig, services, drive, tmp_path):  # noqa: F811
    drive.insert(stick(tmp_path, GOOD))
    run(services, [("notice", lambda _s: drive.pull() or OK), *submitting(rig)])
    assert batches(rig)[0]["people_received"] == 2 and len(people_at_centre(rig)) == 2


def test_a_write_protected_drive_keeps_its_files_and_the_slip_is_offered(rig, services, drive, tmp_path):  # noqa: F811
    drive.insert(stick(tmp_path, ONE_BAD))
    drive.write_protect()
    port = run(services, [("batch_problems", HOME)])
    note = port.asked("batch_problems")[0].params["note"]
    assert "写保护" in note.zh and drive.written == {}


def test_a_drive_the_kiosk_cannot_read_is_refused_with_the_format_to_use(rig, services, drive, tmp_path):  # noqa: F811
    drive.insert_unreadable()
    port = run(services, [("notice", HOME)])
    assert port.asked("notice")[0].params["title"] is employer_batch.UNREADABLE_DRIVE


def test_a_terminal_without_the_drive_fitted_sends_the_handler_to_the_window(rig, config, tmp_path):  # noqa: F811
    services = KioskServices.build(config, timeouts=FAST, devices=rig.devices())
    try:
        port = run(services, [("notice", OK)])
    finally:
        services.close()
    assert port.asked("notice")[0].params["title"] is employer_batch.PORT_GONE


def test_the_kiosk_disk_too_full_to_copy_the_package_keeps_nothing(rig, services, drive, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(package_copy, "DISK_MARGIN_BYTES", 1 << 60)  # more than any disk has free
    drive.insert(stick(tmp_path, GOOD))
    port = run(services, [("notice", OK)])
    assert port.asked("notice")[0].params["title"] is employer_batch.KIOSK_FULL
    assert not list((services.config.data_dir / "batch-work").glob("*/*"))


def test_a_package_changed_after_the_check_keeps_nobody(rig, services, drive, tmp_path):  # noqa: F811
    drive.insert(stick(tmp_path, GOOD))

    def tamper(_step):
        [photo] = (services.config.data_dir / "batch-work").glob(f"*/{adult(2).id_number}.jpg")
        photo.write_bytes(photo.read_bytes() + b"!")
        return CONFIRM

    script = [("notice", OK), ("choose", with_id_card(rig, employer_batch.BY_ID_CARD)),
              ("choose", employer_batch.THIS_EMPLOYER), ("document_photo", OK), ("choose", tamper), ("notice", OK)]  # fmt: skip
    port = run(services, script)
    assert port.asked("notice")[-1].params["body"] is batch_submission.PACKAGE_CHANGED
    assert services.outbox.items() == [] and batches(rig) == []


def test_the_centre_down_keeps_the_batch_and_sends_it_later_exactly_once(rig, config, drive, tmp_path):  # noqa: F811
    drive.insert(stick(tmp_path, GOOD))
    rig.centre.down()
    services = build_services(rig, config, drive, outbox=OutboxSettings(backoff_base_s=0.05, backoff_cap_s=0.1))
    try:
        port = run(services, [("notice", OK), *submitting(rig)])
        assert employer_batch.NOT_UPLOADED in port.last("done").params["extra"]
        assert "尚未上传" in voucher_text(rig)
        rig.centre.up()
        wait_for(lambda: services.sync.sync_once().attempted == 0 and all(i.state is ItemState.SENT for i in services.outbox.items()),
                 timeout=10, what="the batch sent")  # fmt: skip
    finally:
        services.close()
    assert batches(rig)[0]["people_received"] == 2 and len(people_at_centre(rig)) == 2


@pytest.fixture
def tiny_disk(tmp_path):
    """Room for the copy of the package (~0.4 MB), not for a second one in the outbox."""
    with tiny_disk_at(tmp_path / "tiny", "800k") as mount_point:
        yield mount_point


def test_a_full_outbox_disk_keeps_nobody_of_the_batch_and_says_so(rig, config, drive, tmp_path, tiny_disk, monkeypatch):  # noqa: F811
    monkeypatch.setattr(package_copy, "DISK_MARGIN_BYTES", 0)
    people = [adult(n) for n in range(1, 31)]  # ~30 x 20 KB: the copy fits, a second copy in the outbox does not
    drive.insert(stick(tmp_path, people))
    services = build_services(rig, config, drive, data_dir=tiny_disk, outbox=OutboxSettings())
    try:
        port = run(services, [("notice", OK), *submitting(rig)[:-1], ("notice", OK)])
        assert port.asked("notice")[-1].params["body"] is employer_batch.FULL_BODY
        assert services.outbox.items() == []
    finally:
        services.close()
    assert batches(rig) == []


def test_a_copy_a_crash_left_behind_is_cleared_at_the_next_visit(rig, services, drive, tmp_path):  # noqa: F811
    left = services.config.data_dir / employer_batch.WORK_FOLDER / "crashed-visit"
    left.mkdir(parents=True)
    (left / "500115198001010011-正.jpg").write_bytes(b"an ID card scan")
    drive.insert(stick(tmp_path, GOOD))
    run(services, [("notice", OK), *submitting(rig)])
    assert not left.exists()


def test_answers_lost_on_the_way_back_still_leave_each_person_once(rig, config, drive, tmp_path):  # noqa: F811
    drive.insert(stick(tmp_path, GOOD))
    rig.centre.switches.arm("drop_response", 2)  # the record and the first person: processed, answers lost
    services = build_services(rig, config, drive, outbox=OutboxSettings(backoff_base_s=0.05, backoff_cap_s=0.1))
    try:
        run(services, [("notice", OK), *submitting(rig)])
        wait_for(lambda: services.sync.sync_once().attempted == 0 and all(i.state is ItemState.SENT for i in services.outbox.items()),
                 timeout=15, what="the batch sent")  # fmt: skip
    finally:
        services.close()
    [batch] = batches(rig)
    assert batch["recorded"] and batch["people_received"] == 2 and len(people_at_centre(rig)) == 2


def test_a_staff_reprint_of_the_batch_voucher_is_the_batch_voucher(rig, services, drive, tmp_path):  # noqa: F811
    drive.insert(stick(tmp_path, GOOD))
    run(services, [("notice", OK), *submitting(rig)])
    [record] = [i for i in services.outbox.items() if i.kind == Kind.BATCH_RECORD]
    first = voucher_text(rig)
    assert reprint(services.outbox, record.id, rig.printer, services.key, services.config.printer).ok
    again = voucher_text(rig)
    assert "经办人" in again and record.voucher_serial in again and "本次提交2人" in again
    assert again.replace("已上传", "") == first.replace("已上传", "")  # uploaded now: the same voucher


BATCH_VOUCHER_BUDGET = {"zh": 1024, "en": 1280}  # bytes; in English the four batch steps alone are 0.6 KB


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_batch_voucher_in_either_language_keeps_its_size_budget(rig, services, drive, tmp_path, language):  # noqa: F811
    drive.insert(stick(tmp_path, GOOD))
    run_flow(services, [("notice", OK), *submitting(rig)], employer_batch.run, service="batch_new", language=language)
    job = printed_jobs(rig)[-1]
    text = voucher_text(rig)
    assert job["bytes_received"] <= BATCH_VOUCHER_BUDGET[language]
    assert batches(rig)[0]["batch_serial"] in text and CREDIT_CODE not in text and "12333" in text
    assert ("96" in text) and (("批量业务凭证" in text) == (language == "zh"))
