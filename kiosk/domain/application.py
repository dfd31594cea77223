"""A new-card application (申领) as the kiosk collects it, and the rules of seed 003 1.1.1.

Who applies decides whose documents are needed:
- myself (本人申办): the applicant's own document, aged 16 or more (younger: a guardian applies);
- a minor under 16 (未成年人由监护人代办): the guardian's ID card, plus the child's ID card or
  household register; the photo is optional;
- an adult for another adult (他人代办（成年人）): the proxy's ID card plus the applicant's
  document.
A guardian or proxy must be 18 or more. Pure Python: flows fill it in, tests build it directly.

Images are kept as bytearrays so `wipe()` can overwrite them when the resident leaves;
`repr()` names fields only, never their values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from kiosk.domain.documents import FROM_ID_KIND, DocumentKind
from kiosk.domain.identity import MINOR_AGE
from kiosk.domain.masking import mask_id_number, mask_name
from kiosk.i18n import Bilingual, bi

ADULT_AGE = 18  # a guardian or proxy acts for someone else: a full adult (民法典 第十七条)


class Role(StrEnum):
    SELF = "self"
    MINOR = "minor"  # a guardian applies for a child under 16
    PROXY = "proxy"  # an adult applies for another adult


class Position(StrEnum):
    """Whose document a read or typed document is, within the application."""

    APPLICANT = "applicant"
    GUARDIAN = "guardian"
    PROXY = "proxy"


class Source(StrEnum):
    READER = "reader"
    TYPED = "typed"


@dataclass(frozen=True, repr=False)
class Identity:
    """A person as identified at the kiosk: from the ID reader, or typed from a document."""

    document: DocumentKind
    number: str  # the ID number, or the document's own number for a passport and the like
    name: str  # as printed; typed documents: in Latin letters
    source: Source
    birth_date: date | None = None  # unknown for a typed passport, permit or officer's card
    sex: str | None = None
    address: str | None = None  # the address printed on an ID card or residence permit
    valid_to: date | None = None
    chinese_name: str | None = None  # written at the kiosk for a typed passport or permit

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_number(self) -> str:
        return mask_id_number(self.number)

    def same_person(self, other: Identity | None) -> bool:
        return other is not None and other.number == self.number

    def to_person(self, phone: str | None = None) -> dict[str, Any]:
        """The centre API's Person (docs/centre-api.yaml)."""
        person: dict[str, Any] = {"id_number": self.number, "id_kind": self.document.value, "name": self.name}
        if phone:
            person["phone"] = phone
        if self.address:
            person["address"] = self.address
        if self.chinese_name:
            person["chinese_name"] = self.chinese_name
        return person

    @classmethod
    def from_document(cls, document: Any) -> Identity:
        """From an ID reader's document (kiosk.drivers.id_reader.documents.IdentityDocument)."""
        return cls(
            document=FROM_ID_KIND[document.kind],
            number=document.id_number,
            name=document.name,
            source=Source.READER,
            birth_date=document.birth_date,
            sex=str(document.sex),
            address=getattr(document, "address", None) or None,
            valid_to=document.valid_to,
        )

    def __repr__(self) -> str:
        return f"Identity({self.document.value}, {self.masked_number!r}, {self.source.value})"

    __str__ = __repr__


# --- who may stand where -------------------------------------------------------------

WRONG_CARD: dict[str, Bilingual] = {
    "applicant_is_minor": bi(
        "这张证件的主人不满16周岁，要由监护人代办。请点“上一步”，选择“给孩子办”。",
        "This card belongs to a child under 16: a guardian must apply. Press “Back” and choose “For my child”.",
    ),
    "child_is_not_minor": bi(
        "这张证件的主人已满16周岁，可以本人办理，或选择“代别人办”。",
        "This person is 16 or older: they can apply themselves, or choose “For another adult”.",
    ),
    "helper_too_young": bi(
        "监护人或代办人要年满18周岁。请用大人的身份证。",
        "A guardian or proxy must be 18 or older. Please use an adult's ID card.",
    ),
    "same_person": bi(
        "这是刚才那张证件。请放另一个人的证件。",
        "This is the same card as before. Please use the other person's card.",
    ),
}


def role_problem(role: Role, position: Position, person: Identity, today: date, others: tuple[Identity, ...] = ()) -> str | None:
    """Why `person` cannot stand at `position` in an application of `role` (a WRONG_CARD code), or None.

    A typed passport, permit or officer's card carries no birth date: its holder's age is
    checked at the window, where the original is seen.
    """
    if any(person.same_person(other) for other in others):
        return "same_person"
    age = person.age_on(today)
    if age is None:
        return None
    if position is Position.APPLICANT:
        if role is Role.MINOR and age >= MINOR_AGE:
            return "child_is_not_minor"
        if role is not Role.MINOR and age < MINOR_AGE:
            return "applicant_is_minor"
        return None
    return "helper_too_young" if age < ADULT_AGE else None


def helper_position(role: Role) -> Position | None:
    """Who applies on the applicant's behalf: the guardian, the proxy, or nobody."""
    return {Role.MINOR: Position.GUARDIAN, Role.PROXY: Position.PROXY}.get(role)


# --- the phone number ----------------------------------------------------------------

PHONE_REASON = bi(
    "手机号码是11位数字，以1开头，请核对后重新输入。",
    "A mobile number has 11 digits and starts with 1. Please check it and enter it again.",
)
_MOBILE = re.compile(r"1[3-9][0-9]{9}")


class InvalidPhone(ValueError):
    reason = PHONE_REASON


def parse_mobile_phone(text: object) -> str:
    """An 11-digit mainland mobile number (1[3-9]…), spaces and dashes dropped."""
    digits = re.sub(r"[\s-]", "", text) if isinstance(text, str) else ""
    if not _MOBILE.fullmatch(digits):
        raise InvalidPhone(f"{len(digits)} characters are not a mainland mobile number")
    return digits


# --- collecting the card -------------------------------------------------------------

ON_SITE, OUTLET, POST = "on_site", "outlet", "post"


class AddressSource(StrEnum):
    ID_CARD = "id_card"  # the address printed on the applicant's ID card
    TYPED = "typed"  # written at the kiosk: district and street picked, the rest by hand or pinyin
    AT_WINDOW = "at_window"  # the resident tells the window staff


@dataclass(frozen=True, repr=False)
class Pickup:
    method: str  # a pickup method code of the region policy
    outlet_id: str | None = None  # where to collect it, for OUTLET
    address: str | None = None  # where to post it, for POST
    address_source: AddressSource | None = None

    def to_payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {"method": self.method}
        if self.outlet_id:
            out["outlet_id"] = self.outlet_id
        if self.address_source is not None:
            out["address_source"] = self.address_source.value
        if self.address:
            out["address"] = self.address
        return out

    def __repr__(self) -> str:
        return f"Pickup({self.method!r}, outlet={self.outlet_id!r}, address={'set' if self.address else None})"


# --- the application -----------------------------------------------------------------


class IncompleteApplication(ValueError):
    """Something the rules need is missing; `.missing` names the fields (no values)."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"the application lacks {', '.join(missing)}")


@dataclass(repr=False)
class Application:
    service: str = "apply"
    role: Role | None = None
    applicant: Identity | None = None
    guardian: Identity | None = None
    proxy: Identity | None = None
    photo: bytearray | None = None  # 358x441 JPEG
    scene: bytearray | None = None  # the camera's whole frame, kept as 办理场景影像
    signature: bytearray | None = None  # PNG of the signature drawn on the screen
    bank: str | None = None
    pickup: Pickup | None = None
    phone: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def helper(self) -> Identity | None:
        """The guardian or proxy who stands at the kiosk for the applicant."""
        return self.guardian if self.role is Role.MINOR else self.proxy if self.role is Role.PROXY else None

    @property
    def signer(self) -> Identity | None:
        return self.helper or self.applicant

    @property
    def photo_required(self) -> bool:
        return self.role is not Role.MINOR  # seed 003: a minor's photo is up to them (凭本人意愿)

    def set_helper(self, person: Identity | None) -> None:
        if self.role is Role.MINOR:
            self.guardian = person
        elif self.role is Role.PROXY:
            self.proxy = person

    def missing(self) -> list[str]:
        needed = {"role": self.role, "applicant": self.applicant, "bank": self.bank, "pickup": self.pickup,
                  "phone": self.phone, "signature": self.signature}  # fmt: skip
        if self.role is Role.MINOR:
            needed["guardian"] = self.guardian
        if self.role is Role.PROXY:
            needed["proxy"] = self.proxy
        if self.photo_required:
            needed["photo"] = self.photo
        return [name for name, value in needed.items() if not value]

    def payload(self, *, outlet_id: str, terminal_id: str, voucher_serial: str) -> dict[str, Any]:
        """The body of `POST /v1/applications` (docs/centre-api.yaml), attachments aside."""
        missing = self.missing()
        if missing:
            raise IncompleteApplication(missing)
        body: dict[str, Any] = {
            "service": self.service,
            "role": self.role.value,
            "applicant": self.applicant.to_person(self.phone if self.helper is None else None),
            "bank": self.bank,
            "outlet_id": outlet_id,
            "terminal_id": terminal_id,
            "voucher_serial": voucher_serial,
            "pickup": self.pickup.to_payload(),
        }
        if self.guardian is not None and self.role is Role.MINOR:
            body["guardian"] = self.guardian.to_person(self.phone)
        if self.proxy is not None and self.role is Role.PROXY:
            body["proxy"] = self.proxy.to_person(self.phone)
        return body

    def images(self) -> list[tuple[str, bytes, str]]:
        """(attachment name, bytes, content type) of every image the application carries."""
        out = []
        for name, data, content_type in (
            ("photo", self.photo, "image/jpeg"),
            ("scene", self.scene, "image/jpeg"),
            ("signature", self.signature, "image/png"),
        ):
            if data:
                out.append((name, bytes(data), content_type))
        return out

    def wipe(self) -> None:
        """Overwrite the images and forget everyone: the resident has gone."""
        for data in (self.photo, self.scene, self.signature):
            if data is not None:
                data[:] = bytes(len(data))
        self.photo = self.scene = self.signature = None
        self.applicant = self.guardian = self.proxy = None
        self.phone = None
        self.pickup = None

    def __repr__(self) -> str:
        filled = [name for name in ("role", "applicant", "guardian", "proxy", "photo", "scene", "signature",
                                    "bank", "pickup", "phone") if getattr(self, name)]  # fmt: skip
        return f"Application({self.service}, filled={filled})"
