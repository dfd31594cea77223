"""The driver against the simulated SAM module through a real pty and pyserial, one test per
failure mode."""

import logging
import threading
from datetime import date

import pytest

from hwsim import kiosk_hooks
from hwsim.id_reader import load_people
from kiosk.domain.identity import IdKind, parse_id_number
from kiosk.drivers.id_reader import IdCardReader
from kiosk.drivers.status import CancelToken, DeviceState, MediaState, Recovery, ResultCode

PEOPLE = load_people()


@pytest.mark.parametrize("key", sorted(PEOPLE))
def test_every_fixture_person_reads_back_as_stored(simulator, reader, key):
    simulator.insert(key)
    done = reader.read_card()
    assert done.ok, done.reason
    person = PEOPLE[key]
    doc = done.value.document
    assert doc.kind is person.kind
    assert doc.id_number == person.id_number
    assert done.value.id_number_valid
    assert done.value.photo_wlt == person.photo()
    assert done.value.fingerprints is None
    assert reader.status().state is DeviceState.ONLINE and reader.status().media is MediaState.PRESENT


def test_each_layout_reads_with_its_own_fields(simulator, reader):
    expectations = {
        "tujia": {"doc_type": "resident_id", "nation": "土家", "sex": "女"},
        "hk-permit": {"doc_type": "hmt_residence_permit", "pass_number": "H60218733", "issue_count": 1},
        "foreigner": {"doc_type": "foreign_permanent_residence", "nationality": "CAN", "chinese_name": "安德鲁"},
    }
    for key, expected in expectations.items():
        simulator.insert(key)
        data = reader.read_card().value.to_dict()
        assert {k: data[k] for k in expected} == expected


def test_minor_fixture_is_under_sixteen_today(simulator, reader):
    simulator.insert("minor")
    doc = reader.read_card().value.document
    assert parse_id_number(doc.id_number).is_minor_on(date.today())


def test_long_lived_card_never_expires(simulator, reader):
    simulator.insert("elder")
    read = reader.read_card().value
    assert read.document.valid_to is None and not read.expired


def test_expired_card_is_flagged(simulator, reader):
    simulator.insert("expired")
    done = reader.read_card()
    assert done.ok  # the read worked: refusing is the screen's decision
    assert done.value.expired and not done.value.check.acceptable
    assert done.value.id_number_valid


def test_read_with_fingerprints_returns_them(simulator, reader):
    simulator.insert("resident")
    done = reader.read_card(fingerprints=True)
    assert done.ok
    assert done.value.fingerprints == PEOPLE["resident"].fingerprints()
    assert simulator.requests[-1] == "3010"


def test_no_card_is_reported_as_no_media(simulator, reader):
    done = reader.read_card()
    assert done.code is ResultCode.NO_MEDIA
    assert done.recovery is Recovery.RESIDENT_CAN_FIX
    assert done.detail["sw3"] == "80"
    assert reader.status().state is DeviceState.ONLINE
    assert reader.status().media is MediaState.NOT_PRESENT


def test_missing_port_is_no_device(tmp_path):
    reader = IdCardReader(f"serial://{tmp_path}/ttyUSB9")
    done = reader.read_card()
    assert done.code is ResultCode.NO_DEVICE
    assert reader.status().state is DeviceState.NO_DEVICE


def test_unplugged_reader_is_no_device_then_recovers(simulator, reader):
    simulator.insert("resident")
    assert reader.read_card().ok  # the port is open now
    simulator.unplug()
    done = reader.read_card()
    assert done.code is ResultCode.NO_DEVICE
    assert reader.status().state is DeviceState.NO_DEVICE
    assert reader.card_present().code is ResultCode.NO_DEVICE  # still gone, still a value
    simulator.plug()
    again = reader.read_card()
    assert again.ok, again.reason
    assert reader.status().state is DeviceState.ONLINE


def test_replugged_reader_works_at_once_despite_the_stale_port(simulator, reader):
    simulator.insert("resident")
    assert reader.read_card().ok
    simulator.unplug()
    simulator.plug()  # the driver never noticed it was gone
    done = reader.read_card()
    assert done.ok, done.reason


def test_corrupted_checksum_is_retried(simulator, reader):
    simulator.insert("resident")
    simulator.fault("checksum", count=1)
    done = reader.read_card()
    assert done.ok, done.reason
    assert simulator.requests.count("2001") == 2  # the find was asked again


def test_checksum_corrupted_every_time_gives_up_as_protocol_error(simulator, reader):
    simulator.insert("resident")
    simulator.fault("checksum")
    done = reader.read_card()
    assert done.code is ResultCode.PROTOCOL_ERROR
    assert simulator.requests.count("2001") == 1 + reader.retries  # bounded
    assert "checksum" in done.reason


def test_request_corrupted_on_the_way_is_resent(simulator, reader):
    simulator.insert("resident")
    simulator.fault("status", count=1, sw3="10")  # the module says: your request was garbled
    done = reader.read_card()
    assert done.ok, done.reason
    assert simulator.requests[:2] == ["2001", "2001"]


def test_noise_before_preamble_is_skipped(simulator, reader):
    simulator.insert("tujia")
    simulator.fault("noise")
    done = reader.read_card()
    assert done.ok, done.reason
    assert simulator.requests == ["2001", "2002", "3001"]  # nothing had to be asked twice
    assert reader.noise_discarded > 0


def test_noise_arriving_apart_from_the_reply_is_skipped(simulator, reader):
    simulator.insert("resident")
    simulator.fault("noise")
    simulator.fault("slow", chunk=4, delay=0.002)  # the false preamble arrives on its own
    done = reader.read_card()
    assert done.ok, done.reason
    assert simulator.requests == ["2001", "2002", "3001"]


def test_reply_in_slow_pieces_is_reassembled(simulator, reader):
    simulator.insert("hk-permit")
    simulator.fault("slow", chunk=50, delay=0.01)
    done = reader.read_card()
    assert done.ok, done.reason
    assert done.value.document.kind is IdKind.HMT_PERMIT


def test_timeout_when_reader_stays_silent(simulator, reader):
    simulator.insert("resident")
    simulator.fault("mute")
    done = reader.read_card()
    assert done.code is ResultCode.TIMEOUT
    assert reader.status().state is DeviceState.OFFLINE
    simulator.clear("mute")
    assert reader.read_card().ok  # a late answer does not poison the next exchange


def test_timeout_mid_read_when_reply_stops_half_way(simulator, reader):
    simulator.insert("resident")
    reader.read_timeout = 0.4
    simulator.fault("slow", chunk=100, delay=0.2)  # 1295 bytes would take 2.6 s
    done = reader.read_card()
    assert done.code is ResultCode.TIMEOUT


def test_sam_failure_is_a_hardware_error_needing_maintenance(simulator, reader):
    simulator.insert("resident")
    simulator.fault("sam")
    assert reader.sam_status().code is ResultCode.DEVICE_ERROR
    done = reader.read_card()
    assert done.code is ResultCode.DEVICE_ERROR and done.detail["sw3"] == "60"
    assert reader.status().state is DeviceState.HARDWARE_ERROR
    assert reader.status().recovery is Recovery.NEEDS_MAINTENANCE
    simulator.clear()
    assert reader.read_card().ok
    assert reader.status().state is DeviceState.ONLINE and reader.status().recovery is Recovery.NONE


def test_card_taken_away_before_select_is_no_media(simulator, reader):
    simulator.insert("resident")
    simulator.fault("status", sw3="81", command="20 02")
    done = reader.read_card()
    assert done.code is ResultCode.NO_MEDIA and done.detail["sw3"] == "81"


def test_card_moved_during_read_asks_resident_to_place_it_again(simulator, reader):
    simulator.insert("resident")
    simulator.fault("status", sw3="41", command="30 01")
    done = reader.read_card()
    assert done.code is ResultCode.DEVICE_ERROR
    assert done.recovery is Recovery.RESIDENT_CAN_FIX
    assert reader.status().state is DeviceState.USER_ERROR


def test_undocumented_status_is_a_device_error_not_a_crash(simulator, reader):
    simulator.insert("resident")
    simulator.fault("status", sw3="E7", command="20 01")
    done = reader.read_card()
    assert done.code is ResultCode.DEVICE_ERROR and "E7" in done.reason


def test_cancel_stops_waiting_for_a_silent_reader(simulator):
    reader = IdCardReader(simulator.url, command_timeout=30, resolve=kiosk_hooks.resolve)
    simulator.fault("mute")
    cancel = CancelToken()
    threading.Timer(0.2, cancel.cancel).start()
    done = reader.card_present(cancel=cancel)
    reader.close()
    assert done.code is ResultCode.CANCELLED


def test_cancel_during_a_read_leaves_the_reader_online(simulator, reader):
    simulator.insert("resident")
    simulator.fault("slow", chunk=100, delay=0.1)
    cancel = CancelToken()
    threading.Timer(0.5, cancel.cancel).start()
    done = reader.read_card(cancel=cancel)
    assert done.code is ResultCode.CANCELLED
    assert reader.status().state is DeviceState.ONLINE


def test_sam_commands(simulator, reader):
    assert reader.reset_sam().ok
    assert reader.sam_status().ok
    sam_id = reader.sam_id()
    assert sam_id.ok and len(sam_id.value) == 32


def test_reader_never_logs_or_shows_personal_data(simulator, reader, caplog):
    simulator.insert("resident")
    person = PEOPLE["resident"]
    secrets = (person.fields["name"], person.id_number, person.fields["address"])
    caplog.set_level(logging.DEBUG)
    read = reader.read_card().value
    simulator.fault("checksum")
    failed = reader.read_card()
    visible = [r.getMessage() for r in caplog.records] + [repr(read), str(read), failed.reason, str(reader.status())]
    for text in visible:
        for secret in secrets:
            assert secret not in text
