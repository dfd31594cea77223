"""The audit catalogue (events.toml) as Python: the events, their fields and the field types.

The catalogue is data so that adding an event is one table, and so that docs/audit-events.md
can be rendered from the same file the code checks against. The set of field types is closed
here, in code: each type is a closed list of values, a count, or a short lowercase code, and
none of them can carry a name, an ID number, a phone number or a PIN.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any, Callable, Mapping

from kiosk.domain.serials import SERIAL
from kiosk.domain.staff_id import is_staff_id
from kiosk.domain.services import BY_CODE as SERVICES

CATALOGUE = "events.toml"
INIT, COMPLETE = "-init", "-complete"

# A code: starts with a lowercase letter, then lowercase letters, digits, '_' or '-'. It cannot
# spell a Chinese name, and an ID or phone number (which starts with a digit) is refused.
_CODE = re.compile(r"[a-z][a-z0-9_-]{0,39}")
_VERSION = re.compile(r"[0-9]{1,4}(\.[0-9A-Za-z]{1,12}){1,4}([+~-][0-9A-Za-z.]{1,20})?")
# Masked: some letters or digits, at least three '*', at most four more at the end.
_MASKED = re.compile(r"[0-9A-Za-z]{0,4}\*{3,}[0-9A-Za-z]{0,4}")


class FieldType(StrEnum):
    """The closed set of things an audit field may hold."""

    SERVICE = "service"
    DEVICE = "device"
    STATE = "state"
    OUTCOME = "outcome"
    ACTION = "action"
    SLOT = "slot"
    COUNT = "count"
    REASON = "reason"
    KIND = "kind"
    SCREEN = "screen"
    VERSION = "version"
    SERIAL = "serial"
    SERIAL_MASKED = "serial-masked"
    STAFF = "staff"


def _matches(pattern: re.Pattern[str]) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, str) and pattern.fullmatch(value) is not None


_CHECKS: dict[FieldType, Callable[[Any], bool]] = {
    FieldType.SERVICE: lambda value: isinstance(value, str) and value in SERVICES,
    FieldType.COUNT: lambda value: isinstance(value, int) and not isinstance(value, bool) and value >= 0,
    FieldType.REASON: _matches(_CODE),
    FieldType.KIND: _matches(_CODE),
    FieldType.SCREEN: _matches(_CODE),
    FieldType.VERSION: _matches(_VERSION),
    FieldType.SERIAL: _matches(SERIAL),
    FieldType.SERIAL_MASKED: _matches(_MASKED),
    FieldType.STAFF: is_staff_id,
}
LISTED = frozenset({FieldType.DEVICE, FieldType.STATE, FieldType.OUTCOME, FieldType.ACTION, FieldType.SLOT})
"""Types whose values the catalogue lists."""


class CatalogueError(ValueError):
    """events.toml does not describe a usable catalogue (a test catches this at once)."""


@dataclass(frozen=True)
class TypeSpec:
    type: FieldType
    means: str
    values: tuple[str, ...] = ()  # the closed list, for LISTED types

    def accepts(self, value: Any) -> bool:
        if self.type in LISTED:
            return isinstance(value, str) and value in self.values
        return _CHECKS[self.type](value)


@dataclass(frozen=True)
class EventSpec:
    id: str
    means: str
    by: str
    fields: Mapping[str, FieldType]
    optional: frozenset[str] = frozenset()
    pair: bool = False
    fold: bool = False

    @property
    def written_ids(self) -> tuple[str, ...]:
        """The event ids as they appear in the trail."""
        return (self.id + INIT, self.id + COMPLETE) if self.pair else (self.id,)


@dataclass(frozen=True)
class Catalogue:
    types: Mapping[FieldType, TypeSpec]
    events: Mapping[str, EventSpec]

    def event(self, event_id: str) -> EventSpec:
        try:
            return self.events[event_id]
        except KeyError:
            raise ValueError(f"no audit event {event_id!r} in the catalogue") from None

    def check(self, spec: EventSpec, fields: Mapping[str, Any]) -> dict[str, Any]:
        """The fields, in catalogue order, or ValueError naming every unknown, missing or bad one."""
        problems = [f"unknown field {name!r}" for name in fields if name not in spec.fields]
        problems += [
            f"missing field {name!r}" for name in spec.fields if name not in fields and name not in spec.optional
        ]
        for name, value in fields.items():
            type_ = spec.fields.get(name)
            if type_ is not None and not self.types[type_].accepts(value):
                problems.append(f"field {name!r} is not a {type_} ({self.types[type_].means})")
        if problems:
            raise ValueError(f"audit event {spec.id}: " + "; ".join(problems))
        return {name: fields[name] for name in spec.fields if name in fields}

    def all_written_ids(self) -> list[str]:
        return [written for spec in self.events.values() for written in spec.written_ids]


def parse(text: str) -> Catalogue:
    """A catalogue from the text of an events.toml; CatalogueError on anything amiss."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"the audit catalogue is not TOML: {exc}") from None
    types = _types(data.get("types", {}))
    events = {event_id: _event(event_id, table) for event_id, table in data.get("events", {}).items()}
    return Catalogue(types, events)


def _types(tables: Mapping[str, Any]) -> dict[FieldType, TypeSpec]:
    names = set(tables)
    known = {t.value for t in FieldType}
    if names != known:
        raise CatalogueError(
            f"[types] must describe exactly the field types {sorted(known)}: "
            f"unknown {sorted(names - known)}, missing {sorted(known - names)}"
        )
    types = {}
    for name, table in tables.items():
        type_ = FieldType(name)
        values = tuple(table.get("values", ()))
        if (type_ in LISTED) != bool(values):
            raise CatalogueError(f"type {name}: " + ("needs its list of values" if type_ in LISTED else "takes no values"))
        bad = [v for v in values if not isinstance(v, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,39}", v)]
        if bad:
            raise CatalogueError(f"type {name}: values must be short codes, not {bad}")
        types[type_] = TypeSpec(type_, str(table.get("means", "")), values)
    return types


def _event(event_id: str, table: Mapping[str, Any]) -> EventSpec:
    if not _CODE.fullmatch(event_id) or event_id.endswith((INIT, COMPLETE)):
        raise CatalogueError(f"event id {event_id!r}: kebab-case, not ending in -init/-complete")
    extra = set(table) - {"means", "by", "fields", "optional", "pair", "fold"}
    if extra or not table.get("means") or not table.get("by"):
        raise CatalogueError(f"event {event_id}: needs means and by; unknown keys {sorted(extra)}")
    try:
        fields = {name: FieldType(type_) for name, type_ in table.get("fields", {}).items()}
    except ValueError as exc:
        raise CatalogueError(f"event {event_id}: {exc}") from None
    optional = frozenset(table.get("optional", ()))
    if not optional <= set(fields):
        raise CatalogueError(f"event {event_id}: optional names fields it does not have: {sorted(optional - set(fields))}")
    if table.get("pair") and table.get("fold"):
        raise CatalogueError(f"event {event_id}: a pair is never folded")
    return EventSpec(
        event_id, table["means"], table["by"], fields, optional, bool(table.get("pair")), bool(table.get("fold"))
    )


@cache
def catalogue() -> Catalogue:
    """The kiosk's own catalogue (kiosk/audit/events.toml)."""
    return parse(resources.files(__package__).joinpath(CATALOGUE).read_text(encoding="utf-8"))


def enum_name(event_id: str) -> str:
    return event_id.upper().replace("-", "_")
