"""What EscposJob puts on the wire, where python-escpos 3.1 alone gets Chinese and QR wrong."""

from escpos.printer import Dummy

from kiosk.drivers.printer.job import FS_CHINESE_ON, EscposJob


def test_python_escpos_alone_still_prints_full_width_punctuation_as_question_marks():
    """Canary: when python-escpos fixes this, EscposJob.text can go back to using it."""
    plain = Dummy()
    plain.text("：￥")
    assert b"??" in plain.output


def test_full_width_punctuation_alone_is_sent_as_gb18030():
    job = EscposJob()
    job.text("：￥（）。，")
    assert "：￥（）。，".encode("gb18030") in job.output
    assert b"?" not in job.output


def test_chinese_text_is_preceded_by_fs_ampersand():
    job = EscposJob()
    job.text("社保卡")
    assert job.output == FS_CHINESE_ON + "社保卡".encode("gb18030")


def test_init_turns_chinese_mode_on_once_for_the_whole_job():
    job = EscposJob()
    job.init()
    job.text("社保")
    job.text("卡")
    assert job.output == b"\x1b@" + FS_CHINESE_ON + "社保卡".encode("gb18030")


def test_chinese_mode_is_sent_again_after_a_reset():
    job = EscposJob()
    job.init()
    job.hw("INIT")
    job.text("卡")
    assert job.output.endswith(b"\x1b@" + FS_CHINESE_ON + "卡".encode("gb18030"))


def test_ascii_only_text_needs_no_mode_switch():
    job = EscposJob()
    job.text("Serial 123")
    assert job.output == b"Serial 123"


def test_control_characters_in_text_cannot_inject_commands():
    job = EscposJob()
    job.text("张\x1bi\x1dV\x00三\n")  # ESC i would cut, GS V 0 too
    assert b"\x1b" not in job.output and b"\x1d" not in job.output and b"\x00" not in job.output
    assert job.output.endswith("三\n".encode("gb18030"))


def test_native_qr_sends_gs_paren_k_model_2_error_correction_m_and_the_payload():
    job = EscposJob(native_qr=True)
    job.qr_code("SSV1/ABC", module_dots=6, ec="M")
    out = job.output
    assert b"\x1d(k\x04\x001A2\x00" in out  # model 2
    assert b"\x1d(k\x03\x001C\x06" in out  # module 6 dots
    assert b"\x1d(k\x03\x001E1" in out  # error correction M
    assert b"\x1d(k\x0b\x001P0SSV1/ABC" in out  # store: pL = len + 3
    assert b"\x1d(k\x03\x001Q0" in out  # print
    assert out.startswith(b"\x1ba\x01") and b"\x1dv0" not in out


def test_image_qr_fallback_sends_a_raster_image_no_wider_than_the_symbol():
    job = EscposJob(native_qr=False)
    job.qr_code("SSV1/ABC", module_dots=6, ec="M")
    out = job.output
    assert b"\x1d(k" not in out
    start = out.index(b"\x1dv0")
    width_bytes = out[start + 4] + 256 * out[start + 5]
    assert width_bytes * 8 < 576  # centred by ESC a 1, not padded to the paper width
    assert out.startswith(b"\x1ba\x01")


def test_image_qr_is_sent_at_half_resolution_for_the_printer_to_double():
    halved, full = EscposJob(native_qr=False), EscposJob(native_qr=False)
    halved.qr_code("SSV1/ABC", module_dots=6)
    full.qr_code("SSV1/ABC", module_dots=3)  # odd: cannot be halved
    assert halved.output[halved.output.index(b"\x1dv0") + 3] == 3  # double width and height
    assert full.output[full.output.index(b"\x1dv0") + 3] == 0
    assert len(halved.output) == len(full.output)  # 6-dot modules for the bytes of 3-dot ones
