"""The health snapshot: what it counts, where it reads it, and that it is only enums, counts
and times."""

from __future__ import annotations

import time

from kiosk.drivers.status import CoverState, DeviceKind, DeviceState, DeviceStatus, SupplyState
from kiosk.health.journeys import OTHER, JourneyCounter, JourneyEvent
from kiosk.health.snapshot import HealthSources
from kiosk.health.software import DEV_SLOT, running_build
from kiosk.offline.delivery_tally import DeliveryTally
from kiosk.offline.item_states import ItemState
from kiosk.offline.items import Kind
from tests.centre.fixtures import local_centre  # noqa: F401  (enrols the simulator's terminal)
from tests.health.terminals import terminal_config, with_dead_item, with_waiting

PAPER_OUT = DeviceStatus(DeviceKind.PRINTER, DeviceState.ONLINE, supplies={"paper": SupplyState.OUT},
                         cover=CoverState.CLOSED, detail="technician's note")  # fmt: skip


def sources(tmp_path, devices=(), **kwargs) -> HealthSources:
    return HealthSources(terminal_config(tmp_path / "data"), lambda: list(devices), **kwargs)


def test_outbox_depth_and_the_oldest_waiting_age_come_from_the_database(tmp_path):
    config = terminal_config(tmp_path / "data")
    an_hour_ago = time.time() - 3600
    with_waiting(config, 3, created_at=an_hour_ago)
    with_waiting(config, 2)
    with_dead_item(config)
    snap = sources(tmp_path).take()
    assert snap.outbox.readable
    assert snap.outbox.items[ItemState.PENDING] == 5
    assert snap.outbox.items[ItemState.DEAD] == 1
    assert 3590 <= snap.oldest_waiting_age_s <= 3700
    assert snap.needing_staff() == {"loss_report": 1}
    assert snap.outbox.open_alerts == 1


def test_a_terminal_without_a_database_yet_says_its_outbox_is_unreadable(tmp_path):
    snap = sources(tmp_path).take()
    assert not snap.outbox.readable
    assert snap.to_dict()["outbox"]["oldest_waiting_s"] is None


def test_staff_calls_waiting_are_counted_apart(tmp_path):
    config = terminal_config(tmp_path / "data")
    with_waiting(config, 2, kind=Kind.STAFF_CALL)
    with_waiting(config, 1)
    assert sources(tmp_path).take().outbox.staff_calls_waiting == 2


def test_a_device_status_gives_its_state_paper_and_cover_but_not_its_free_text(tmp_path):
    snap = sources(tmp_path, [PAPER_OUT]).take()
    assert snap.to_dict()["devices"] == {"printer": {"state": "online", "cover": "closed", "paper": "out"}}
    assert "technician's note" not in repr(snap)


def test_journeys_are_counted_by_service_and_a_code_the_domain_does_not_name_is_other(tmp_path):
    journeys = JourneyCounter()
    journeys.count("apply", JourneyEvent.STARTED)
    journeys.count("apply", JourneyEvent.FINISHED)
    journeys.count("王小明", JourneyEvent.STARTED)
    assert sources(tmp_path, journeys=journeys).take().journey_counts() == {
        "apply": {"started": 1, "finished": 1}, OTHER: {"started": 1}}


def test_deliveries_are_counted_by_kind_and_result(tmp_path):
    tally = DeliveryTally()
    tally.count("loss_report", ItemState.SENT)
    tally.count("loss_report", ItemState.PENDING)
    tally.count("something_newer", ItemState.DEAD)
    assert sources(tmp_path, deliveries=tally).take().delivery_counts() == {
        "loss_report": {"pending": 1, "sent": 1}, "other": {"dead": 1}}


def test_the_image_build_and_booted_slot_are_read_from_build_info_and_the_kernel_command_line(tmp_path):
    info, cmdline = tmp_path / "build-info", tmp_path / "cmdline"
    info.write_text("version=1.4.2\ncommit=abc\nbuild_date=2026-12-01T00:00:00Z\n")
    cmdline.write_text("BOOT_IMAGE=/vmlinuz root=/dev/sda2 rauc.slot=B quiet\n")
    build = running_build(info, cmdline)
    assert (build.version, build.slot) == ("1.4.2", "B")


def test_off_the_image_the_slot_is_dev(tmp_path):
    assert running_build(tmp_path / "none", tmp_path / "none").slot == DEV_SLOT


def test_a_build_info_with_odd_characters_is_unknown_rather_than_echoed(tmp_path):
    info = tmp_path / "build-info"
    info.write_text('version=1.0 "; rm -rf\n')
    assert running_build(info, tmp_path / "none").version == "unknown"


def test_the_certificate_expiry_is_the_enrolment_certificates(tmp_path, local_centre):
    from kiosk.enrolment import TerminalTls

    config = terminal_config(tmp_path / "data")
    expected = TerminalTls(config.tls_dir).expires().timestamp()
    assert HealthSources(config, lambda: []).take().certificate_expires_at == expected



def test_an_outbox_that_cannot_be_read_is_reported_unreadable_and_logged(tmp_path, caplog):
    config = terminal_config(tmp_path / "data")
    config.data_dir.mkdir(parents=True, exist_ok=True)
    (config.data_dir / "kiosk.sqlite3").write_bytes(b"this is not a database, a disk error made it so" * 100)
    snap = HealthSources(config, lambda: []).take()
    assert not snap.outbox.readable
    assert "cannot be counted" in caplog.text
