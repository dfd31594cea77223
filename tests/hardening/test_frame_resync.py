"""GA 467 resynchronisation costs each byte once: noise made of preambles and plausible
lengths no longer has every candidate frame XORed again one byte further on (issue 12, 3)."""

import random

from kiosk.drivers.id_reader import frames
from kiosk.drivers.id_reader.frames import PREAMBLE, FaultKind, Frame, FrameFault, FrameParser, Reply

REAL = Reply(0x00, 0x00, 0x90, b"\x01" * 1286).encode()


def hostile_noise(size: int, seed: int = 7) -> bytes:
    """Preambles each followed by a plausible length (2,304) and junk: the worst case."""
    rng = random.Random(seed)
    out = bytearray()
    while len(out) < size:
        out += PREAMBLE + b"\x09\x00" + bytes(rng.randrange(256) for _ in range(rng.randrange(0, 24)))
    return bytes(out[:size])


def bytes_xored(monkeypatch, data: bytes, piece: int) -> tuple[int, list]:
    """Bytes the parser folds into checksums while it reads `data` in `piece`-sized parts."""
    folded = [0]
    original = frames.checksum

    def counting(chunk: bytes) -> int:
        folded[0] += len(chunk)
        return original(chunk)

    monkeypatch.setattr(frames, "checksum", counting)
    parser = FrameParser()
    found = []
    for i in range(0, len(data), piece):
        found += parser.feed(data[i : i + piece])
    return folded[0] + getattr(parser, "checksummed", 0), found


def test_100_kb_of_hostile_noise_costs_each_byte_once(monkeypatch):
    data = hostile_noise(100_000) + REAL + hostile_noise(100_000, seed=8)
    work, found = bytes_xored(monkeypatch, data, piece=4096)
    assert work <= 2 * len(data)  # the old parser folded about 30 million bytes here
    assert Frame(REAL[7:-1]) in found


def test_resync_cost_does_not_depend_on_how_the_line_splits_the_bytes(monkeypatch):
    data = hostile_noise(20_000) + REAL + hostile_noise(20_000, seed=8)
    whole, found_whole = bytes_xored(monkeypatch, data, piece=len(data))
    trickle, found_trickle = bytes_xored(monkeypatch, data, piece=7)
    assert whole == trickle == len(data)
    assert found_whole == found_trickle


def test_a_frame_with_a_bad_checksum_is_still_reported_as_one():
    bad = bytearray(REAL)
    bad[-1] ^= 0xFF
    out = FrameParser().feed(bytes(bad) + REAL)
    assert isinstance(out[0], FrameFault) and out[0].kind is FaultKind.BAD_CHECKSUM
    assert out[-1] == Frame(REAL[7:-1])
