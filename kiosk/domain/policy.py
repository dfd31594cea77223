"""Region policies: everything region-specific lives in data files, not in code.

A policy is a TOML file in `policies/` (one per region), validated against
`policies/policy.schema.json`. Every problem in a file is reported at once, each with the
file and the path of the bad key, so whoever edits a policy fixes it in one go.
"""

from __future__ import annotations

import copy
import json
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Mapping

import jsonschema

from kiosk.domain import services as service_catalogue
from kiosk.domain.problems import FileProblems, Problem, ProblemCollector
from kiosk.domain.workdays import CalendarOverrides, DayCount, InvalidCalendarTable, WorkingCalendar
from kiosk.i18n import Bilingual, bi

POLICY_DIR = Path(__file__).resolve().parent / "policies"
SCHEMA_PATH = POLICY_DIR / "policy.schema.json"

KIOSK = "kiosk"
WINDOW = "window"
CHANNEL_NAMES = {"online": bi("线上", "online"), "offline": bi("线下网点", "at an outlet")}


def available_regions() -> list[str]:
    return sorted(p.stem for p in POLICY_DIR.glob("*.toml"))


class PolicyError(FileProblems):
    """A policy file with mistakes; `problems` lists every one of them."""


# --- the values a policy is made of ----------------------------------------------------


@dataclass(frozen=True)
class TimeLimit:
    amount: int
    unit: str  # "working_days" | "natural_days" | "hours" | "on_site"
    note: Bilingual
    name: str = ""
    source: str = ""

    def due(self, start: datetime, calendar: WorkingCalendar) -> DayCount:
        return calendar.due(start, self.amount, self.unit)


@dataclass(frozen=True)
class ServiceRule:
    code: str
    where: str  # "kiosk" | "window"
    guidance: Bilingual  # where to go and what to bring
    # outlet kind -> time limit name; "*" applies to every kind
    time_limits: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def at_kiosk(self) -> bool:
        return self.where == KIOSK

    @property
    def title(self) -> Bilingual:
        return service_catalogue.service(self.code).title

    def time_limit_name(self, outlet_kind: str | None = None) -> str | None:
        if outlet_kind in self.time_limits:
            return self.time_limits[outlet_kind]
        return self.time_limits.get("*")


@dataclass(frozen=True)
class Bank:
    code: str
    name: Bilingual


@dataclass(frozen=True)
class PickupMethod:
    code: str
    name: Bilingual
    note: Bilingual | None = None


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    address: str
    phone: str
    kind: str  # "social_security" | "bank" | "bank_instant"
    bank: str | None = None  # partner bank code for bank outlets


@dataclass(frozen=True)
class NamedNumber:
    number: str
    name: Bilingual

    def __str__(self) -> str:
        return self.number


@dataclass(frozen=True)
class Contacts:
    hotline: str
    centre_phone: str | None  # None where the seeds give no centre number (Beijing)
    other: Mapping[str, NamedNumber] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Fees:
    all_free: bool
    note: Bilingual
    upgrade_free_count: int | None = None  # upgrades to the 3rd generation that cost nothing
    upgrade_fee_yuan: Decimal | None = None  # None: the seeds do not say; the window tells

    def upgrade_is_free(self, previous_upgrades: int) -> bool:
        """Whether the next upgrade is free, given how many the person already had."""
        if self.all_free or self.upgrade_free_count is None:
            return self.all_free
        return previous_upgrades < self.upgrade_free_count


@dataclass(frozen=True)
class BatchRules:
    """An employer's batch package: sheet columns and how the images must be named."""

    documents: Bilingual
    sheet_columns: tuple[str, ...]
    id_front: str
    id_back: str
    id_both: str
    photo: str
    photo_width_px: int
    photo_height_px: int
    photo_format: str
    minor_documents: Bilingual

    def image_name(self, kind: str, id_number: str) -> str:
        """The file name for `kind` ("id_front", "id_back", "id_both" or "photo")."""
        if kind not in ("id_front", "id_back", "id_both", "photo"):
            raise ValueError(f"unknown image kind {kind!r}")
        return getattr(self, kind).format(id=id_number)


@dataclass(frozen=True)
class Phase:
    code: str
    name: Bilingual
    starts: date
    start_precision: str  # "day" or "month" (the notice names only the month)
    groups: tuple[str, ...]  # empty: every group
    districts: tuple[str, ...]  # empty: every district
    channels: tuple[str, ...]
    source: str

    def covers(self, district: str, group: str) -> bool:
        return (not self.groups or group in self.groups) and (not self.districts or district in self.districts)

    @property
    def starts_text(self) -> Bilingual:
        d = self.starts
        if self.start_precision == "month":
            return bi(f"{d.year}年{d.month}月", d.strftime("%B %Y"))
        return bi(f"{d.year}年{d.month}月{d.day}日", f"{d.day} {d:%B %Y}")


@dataclass(frozen=True)
class PhaseDecision:
    may_apply: bool
    phase: Phase | None  # the phase in force for this person on that day, else the next one
    opens_on: date | None  # the first day this person could apply
    channels: tuple[str, ...]  # open to this person on that day
    message: Bilingual

    @property
    def kiosk_open(self) -> bool:
        """A kiosk is an offline channel."""
        return self.may_apply and "offline" in self.channels


@dataclass(frozen=True)
class PhasedSchedule:
    groups: Mapping[str, Bilingual]
    districts: tuple[str, ...]
    phases: tuple[Phase, ...]  # sorted by start

    def district(self, name: str) -> str:
        """The district as the policy spells it; "房山" finds "房山区"."""
        name = name.strip()
        for candidate in (name, name + "区"):
            if candidate in self.districts:
                return candidate
        raise ValueError(f"unknown district {name!r} (known: {', '.join(self.districts)})")


@dataclass(frozen=True)
class RegionPolicy:
    code: str
    name: Bilingual
    sources: tuple[str, ...]
    anti_fraud: Bilingual
    contacts: Contacts
    fees: Fees
    time_limits: Mapping[str, TimeLimit]
    services: Mapping[str, ServiceRule]  # in the file's order, which is the menu order
    banks: tuple[Bank, ...]
    pickup_methods: tuple[PickupMethod, ...]
    outlets: tuple[Outlet, ...]
    batch: BatchRules | None
    schedule: PhasedSchedule | None
    calendar: CalendarOverrides
    path: Path

    def service(self, code: str) -> ServiceRule:
        try:
            return self.services[code]
        except KeyError:
            raise KeyError(f"unknown service {code!r}; known: {', '.join(self.services)}") from None

    def kiosk_services(self) -> tuple[str, ...]:
        return tuple(code for code, rule in self.services.items() if rule.at_kiosk)

    def window_services(self) -> tuple[str, ...]:
        return tuple(code for code, rule in self.services.items() if not rule.at_kiosk)

    def time_limit(self, name: str) -> TimeLimit:
        try:
            return self.time_limits[name]
        except KeyError:
            raise KeyError(f"region {self.code} has no time limit {name!r}; known: {', '.join(self.time_limits)}") from None

    def time_limit_for(self, service: str, outlet_id: str | None = None) -> TimeLimit | None:
        """How long `service` takes when applied for at this outlet; None if it has no limit."""
        kind = self.outlet(outlet_id).kind if outlet_id else None
        name = self.service(service).time_limit_name(kind)
        return self.time_limits[name] if name else None

    def working_calendar(self) -> WorkingCalendar:
        return WorkingCalendar(self.calendar)

    def expected_completion(self, service: str, start: datetime, outlet_id: str | None = None) -> DayCount | None:
        """The day `service` applied for at `start` should be done; None if it has no time limit."""
        limit = self.time_limit_for(service, outlet_id)
        return limit.due(start, self.working_calendar()) if limit else None

    def outlet(self, outlet_id: str) -> Outlet:
        for outlet in self.outlets:
            if outlet.id == outlet_id:
                return outlet
        if not self.outlets:
            raise KeyError(f"region {self.code} lists no outlets; add {outlet_id!r} to {self.path}")
        raise KeyError(f"unknown outlet {outlet_id!r} in region {self.code} ({self.outlets[0].id}..{self.outlets[-1].id})")

    def bank(self, code: str) -> Bank:
        for bank in self.banks:
            if bank.code == code:
                return bank
        raise KeyError(f"unknown bank {code!r}; known: {', '.join(b.code for b in self.banks)}")

    def pickup_method(self, code: str) -> PickupMethod:
        for method in self.pickup_methods:
            if method.code == code:
                return method
        raise KeyError(f"unknown pickup method {code!r}; known: {', '.join(m.code for m in self.pickup_methods)}")

    def phase_for(self, district: str, group: str, day: date) -> PhaseDecision:
        """Whether someone of `group` insured in `district` may apply on `day`, and how.

        Regions without a phased schedule let everyone apply through every channel.
        """
        if self.schedule is None:
            return PhaseDecision(True, None, None, tuple(CHANNEL_NAMES), bi("现在可以申领。", "You can apply now."))
        schedule = self.schedule
        district = schedule.district(district)
        if group not in schedule.groups:
            raise ValueError(f"unknown group {group!r} (known: {', '.join(schedule.groups)})")
        matching = [p for p in schedule.phases if p.covers(district, group)]
        if not matching:
            return PhaseDecision(
                False, None, None, (), bi("还没有公布您的换发时间，请拨打12333咨询。", "No date has been announced for you yet; call 12333.")
            )
        started = [p for p in matching if p.starts <= day]
        if not started:
            upcoming = matching[0]
            when = upcoming.starts_text
            message = bi(
                f"您从{when.zh}起可以申领（{upcoming.name.zh}）。",
                f"You can apply from {when.en} ({upcoming.name.en}).",
            )
            return PhaseDecision(False, upcoming, upcoming.starts, (), message)
        current, first = started[-1], started[0]
        channels = tuple(c for c in CHANNEL_NAMES if any(c in p.channels for p in started))
        how = bi("、".join(CHANNEL_NAMES[c].zh for c in channels), " or ".join(CHANNEL_NAMES[c].en for c in channels))
        message = bi(
            f"您现在可以申领（{current.name.zh}，{current.starts_text.zh}起）。办理渠道：{how.zh}。",
            f"You can apply now ({current.name.en}, from {current.starts_text.en}), {how.en}.",
        )
        return PhaseDecision(True, current, first.starts, channels, message)


# --- loading ---------------------------------------------------------------------------


def policy_path(region: str) -> Path:
    return POLICY_DIR / f"{region}.toml"


def load_policy(region: str) -> RegionPolicy:
    """The policy of `region` (a file name in policies/, without .toml)."""
    path = policy_path(region)
    if region not in available_regions():
        known = ", ".join(available_regions())
        raise PolicyError([Problem(str(path), "-", f"unknown region {region!r} (known: {known})")])
    return load_policy_file(path)


def load_policy_file(path: str | Path) -> RegionPolicy:
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        raise PolicyError([Problem(str(path), "-", "file not found")]) from None
    return _load_cached(path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _load_cached(path: Path, mtime_ns: int, size: int) -> RegionPolicy:
    name = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError([Problem(name, "-", f"cannot be read: {exc}")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError([Problem(name, "-", f"not valid TOML: {exc}")]) from None
    problems = [Problem(name, key, reason) for key, reason in schema_problems(raw)]
    if problems:
        raise PolicyError(problems)
    builder = _Builder(path, raw)
    policy = builder.build()
    if builder.problems:
        raise PolicyError(builder.problems)
    return policy


@lru_cache(maxsize=1)
def policy_schema() -> dict[str, Any]:
    """The schema file, plus the service codes from kiosk/domain/services.py, so a policy
    must place every known service and cannot name an unknown one."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    codes = [s.code for s in service_catalogue.SERVICES]
    services = schema["properties"]["services"]
    services["required"] = codes
    services["propertyNames"] = {"enum": codes}
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def schema_problems(raw: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(key path, reason) for every way `raw` breaks the schema."""
    instance = _json_ready(raw)
    validator = jsonschema.Draft202012Validator(policy_schema())
    found: list[tuple[str, str]] = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path]):
        found.extend(_describe(error, instance))
    return found


def _json_ready(value: Any) -> Any:
    """TOML dates become ISO strings: JSON Schema knows no date type."""
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _key_path(parts: Iterable[Any]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "-"


def _owner(instance: Any, parts: list[Any]) -> str:
    """' (outlet CS-24)' when the bad key sits inside an array entry that has an id or code."""
    label, node = "", instance
    for i, part in enumerate(parts):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, int) and isinstance(node, dict):
            ident = node.get("id") or node.get("code")
            if isinstance(ident, str):
                label = f" ({str(parts[i - 1]).rstrip('s') if i else 'entry'} {ident})"
    return label


def _describe(error: jsonschema.ValidationError, instance: Any) -> list[tuple[str, str]]:
    parts = list(error.absolute_path)
    where = _key_path(parts)
    owner = _owner(instance, parts)
    hint = error.schema.get("x-hint") if isinstance(error.schema, dict) else None
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return [(_key_path([*parts, missing]), f"missing{owner}")]
    if kind == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        extras = [k for k in error.instance if k not in known]
        return [(_key_path([*parts, k]), f"unknown key (known: {', '.join(known)}){owner}") for k in extras]
    if "propertyNames" in error.schema_path:
        key = _key_path([*parts, error.instance])
        allowed = error.schema.get("enum")
        if not allowed:
            return [(key, f"{error.instance!r} is not a valid name: lower-case letters, digits and '_'")]
        what = "service code" if parts == ["services"] else "name"
        return [(key, f"unknown {what} {error.instance!r} (known: {', '.join(allowed)})")]
    if kind == "pattern":
        reason = f"{error.instance!r} is not valid" + (f": {hint}" if hint else "")
    elif kind == "enum":
        reason = f"{error.instance!r} is not one of {', '.join(map(repr, error.validator_value))}"
    elif kind == "oneOf" and hint:
        reason = f"must be {hint}"
    else:
        reason = error.message + (f" ({hint})" if hint else "")
    return [(where, reason + owner)]


class _Builder(ProblemCollector):
    """Turns a schema-valid table into a RegionPolicy and checks what a schema cannot:
    references between sections, duplicates, dates."""

    def __init__(self, path: Path, raw: dict[str, Any]) -> None:
        super().__init__(path)
        self.raw = raw

    def build(self) -> RegionPolicy:
        raw = self.raw
        if raw["code"] != self.path.stem:
            self.problem("code", f"{raw['code']!r} must match the file name {self.path.stem!r}")
        time_limits = self.time_limits()
        banks = tuple(Bank(b["code"], _bi(b["name"])) for b in raw["banks"])
        self.unique("banks", [b.code for b in banks], "code")
        pickups = tuple(
            PickupMethod(m["code"], _bi(m["name"]), _bi(m["note"]) if "note" in m else None) for m in raw["pickup_methods"]
        )
        self.unique("pickup_methods", [m.code for m in pickups], "code")
        outlets = self.outlets({b.code for b in banks})
        return RegionPolicy(
            code=raw["code"],
            name=_bi(raw["name"]),
            sources=tuple(raw["sources"]),
            anti_fraud=_bi(raw["anti_fraud"]),
            contacts=self.contacts(),
            fees=self.fees(),
            time_limits=time_limits,
            services=self.services(time_limits),
            banks=banks,
            pickup_methods=pickups,
            outlets=outlets,
            batch=self.batch(),
            schedule=self.schedule(),
            calendar=self.calendar(),
            path=self.path,
        )

    def unique(self, section: str, values: list[str], key: str) -> None:
        seen: set[str] = set()
        for i, value in enumerate(values):
            if value in seen:
                self.problem(f"{section}[{i}].{key}", f"{value!r} appears twice")
            seen.add(value)

    def time_limits(self) -> Mapping[str, TimeLimit]:
        limits = {}
        for name, t in self.raw["time_limits"].items():
            if t["unit"] == "on_site" and t["amount"] != 0:
                self.problem(f"time_limits.{name}.amount", "must be 0 when unit = \"on_site\"")
            if t["unit"] != "on_site" and t["amount"] == 0:
                self.problem(f"time_limits.{name}.amount", "must be more than 0 (or use unit = \"on_site\")")
            limits[name] = TimeLimit(t["amount"], t["unit"], _bi(t["note"]), name, t.get("source", ""))
        return MappingProxyType(limits)

    def services(self, time_limits: Mapping[str, TimeLimit]) -> Mapping[str, ServiceRule]:
        rules = {}
        for code, s in self.raw["services"].items():
            limit = s.get("time_limit")
            by_kind = {"*": limit} if isinstance(limit, str) else dict(limit or {})
            for kind, name in by_kind.items():
                if name not in time_limits:
                    key = f"services.{code}.time_limit" + ("" if kind == "*" else f".{kind}")
                    self.problem(key, f"no time limit {name!r} (known: {', '.join(time_limits)})")
            rules[code] = ServiceRule(code, s["where"], _bi(s["guidance"]), MappingProxyType(by_kind))
        return MappingProxyType(rules)

    def outlets(self, bank_codes: set[str]) -> tuple[Outlet, ...]:
        outlets = []
        for i, o in enumerate(self.raw["outlets"]):
            bank = o.get("bank")
            if o["kind"] == "social_security" and bank:
                self.problem(f"outlets[{i}].bank", f"a social security outlet has no bank (outlet {o['id']})")
            if o["kind"] != "social_security" and not bank:
                self.problem(f"outlets[{i}].bank", f"missing: a bank outlet names its bank (outlet {o['id']})")
            if bank and bank not in bank_codes:
                self.problem(f"outlets[{i}].bank", f"unknown bank {bank!r} (known: {', '.join(sorted(bank_codes))})")
            outlets.append(Outlet(o["id"], o["name"], o["address"], o["phone"], o["kind"], bank))
        self.unique("outlets", [o.id for o in outlets], "id")
        return tuple(outlets)

    def contacts(self) -> Contacts:
        c = self.raw["contacts"]
        other = {k: NamedNumber(v["number"], _bi(v["name"])) for k, v in c.get("other", {}).items()}
        return Contacts(c["hotline"], c.get("centre_phone"), MappingProxyType(other))

    def fees(self) -> Fees:
        f = self.raw["fees"]
        if f["all_free"] and ("upgrade_free_count" in f or "upgrade_fee_yuan" in f):
            self.problem("fees", "all_free = true leaves no room for upgrade_free_count or upgrade_fee_yuan")
        amount = f.get("upgrade_fee_yuan")
        return Fees(f["all_free"], _bi(f["note"]), f.get("upgrade_free_count"), Decimal(str(amount)) if amount else None)

    def batch(self) -> BatchRules | None:
        b = self.raw.get("batch")
        if b is None:
            return None
        return BatchRules(
            documents=_bi(b["documents"]),
            sheet_columns=tuple(b["sheet_columns"]),
            id_front=b["id_front"],
            id_back=b["id_back"],
            id_both=b["id_both"],
            photo=b["photo"],
            photo_width_px=b["photo_width_px"],
            photo_height_px=b["photo_height_px"],
            photo_format=b["photo_format"],
            minor_documents=_bi(b["minor_documents"]),
        )

    def schedule(self) -> PhasedSchedule | None:
        s = self.raw.get("phased_schedule")
        if s is None:
            return None
        districts = tuple(s["districts"])
        phases = []
        for i, p in enumerate(s["phases"]):
            key = f"phased_schedule.phases[{i}]"
            starts = p["starts"]
            if not isinstance(starts, date) or isinstance(starts, datetime):
                self.problem(f"{key}.starts", "must be a TOML date such as 2025-02-01")
                continue
            precision = p.get("start_precision", "day")
            if precision == "month" and starts.day != 1:
                self.problem(f"{key}.starts", "a month-precision start is written as the 1st of the month")
            for g in p["groups"]:
                if g not in s["groups"]:
                    self.problem(f"{key}.groups", f"unknown group {g!r} (known: {', '.join(s['groups'])})")
            for d in p["districts"]:
                if d not in districts:
                    self.problem(f"{key}.districts", f"unknown district {d!r}: add it to phased_schedule.districts")
            phases.append(
                Phase(p["code"], _bi(p["name"]), starts, precision, tuple(p["groups"]), tuple(p["districts"]), tuple(p["channels"]), p["source"])
            )
        self.unique("phased_schedule.phases", [p.code for p in phases], "code")
        groups = MappingProxyType({k: _bi(v) for k, v in s["groups"].items()})
        return PhasedSchedule(groups, districts, tuple(sorted(phases, key=lambda p: p.starts)))

    def calendar(self) -> CalendarOverrides:
        try:
            return CalendarOverrides.from_table(copy.deepcopy(self.raw.get("calendar", {})))
        except InvalidCalendarTable as exc:
            for text in exc.problems:
                key, sep, reason = text.partition(": ")
                self.problem(key if sep else "calendar", reason if sep else text)
            return CalendarOverrides()


def _bi(table: Mapping[str, str]) -> Bilingual:
    return Bilingual(table["zh"], table["en"])
