"""The 256-byte text block of a GA 467 read, in its three layouts.

The block is UCS-2 little endian, each field space padded at a fixed offset. The card
type at offset 248 chooses the layout: a space for the resident ID card, `J` for the
Hong Kong / Macau / Taiwan residence permit, `I` for the foreigner's permanent residence
card. Parsing any 256 bytes gives a document or a `DocumentError`; the error names the
field, never its contents, since those are personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kiosk.domain.identity import IdKind
from kiosk.domain.masking import mask_id_number, mask_name
from kiosk.drivers.id_reader.nations import Nation, nation_by_code

TEXT_LENGTH = 256
NO_EXPIRY = "长期"


class DocumentError(ValueError):
    """The text block is not a well-formed identity document."""


class Sex(StrEnum):
    UNKNOWN = "未知"
    MALE = "男"
    FEMALE = "女"
    UNSTATED = "未说明"

    @property
    def en(self) -> str:
        return {"未知": "unknown", "男": "male", "女": "female", "未说明": "unstated"}[self.value]


SEX_CODES: dict[str, Sex] = {"0": Sex.UNKNOWN, "1": Sex.MALE, "2": Sex.FEMALE, "9": Sex.UNSTATED}
SEX_BY_VALUE: dict[Sex, str] = {sex: code for code, sex in SEX_CODES.items()}


@dataclass(frozen=True)
class Field:
    name: str
    offset: int
    length: int  # bytes; two per character


# field tables, straight from the GA 467 layouts (PROTOCOLS.md section 2)
_COMMON_CHINESE = (
    Field("name", 0, 30),
    Field("sex", 30, 2),
    Field("nation", 32, 4),  # reserved on the permit
    Field("birth_date", 36, 16),
    Field("address", 52, 70),
    Field("id_number", 122, 36),
    Field("issuing_authority", 158, 30),
    Field("valid_from", 188, 16),
    Field("valid_to", 204, 16),
)
TYPE_FIELD = Field("card_type", 248, 2)
RESIDENT_LAYOUT = _COMMON_CHINESE + (TYPE_FIELD,)
PERMIT_LAYOUT = tuple(f for f in _COMMON_CHINESE if f.name != "nation") + (
    Field("pass_number", 220, 18),
    Field("issue_count", 238, 4),
    TYPE_FIELD,
)
FOREIGNER_LAYOUT = (
    Field("english_name", 0, 120),
    Field("sex", 120, 2),
    Field("id_number", 122, 30),
    Field("nationality", 152, 6),
    Field("chinese_name", 158, 30),
    Field("valid_from", 188, 16),
    Field("valid_to", 204, 16),
    Field("birth_date", 220, 16),
    Field("card_version", 236, 4),
    Field("authority_code", 240, 8),
    TYPE_FIELD,
)
TYPE_CODES: dict[str, IdKind] = {
    " ": IdKind.RESIDENT,
    "J": IdKind.HMT_PERMIT,
    "I": IdKind.FOREIGN_PERMANENT,
}
LAYOUTS: dict[IdKind, tuple[Field, ...]] = {
    IdKind.RESIDENT: RESIDENT_LAYOUT,
    IdKind.HMT_PERMIT: PERMIT_LAYOUT,
    IdKind.FOREIGN_PERMANENT: FOREIGNER_LAYOUT,
}


@dataclass(frozen=True, repr=False)
class IdentityDocument:
    kind: IdKind
    name: str  # as printed; for foreigners the Chinese name if the card has one, else the English name
    sex: Sex
    birth_date: date
    id_number: str
    valid_from: date
    valid_to: date | None  # None: 长期, no expiry

    def expired_on(self, day: date) -> bool:
        """The last day printed on the card is still valid."""
        return self.valid_to is not None and day > self.valid_to

    def to_dict(self) -> dict:
        return {
            "doc_type": str(self.kind),
            "name": self.name,
            "sex": str(self.sex),
            "nation": None,
            "birth_date": self.birth_date.isoformat(),
            "address": None,
            "id_number": self.id_number,
            "issuing_authority": None,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
        }

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(name={mask_name(self.name)!r}, "
            f"id_number={mask_id_number(self.id_number)!r}, valid_to={self.valid_to})"
        )

    __str__ = __repr__


@dataclass(frozen=True, repr=False)
class ResidentIdCard(IdentityDocument):
    nation: Nation
    address: str
    issuing_authority: str

    def to_dict(self) -> dict:
        return {
            **super().to_dict(),
            "nation": self.nation.name.zh,
            "address": self.address,
            "issuing_authority": self.issuing_authority,
        }


@dataclass(frozen=True, repr=False)
class HmtResidencePermit(IdentityDocument):
    address: str
    issuing_authority: str
    pass_number: str  # 港澳台居民来往内地通行证号码
    issue_count: int

    def to_dict(self) -> dict:
        return {
            **super().to_dict(),
            "address": self.address,
            "issuing_authority": self.issuing_authority,
            "pass_number": self.pass_number,
            "issue_count": self.issue_count,
        }


@dataclass(frozen=True, repr=False)
class ForeignPermanentResidenceCard(IdentityDocument):
    english_name: str
    chinese_name: str  # may be empty
    nationality: str  # ISO 3166 alpha-3
    card_version: str
    authority_code: str  # 当次申请受理机关代码

    def to_dict(self) -> dict:
        return {
            **super().to_dict(),
            "english_name": self.english_name,
            "chinese_name": self.chinese_name or None,
            "nationality": self.nationality,
            "card_version": self.card_version,
            "authority_code": self.authority_code,
        }


# --- parsing ---------------------------------------------------------------------------


def _field(text: bytes, field: Field) -> str:
    raw = text[field.offset : field.offset + field.length]
    try:
        value = raw.decode("utf-16-le")
    except UnicodeDecodeError:
        raise DocumentError(f"field {field.name} is not UCS-2 text") from None
    return value.strip(" \x00")


def _date(value: str, field: str) -> date:
    if len(value) != 8 or not value.isascii() or not value.isdigit():
        raise DocumentError(f"field {field} is not a YYYYMMDD date")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise DocumentError(f"field {field} is not a calendar date") from None


def _required(fields: dict[str, str], name: str) -> str:
    value = fields[name]
    if not value:
        raise DocumentError(f"field {name} is empty")
    return value


def card_type(text: bytes) -> IdKind:
    if len(text) != TEXT_LENGTH:
        raise DocumentError(f"the text block has {len(text)} bytes, not {TEXT_LENGTH}")
    code = _field(text, TYPE_FIELD) or " "
    kind = TYPE_CODES.get(code)
    if kind is None:
        raise DocumentError(f"unknown card type {code!r}")
    return kind


def parse_text(text: bytes) -> IdentityDocument:
    """The document in a 256-byte text block, or DocumentError."""
    kind = card_type(text)
    fields = {f.name: _field(text, f) for f in LAYOUTS[kind]}
    sex = SEX_CODES.get(fields["sex"])
    if sex is None:
        raise DocumentError("field sex holds an unknown code")
    valid_to_text = _required(fields, "valid_to")
    common = dict(
        kind=kind,
        sex=sex,
        birth_date=_date(fields["birth_date"], "birth_date"),
        id_number=_required(fields, "id_number"),
        valid_from=_date(fields["valid_from"], "valid_from"),
        valid_to=None if valid_to_text == NO_EXPIRY else _date(valid_to_text, "valid_to"),
    )
    if kind is IdKind.FOREIGN_PERMANENT:
        english = _required(fields, "english_name")
        return ForeignPermanentResidenceCard(
            name=fields["chinese_name"] or english,
            english_name=english,
            chinese_name=fields["chinese_name"],
            nationality=_required(fields, "nationality"),
            card_version=fields["card_version"],
            authority_code=fields["authority_code"],
            **common,
        )
    name = _required(fields, "name")
    address = fields["address"]
    authority = _required(fields, "issuing_authority")
    if kind is IdKind.HMT_PERMIT:
        count = fields["issue_count"]
        if not (count.isascii() and count.isdigit()):
            raise DocumentError("field issue_count is not a number")
        return HmtResidencePermit(
            name=name,
            address=address,
            issuing_authority=authority,
            pass_number=_required(fields, "pass_number"),
            issue_count=int(count),
            **common,
        )
    nation = nation_by_code(fields["nation"])
    if nation is None:
        raise DocumentError("field nation holds a code outside GB/T 3304")
    return ResidentIdCard(name=name, nation=nation, address=address, issuing_authority=authority, **common)


# --- encoding (the simulator writes what a real card holds) ----------------------------


def encode_text(kind: IdKind, values: dict[str, str]) -> bytes:
    """A 256-byte text block with `values` (field name -> text as stored) in `kind`'s layout.

    Bytes outside the layout's fields are spaces, as on a real card.
    """
    block = bytearray(" ".encode("utf-16-le") * (TEXT_LENGTH // 2))
    layout = LAYOUTS[kind]
    known = {f.name for f in layout}
    unknown = set(values) - known - {"card_type"}
    if unknown:
        raise ValueError(f"fields {sorted(unknown)} are not in the {kind} layout")
    type_code = next(code for code, k in TYPE_CODES.items() if k is kind)
    for field in layout:
        value = type_code if field is TYPE_FIELD else values.get(field.name, "")
        raw = value.encode("utf-16-le")
        if len(raw) > field.length:
            raise ValueError(f"field {field.name} takes {field.length // 2} characters, not {len(value)}")
        block[field.offset : field.offset + field.length] = raw + " ".encode("utf-16-le") * ((field.length - len(raw)) // 2)
    return bytes(block)


def stored_date(day: date | None) -> str:
    """A date as the card stores it (YYYYMMDD), `长期` for none."""
    return NO_EXPIRY if day is None else day.strftime("%Y%m%d")
