"""The guidance slip (办事指引) for services only a window can do (unlock, cancel a card, batch
to single): what to bring and where to go, so the resident does not come twice.

It carries no personal data and no QR code: it is a note, not evidence.
"""

from __future__ import annotations

from datetime import datetime

from kiosk.config import PrinterSettings
from kiosk.domain.policy import RegionPolicy
from kiosk.i18n import bi
from kiosk.printing.receipt import Receipt

HEADING = bi("办事指引", "What to do next")
GO_TO_WINDOW = bi("这项业务请到窗口办理。", "This service is done at a service window.")
BRING = bi("请带好", "Please bring")
OUTLET = bi("就近网点", "Nearest outlet")
ADDRESS = bi("地址", "Address")
PHONE = bi("电话", "Phone")
HOTLINE = bi("咨询电话", "Hotline")
CENTRE = bi("社保中心", "Centre")
PRINTED = bi("打印时间", "Printed")


def guidance_slip_job(
    policy: RegionPolicy,
    service: str,
    outlet_id: str,
    printed_at: datetime,
    settings: PrinterSettings | None = None,
) -> bytes:
    """ESC/POS bytes of the slip; KeyError for a service or outlet the policy does not know."""
    rule = policy.service(service)
    outlet = policy.outlet(outlet_id)
    receipt = Receipt(settings or PrinterSettings())
    receipt.title(rule.title.zh)
    receipt.centred(rule.title.en)
    receipt.centred(HEADING.both(" "), bold=True)
    receipt.rule()
    receipt.bilingual(GO_TO_WINDOW, bold=True)
    receipt.rule()
    receipt.paragraph(f"{BRING.zh} {BRING.en}：", bold=True)
    receipt.paragraph(rule.guidance.zh)
    receipt.paragraph(rule.guidance.en)
    receipt.rule()
    receipt.field(OUTLET, outlet.name)
    receipt.field(ADDRESS, outlet.address)
    receipt.field(PHONE, outlet.phone)
    receipt.field(HOTLINE, policy.contacts.hotline, bold_value=True)
    if policy.contacts.centre_phone:
        receipt.field(CENTRE, policy.contacts.centre_phone)
    receipt.rule("=")
    receipt.bilingual(policy.anti_fraud, bold=True)
    receipt.rule("=")
    receipt.field(PRINTED, f"{printed_at:%Y-%m-%d %H:%M}")
    return receipt.finish()
