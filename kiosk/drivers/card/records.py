"""The SSSE application's basic data: where each field lives and how it is encoded.

EF05 holds the issuer's data, EF06 the holder's (PROTOCOLS.md section 1). Every record is
one TLV: a 1-byte tag, a 1-byte length and the value. Record numbers are not tags: a
card read by record number says in each record's tag what the record holds, so the
reader keys what it read by tag, whatever the numbering.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kiosk.domain.masking import mask_id_number, mask_name
from kiosk.drivers.id_reader.nations import nation_by_code

DF_SSSE = bytes.fromhex("7378312E73682EC9E7BBE1B1A3D5CF")  # "sx1.sh." + GBK 社会保障
EF05, EF06 = 0xEF05, 0xEF06
SFI = {EF05: 5, EF06: 6}
EXTERNAL_AUTH_KEY_ID = 0x0A  # RKSSSE: needed on 3.00 cards before the holder data


class RecordForm(StrEnum):
    """The four READ RECORD forms real readers use (P1, P2 for EF05 / EF06)."""

    TAG = "tag"  # 00 B2 <tag> 00 after SELECT EF
    TAG_SFI = "tag_sfi"  # 00 B2 <tag> 28/30
    RECNO_SFI = "recno_sfi"  # 00 B2 <recno> 2C/34
    RECNO_CURRENT = "recno_current"  # 00 B2 <recno> 04 after SELECT EF

    @property
    def by_tag(self) -> bool:
        return self in (RecordForm.TAG, RecordForm.TAG_SFI)

    @property
    def needs_select(self) -> bool:
        return self in (RecordForm.TAG, RecordForm.RECNO_CURRENT)

    def p2(self, ef: int) -> int:
        sfi = SFI[ef]
        return {
            RecordForm.TAG: 0x00,
            RecordForm.TAG_SFI: sfi << 3,
            RecordForm.RECNO_SFI: sfi << 3 | 0x04,
            RecordForm.RECNO_CURRENT: 0x04,
        }[self]


@dataclass(frozen=True)
class Field:
    tag: int
    ef: int
    length: int
    key: str
    required: bool = True


FIELDS = (
    Field(0x01, EF05, 16, "card_id_code"),
    Field(0x02, EF05, 1, "card_type", required=False),
    Field(0x03, EF05, 4, "spec_version"),
    Field(0x04, EF05, 12, "init_org", required=False),
    Field(0x05, EF05, 4, "issue_date"),
    Field(0x06, EF05, 4, "expiry_date"),
    Field(0x07, EF05, 9, "card_number"),
    Field(0x08, EF06, 18, "social_security_number"),
    Field(0x09, EF06, 30, "name"),
    Field(0x4E, EF06, 20, "name_extension", required=False),
    Field(0x0A, EF06, 1, "sex"),
    Field(0x0B, EF06, 1, "nation"),
    Field(0x0C, EF06, 3, "birthplace", required=False),
    Field(0x0D, EF06, 4, "birth_date"),
)
FIELD_BY_TAG = {f.tag: f for f in FIELDS}


def fields_of(ef: int, spec_version: str | None = None) -> list[Field]:
    """The fields of an EF in record-number order; 1.00 cards have no name extension."""
    return [f for f in FIELDS if f.ef == ef and not (f.tag == 0x4E and spec_version == "1.00")]


class CardDataError(ValueError):
    """A record we cannot decode. The message names the field, never its content."""


def parse_record(raw: bytes) -> tuple[int, bytes]:
    """One TLV record -> (tag, value)."""
    if len(raw) < 2:
        raise CardDataError(f"a record of {len(raw)} bytes has no tag and length")
    tag, length = raw[0], raw[1]
    if length == 0x81 and len(raw) >= 3:  # BER long form, in case a card uses it
        length, value = raw[2], raw[3:]
    else:
        value = raw[2:]
    if len(value) < length:
        name = FIELD_BY_TAG[tag].key if tag in FIELD_BY_TAG else f"tag {tag:02X}"
        raise CardDataError(f"{name}: the record is shorter than its length byte says")
    return tag, value[:length]


def bcd_digits(value: bytes, key: str) -> str:
    text = value.hex().upper().rstrip("F")
    if not text.isdigit():
        raise CardDataError(f"{key}: not BCD digits")
    return text


def bcd_date(value: bytes, key: str) -> date:
    text = bcd_digits(value, key)
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise CardDataError(f"{key}: not a date (YYYYMMDD)") from None


def ascii_text(value: bytes, key: str) -> str:
    try:
        return value.decode("ascii").strip(" \x00")
    except UnicodeDecodeError:
        raise CardDataError(f"{key}: not ASCII") from None


def gbk_text(value: bytes, key: str) -> str:
    try:
        return value.rstrip(b" \x00\xff").decode("gbk").strip()
    except UnicodeDecodeError:
        raise CardDataError(f"{key}: not GBK text") from None


SEXES = {"1": "男", "2": "女"}
GENERATIONS = {"1.00": 1, "2.00": 2, "3.00": 3}


@dataclass(frozen=True, repr=False)
class CardData:
    """The basic data of a social security card. repr() and str() are masked; `to_dict()`
    is the full data for whoever is entitled to it (`masked=True` for logs and screens)."""

    card_id_code: str  # 32 upper-case hex digits
    region_code: str  # the issuing region: the first 3 BCD bytes of the identification code
    card_type: str
    spec_version: str
    generation: int
    init_org: str
    issue_date: date
    expiry_date: date
    card_number: str
    social_security_number: str
    name: str
    sex: str  # 男 / 女
    nation_code: str
    nation: str
    birthplace_code: str
    birth_date: date
    atr: str = ""
    reader: str = ""

    def is_expired_on(self, day: date) -> bool:
        return day > self.expiry_date

    def to_dict(self, masked: bool = False) -> dict:
        return {
            "card_number": self.card_number,
            "social_security_number": mask_id_number(self.social_security_number) if masked else self.social_security_number,
            "name": mask_name(self.name) if masked else self.name,
            "sex": self.sex,
            "nation": self.nation,
            "nation_code": self.nation_code,
            "birth_date": self.birth_date.isoformat(),
            "birthplace_code": self.birthplace_code,
            "spec_version": self.spec_version,
            "generation": self.generation,
            "card_type": self.card_type,
            "issue_date": self.issue_date.isoformat(),
            "expiry_date": self.expiry_date.isoformat(),
            "card_id_code": self.card_id_code,
            "region_code": self.region_code,
            "atr": self.atr,
            "reader": self.reader,
        }

    def __repr__(self) -> str:
        return (
            f"CardData(card_number={self.card_number!r}, social_security_number={mask_id_number(self.social_security_number)!r}, "
            f"name={mask_name(self.name)!r}, spec_version={self.spec_version!r}, expiry_date={self.expiry_date.isoformat()})"
        )

    __str__ = __repr__


def decode(values: dict[int, bytes], *, atr: bytes = b"", reader: str = "") -> CardData:
    """CardData from the raw values by tag; CardDataError names a missing or bad field."""
    missing = [f.key for f in FIELDS if f.required and f.tag not in values]
    if missing:
        raise CardDataError(f"the card did not give {', '.join(missing)}")
    v = values
    card_id = v[0x01]
    if len(card_id) != 16:
        raise CardDataError(f"card_id_code: {len(card_id)} bytes, expected 16")
    spec = ascii_text(v[0x03], "spec_version")
    if spec not in GENERATIONS:
        raise CardDataError(f"spec_version: unknown version {spec!r}")
    nation_code = f"{int(bcd_digits(v[0x0B], 'nation')):02d}"
    nation = nation_by_code(nation_code)
    sex_code = ascii_text(v[0x0A], "sex")
    name = gbk_text(v[0x09], "name") + gbk_text(v.get(0x4E, b""), "name_extension")
    ssn = ascii_text(v[0x08], "social_security_number")
    if len(ssn) != 18:
        raise CardDataError(f"social_security_number: {len(ssn)} characters, expected 18")
    return CardData(
        card_id_code=card_id.hex().upper(),
        region_code=bcd_digits(card_id[:3], "card_id_code"),
        card_type=ascii_text(v.get(0x02, b""), "card_type"),
        spec_version=spec,
        generation=GENERATIONS[spec],
        init_org=v.get(0x04, b"").hex().upper(),
        issue_date=bcd_date(v[0x05], "issue_date"),
        expiry_date=bcd_date(v[0x06], "expiry_date"),
        card_number=ascii_text(v[0x07], "card_number"),
        social_security_number=ssn,
        name=name,
        sex=SEXES.get(sex_code, "未知"),
        nation_code=nation_code,
        nation=nation.name.zh if nation else f"未知({nation_code})",
        birthplace_code=bcd_digits(v[0x0C], "birthplace") if 0x0C in v else "",
        birth_date=bcd_date(v[0x0D], "birth_date"),
        atr=atr.hex().upper(),
        reader=reader,
    )
