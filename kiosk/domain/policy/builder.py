"""From a schema-valid policy table to a RegionPolicy, with the checks a schema cannot make."""

from __future__ import annotations

import copy
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from kiosk.domain.policy.model import (
    EVERY_KIND,
    Bank,
    BatchRules,
    Contacts,
    Fees,
    NamedNumber,
    Outlet,
    OutletKind,
    PickupMethod,
    RegionPolicy,
    ServicePlace,
    ServiceRule,
    TimeLimit,
)
from kiosk.domain.policy.phases import Channel, Phase, PhasedSchedule, StartPrecision
from kiosk.domain.problems import ProblemCollector
from kiosk.domain.workdays import CalendarOverrides, InvalidCalendarTable, TimeUnit
from kiosk.i18n import Bilingual


class PolicyBuilder(ProblemCollector):
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
        banks = tuple(Bank(b["code"], _bi(b["name"]), tuple(b.get("aliases", ()))) for b in raw["banks"])
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
            unit = TimeUnit(t["unit"])
            if unit is TimeUnit.ON_SITE and t["amount"] != 0:
                self.problem(f"time_limits.{name}.amount", f"must be 0 when unit = \"{TimeUnit.ON_SITE}\"")
            if unit is not TimeUnit.ON_SITE and t["amount"] == 0:
                self.problem(f"time_limits.{name}.amount", f"must be more than 0 (or use unit = \"{TimeUnit.ON_SITE}\")")
            limits[name] = TimeLimit(t["amount"], unit, _bi(t["note"]), name, t.get("source", ""))
        return MappingProxyType(limits)

    def services(self, time_limits: Mapping[str, TimeLimit]) -> Mapping[str, ServiceRule]:
        rules = {}
        for code, s in self.raw["services"].items():
            limit = s.get("time_limit")
            by_kind = {EVERY_KIND: limit} if isinstance(limit, str) else {OutletKind(k): v for k, v in (limit or {}).items()}
            for kind, name in by_kind.items():
                if name not in time_limits:
                    key = f"services.{code}.time_limit" + ("" if kind == EVERY_KIND else f".{kind}")
                    self.problem(key, f"no time limit {name!r} (known: {', '.join(time_limits)})")
            rules[code] = ServiceRule(code, ServicePlace(s["where"]), _bi(s["guidance"]), MappingProxyType(by_kind))
        return MappingProxyType(rules)

    def outlets(self, bank_codes: set[str]) -> tuple[Outlet, ...]:
        outlets = []
        for i, o in enumerate(self.raw["outlets"]):
            bank = o.get("bank")
            kind = OutletKind(o["kind"])
            if kind is OutletKind.SOCIAL_SECURITY and bank:
                self.problem(f"outlets[{i}].bank", f"a social security outlet has no bank (outlet {o['id']})")
            if kind is not OutletKind.SOCIAL_SECURITY and not bank:
                self.problem(f"outlets[{i}].bank", f"missing: a bank outlet names its bank (outlet {o['id']})")
            if bank and bank not in bank_codes:
                self.problem(f"outlets[{i}].bank", f"unknown bank {bank!r} (known: {', '.join(sorted(bank_codes))})")
            outlets.append(Outlet(o["id"], o["name"], o["address"], o["phone"], kind, bank, o.get("name_en")))
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
            **{k: b[k] for k in ("household_own", "household_change") if k in b},
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
            precision = StartPrecision(p.get("start_precision", StartPrecision.DAY))
            if precision is StartPrecision.MONTH and starts.day != 1:
                self.problem(f"{key}.starts", "a month-precision start is written as the 1st of the month")
            for g in p["groups"]:
                if g not in s["groups"]:
                    self.problem(f"{key}.groups", f"unknown group {g!r} (known: {', '.join(s['groups'])})")
            for d in p["districts"]:
                if d not in districts:
                    self.problem(f"{key}.districts", f"unknown district {d!r}: add it to phased_schedule.districts")
            phases.append(
                Phase(p["code"], _bi(p["name"]), starts, precision, tuple(p["groups"]), tuple(p["districts"]), tuple(map(Channel, p["channels"])), p["source"])
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
