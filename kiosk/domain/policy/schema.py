"""The region policy's JSON schema, and its errors said the way a policy's editor reads them:
the key path (`outlets[3].phone`), which entry it sits in, and the schema's own hint.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import jsonschema

from kiosk.domain import services as service_catalogue

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "policies" / "policy.schema.json"


@lru_cache(maxsize=1)
def policy_schema() -> dict[str, Any]:
    """The schema file, plus the service codes from kiosk/domain/services.py, so a policy
    must place every known service and cannot name an unknown one. Not checked against the
    meta-schema here: that took a third of a start on a slow terminal, and the schema is the
    code's own (tests/domain/test_policy.py checks it)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    codes = [s.code for s in service_catalogue.SERVICES]
    services = schema["properties"]["services"]
    services["required"] = codes
    services["propertyNames"] = {"enum": codes}
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
