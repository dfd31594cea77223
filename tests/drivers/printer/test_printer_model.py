"""The simulated printer's own behaviour: paper roll, status bits, what it drops and when."""

from hwsim.printer.model import DEFAULT_LINE_SPACING, DOTS_PER_MM, PrinterModel

DLE_EOT_4, DLE_EOT_2, GS_R_1 = b"\x10\x04\x04", b"\x10\x04\x02", b"\x1dr\x01"
LINE_MM = DEFAULT_LINE_SPACING / DOTS_PER_MM


def model_with(paper_mm: float, near_end_mm: float = 0.0):
    jobs = []
    return PrinterModel(paper_mm=paper_mm, near_end_mm=near_end_mm, sink=jobs.append), jobs


def test_each_printed_line_uses_paper():
    model, _ = model_with(100)
    model.receive(b"\x1b@one\ntwo\n")
    assert model.paper_mm == 100 - 2 * LINE_MM


def test_near_end_and_paper_end_bits_follow_the_roll():
    model, _ = model_with(LINE_MM * 2, near_end_mm=LINE_MM * 2)
    assert model.receive(DLE_EOT_4 + GS_R_1) == bytes([0x12 | 0x0C, 0x03])
    model.receive(b"a\nb\n")
    assert model.receive(DLE_EOT_4) == bytes([0x12 | 0x0C | 0x60])


def test_paper_end_mid_job_stops_printing_and_answers_only_real_time_queries():
    model, jobs = model_with(LINE_MM * 1.5)
    answers = model.receive(b"\x1b@first\nsecond\nthird\n" + GS_R_1 + DLE_EOT_2)
    assert answers == bytes([0x12 | 0x20])  # GS r waits (forever): printing has stopped
    assert [job.lines for job in jobs] == [["first"]]
    assert not jobs[0].complete and jobs[0].stopped_reason == "paper end"
    assert model.dropped_bytes == len(b"third\n") + len(GS_R_1)


def test_after_loading_paper_nothing_of_the_stopped_job_comes_back():
    model, jobs = model_with(LINE_MM * 1.5)
    model.receive(b"\x1b@first\nsecond\nthird, half a line")
    model.load_paper(1)
    model.receive(b"next\n\x1dV\x00")
    assert jobs[-1].lines == ["next"] and jobs[-1].cut


def test_paper_ending_inside_a_wrapped_line_keeps_nothing_of_it():
    model, jobs = model_with(LINE_MM * 0.5)
    model.receive(b"\x1b@" + b"x" * 60)  # the wrap at 48 needs paper that is not there
    model.load_paper(1)
    model.receive(b"next\n\x1dV\x00")
    assert jobs[-1].lines == ["next"]


def test_a_line_longer_than_the_paper_wraps_like_a_real_printer():
    model, jobs = model_with(1000)
    model.receive(b"\x1b@" + b"x" * 50 + b"\n\x1dV\x00")
    assert jobs[0].lines == ["x" * 48, "xx"]


def test_cable_pulled_mid_job_ends_the_job_incomplete():
    model, jobs = model_with(1000)
    model.receive(b"\x1b@half\n\x1d(k\x10")  # a QR store command cut off
    model.line_lost()
    assert jobs[0].lines == ["half"] and jobs[0].stopped_reason == "cable unplugged"
    assert model.parser.pending == 0


def test_powered_off_printer_answers_nothing():
    model, _ = model_with(1000)
    model.power(False)
    assert model.receive(DLE_EOT_4) == b""
    model.power(True)
    assert model.receive(DLE_EOT_4) == bytes([0x12])
