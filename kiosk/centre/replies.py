"""What the centre answered, checked against docs/centre-api.yaml before anyone uses it.

A reply the kiosk does not understand (`{"cards": null}`, a list of strings where cards
belong, a date past the year 9999 once moved to UTC, JSON nested 100,000 deep) must never
reach a flow, a screen or the status cache: it would crash the first and stay in the last
for 30 days. Every 2xx body is therefore parsed without recursion limits to trip, then
validated against the reply schema of its operation (reply_schemas.json, generated from the
document by scripts/reply-schemas, so a new endpoint is validated by being documented).
Problems are described by field and rule, never by the value the centre sent.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match

SCHEMAS = Path(__file__).with_name("reply_schemas.json")
MAX_DEPTH = 32  # levels of nesting a reply may have; the document's deepest is 5
RETRY_AFTER_CAP_S = 600.0  # longer, and a loss report waits past the resident's patience
YEARS = (1900, 2999)  # a date outside these, after moving it to UTC, is not one the centre means
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})")


class NotUnderstood(ValueError):
    """A reply the kiosk cannot use; the message names the field and the rule it breaks."""


# --- JSON -----------------------------------------------------------------------------


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _depth_problem(value: Any) -> str | None:
    """Too deep to hand to code that recurses, checked without recursing itself."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_DEPTH:
            return f"nested more than {MAX_DEPTH} levels"
        if isinstance(item, dict):
            pending.extend((member, depth + 1) for member in item.values())
        elif isinstance(item, list):
            pending.extend((member, depth + 1) for member in item)
    return None


def parse_json(body: bytes) -> Any:
    """The body as JSON, or NotUnderstood: never RecursionError, NaN or a lone byte error."""
    try:
        value = json.loads(body.decode("utf-8"), parse_constant=_no_constants)
    except RecursionError:
        raise NotUnderstood(f"JSON nested more than {MAX_DEPTH} levels") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise NotUnderstood(f"not JSON: {type(exc).__name__}") from None
    problem = _depth_problem(value)
    if problem is not None:
        raise NotUnderstood(f"JSON {problem}")
    return value


# --- dates the kiosk can compute with ----------------------------------------------------

_formats = FormatChecker(formats=())


@_formats.checks("date-time", raises=(ValueError, OverflowError))
def _date_time(text: object) -> bool:
    if not isinstance(text, str):
        return True
    if not _RFC3339.fullmatch(text):
        return False
    moment = datetime.fromisoformat(text.replace("z", "Z")).astimezone(UTC)
    moment.astimezone()  # and into the terminal's own zone, as the screens show it
    return YEARS[0] <= moment.year <= YEARS[1]


@_formats.checks("date", raises=ValueError)
def _date(text: object) -> bool:
    if not isinstance(text, str):
        return True
    return len(text) == 10 and YEARS[0] <= date.fromisoformat(text).year <= YEARS[1]


# --- the document's replies --------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    pattern: re.Pattern[str]
    replies: dict[str, dict[str, Any] | None]


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{[^}]+\}", template)
    return re.compile("[^/]+".join(re.escape(part) for part in parts))


@functools.cache
def _document() -> tuple[tuple[Operation, ...], dict[str, Any]]:
    doc = json.loads(SCHEMAS.read_text(encoding="utf-8"))
    operations = tuple(
        Operation(op_id, op["method"], _pattern(op["path"]), op["replies"]) for op_id, op in doc["operations"].items()
    )
    return operations, doc["$defs"]


def operation_of(method: str, path: str) -> Operation | None:
    """The documented operation a request is, by method and concrete path."""
    path = path.split("?", 1)[0]
    for op in _document()[0]:
        if op.method == method.upper() and op.pattern.fullmatch(path):
            return op
    return None


@functools.cache
def _validator(operation_id: str, status: str) -> Draft202012Validator | None:
    operations, defs = _document()
    op = next(op for op in operations if op.operation_id == operation_id)
    schema = op.replies[status]
    return None if schema is None else Draft202012Validator({**schema, "$defs": defs}, format_checker=_formats)


def _where(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out or "the reply"


def check_success(method: str, path: str, status: int, body: bytes) -> dict[str, Any]:
    """The 2xx body of `method path` as the document describes it, or NotUnderstood."""
    op = operation_of(method, path)
    if op is None:
        raise NotUnderstood(f"{method} {path.split('?', 1)[0]} is not an operation of docs/centre-api.yaml")
    if str(status) not in op.replies:
        raise NotUnderstood(f"{op.operation_id} answered {status}, which the document does not list")
    validator = _validator(op.operation_id, str(status))
    if validator is None:
        return {}
    data = parse_json(body)
    problem = best_match(validator.iter_errors(data))
    if problem is not None:
        rule = problem.validator if problem.validator != "format" else f"format {problem.validator_value}"
        raise NotUnderstood(f"{op.operation_id} {status}: {_where(problem.absolute_path)} breaks `{rule}`")
    return data


_ERROR_CODE = re.compile(r"[a-z][a-z0-9_]{0,63}")
_PLAIN_MESSAGE = re.compile(r"[A-Za-z0-9_.\[\] ,:;'()/-]{1,160}")
_DIGIT_RUN = re.compile(r"\d{4}")


def error_of(body: bytes) -> tuple[str | None, str | None]:
    """(code, message) of an error reply in the document's one error shape. The code only if it
    is in the document's form; the message only if it reads like the document promises (field
    names and rules in plain ASCII, no run of four digits): outside free text may echo a name
    or a number, and reasons end up in logs and staff alerts."""
    try:
        data = parse_json(body)
    except NotUnderstood:
        return None, None
    error = data.get("error") if isinstance(data, dict) else None
    error = error if isinstance(error, dict) else {}
    code, message = error.get("code"), error.get("message")
    if not (isinstance(code, str) and _ERROR_CODE.fullmatch(code)):
        code = None
    if not (isinstance(message, str) and _PLAIN_MESSAGE.fullmatch(message)) or _DIGIT_RUN.search(message):
        message = None
    return code, message


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP-date), at most
    RETRY_AFTER_CAP_S; None when absent or unreadable (inf, nan, negative, garbage)."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        seconds = float(int(value[:12]))
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:
            return None
        seconds = max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
    return min(seconds, RETRY_AFTER_CAP_S)

