"""The voucher (凭证) on 80 mm paper, from kiosk.domain.voucher.Voucher.

The resident takes it to the window or to card pickup; the window scans its QR code, whose
payload is signed with the terminal's key, to tell it from a forgery. Everything on it is
already masked by the Voucher model: this layout adds no personal data of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.config import PrinterSettings
from kiosk.domain.services import service
from kiosk.domain.voucher import Voucher
from kiosk.domain import glossary
from kiosk.i18n import Bilingual, bi
from kiosk.keys import TerminalKey
from kiosk.printing.receipt import Receipt

HEADING = bi("业务凭证", "Service voucher")
TEST_WARNING = bi("测试凭证，不能办理业务", "TEST voucher: not valid for any service")
SERIAL = glossary.SERIAL  # the word the screens and the voice use for it too
TIME = bi("办理时间", "Time")
NAME = bi("姓名", "Name")
ID_NUMBER = bi("证件号码", "ID No.")
PROXY = bi("代办人", "Proxy")
OUTLET = bi("办理网点", "Outlet")
ADDRESS = bi("地址", "Address")
PHONE = bi("电话", "Phone")
EXPECTED = bi("预计办结", "Ready by")
ESTIMATED = bi("预计", "estimated")
NEXT_STEPS = bi("下一步", "Next steps")
NOT_UPLOADED = bi("尚未上传，工作人员会帮您补传。", "Not yet uploaded — staff will complete it.")
QR_CAPTION = bi("到窗口请出示此码", "Show this code at the window")


@dataclass(frozen=True)
class PrintableVoucher:
    job: bytes  # ESC/POS bytes for ReceiptPrinter.print_job
    qr_payload: str  # what the QR code holds


def _date_text(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日 ({day:%Y-%m-%d})"


def voucher_job(
    voucher: Voucher, key: TerminalKey, settings: PrinterSettings | None = None, *,
    heading: Bilingual = HEADING, holder_labels: tuple[Bilingual, Bilingual] = (NAME, ID_NUMBER),
) -> PrintableVoucher:  # fmt: skip
    """`heading` and `holder_labels` (name, ID number) are what a kind of voucher calls its
    holder (kiosk.printing.batch_voucher: the employer's handler)."""
    receipt = Receipt(settings or PrinterSettings())
    title: Bilingual = service(voucher.service).title
    payload = voucher.qr_payload(key)

    receipt.title(title.zh)
    receipt.centred(title.en)
    receipt.centred(heading.both(" "), bold=True)
    if voucher.is_test:
        receipt.centred(TEST_WARNING.zh, bold=True)
        receipt.centred(TEST_WARNING.en)
    receipt.rule()
    receipt.field(SERIAL, voucher.serial, bold_value=True)
    receipt.field(TIME, f"{voucher.issued_at:%Y-%m-%d %H:%M}")
    receipt.field(holder_labels[0], voucher.holder_name)
    receipt.field(holder_labels[1], voucher.id_number)
    if voucher.proxy:
        receipt.field(PROXY, voucher.proxy)
    receipt.rule()
    receipt.field(OUTLET, voucher.outlet_name)
    receipt.field(ADDRESS, voucher.outlet_address)
    receipt.field(PHONE, voucher.outlet_phone)
    if voucher.expected_date is not None:
        expected = _date_text(voucher.expected_date)
        if voucher.expected_is_estimate:
            expected += f"（{ESTIMATED.zh} / {ESTIMATED.en}）"
        receipt.field(EXPECTED, expected, bold_value=True)
    if voucher.next_steps:
        receipt.rule()
        receipt.paragraph(f"{NEXT_STEPS.zh} {NEXT_STEPS.en}：", bold=True)
        for number, step in enumerate(voucher.next_steps, 1):
            receipt.paragraph(f"{number}. {step.zh}", hanging=3)
            receipt.paragraph(step.en, indent=3)
    if not voucher.uploaded:
        receipt.rule()
        receipt.bilingual(NOT_UPLOADED, bold=True)
    receipt.rule("=")
    receipt.bilingual(voucher.anti_fraud, bold=True)
    receipt.rule("=")
    receipt.qr(payload, QR_CAPTION)
    return PrintableVoucher(receipt.finish(), payload)
