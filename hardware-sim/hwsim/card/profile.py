"""Card profiles: one TOML file per simulated card (hwsim/card/profiles/*.toml).

A profile holds what is printed into the chip (the SSSE application's EF05 issuer data and
EF06 holder data), how the chip behaves (spec version, PIN and its retry limit, which
READ RECORD forms it accepts, contact or contactless) and what the card centre knows about
the card (`status`, read by the centre simulator; the chip itself does not know it).
A staff card (`applications` with "staff") also has a [staff] table: staff_id and outlet.

The social security number may be given as 17 digits: the GB 11643 check character is
computed. Given as 18 characters it is checked. The birth date and sex default to the ones
in the number. Every problem in a file is reported at once, with the file and the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from hwsim.card.crypto import TEST_RELOAD_KEY, TEST_RKSSSE_KEY
from kiosk.domain.identity import gb11643_check_character
from kiosk.domain.staff_id import is_staff_id

PROFILE_DIR = Path(__file__).resolve().parent / "profiles"

SPEC_VERSIONS = ("1.00", "2.00", "3.00")
RECORD_FORMS = ("tag", "tag_sfi", "recno_sfi", "recno_current")
APPLICATIONS = ("ssse", "pki", "unionpay", "staff")  # staff: the outlet staff application (chip.py)
CENTRE_STATUSES = ("active", "not_activated", "reported_lost", "temporarily_lost", "cancelled")
INTERFACES = ("contact", "contactless")
IDENTIFICATION_CODE_FIXED = bytes.fromhex("D156000005")  # after the 3-byte region, PROTOCOLS.md 1

NAME_BYTES = 30  # tag 09, GBK, space padded
NAME_EXTENSION_BYTES = 20  # tag 4E (2.00 and 3.00 cards)
STAFF_FIELD_BYTES = 16  # the staff application's staff id and outlet records


class ProfileError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class CardProfile:
    name: str  # the file's stem: what `kiosk sim card insert --profile` takes
    description: str
    spec_version: str
    interface: str
    centre_status: str
    applications: tuple[str, ...]
    record_forms: tuple[str, ...]
    pin: str
    pin_retry_limit: int
    pin_tries_left: int
    rksse_key: bytes
    reload_key: bytes
    # EF05
    region_code: str
    chip_serial: bytes  # the last 8 bytes of the card identification code
    card_type: str
    init_org: bytes
    issue_date: date
    expiry_date: date
    card_number: str
    # EF06
    social_security_number: str
    holder_name: str
    sex: int
    nation: int
    birthplace: str
    birth_date: date
    extra: dict[str, Any] = field(default_factory=dict)
    # The outlet staff application (a card the centre issues to outlet staff): who and where.
    staff_id: str = ""
    staff_outlet: str = ""

    @property
    def generation(self) -> int:
        return int(self.spec_version[0])

    @property
    def needs_external_auth(self) -> bool:
        return self.spec_version == "3.00"

    @property
    def card_id_code(self) -> bytes:
        return bytes.fromhex(self.region_code) + IDENTIFICATION_CODE_FIXED + self.chip_serial

    def summary(self) -> dict[str, Any]:
        """What a technician sees in `kiosk sim card profiles`: no full ID number or name."""
        from kiosk.domain.masking import mask_id_number, mask_name

        return {
            "profile": self.name,
            "description": self.description,
            "spec_version": self.spec_version,
            "interface": self.interface,
            "centre_status": self.centre_status,
            "holder": mask_name(self.holder_name),
            "social_security_number": mask_id_number(self.social_security_number),
            "expiry_date": self.expiry_date.isoformat(),
            "pin_retry_limit": self.pin_retry_limit,
            "applications": list(self.applications),
            **({"staff_id": self.staff_id, "outlet": self.staff_outlet} if self.staff_id else {}),
        }


def available_profiles() -> list[str]:
    return sorted(p.stem for p in PROFILE_DIR.glob("*.toml"))


def load_profile(name_or_path: str | Path) -> CardProfile:
    """A profile by name (a file in profiles/) or by path to any TOML file."""
    path = Path(name_or_path)
    if path.suffix != ".toml":
        path = PROFILE_DIR / f"{name_or_path}.toml"
        if not path.exists():
            raise ProfileError(
                [f"no card profile {str(name_or_path)!r} (known: {', '.join(available_profiles())})"]
            )
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError([f"{path}: file not found"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError([f"{path}: not valid TOML: {exc}"]) from None
    return _ProfileReader(path, raw).read()


class _ProfileReader:
    def __init__(self, path: Path, raw: dict[str, Any]) -> None:
        self.path = path
        self.raw = raw
        self.problems: list[str] = []

    def problem(self, key: str, reason: str) -> None:
        self.problems.append(f"{self.path.name}: {key}: {reason}")

    def get(self, table: dict[str, Any], key: str, typ: type, default: Any = None, where: str = "") -> Any:
        full = f"{where}{key}"
        if key not in table:
            if default is None:
                self.problem(full, "missing")
            return default
        value = table[key]
        if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
            self.problem(full, f"must be {typ.__name__}")
            return default
        return value

    def choice(self, table: dict[str, Any], key: str, choices: tuple[str, ...], default: str | None = None) -> str:
        value = self.get(table, key, str, default)
        if value is not None and value not in choices:
            self.problem(key, f"{value!r} is not one of {', '.join(choices)}")
        return value or (default or choices[0])

    def hex_bytes(self, table: dict[str, Any], key: str, length: int, default: bytes | None, where: str = "") -> bytes:
        value = self.get(table, key, str, default.hex() if default is not None else None, where)
        try:
            data = bytes.fromhex(value or "")
        except ValueError:
            self.problem(f"{where}{key}", "must be hex")
            return bytes(length)
        if len(data) != length:
            self.problem(f"{where}{key}", f"must be {length} bytes")
            return bytes(length)
        return data

    def digits(self, table: dict[str, Any], key: str, length: int, where: str) -> str:
        value = self.get(table, key, str, "", where) or ""
        if len(value) != length or not value.isdigit():
            self.problem(f"{where}{key}", f"must be {length} digits")
            return "0" * length
        return value

    def read(self) -> CardProfile:
        raw = self.raw
        known = {
            "description", "spec_version", "interface", "centre_status", "applications", "record_forms",
            "pin", "pin_retry_limit", "pin_tries_left", "rksse_key", "reload_key", "issuer", "holder", "staff",
        }  # fmt: skip
        for key in raw:
            if key not in known:
                self.problem(key, f"unknown key (known: {', '.join(sorted(known))})")
        spec = self.choice(raw, "spec_version", SPEC_VERSIONS)
        interface = self.choice(raw, "interface", INTERFACES, "contact")
        status = self.choice(raw, "centre_status", CENTRE_STATUSES, "active")
        applications = self.names(raw, "applications", APPLICATIONS, ["ssse", "pki", "unionpay"] if spec == "3.00" else ["ssse"])
        forms = self.names(raw, "record_forms", RECORD_FORMS, list(RECORD_FORMS))
        pin = self.get(raw, "pin", str, "123456")
        if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 12):
            self.problem("pin", "must be 4 to 12 digits")
        limit = self.get(raw, "pin_retry_limit", int, 6)
        if limit not in range(1, 16):
            self.problem("pin_retry_limit", "must be 1..15 (the card answers 63Cx, x is one hex digit)")
        tries = self.get(raw, "pin_tries_left", int, limit)
        if not 0 <= tries <= limit:
            self.problem("pin_tries_left", "must be 0..pin_retry_limit")

        issuer = self.table("issuer")
        holder = self.table("holder")
        w = "issuer."
        region = self.digits(issuer, "region_code", 6, w)
        chip_serial = self.hex_bytes(issuer, "chip_serial", 8, None, w)
        card_type = self.get(issuer, "card_type", str, "3", w)
        if len(card_type.encode("ascii", "replace")) != 1:
            self.problem(f"{w}card_type", "must be one ASCII character")
        init_org = self.hex_bytes(issuer, "init_org", 12, bytes(12), w)
        issue_date = self.get(issuer, "issue_date", date, None, w) or date(2000, 1, 1)
        expiry_date = self.get(issuer, "expiry_date", date, None, w) or date(2000, 1, 1)
        card_number = self.get(issuer, "card_number", str, "", w) or ""
        if len(card_number) != 9 or not card_number.isascii() or not card_number.isalnum():
            self.problem(f"{w}card_number", "must be 9 ASCII letters or digits")

        w = "holder."
        ssn = self.ssn(holder)
        name = self.get(holder, "name", str, "", w) or ""
        self.check_name(name, spec)
        birth = self.get(holder, "birth_date", date, _ssn_birth(ssn) or date(2000, 1, 1), w)
        sex = self.get(holder, "sex", int, 1 if int(ssn[16]) % 2 else 2, w)
        if sex not in (1, 2):
            self.problem(f"{w}sex", "must be 1 (male) or 2 (female)")
        nation = self.get(holder, "nation", int, 1, w)
        if not 1 <= nation <= 99:
            self.problem(f"{w}nation", "must be a 2-digit nation code (01 = Han)")
        birthplace = self.get(holder, "birthplace", str, ssn[:6], w)
        if not (birthplace.isdigit() and len(birthplace) in (2, 4, 6)):
            self.problem(f"{w}birthplace", "must be a 2, 4 or 6 digit region code")
        for key in holder:
            if key not in ("social_security_number", "name", "birth_date", "sex", "nation", "birthplace"):
                self.problem(f"{w}{key}", "unknown key")
        for key in issuer:
            if key not in ("region_code", "chip_serial", "card_type", "init_org", "issue_date", "expiry_date", "card_number"):
                self.problem(f"issuer.{key}", "unknown key")

        rksse = self.hex_bytes(raw, "rksse_key", 16, TEST_RKSSSE_KEY)
        reload = self.hex_bytes(raw, "reload_key", 16, TEST_RELOAD_KEY)
        staff_id, staff_outlet = self.staff("staff" in applications)
        if self.problems:
            raise ProfileError(self.problems)
        return CardProfile(
            name=self.path.stem,
            description=self.get(raw, "description", str, ""),
            spec_version=spec,
            interface=interface,
            centre_status=status,
            applications=tuple(applications),
            record_forms=tuple(forms),
            pin=pin,
            pin_retry_limit=limit,
            pin_tries_left=tries,
            rksse_key=rksse,
            reload_key=reload,
            region_code=region,
            chip_serial=chip_serial,
            card_type=card_type,
            init_org=init_org,
            issue_date=issue_date,
            expiry_date=expiry_date,
            card_number=card_number,
            social_security_number=ssn,
            holder_name=name,
            sex=sex,
            nation=nation,
            birthplace=birthplace,
            birth_date=birth,
            staff_id=staff_id,
            staff_outlet=staff_outlet,
        )

    def staff(self, has_application: bool) -> tuple[str, str]:
        """The staff application's records: [staff] staff_id and outlet, both short ASCII."""
        if not has_application:
            if "staff" in self.raw:
                self.problem("staff", "a [staff] table needs \"staff\" in applications")
            return "", ""
        table = self.table("staff")
        values = []
        for key in ("staff_id", "outlet"):
            value = self.get(table, key, str, "", "staff.") or ""
            if not (value.isascii() and value.replace("-", "").isalnum() and 1 <= len(value) <= STAFF_FIELD_BYTES):
                self.problem(f"staff.{key}", f"must be 1 to {STAFF_FIELD_BYTES} ASCII letters, digits or '-'")
            elif key == "staff_id" and not is_staff_id(value):
                self.problem("staff.staff_id", "must be a work number such as S0042 (kiosk/domain/staff_id.py)")
            values.append(value)
        for key in table:
            if key not in ("staff_id", "outlet"):
                self.problem(f"staff.{key}", "unknown key")
        return values[0], values[1]

    def table(self, key: str) -> dict[str, Any]:
        value = self.raw.get(key)
        if not isinstance(value, dict):
            self.problem(key, "missing table")
            return {}
        return value

    def names(self, table: dict[str, Any], key: str, allowed: tuple[str, ...], default: list[str]) -> list[str]:
        value = table.get(key, default)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            self.problem(key, "must be a non-empty list of strings")
            return default
        for v in value:
            if v not in allowed:
                self.problem(key, f"{v!r} is not one of {', '.join(allowed)}")
        return value

    def ssn(self, holder: dict[str, Any]) -> str:
        key = "holder.social_security_number"
        value = self.get(holder, "social_security_number", str, "", "holder.") or ""
        body = value[:17]
        if len(value) not in (17, 18) or not body.isascii() or not body.isdigit():
            self.problem(key, "must be 17 digits (the check character is computed) or 18 characters")
            return "0" * 17 + gb11643_check_character("0" * 17)
        check = gb11643_check_character(body)
        if len(value) == 18 and value[17].upper() != check:
            self.problem(key, "the GB 11643 check character is wrong (give 17 digits to have it computed)")
        return body + check

    def check_name(self, name: str, spec: str) -> None:
        if not name.strip():
            self.problem("holder.name", "missing")
            return
        try:
            size = len(name.encode("gbk"))
        except UnicodeEncodeError:
            self.problem("holder.name", "has characters GBK cannot encode")
            return
        limit = NAME_BYTES + (NAME_EXTENSION_BYTES if spec != "1.00" else 0)
        if size > limit:
            self.problem("holder.name", f"is {size} GBK bytes; a {spec} card holds {limit}")


def _ssn_birth(ssn: str) -> date | None:
    try:
        return date(int(ssn[6:10]), int(ssn[10:12]), int(ssn[12:14]))
    except ValueError:
        return None


def split_name(name: str) -> tuple[bytes, bytes]:
    """The name as the chip holds it: 30 GBK bytes in tag 09, the rest in tag 4E (both space
    padded), never splitting a double-byte character."""
    head = b""
    rest = name
    for i, ch in enumerate(name):
        encoded = ch.encode("gbk")
        if len(head) + len(encoded) > NAME_BYTES:
            rest = name[i:]
            break
        head += encoded
    else:
        rest = ""
    return head.ljust(NAME_BYTES, b" "), rest.encode("gbk").ljust(NAME_EXTENSION_BYTES, b" ") if rest else b""
