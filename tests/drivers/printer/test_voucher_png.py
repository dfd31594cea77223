"""The voucher in each language the kiosk speaks, through the driver, the pty and the printer
simulator's native `GS ( k` QR: a scanner (OpenCV's QRCodeDetector) reads the signed payload
off the rendered PNG, and the PNG is kept as the README's picture of the voucher."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.config import PrinterSettings
from kiosk.domain.policy import load_policy
from kiosk.domain.voucher import Voucher, verify_payload
from kiosk.printing.voucher_layout import voucher_job

from .test_voucher_print import decode_qr, print_and_read

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def application_voucher(config, language: str) -> Voucher:
    """A resident's voucher as the application flow keeps it: a bank, a pickup, not yet sent."""
    policy = load_policy(config.region)
    return Voucher.issue(
        serial="CS01-T01-20261203-0007", service="apply", issued_at=datetime(2026, 12, 3, 9, 30),
        holder_name="欧阳娜娜", id_number="11010519491231002X", outlet=policy.outlet(config.outlet_id), policy=policy,
        bank="icbc", pickup_method="on_site", language=language,
    )  # fmt: skip


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_native_qr_on_the_rendered_voucher_decodes_to_its_signed_serial(sim, config, key, language):
    printable = voucher_job(application_voucher(config, language), key, PrinterSettings(native_qr=True))
    assert b"\x1d(k" in printable.job and b"\x1dv0" not in printable.job  # GS ( k, no raster image
    record = print_and_read(sim, printable.job)
    assert record["qr"][0]["content"] == printable.qr_payload and record["images"] == []
    scanned = decode_qr(Path(record["png"]))
    assert scanned == printable.qr_payload
    assert verify_payload(scanned, key, now=datetime(2026, 12, 3, 10, 0))["serial"] == "CS01-T01-20261203-0007"
    assert record["bytes_received"] <= 1024
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy2(record["png"], SCREENSHOTS / f"voucher-{language}.png")
