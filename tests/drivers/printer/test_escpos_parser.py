"""The simulator's ESC/POS parser: strict, streaming, and unbreakable by any byte sequence."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hwsim.printer.escpos_parser import Command, EscPosParser, Qr, Raster, StatusQuery, Text, Unknown
from hwsim.printer.model import PrinterModel
from hwsim.printer.render import render
from kiosk.drivers.printer.job import EscposJob


def sample_job() -> bytes:
    job = EscposJob()
    job.init()
    job.set(align="center", bold=True, double_height=True, double_width=True)
    job.textln("申领社保卡：测试")
    job.set(align="left", bold=False, normal_textsize=True)
    job.textln("Serial：TEST-CS01-T01 ￥（）")
    job.qr_code("SSV1/TEST", 4)
    job.native_qr = False
    job.qr_code("SSV1/TEST", 3)
    job.cut()
    return job.output


def merged(events):
    """Events with adjacent text of the same kind joined: a split may cut a text run in two."""
    out = []
    for event in events:
        if out and isinstance(event, Text) and isinstance(out[-1], Text) and out[-1].wide == event.wide:
            out[-1] = Text(out[-1].text + event.text, event.wide)
        else:
            out.append(event)
    return out


def test_a_voucher_job_parses_into_known_commands_only():
    events = EscPosParser().feed(sample_job())
    assert not [e for e in events if isinstance(e, Unknown)]
    assert Text("申领社保卡：测试", True) in events
    assert [e.fn for e in events if isinstance(e, Qr)] == [65, 67, 69, 80, 81]
    assert any(isinstance(e, Raster) for e in events)
    assert events[-1] == Command("cut", (0,))


@given(st.lists(st.integers(1, 40), max_size=30))
def test_split_anywhere_parses_the_same(cuts):
    data = sample_job()
    whole = merged(EscPosParser().feed(data))
    parser, events, pos = EscPosParser(), [], 0
    for size in cuts:
        events += parser.feed(data[pos : pos + size])
        pos += size
    events += parser.feed(data[pos:])
    assert merged(events) == whole
    assert parser.pending == 0


def test_unknown_command_is_recorded_not_guessed():
    events = EscPosParser().feed(b"\x1b\x7fAB\x01")
    assert isinstance(events[0], Unknown) and events[0].raw == b"\x1b\x7f"
    assert events[1] == Text("AB", False)  # what follows is read again as data
    assert isinstance(events[2], Unknown) and "0x01" in events[2].reason


def test_gb18030_without_chinese_mode_prints_code_page_characters():
    """A printer that powers up without FS & shows GB18030 bytes as code page 437 garbage."""
    data = "社保".encode("gb18030")
    assert EscPosParser(chinese_mode=False).feed(data) == [Text(data.decode("cp437"), False)]
    assert EscPosParser(chinese_mode=False).feed(b"\x1c&" + data)[-1] == Text("社保", True)


def test_status_queries_are_recognised_in_both_families():
    events = EscPosParser().feed(b"\x10\x04\x04\x1dr\x01\x10\x04\x09")
    assert events[:2] == [StatusQuery("dle_eot", 4), StatusQuery("gs_r", 1)]
    assert isinstance(events[2], Unknown)


def test_invalid_gb18030_lead_byte_is_recorded():
    events = EscPosParser().feed(b"\x80A")
    assert isinstance(events[0], Unknown) and events[1] == Text("A", False)


def test_oversized_raster_header_is_refused_without_swallowing_what_follows():
    events = EscPosParser().feed(b"\x1dv0\x00\xff\xff\xff\xffOK")
    assert isinstance(events[0], Unknown)
    assert events[1] == Text("OK", False)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600), st.booleans())
def test_any_bytes_never_crash_or_hang_the_parser(data, chinese):
    parser = EscPosParser(chinese_mode=chinese)
    events = parser.feed(data)
    assert parser.pending <= len(data)
    assert all(isinstance(e, (Text, Command, StatusQuery, Raster, Qr, Unknown)) for e in events)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.binary(max_size=80), st.sampled_from([b"\x1b@", b"\x1c&", b"\x1dV\x00", b"\n", b"\x1d(k\x03\x001Q0", b"\x10\x04\x04"])), max_size=25))
def test_any_bytes_never_crash_the_printer_or_its_renderer(chunks):
    rendered = []
    model = PrinterModel(paper_mm=400, near_end_mm=100, sink=lambda job: rendered.append(render(job.blocks, 576)))
    for chunk in chunks:
        answers = model.receive(chunk)
        assert all((b & 0x93) == 0x12 or (b & 0x90) == 0 for b in answers)
    assert model.paper_mm >= 0
