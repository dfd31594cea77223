"""A resident whose details must never be readable at rest, and the payloads built from them."""

from __future__ import annotations

import os
from datetime import date, datetime

from kiosk.domain.identity import gb11643_check_character
from kiosk.domain.masking import mask_id_number, mask_name
from kiosk.domain.voucher import Voucher
from kiosk.i18n import Bilingual
from kiosk.offline.outbox import Attachment

NAME = "欧阳秀英"
ID_NUMBER = "50011519520314" + "002" + gb11643_check_character("50011519520314002")
PHONE = "13912345678"
ADDRESS = "重庆市长寿区凤城街道桃花街19号"


def application(name: str = NAME, id_number: str = ID_NUMBER) -> dict:
    return {
        "service": "apply",
        "outlet_id": "CS-01",
        "applicant": {"name": name, "id_number": id_number, "phone": PHONE, "address": ADDRESS},
        "bank": "ICBC",
        "pickup": {"method": "outlet", "outlet_id": "CS-01"},
    }


def photo(size: int = 30_000) -> Attachment:
    return Attachment("photo", b"\xff\xd8\xff\xe0PHOTO-OF-" + ID_NUMBER.encode() + os.urandom(size))


def voucher(serial: str = "CS01-T01-20261123-0007") -> Voucher:
    return Voucher(
        serial=serial,
        service="apply",
        issued_at=datetime(2026, 11, 23, 14, 5),
        holder_name=mask_name(NAME),
        id_number=mask_id_number(ID_NUMBER),
        outlet_name="长寿区社保中心",
        outlet_address="长寿区桃源路",
        outlet_phone="023-40241234",
        expected_date=date(2026, 11, 24),
        expected_is_estimate=False,
        next_steps=(Bilingual("请持本凭证到窗口领卡", "Take this voucher to the window for your card"),),
        uploaded=False,
        anti_fraud=Bilingual("社保中心不会发短信链接", "The centre never sends SMS links"),
    )
