"""Maintenance mode headless, on the in-process fakes (tests/flows/fake_rig.py): the staff card
and its PIN in the fake card reader, the fake printer, the outbox and the centre simulator on
loopback. One test per way in, and per way an action ends."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import json
import zipfile
from pathlib import Path

import pytest

from kiosk import audit
from kiosk.availability.out_of_service import REASON_WORDS, OutOfServiceReason, OutOfServiceSwitch
from kiosk.drivers.usb_drive.fake import FakeUsbDrive
from kiosk.flows import log_export, maintenance, outbox_care, printer_refill, staff_sign_in
from kiosk.flows.context import KioskServices
from kiosk.flows.maintenance import Action
from kiosk.flows.scripted import ScriptedPort
from kiosk.flows.steps import BACK, OK, RETRY
from kiosk.flows.terminal_facts import booted_slot
from kiosk.offline.outbox import ItemState, Kind
from kiosk.printing.voucher_layout import TEST_WARNING
from tests.flows.card_rig import Pins
from tests.flows.conftest import FAST
from tests.flows.fake_rig import printed_jobs, rig  # noqa: F401

STAFF_PIN = "246810"  # profiles/staff.toml: 3 tries
LEAVE = ("maintenance", str(Action.LEAVE))


@pytest.fixture
def drive():
    return FakeUsbDrive()


@pytest.fixture
def services(rig, config, drive):  # noqa: F811
    """fake_rig's services, with a USB drive slot."""
    built = KioskServices.build(config, timeouts=FAST, devices=dataclasses.replace(rig.devices(), usb_drive=drive))
    yield built
    built.close()


@pytest.fixture(autouse=True)
def trail(tmp_path):
    """The audit trail in a file of this test's own."""
    configured = audit.configure(tmp_path / "audit", "T01")
    yield configured
    audit.configure(None, "T01")


def audited(trail) -> list[tuple[str, dict]]:
    trail.close()
    return [(line["event"], line["fields"]) for line in map(json.loads, trail.file.path.read_text().splitlines())]


def run_maintenance(services, script) -> ScriptedPort:
    port = ScriptedPort(script, services=services, service=maintenance.SERVICE)
    asyncio.run(asyncio.wait_for(maintenance.run(port), 60))
    assert port.remaining == 0, f"{port.remaining} scripted answers were never asked for; steps: {port.screens()}"
    return port


def signed_in(pins: Pins) -> list:
    return [("pin_pad", pins(STAFF_PIN))]


def dashboard(port: ScriptedPort, index: int = 0) -> dict:
    return port.asked("maintenance")[index].params


def action_codes(params: dict) -> list[str]:
    return [o.code for o in params["actions"]]


def make_dead_item(services) -> int:
    """A PIN-change record that used up its attempts while the centre was unreachable."""
    payload = {"card_number": "C50011521", "changed_at": "2026-12-03T09:00:00+08:00", "terminal_id": services.config.terminal_id}
    item_id = services.outbox.enqueue(Kind.PIN_CHANGE_RECORD, payload).id
    outbox = services.outbox
    while outbox.item(item_id).state is not ItemState.DEAD:
        outbox.due_now()
        outbox.fail(outbox.lease("test", 60), "centre unreachable: connection refused")
    return item_id


# --- signing in ------------------------------------------------------------------------


def test_staff_card_and_pin_open_maintenance_with_every_section(rig, services, trail):
    rig.card.insert("staff")
    pins = Pins()
    port = run_maintenance(services, [*signed_in(pins), LEAVE])
    assert pins.all_wiped()
    params = dashboard(port)
    headings = [heading.en for heading, _rows in params["sections"]]
    assert headings == ["Devices", "Outbox", "This terminal"]
    assert "S0042" in params["who"].zh
    devices = dict((label.en, value.en) for label, value in params["sections"][0][1])
    assert devices["Receipt printer"].startswith("Online")
    terminal = dict((label.en, value) for label, value in params["sections"][2][1])
    assert terminal["Terminal"] == services.config.terminal_id and terminal["Slot"] == booted_slot()
    assert action_codes(params) == [str(Action.OUT_OF_SERVICE_ON), str(Action.EXPORT_LOGS), str(Action.LEAVE)]
    assert rig.card.reader.operations[:3] == ["wait_for_card", "read_staff", "pin_status"]
    assert "read_basic" not in rig.card.reader.operations, "a staff card's holder data is never read"
    assert audited(trail) == [
        ("staff-entry", {"outcome": "accepted", "staff": "S0042"}),
        ("staff-action", {"action": "maintenance-left", "staff": "S0042", "reason": "left"}),
    ]


def test_wrong_staff_pin_says_the_tries_left_and_lets_staff_try_again(rig, services):
    rig.card.insert("staff")
    pins = Pins()
    script = [("pin_pad", pins("111111")), ("notice", RETRY), ("pin_pad", pins(STAFF_PIN)), LEAVE]
    port = run_maintenance(services, script)
    assert "2" in port.asked("notice")[0].text()
    assert rig.card.chips["staff"].pin_tries_left == 3  # the right PIN restored them
    assert pins.all_wiped()


def test_staff_pin_blocked_keeps_maintenance_shut(rig, services, trail):
    rig.card.insert("staff")
    pins = Pins()
    script = [("pin_pad", pins("111111")), ("notice", RETRY), ("pin_pad", pins("222222")), ("notice", RETRY),
              ("pin_pad", pins("333333")), ("notice", OK)]  # fmt: skip
    port = run_maintenance(services, script)
    assert port.last("notice").params["title"] == staff_sign_in.STAFF_PIN_LOCKED
    assert "maintenance" not in port.screens()
    again = run_maintenance(services, [("notice", OK)])  # the same card back: still blocked, no PIN pad
    assert "pin_pad" not in again.screens() and "maintenance" not in again.screens()
    assert [fields["outcome"] for _event, fields in audited(trail)] == ["locked", "locked"]


def test_resident_card_offered_as_staff_card_is_refused(rig, services, trail):
    rig.card.insert("gen3")
    port = run_maintenance(services, [("notice", BACK)])
    assert port.last("notice").params["body"] == staff_sign_in.NOT_A_STAFF_CARD
    assert "pin_pad" not in port.screens() and "maintenance" not in port.screens()
    assert "read_basic" not in rig.card.reader.operations, "a resident's data is not read to refuse the card"
    assert audited(trail) == [("staff-entry", {"outcome": "refused-card"})]


def test_staff_card_of_another_outlet_is_refused(rig, services):
    import dataclasses

    rig.card.insert("staff")
    rig.card.chips["staff"].staff = dataclasses.replace(rig.card.chips["staff"].staff, outlet="CS-02")
    port = run_maintenance(services, [("notice", OK)])
    assert port.last("notice").params["title"] == staff_sign_in.OTHER_OUTLET
    assert "pin_pad" not in port.screens()


def test_card_pulled_mid_pin_ends_the_sign_in(rig, services, trail):
    rig.card.insert("staff")

    def pull_then_type(_step):
        rig.card.remove(during_next_command=True)
        return bytearray(STAFF_PIN.encode())

    port = run_maintenance(services, [("pin_pad", pull_then_type), ("notice", OK)])
    assert "maintenance" not in port.screens()
    assert "taken out" in port.last("notice").text()
    assert audited(trail) == [("staff-entry", {"outcome": "refused-pin", "staff": "S0042"})]


# --- the printer -----------------------------------------------------------------------


def test_paper_refilled_rereads_the_printer_and_prints_a_test_voucher(rig, services, trail):
    rig.card.insert("staff")
    rig.printer.run_out_of_paper()
    services.printer.refresh_status()  # the kiosk learnt it was out

    def refill(_step):
        assert str(Action.REFILLED) in action_codes(_step.params)
        rig.printer.load_paper()
        return str(Action.REFILLED)

    port = run_maintenance(services, [*signed_in(Pins()), ("maintenance", refill), ("notice", OK), LEAVE])
    assert port.last("notice").params["title"] == printer_refill.TEST_PRINTED
    [job] = printed_jobs(rig)
    assert any(TEST_WARNING.zh in line for line in job["lines"])
    assert str(Action.REFILLED) not in action_codes(dashboard(port, 1)), "paper is fine again"
    actions = [fields["action"] for event, fields in audited(trail) if event == "staff-action"]
    assert actions == ["paper-refilled", "test-voucher", "maintenance-left"]


def test_printer_still_out_after_refilled_says_so_and_prints_nothing(rig, services):
    rig.card.insert("staff")
    rig.printer.run_out_of_paper()
    script = [*signed_in(Pins()), ("maintenance", str(Action.REFILLED)), ("notice", OK), LEAVE]
    port = run_maintenance(services, script)
    assert port.last("notice").params["title"] == printer_refill.STILL_OUT
    assert "paper out" in port.last("notice").text()
    assert printed_jobs(rig, 0) == []
    assert str(Action.REFILLED) in action_codes(dashboard(port, 1))


# --- the outbox ------------------------------------------------------------------------


def test_dead_item_is_shown_with_its_reason_and_retried_to_the_centre(rig, services, trail):
    rig.card.insert("staff")
    item_id = make_dead_item(services)

    def choose_it(step):
        [option] = step.params["options"]
        assert "connection refused" in option.detail.en
        return option.code

    script = [*signed_in(Pins()), ("maintenance", str(Action.RETRY_ITEMS)), ("choose", choose_it), ("notice", OK), LEAVE]
    port = run_maintenance(services, script)
    outbox_rows = dict((label.en, value) for label, value in dashboard(port)["sections"][1][1])
    assert outbox_rows["Dead"] == "1"
    assert services.outbox.item(item_id).state is ItemState.SENT
    assert port.last("notice").params["body"].en == outbox_care.DELIVERED.en.format(id=item_id)
    assert str(Action.RETRY_ITEMS) not in action_codes(dashboard(port, 1))
    assert ("staff-action", {"action": "outbox-retry-dead", "staff": "S0042", "count": 1}) in audited(trail)


def test_send_now_sends_the_waiting_items_before_their_backoff_ends(rig, services):
    rig.card.insert("staff")
    payload = {"card_number": "C50011521", "changed_at": "2026-12-03T09:00:00+08:00", "terminal_id": services.config.terminal_id}
    item_id = services.outbox.enqueue(Kind.PIN_CHANGE_RECORD, payload).id
    services.outbox.fail(services.outbox.lease("test", 60), "timeout", retry_after=3600)
    script = [*signed_in(Pins()), ("maintenance", str(Action.SEND_NOW)), ("notice", OK), LEAVE]
    port = run_maintenance(services, script)
    assert services.outbox.item(item_id).state is ItemState.SENT
    assert "1 delivered" in port.last("notice").text()


# --- out of service ------------------------------------------------------------------


def test_out_of_service_with_a_reason_from_the_closed_set_then_back_in(rig, services, trail):
    rig.card.insert("staff")

    def paper_reason(step):
        assert [o.code for o in step.params["options"]] == [str(r) for r in OutOfServiceReason]
        return str(OutOfServiceReason.PAPER)

    def still_out(step):
        rows = dict((label.en, value) for label, value in step.params["sections"][2][1])
        assert rows["Service"].zh.endswith(REASON_WORDS[OutOfServiceReason.PAPER].zh)
        reading = OutOfServiceSwitch(services.config.data_dir).read()
        assert reading.out_of_service and reading.change.by == "S0042"
        return str(Action.OUT_OF_SERVICE_OFF)

    script = [*signed_in(Pins()), ("maintenance", str(Action.OUT_OF_SERVICE_ON)), ("choose", paper_reason),
              ("maintenance", still_out), LEAVE]  # fmt: skip
    run_maintenance(services, script)
    assert not OutOfServiceSwitch(services.config.data_dir).read().out_of_service
    actions = [(f["action"], f.get("reason")) for e, f in audited(trail) if e == "staff-action"]
    assert actions == [("out-of-service-on", "paper"), ("out-of-service-off", None), ("maintenance-left", "left")]


def test_walking_away_from_maintenance_is_audited_as_the_session_ending(rig, services, trail):
    rig.card.insert("staff")

    async def walk_away(_step):
        await asyncio.sleep(3600)  # nobody touches the screen; the shell ends the session

    port = ScriptedPort([*signed_in(Pins()), ("maintenance", walk_away)], services=services, service=maintenance.SERVICE)

    async def main():
        task = asyncio.ensure_future(maintenance.run(port))
        while "maintenance" not in port.screens():
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    assert audited(trail)[-1] == ("staff-action", {"action": "maintenance-left", "staff": "S0042", "reason": "session-ended"})


# --- the log export --------------------------------------------------------------------

ID_NUMBER = "110105194912310021"  # GB 11643's worked example
PHONE = "13812345678"


@pytest.fixture
def journal(tmp_path, monkeypatch):
    """journalctl's stand-in (this machine's kiosk logs to no journal): a script printing
    what a kiosk's journal holds, a slipped-through ID number and phone number among it."""
    script = tmp_path / "journalctl"
    script.write_text(
        "#!/bin/sh\n"
        f"echo '2026-12-03T09:00:00+0800 kiosk python[1]: flow apply started'\n"
        f"echo '2026-12-03T09:01:00+0800 kiosk python[1]: odd reply for {ID_NUMBER} phone {PHONE}'\n"
    )
    script.chmod(0o755)
    monkeypatch.setattr(log_export, "JOURNALCTL", str(script))


EXPORT = ("maintenance", str(Action.EXPORT_LOGS))


def test_logs_go_to_the_drive_redacted_with_the_audit_trail(rig, services, drive, journal, tmp_path, trail):
    rig.card.insert("staff")
    drive.insert(tmp_path / "stick")
    (tmp_path / "stick").mkdir()
    port = run_maintenance(services, [*signed_in(Pins()), EXPORT, ("notice", OK), LEAVE])
    assert port.last("notice").params["title"] == log_export.EXPORTED
    [(path, data)] = drive.written.items()
    assert path.startswith(f"/kiosk-logs-{services.config.terminal_id}-") and path.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(data))
    log_text = archive.read(log_export.LOG_NAME).decode()
    assert "flow apply started" in log_text
    assert ID_NUMBER not in log_text and PHONE not in log_text, "what slipped into the journal is masked on the drive"
    assert "staff-entry" in archive.read(audit.FILE_NAME).decode()
    assert not list((services.config.data_dir / "export").glob("*.zip")), "no copy stays on the kiosk"
    assert ("staff-action", {"action": "logs-exported", "staff": "S0042"}) in audited(trail)


def test_usb_drive_pulled_mid_export_says_so_and_leaves_nothing(rig, services, drive, journal, tmp_path, trail):
    rig.card.insert("staff")
    (tmp_path / "stick").mkdir()
    drive.insert(tmp_path / "stick")
    drive.pull_during_write()
    port = run_maintenance(services, [*signed_in(Pins()), EXPORT, ("notice", OK), LEAVE])
    assert port.last("notice").params["body"] == log_export.DRIVE_PULLED
    assert drive.written == {}
    assert "logs-exported" not in [f.get("action") for _e, f in audited(trail)]


def test_disk_full_on_export_says_the_drive_is_full(rig, services, drive, journal, tmp_path):
    rig.card.insert("staff")
    (tmp_path / "stick").mkdir()
    drive.insert(tmp_path / "stick")
    drive.fill_up(free_bytes=10)
    port = run_maintenance(services, [*signed_in(Pins()), EXPORT, ("notice", OK), LEAVE])
    assert port.last("notice").params["body"] == log_export.DRIVE_FULL
    assert drive.written == {}


def test_kiosk_disk_full_while_building_the_export_says_so(rig, services, drive, journal, tmp_path, monkeypatch):
    import errno

    rig.card.insert("staff")
    (tmp_path / "stick").mkdir()
    drive.insert(tmp_path / "stick")

    def no_room(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(log_export, "build_export", no_room)
    port = run_maintenance(services, [*signed_in(Pins()), EXPORT, ("notice", OK), LEAVE])
    assert port.last("notice").params["body"] == log_export.KIOSK_FULL


# --- the terminal ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "command_line, slot",
    [("BOOT_IMAGE=/vmlinuz root=/dev/vda2 rauc.slot=B quiet\n", "B"), ("BOOT_IMAGE=/vmlinuz root=/dev/sda1\n", "dev")],
)
def test_slot_is_the_one_rauc_booted_or_dev(tmp_path: Path, command_line, slot):
    path = tmp_path / "cmdline"
    path.write_text(command_line)
    assert booted_slot(path) == slot
    assert booted_slot(tmp_path / "missing") == "dev"
