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
BANK = bi("银行", "Bank")
PICKUP = bi("领卡方式", "How to collect")
OUTLET = bi("办理网点", "Outlet")
PHONE = bi("电话", "Phone")
HOTLINE = bi("咨询电话", "Hotline")
EXPECTED = bi("预计办结", "Ready by")
ESTIMATED = bi("预计", "estimated")
NEXT_STEPS = bi("下一步", "Next")
NOT_UPLOADED = bi("尚未上传，工作人员会帮您补传。", "Not yet uploaded — staff will complete it.")
QR_CAPTION = bi("到窗口请出示此码", "Show this code at the window")
NOT_UPLOADED_SHORT = "尚未上传"  # the window's own block: staff know what to do
FOR_THE_WINDOW = "窗口核对"  # the staff's own block on a voucher in another language: Chinese only


@dataclass(frozen=True)
class PrintableVoucher:
    job: bytes  # ESC/POS bytes for ReceiptPrinter.print_job
    qr_payload: str  # what the QR code holds


def _date_text(day, language: str) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if language == "zh" else f"{day:%Y-%m-%d}"


def voucher_job(
    voucher: Voucher, key: TerminalKey, settings: PrinterSettings | None = None, *,
    heading: Bilingual = HEADING, holder_labels: tuple[Bilingual, Bilingual] = (NAME, ID_NUMBER),
) -> PrintableVoucher:  # fmt: skip
    """`heading` and `holder_labels` (name, ID number) are what a kind of voucher calls its
    holder (kiosk.printing.batch_voucher: the employer's handler).

    Everything for the resident is in the voucher's language, once; the voucher number and
    the first next step are double height. A voucher in English adds a short Chinese block for
    the window staff (the service, the bank, the pickup, the fee)."""
    receipt = Receipt(settings or PrinterSettings())
    lang = voucher.language
    title: Bilingual = service(voucher.service).title
    payload = voucher.qr_payload(key)

    warning = [TEST_WARNING.get(lang)] if voucher.is_test else []
    receipt.title(title.get(lang), heading.get(lang), *warning)
    receipt.gap()
    receipt.labelled(SERIAL.get(lang), voucher.serial, bold_value=True, tall=True)
    receipt.labelled(TIME.get(lang), f"{voucher.issued_at:%Y-%m-%d %H:%M}")
    receipt.labelled(holder_labels[0].get(lang), voucher.holder_name)
    receipt.labelled(holder_labels[1].get(lang), voucher.id_number)
    if voucher.proxy:
        receipt.labelled(PROXY.get(lang), voucher.proxy)
    if voucher.bank:
        receipt.labelled(BANK.get(lang), voucher.bank.get(lang))
    if voucher.pickup:
        receipt.labelled(PICKUP.get(lang), voucher.pickup.get(lang))
    if voucher.fee:
        receipt.paragraph(voucher.fee.get(lang), hanging=2)
    if voucher.expected_date is not None:
        expected = _date_text(voucher.expected_date, lang)
        if voucher.expected_is_estimate:
            expected += f"（{ESTIMATED.get(lang)}）"
        receipt.labelled(EXPECTED.get(lang), expected, bold_value=True)
    if voucher.next_steps:
        receipt.gap()
        receipt.paragraph(f"{NEXT_STEPS.get(lang)}{'：' if lang == 'zh' else ':'}", bold=True)
        first, *others = voucher.next_steps
        receipt.paragraph(first.get(lang), bold=True, tall=True)
        for step in others:
            receipt.paragraph(f"- {step.get(lang)}", hanging=2)
    if not voucher.uploaded:
        receipt.paragraph(NOT_UPLOADED.get(lang), bold=True)
    receipt.gap()
    receipt.labelled(OUTLET.get(lang), voucher.outlet_name)
    receipt.labelled(PHONE.get(lang), voucher.outlet_phone)
    if voucher.hotline:
        receipt.labelled(HOTLINE.get(lang), voucher.hotline, bold_value=True)
    receipt.gap()
    receipt.paragraph(voucher.anti_fraud.get(lang), bold=True)
    if lang != "zh":
        _for_the_window(receipt, voucher, title)
    receipt.qr(payload, QR_CAPTION.get(lang))
    return PrintableVoucher(receipt.finish(), payload)


def _for_the_window(receipt: Receipt, voucher: Voucher, title: Bilingual) -> None:
    """What the window staff read first, in Chinese: the service, what was chosen (a bank's
    and a pickup method's names say what they are) and whether they must upload it."""
    receipt.gap()
    facts = [title.zh] + [value.zh for value in (voucher.bank, voucher.pickup) if value]
    if not voucher.uploaded:
        facts.append(NOT_UPLOADED_SHORT)
    receipt.paragraph(f"{FOR_THE_WINDOW}：" + "，".join(facts), hanging=2)
    if voucher.fee:
        receipt.paragraph(voucher.fee.zh, hanging=2)
