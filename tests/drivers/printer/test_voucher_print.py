"""THE KEY TEST: a voucher goes through the driver, the pty and the simulator onto "paper",
and what a scanner reads off the rendered PNG is the signed payload that was sent."""

from datetime import date, datetime
from pathlib import Path

import pytest

from hwsim import kiosk_hooks
from hwsim.printer import PrinterSimulator
from kiosk.config import PrinterSettings
from kiosk.domain.policy import load_policy
from kiosk.domain.voucher import Voucher, verify_payload
from kiosk.drivers.printer import ReceiptPrinter
from kiosk.i18n import bi
from kiosk.printing.guidance_slip import guidance_slip_job
from kiosk.printing.text import display_width
from kiosk.printing.voucher_layout import voucher_job
from tests.support.qr import scan_qr

from .conftest import FAST, wait_for_job


def decode_qr(png: Path) -> str:
    text = scan_qr(png)
    assert text, f"no QR code read in {png}"
    return text


def squeeze(text: str) -> str:
    return "".join(text.split())


def print_and_read(sim: PrinterSimulator, job: bytes, settings: PrinterSettings = FAST) -> dict:
    printer = ReceiptPrinter("sim://printer", settings, resolve=kiosk_hooks.resolve)
    try:
        done = printer.print_job(job)
    finally:
        printer.close()
    assert done.ok, done.reason
    return wait_for_job(sim, 1)


@pytest.mark.parametrize("native_qr", [True, False], ids=["native-gs-k", "raster-image"])
def test_qr_read_from_the_printed_png_is_the_signed_payload(sim, voucher, key, native_qr):
    printable = voucher_job(voucher, key, PrinterSettings(native_qr=native_qr))
    record = print_and_read(sim, printable.job)
    scanned = decode_qr(Path(record["png"]))
    assert scanned == printable.qr_payload
    assert verify_payload(scanned, key)["serial"] == voucher.serial
    if native_qr:
        assert record["qr"][0]["content"] == printable.qr_payload and record["qr"][0]["ec"] == "M"
    else:
        assert record["qr"] == [] and record["images"]


def test_voucher_text_round_trips_in_chinese_even_on_a_printer_without_chinese_at_power_up(voucher, key):
    with PrinterSimulator(chinese_at_power_up=False) as sim:  # FS & must come from us
        record = print_and_read(sim, voucher_job(voucher, key).job)
    lines = record["lines"]
    text = squeeze("".join(lines))
    assert record["unknown_commands"] == []
    assert any(voucher.serial in line for line in lines)
    assert any(voucher.id_number in line for line in lines)
    assert squeeze(voucher.anti_fraud.zh) in text
    assert "凭证号：" in text  # full-width colon after a label, the done screen's word
    assert "请提高警惕。" in text  # full-width full stop
    assert voucher.service_title.zh in lines[0]


def test_not_uploaded_estimated_voucher_says_so(sim, config, key):
    policy = load_policy(config.region)
    voucher = Voucher.issue(
        serial="TEST-CS01-T01-20261123-0042",
        service="reissue",
        issued_at=datetime(2026, 11, 23, 9, 30),
        holder_name="欧阳娜娜",
        id_number="11010519491231002X",
        outlet=policy.outlet(config.outlet_id),
        policy=policy,
        next_steps=[bi("到窗口交费，现场制卡。", "Pay at the window; the card is made while you wait.")],
        uploaded=False,
    )
    voucher = Voucher(**{**voucher.__dict__, "expected_date": date(2027, 1, 4), "expected_is_estimate": True})
    text = squeeze("".join(print_and_read(sim, voucher_job(voucher, key).job)["lines"]))
    assert "2027年1月4日（预计）" in text
    assert "尚未上传" in text
    assert "欧阳**" in text and "欧阳娜娜" not in text
    assert "到窗口交费，现场制卡。" in text


def test_uploaded_voucher_has_no_upload_warning(sim, voucher, key):
    uploaded = Voucher(**{**voucher.__dict__, "uploaded": True})
    text = squeeze("".join(print_and_read(sim, voucher_job(uploaded, key).job)["lines"]))
    assert "尚未上传" not in text


def test_every_voucher_line_fits_the_paper_so_the_printer_never_wraps(sim, voucher, key):
    printable = voucher_job(voucher, key)
    record = print_and_read(sim, printable.job)
    sent_lines = printable.job.count(b"\n")
    assert all(display_width(line) <= 48 for line in record["lines"])
    assert len(record["lines"]) == sent_lines  # one printed line per LF: nothing wrapped


def test_guidance_slip_for_a_window_only_service(sim, config):
    policy = load_policy(config.region)
    job = guidance_slip_job(policy, "unlock", config.outlet_id, datetime(2026, 11, 23, 10, 0))
    record = print_and_read(sim, job)
    text = squeeze("".join(record["lines"]))
    assert squeeze(policy.service("unlock").guidance.zh) in text
    assert "咨询电话Hotline：12333" in text
    assert squeeze(policy.anti_fraud.zh) in text
    assert record["qr"] == [] and record["cut"]


def test_voucher_fits_58mm_paper_when_configured(voucher, key):
    narrow = PrinterSettings(paper_width_dots=384)  # 58 mm: 32 columns
    printable = voucher_job(voucher, key, narrow)
    with PrinterSimulator(paper_dots=384) as sim:
        record = print_and_read(sim, printable.job, PrinterSettings(status_timeout_s=FAST.status_timeout_s))
    assert len(record["lines"]) == printable.job.count(b"\n")
    assert all(display_width(line) <= 32 for line in record["lines"])
    assert decode_qr(Path(record["png"])) == printable.qr_payload
