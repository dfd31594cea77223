"""GA 467 framing against the literal frames of PROTOCOLS.md, and a fuzzed parser."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.drivers.id_reader.frames import (
    MAX_LENGTH,
    PREAMBLE,
    Command,
    FaultKind,
    Frame,
    FrameFault,
    FrameParser,
    Reply,
    Request,
    checksum,
    encode_frame,
    parse_reply,
    parse_request,
)

LITERAL_REQUESTS = {
    Command.RESET_SAM: "AAAAAA9669000310FFEC",
    Command.SAM_STATUS: "AAAAAA9669000311FFED",
    Command.SAM_ID: "AAAAAA9669000312FFEE",
    Command.FIND_CARD: "AAAAAA96690003200122",
    Command.SELECT_CARD: "AAAAAA96690003200221",
    Command.READ_TEXT_PHOTO: "AAAAAA96690003300132",
    Command.READ_WITH_FINGERPRINT: "AAAAAA96690003301023",
}


@pytest.mark.parametrize("command", list(Command), ids=lambda c: c.name)
def test_request_frames_match_the_protocol_table(command):
    assert Request.of(command).encode().hex().upper() == LITERAL_REQUESTS[command]


@pytest.mark.parametrize(
    "literal, expected",
    [
        ("AAAAAA9669000400009094", Reply(0, 0, 0x90)),  # SAM status ok
        ("AAAAAA9669000800009F0000000097", Reply(0, 0, 0x9F, bytes(4))),  # find ok
        ("AAAAAA9669000400008084", Reply(0, 0, 0x80)),  # no card
        ("AAAAAA9669000C0000900000000000000000" + "9C", Reply(0, 0, 0x90, bytes(8))),  # select ok
        ("AAAAAA9669000400008185", Reply(0, 0, 0x81)),  # select failed
    ],
)
def test_literal_replies_parse_and_reencode(literal, expected):
    wire = bytes.fromhex(literal)
    (frame,) = FrameParser().feed(wire)
    assert parse_reply(frame) == expected
    assert expected.encode() == wire


def test_read_reply_is_1295_bytes_on_the_wire():
    data = (256).to_bytes(2, "big") + (1024).to_bytes(2, "big") + bytes(256 + 1024)
    assert len(Reply(0, 0, 0x90, data).encode()) == 1295


def test_checksum_covers_length_through_last_data_byte():
    assert checksum(bytes.fromhex("000310FF")) == 0xEC


def test_noise_before_preamble_is_discarded_and_counted():
    parser = FrameParser()
    items = parser.feed(b"\x00\x13\xAA\xAA" + bytes.fromhex(LITERAL_REQUESTS[Command.FIND_CARD]))
    assert items == [Frame(bytes([0x20, 0x01]))]
    assert parser.discarded == 4


def test_frame_in_single_byte_pieces_is_reassembled():
    parser = FrameParser()
    wire = Reply(0, 0, 0x90, bytes(range(200))).encode()
    items = [item for byte in wire for item in parser.feed(bytes([byte]))]
    assert items == [Frame(bytes([0, 0, 0x90]) + bytes(range(200)))]
    assert parser.pending == 0


def test_preamble_split_across_pieces_is_kept():
    parser = FrameParser()
    wire = Reply(0, 0, 0x90).encode()
    assert parser.feed(b"\x55" + wire[:3]) == []
    assert parser.feed(wire[3:]) == [Frame(bytes([0, 0, 0x90]))]


def test_bad_checksum_is_a_typed_fault():
    wire = bytearray(Reply(0, 0, 0x90).encode())
    wire[-1] ^= 0xFF
    (fault,) = FrameParser().feed(bytes(wire))
    assert isinstance(fault, FrameFault) and fault.kind is FaultKind.BAD_CHECKSUM


def test_impossible_length_is_a_typed_fault_and_parsing_resumes():
    parser = FrameParser()
    good = Reply(0, 0, 0x9F, bytes(4)).encode()
    items = parser.feed(PREAMBLE + b"\xFF\xFF" + good)
    assert [type(i) for i in items] == [FrameFault, Frame]
    assert items[0].kind is FaultKind.BAD_LENGTH


def test_real_frame_hidden_behind_false_preamble_is_found():
    """A stray preamble with a plausible length swallows the next bytes; resyncing finds the real frame."""
    good = Reply(0, 0, 0x90).encode()
    false_start = PREAMBLE + (len(good) - 2).to_bytes(2, "big")
    items = FrameParser().feed(false_start + good + b"\x00" * 8)
    assert Frame(bytes([0, 0, 0x90])) in items


def test_short_reply_body_is_a_typed_fault():
    fault = parse_reply(Frame(b"\x00\x00"))
    assert isinstance(fault, FrameFault) and fault.kind is FaultKind.TOO_SHORT


def test_request_with_data_keeps_it():
    (frame,) = FrameParser().feed(Request(0x20, 0x01, b"\x07").encode())
    assert parse_request(frame) == Request(0x20, 0x01, b"\x07")


def test_oversized_body_cannot_be_encoded():
    with pytest.raises(ValueError):
        encode_frame(bytes(MAX_LENGTH))


# --- fuzzing: whatever the line delivers, the parser answers with values -----------------

chunkings = st.lists(st.integers(min_value=1, max_value=64), min_size=1, max_size=40)


def _feed_in_pieces(parser, data, sizes):
    items, position, i = [], 0, 0
    while position < len(data):
        size = sizes[i % len(sizes)]
        items += parser.feed(data[position : position + size])
        position += size
        i += 1
    return items


# line bytes rich in what confuses a parser: preambles, frames, lengths, cut-off frames
line_pieces = st.one_of(
    st.binary(max_size=30),
    st.just(PREAMBLE),
    st.binary(min_size=2, max_size=2).map(lambda length: PREAMBLE + length),
    st.binary(min_size=2, max_size=80).map(encode_frame),
    st.tuples(st.binary(min_size=2, max_size=80), st.integers(min_value=1)).map(
        lambda t: encode_frame(t[0])[: t[1] % (len(t[0]) + 8)]
    ),
)
line_bytes = st.lists(line_pieces, max_size=30).map(b"".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=3000), line_bytes), chunkings)
def test_any_bytes_give_frames_or_faults_and_bounded_buffer(data, sizes):
    parser = FrameParser()
    items = _feed_in_pieces(parser, data, sizes)
    assert all(isinstance(item, (Frame, FrameFault)) for item in items)
    assert parser.pending <= len(PREAMBLE) + 2 + MAX_LENGTH
    for item in items:
        if isinstance(item, Frame):
            assert isinstance(parse_reply(item), (Reply, FrameFault))
            assert isinstance(parse_request(item), (Request, FrameFault))


# noise that contains no preamble start: the frame after it must come through untouched
noise = st.binary(max_size=200).filter(lambda b: 0xAA not in b)


@settings(max_examples=200, deadline=None)
@given(noise, st.binary(min_size=3, max_size=1500), chunkings)
def test_frame_after_noise_in_any_pieces_comes_through_intact(prefix, body, sizes):
    parser = FrameParser()
    items = _feed_in_pieces(parser, prefix + encode_frame(body), sizes)
    assert items == [Frame(body)]
    assert parser.discarded == len(prefix)


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=3, max_size=300), st.integers(min_value=0), st.integers(min_value=1, max_value=255))
def test_any_corrupted_body_or_checksum_byte_is_rejected(body, where, flip):
    wire = bytearray(encode_frame(body))
    first = len(PREAMBLE) + 2  # past the length field
    wire[first + where % (len(wire) - first)] ^= flip
    items = FrameParser().feed(bytes(wire))
    assert items[0] == FrameFault(FaultKind.BAD_CHECKSUM, items[0].detail)
