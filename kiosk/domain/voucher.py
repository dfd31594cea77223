"""The voucher (凭证): evidence of what the resident did at the kiosk, with a signed QR code.

A Voucher holds only masked personal data: build one with `Voucher.issue(...)`, which masks
the name and ID number itself; the constructor refuses anything that still looks unmasked.

The QR payload is short so that the printer's native QR holds it in one small code, and uses
only characters of the QR alphanumeric mode (capitals, digits, '-', '/'):

    SSV1/CS01-T01-20261123-0007/APPLY/202611231405/20261124/1234/7QZ3K5L2M4N6P8R2

    SSV1      version tag
    serial    kiosk.offline.sequence format
    service   the service code in capitals, '_' written as '-' (PIN-CHANGE)
    issued    YYYYMMDDHHMM, the terminal's local time
    expected  YYYYMMDD, with a trailing E when it is an estimate, or '-' when there is none
    ID        the last 4 characters of the masked ID number, so the window can match the person
    tag       HMAC-SM3 with the terminal's voucher key over everything before the last '/',
              first 80 bits, base32 (16 characters, no padding)

Any change to any character is rejected: every field is covered by the tag, and every field
has exactly one accepted spelling, so no two payloads verify to the same fields.
"""

from __future__ import annotations

import base64
import dataclasses
import hmac as std_hmac
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Iterable, Mapping

from cryptography.hazmat.primitives import hashes, hmac

from kiosk.domain import completion
from kiosk.domain import services as service_catalogue
from kiosk.domain.masking import MASK, mask_id_number, mask_name, redact
from kiosk.domain.serials import parse_serial
from kiosk.domain.terminal_key import TerminalKey, VoucherKey
from kiosk.i18n import LANGUAGES, Bilingual

VERSION = "SSV1"
VERSION_PATTERN = re.compile(r"SSV[0-9]+")
SEP = "/"
TAG_BYTES = 10  # 80 bits: a 16-character base32 tag with no padding
TAG_CHARS = 16
_SERVICE_FIELD = re.compile(r"[A-Z]+(?:-[A-Z]+)*")
_ISSUED_FIELD = re.compile(r"[0-9]{12}")
_EXPECTED_FIELD = re.compile(r"-|[0-9]{8}E?")
_ID_FIELD = re.compile(r"[0-9A-Z*]{4}")
_TAG_FIELD = re.compile(r"[A-Z2-7]{16}")
_OPTIONAL_TEXTS = ("bank", "pickup", "fee")  # Bilingual or None; absent from vouchers kept before they existed
CLOCK_SKEW = timedelta(minutes=10)  # a window PC's clock may run this far behind the terminal's


class VoucherForged(Exception):
    """A payload that is not an authentic voucher; `reason` says why, for the window staff."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Voucher:
    serial: str
    service: str
    issued_at: datetime
    holder_name: str  # masked
    id_number: str  # masked
    outlet_name: str
    outlet_address: str
    outlet_phone: str
    expected_date: date | None
    expected_is_estimate: bool
    next_steps: tuple[Bilingual, ...]
    uploaded: bool  # False prints "not yet uploaded"
    anti_fraud: Bilingual
    proxy: str | None = None  # masked name and ID number of someone acting for the holder
    # What the resident chose and what it costs, for services that make a card (None elsewhere),
    # the region's hotline, and the language the resident used: the voucher speaks it, with a
    # short Chinese block for the window staff when it is not Chinese (kiosk.printing.voucher_layout).
    bank: Bilingual | None = None
    pickup: Bilingual | None = None
    fee: Bilingual | None = None
    hotline: str | None = None
    language: str = "zh"

    def __post_init__(self) -> None:
        # Messages never repeat the values: they may be the personal data we refuse.
        if MASK not in self.holder_name:
            raise ValueError("Voucher.holder_name must be masked: build vouchers with Voucher.issue(...)")
        if MASK not in self.id_number or redact(self.id_number) != self.id_number or len(self.id_number) < 4:
            raise ValueError("Voucher.id_number must be masked: build vouchers with Voucher.issue(...)")
        if self.proxy is not None and (MASK not in self.proxy or redact(self.proxy) != self.proxy):
            raise ValueError("Voucher.proxy must be masked: build vouchers with Voucher.issue(...)")
        service_catalogue.service(self.service)
        parse_serial(self.serial)
        if self.language not in LANGUAGES:
            raise ValueError(f"Voucher.language must be one of {LANGUAGES}")
        if not isinstance(self.next_steps, tuple):
            object.__setattr__(self, "next_steps", tuple(self.next_steps))

    @classmethod
    def issue(
        cls,
        *,
        serial: str,
        service: str,
        issued_at: datetime,
        holder_name: str,
        id_number: str,
        outlet: Any,  # kiosk.domain.policy.Outlet
        policy: Any,  # kiosk.domain.policy.RegionPolicy
        next_steps: Iterable[Bilingual] | None = None,
        uploaded: bool = False,
        proxy: tuple[str, str] | None = None,  # (name, ID number) of someone acting for the holder
        pickup_method: str | None = None,  # how the card is collected, for services that make one
        bank: str | None = None,  # the bank code chosen, for services that make a card
        fee: Bilingual | None = None,  # the fee line (kiosk.domain.fees), for services that make a card
        language: str = "zh",  # the session's language, which the voucher is printed in
    ) -> Voucher:
        """A voucher from the raw names and ID numbers, which are masked here.

        The expected date comes from kiosk.domain.completion (the policy's time limit for the
        service at this outlet and pickup, counted in the region's working calendar); the next
        steps default to that limit's note. The bank and pickup method are named as the
        policy names them.
        """
        limit = completion.time_limit(policy, service, outlet.id, pickup_method)
        due = limit.due(issued_at, policy.working_calendar()) if limit else None
        if next_steps is None:
            next_steps = (limit.note,) if limit else ()
        return cls(
            serial=serial,
            service=service,
            issued_at=issued_at,
            holder_name=mask_name(holder_name),
            id_number=mask_id_number(id_number),
            outlet_name=outlet.name,
            outlet_address=outlet.address,
            outlet_phone=outlet.phone,
            expected_date=due.date if due else None,
            expected_is_estimate=bool(due and due.estimated),
            next_steps=tuple(next_steps),
            uploaded=uploaded,
            anti_fraud=policy.anti_fraud,
            proxy=f"{mask_name(proxy[0])} {mask_id_number(proxy[1])}" if proxy else None,
            bank=policy.bank(bank).name if bank else None,
            pickup=policy.pickup_method(pickup_method).name if pickup_method else None,
            fee=fee,
            hotline=policy.contacts.hotline,
            language=language,
        )

    def to_record(self) -> dict[str, Any]:
        """The fields as JSON values, kept with the outbox item so that staff can reprint it.

        Only masked data is in it (the constructor saw to that); dates are ISO strings and
        texts {"zh", "en"} objects, which `from_record` reads back."""
        record = dataclasses.asdict(self)
        record["issued_at"] = self.issued_at.isoformat()
        record["expected_date"] = None if self.expected_date is None else self.expected_date.isoformat()
        record["next_steps"] = [dataclasses.asdict(step) for step in self.next_steps]
        return record  # asdict made {"zh", "en"} objects of the other texts too

    @classmethod
    def from_record(cls, record: Mapping[str, Any], *, uploaded: bool) -> Voucher:
        """The voucher `to_record` kept; `uploaded` says what is true now, not when it printed."""
        expected = record.get("expected_date")
        texts = {name: Bilingual(**record[name]) for name in _OPTIONAL_TEXTS if record.get(name)}
        return cls(
            **{
                **record,
                "issued_at": datetime.fromisoformat(record["issued_at"]),
                "expected_date": date.fromisoformat(expected) if expected else None,
                "next_steps": tuple(Bilingual(**step) for step in record["next_steps"]),
                "anti_fraud": Bilingual(**record["anti_fraud"]),
                **texts,
                "uploaded": uploaded,
            }
        )

    @property
    def is_test(self) -> bool:
        return parse_serial(self.serial).test

    @property
    def service_title(self) -> Bilingual:
        return service_catalogue.service(self.service).title

    def qr_payload(self, key: TerminalKey) -> str:
        if self.expected_date is None:
            expected = "-"
        else:
            expected = f"{self.expected_date:%Y%m%d}" + ("E" if self.expected_is_estimate else "")
        fields = [
            VERSION,
            self.serial,
            self.service.upper().replace("_", "-"),
            f"{self.issued_at:%Y%m%d%H%M}",
            expected,
            self.id_number[-4:].upper(),
        ]
        body = SEP.join(fields)
        return body + SEP + _tag(body, key)


def verify_payload(payload: str, key: TerminalKey | VoucherKey, now: datetime | None = None) -> dict[str, Any]:
    """The fields of an authentic payload; VoucherForged with the reason otherwise.

    Nothing is forgiven, not even a scanner's line end: the caller strips what its reader adds.
    A voucher issued after `now` (local time, default the clock's) plus CLOCK_SKEW is refused:
    no terminal issues tomorrow's vouchers, so one that says so was made with a leaked key or
    a terminal clock that is wrong, and either way staff must look.
    """
    if not isinstance(payload, str) or not payload.isascii():
        raise VoucherForged("not a voucher payload")
    text = payload
    version = text.split(SEP, 1)[0]
    if version != VERSION:
        if VERSION_PATTERN.fullmatch(version):
            raise VoucherForged(f"unknown version {version} (this kiosk knows {VERSION})")
        raise VoucherForged("not a voucher payload")
    fields = text.split(SEP)
    if len(fields) != 7 or not _TAG_FIELD.fullmatch(fields[6]):
        raise VoucherForged("not a voucher payload")
    body, tag = text.rsplit(SEP, 1)
    if not std_hmac.compare_digest(_tag(body, key), tag):
        raise VoucherForged("signature does not match: altered or forged")
    try:
        found = _fields(fields)
    except (ValueError, KeyError) as exc:
        # Signed by our key yet malformed: a software fault or a leaked key, never a typo.
        raise VoucherForged(f"signed but malformed: {exc}") from None
    if found["issued_at"] > (now or datetime.now()) + CLOCK_SKEW:
        raise VoucherForged(f"dated in the future ({found['issued_at']:%Y-%m-%d %H:%M}): a terminal clock or key is wrong")
    return found


def _tag(body: str, key: TerminalKey | VoucherKey) -> str:
    mac = hmac.HMAC(key.voucher_mac_key, hashes.SM3())
    mac.update(body.encode("ascii"))
    return base64.b32encode(mac.finalize()[:TAG_BYTES]).decode("ascii")


def _fields(fields: list[str]) -> dict[str, Any]:
    _, serial, service, issued, expected, id_last4, _ = fields
    parts = parse_serial(serial)
    if not _SERVICE_FIELD.fullmatch(service):
        raise ValueError("service field")
    code = service.lower().replace("-", "_")
    service_catalogue.service(code)
    if not _ISSUED_FIELD.fullmatch(issued) or not _EXPECTED_FIELD.fullmatch(expected) or not _ID_FIELD.fullmatch(id_last4):
        raise ValueError("date or ID field")
    issued_at = datetime.strptime(issued, "%Y%m%d%H%M")
    expected_date = None if expected == "-" else datetime.strptime(expected[:8], "%Y%m%d").date()
    return {
        "version": int(VERSION[3:]),
        "serial": serial,
        "test": parts.test,
        "outlet_id": parts.outlet_id,
        "terminal_id": parts.terminal_id,
        "service": code,
        "issued_at": issued_at,
        "expected_date": expected_date,
        "expected_is_estimate": expected.endswith("E"),
        "id_last4": id_last4,
    }
