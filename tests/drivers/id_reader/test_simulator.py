"""The simulator is as strict as a real SAM module, and its fixtures are valid cards.
These tests speak raw bytes through pyserial, without the driver."""

import time
from datetime import date

import pytest
import serial

from hwsim.control import send
from hwsim.id_reader import load_people
from hwsim.id_reader.people import FixtureError, resolve_date
from kiosk.domain.identity import IdKind, parse_id_number
from kiosk.drivers.id_reader.documents import parse_text
from kiosk.drivers.id_reader.frames import Command, FrameParser, Reply, Request, encode_frame, parse_reply


@pytest.fixture
def port(simulator):
    line = serial.Serial(simulator.port, 115200, timeout=0.05)
    yield line
    line.close()


def exchange(port, wire: bytes, timeout: float = 1.0) -> Reply:
    port.reset_input_buffer()
    port.write(wire)
    parser, deadline = FrameParser(), time.monotonic() + timeout
    while time.monotonic() < deadline:
        frames = parser.feed(port.read(4096))
        if frames:
            return parse_reply(frames[0])
    raise AssertionError("the simulator did not answer")


def command(port, which: Command) -> Reply:
    return exchange(port, Request.of(which).encode())


def test_request_with_bad_checksum_gets_sw3_10(port):
    wire = bytearray(Request.of(Command.FIND_CARD).encode())
    wire[-1] ^= 0x5A
    assert exchange(port, bytes(wire)).sw3 == 0x10


def test_request_that_stops_half_way_gets_sw3_11(port):
    wire = bytes.fromhex("AAAAAA9669") + (40).to_bytes(2, "big") + b"\x20\x01"  # promises 40 bytes
    assert exchange(port, wire).sw3 == 0x11


def test_request_with_impossible_length_gets_sw3_11(port):
    assert exchange(port, bytes.fromhex("AAAAAA9669FFFF")).sw3 == 0x11


def test_request_with_unexpected_data_gets_sw3_11(port):
    assert exchange(port, Request(0x20, 0x01, b"\x00\x00").encode()).sw3 == 0x11


def test_unknown_command_gets_sw3_21(port):
    assert exchange(port, encode_frame(b"\x61\xFF")).sw3 == 0x21


def test_read_before_select_fails_like_a_real_module(simulator, port):
    simulator.insert("resident")
    assert command(port, Command.READ_TEXT_PHOTO).sw3 == 0x41
    assert command(port, Command.FIND_CARD).sw3 == 0x9F
    assert command(port, Command.READ_TEXT_PHOTO).sw3 == 0x41  # found is not selected


def test_select_before_find_fails(simulator, port):
    simulator.insert("resident")
    assert command(port, Command.SELECT_CARD).sw3 == 0x81


def test_replies_have_the_documented_shapes(simulator, port):
    simulator.insert("resident")
    assert command(port, Command.SAM_STATUS) == Reply(0, 0, 0x90)
    assert command(port, Command.FIND_CARD) == Reply(0, 0, 0x9F, bytes(4))
    assert command(port, Command.SELECT_CARD) == Reply(0, 0, 0x90, bytes(8))
    read = command(port, Command.READ_TEXT_PHOTO)
    assert len(read.encode()) == 1295
    assert read.data[:4] == bytes.fromhex("01000400")


def test_removed_card_is_not_found(simulator, port):
    simulator.insert("resident")
    simulator.remove()
    assert command(port, Command.FIND_CARD).sw3 == 0x80


def test_control_socket_steers_the_simulator(simulator, port):
    assert send("id-reader", "insert", person="elder")["person"] == "elder"
    assert command(port, Command.FIND_CARD).sw3 == 0x9F
    send("id-reader", "fault", name="no-card")
    assert command(port, Command.FIND_CARD).sw3 == 0x80
    send("id-reader", "fault", name="sam")
    assert send("id-reader", "status")["faults"] == {"sam": {"remaining": 0}}
    assert command(port, Command.SAM_STATUS).sw3 == 0x60
    send("id-reader", "clear")
    assert command(port, Command.SAM_STATUS).sw3 == 0x90
    assert set(send("id-reader", "people")) == set(load_people())


def test_control_socket_refuses_unknown_person_and_fault(simulator):
    with pytest.raises(RuntimeError, match="no person"):
        send("id-reader", "insert", person="nobody")
    with pytest.raises(RuntimeError, match="unknown fault"):
        send("id-reader", "fault", name="gremlins")


def test_counted_fault_ends_by_itself(simulator, port):
    simulator.insert("resident")
    simulator.fault("status", count=2, sw3="24")
    assert [command(port, Command.FIND_CARD).sw3 for _ in range(3)] == [0x24, 0x24, 0x9F]


# --- fixtures -------------------------------------------------------------------------


def test_every_fixture_number_passes_the_identity_check():
    for person in load_people().values():
        number = parse_id_number(person.id_number)
        doc = parse_text(person.text_block())
        assert number.kind is person.kind is doc.kind
        assert number.birth_date == doc.birth_date


def test_fixtures_cover_the_cases_the_kiosk_must_handle():
    today = date.today()
    docs = {key: parse_text(p.text_block()) for key, p in load_people(today=today).items()}
    kinds = {doc.kind for doc in docs.values()}
    assert kinds == set(IdKind)
    assert any(doc.valid_to is None for doc in docs.values())  # 长期
    assert any(getattr(doc, "nation", None) and doc.nation.code == "15" for doc in docs.values())  # 土家族
    assert any(doc.expired_on(today) for doc in docs.values())
    assert any(parse_id_number(doc.id_number).is_minor_on(today) for doc in docs.values())
    assert all(doc.id_number.startswith("500") for doc in docs.values() if doc.kind is IdKind.RESIDENT)


def test_minor_stays_a_minor_whatever_the_day():
    for today in (date(2030, 2, 28), date(2041, 12, 31)):
        minor = load_people(today=today)["minor"]
        assert parse_id_number(minor.id_number, today).is_minor_on(today)


def test_relative_dates():
    today = date(2024, 2, 29)
    assert resolve_date("today-1y", today) == date(2023, 2, 28)
    assert resolve_date("today+4y-10d", today) == date(2028, 2, 19)
    assert resolve_date("2005-08-15", today) == date(2005, 8, 15)


def test_fixture_whose_sequence_contradicts_sex_is_refused(tmp_path):
    bad = tmp_path / "people.json"
    bad.write_text(
        '{"people": [{"key": "x", "doc_type": "resident_id", "name": "张三", "sex": "1", "nation": "01",'
        ' "birth": "1970-01-01", "address": "重庆市", "region": "500115", "sequence": "002",'
        ' "issuing_authority": "重庆市公安局", "valid_from": "2010-01-01", "valid_to": "长期"}]}',
        encoding="utf-8",
    )
    with pytest.raises(FixtureError, match="odd for a man"):
        load_people(bad)
