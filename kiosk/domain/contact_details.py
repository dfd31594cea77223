"""What a cardholder may change at the kiosk (信息变更, seed 003 section 4): the non-key data,
the postal address and the mobile phone, and the checks a new value must pass.

Key data (name, ID number, sex, birth date, nation) comes from the police's records and is
changed at a service window only (the window-only service `key_info_change`). A new phone
is refused when it is short, is no mainland mobile number, is obviously made up, or is the
one on record already: sending that would change nothing. What the centre keeps of each
part of an address is docs/centre-api.yaml's PostalAddress.
"""

from __future__ import annotations

import re
from enum import StrEnum

from kiosk.domain.masking import MASK
from kiosk.domain.postal_address import PostalAddress
from kiosk.i18n import Bilingual, bi


class Detail(StrEnum):
    """What can be changed at the kiosk."""

    ADDRESS = "address"
    PHONE = "phone"


class IdentifiedBy(StrEnum):
    """How the holder showed who they are (seed 003 4.1: the card or the ID card)."""

    ID_CARD = "id_card"
    CARD_AND_PIN = "card_and_pin"


PHONE_DIGITS = 11
# docs/centre-api.yaml, PostalAddress: the most characters the centre keeps of each part.
ADDRESS_PART_MAX = {"city": 10, "district": 20, "street": 20, "rest": 60}

TOO_FEW_DIGITS = bi("只输入了{typed}位。手机号码是11位数字。", "Only {typed} digits. A mobile number has 11 digits.")
NOT_A_MOBILE = bi(
    "这不是手机号码：手机号码以13到19开头，共11位。", "This is not a mobile number: it has 11 digits and starts with 13 to 19."
)
MADE_UP = bi("这个号码不像真的手机号码，请核对后重新输入。", "This does not look like a real mobile number. Please check it.")
SAME_PHONE = bi("这就是社保中心现在登记的号码，不用变更。", "This is the number the card centre has already: nothing to change.")
ADDRESS_PART_TOO_LONG = bi(
    "地址太长了：社保中心最多保存{limit}个字的{part}。请写短一些。",
    "The address is too long: the card centre keeps at most {limit} characters of the {part}. Please shorten it.",
)
ADDRESS_PARTS = {
    "city": bi("城市", "city"),
    "district": bi("区县", "district"),
    "street": bi("街道或镇", "street or town"),
    "rest": bi("路名门牌", "road and number"),
}
SAME_ADDRESS = bi("这就是社保中心现在登记的地址，不用变更。", "This is the address the card centre has already: nothing to change.")

_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def phone_problem(text: str, on_record: str | None = None) -> Bilingual | None:
    """Why `text` cannot be the new mobile phone, or None when it can."""
    digits = "".join(text.split())
    if len(digits) < PHONE_DIGITS:
        return TOO_FEW_DIGITS.format(typed=len(digits))
    if not _MOBILE.fullmatch(digits):
        return NOT_A_MOBILE
    if len(set(digits[3:])) == 1:  # 13900000000: eight digits the same is never a real subscriber
        return MADE_UP
    if on_record is not None and digits == on_record:
        return SAME_PHONE
    return None


def address_parts(address: PostalAddress) -> dict[str, str]:
    """The address as the centre takes it: its parts, empty ones left out."""
    parts = {"city": address.city, "district": address.district, "street": address.street, "rest": address.rest}
    return {name: value for name, value in parts.items() if value}


def address_problem(address: PostalAddress, on_record: str | None = None) -> Bilingual | None:
    """Why `address` cannot be sent, or None when it can: a part longer than the centre
    keeps, or the very address on record."""
    for name, value in address_parts(address).items():
        if len(value) > ADDRESS_PART_MAX[name]:
            part = ADDRESS_PARTS[name]
            limit = ADDRESS_PART_MAX[name]
            return Bilingual(ADDRESS_PART_TOO_LONG.zh.format(limit=limit, part=part.zh), ADDRESS_PART_TOO_LONG.en.format(limit=limit, part=part.en))
    if on_record is not None and address.text() == on_record:
        return SAME_ADDRESS
    return None


def mask_address(text: str) -> str:
    """An address as shown before its holder asks to see it, and as printed: the first half
    (the city, district and street, which many share) shown, the road and number hidden."""
    shown = len(text) // 2
    return text[:shown] + MASK * (len(text) - shown)
