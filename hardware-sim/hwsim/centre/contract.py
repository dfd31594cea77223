"""docs/centre-api.yaml, read once: the simulator routes and refuses by the document itself.

The document is what a real centre's integrators read. Rather than restate it, the simulator
takes from it the operations (method, path template, operationId), the schemas of their path
parameters and headers, and the schemas of their bodies, and refuses what they do not allow
in one way for every operation ("What the centre accepts" in the document): 400 for a
request it cannot read, 422 for a body that breaks its schema, always in the one error
shape. The centre's own rules (store.py) only ever see requests the document allows, so a
new endpoint gets the same checks by being documented.
"""

from __future__ import annotations

import enum
import functools
import json
import math
import re
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import unquote

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry
from referencing.jsonschema import DRAFT202012

DOCUMENT = Path(__file__).resolve().parents[3] / "docs" / "centre-api.yaml"
DOCUMENT_URI = "urn:sscard:centre-api"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MAX_DEPTH = 32  # levels of nesting a body may have
_SURROGATE = re.compile("[\ud800-\udfff]")  # json.loads pairs the valid ones: any left is lone


class SchemaRefusal(enum.StrEnum):
    """The 422 codes of a body that breaks the document's schema. Every other 422 code is a rule
    of the centre's own, which a body the schema allows may still break."""

    MISSING_FIELD = "missing_field"
    INVALID_FIELD = "invalid_field"
    UNKNOWN_FIELD = "unknown_field"


Reply = tuple[int, dict[str, Any]]


def error(status: int, code: str, message: str) -> Reply:
    """The one error shape. Messages name fields and rules, never the values a terminal sent."""
    return status, {"error": {"code": str(code), "message": message}}


# --- reading a body ------------------------------------------------------------------


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    members = dict(pairs)
    if len(members) != len(pairs):
        raise ValueError("duplicate member name")
    return members


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("a number beyond double precision")
    return value


def _not_a_number(text: str) -> float:
    raise ValueError(f"{text} is not JSON")


def _shape_problem(value: Any) -> str | None:
    """What makes a parsed body not I-JSON or too deep, walking it without recursion."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_DEPTH:
            return f"the body is nested more than {MAX_DEPTH} levels"
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return "the body has a lone UTF-16 surrogate, which I-JSON forbids"
        elif isinstance(item, dict):
            pending.extend((key, depth) for key in item)
            pending.extend((member, depth + 1) for member in item.values())
        elif isinstance(item, list):
            pending.extend((member, depth + 1) for member in item)
    return None


def parse_body(raw: bytes) -> tuple[dict[str, Any], Reply | None]:
    """The body as a JSON object, or the 400 that says why it is not one (I-JSON, RFC 7493)."""
    try:
        value = json.loads(
            raw.decode("utf-8"), object_pairs_hook=_unique_members, parse_float=_finite, parse_constant=_not_a_number
        )
    except (UnicodeDecodeError, ValueError, RecursionError):
        return {}, error(400, "bad_json", "the body is not JSON (UTF-8 I-JSON, RFC 7493)")
    if not isinstance(value, dict):
        return {}, error(400, "bad_json", "the body must be a JSON object")
    problem = _shape_problem(value)
    return (value, None) if problem is None else ({}, error(400, "bad_json", problem))


# --- what a broken schema rule is called ---------------------------------------------

_KINDS = {"object": "an object", "array": "an array", "string": "a string", "integer": "an integer",
          "number": "a number", "boolean": "true or false", "null": "null"}  # fmt: skip


def _rule(keyword: str, value: Any) -> str:
    """A schema rule in words, from the document's side only (never the value sent)."""
    if keyword == "type":
        return "must be " + " or ".join(_KINDS.get(kind, kind) for kind in ([value] if isinstance(value, str) else value))
    if keyword in ("enum", "const"):
        choices = value if keyword == "enum" else [value]
        return "must be one of " + ", ".join(json.dumps(choice, ensure_ascii=False) for choice in choices)
    return {
        "pattern": f"must match {value}",
        "minLength": f"must have at least {value} characters",
        "maxLength": f"must have at most {value} characters",
        "minItems": f"must have at least {value} items",
        "maxItems": f"must have at most {value} items",
        "minimum": f"must be at least {value}",
        "maximum": f"must be at most {value}",
    }.get(keyword, f"breaks the rule `{keyword}` of the document")


def _field(path: Iterable[Any], name: str | None = None) -> str:
    out = ""
    for part in [*path, *([name] if name is not None else [])]:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out or "the body"


def _refusal(problem: ValidationError) -> Reply:
    """The 422 for the most relevant broken rule of a body."""
    keyword, where = problem.validator, _field(problem.absolute_path)
    schema = problem.schema if isinstance(problem.schema, dict) else {}
    if "x-error-code" in schema:
        return error(422, schema["x-error-code"], f"{where} must not be sent")
    if keyword == "required":
        missing = next(name for name in problem.validator_value if name not in problem.instance)
        return error(422, SchemaRefusal.MISSING_FIELD, f"{_field(problem.absolute_path, missing)} is required")
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        allowed = ", ".join(schema.get("properties", {})) or "no fields"
        return error(422, SchemaRefusal.UNKNOWN_FIELD, f"{where} takes only {allowed}")
    return error(422, SchemaRefusal.INVALID_FIELD, f"{where} {_rule(keyword, problem.validator_value)}")


# --- the document's operations -------------------------------------------------------


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # "path" or "header"
    required: bool
    schema: Draft202012Validator

    @property
    def label(self) -> str:
        """The name in error codes: Idempotency-Key → idempotency_key, X-Terminal-Id → terminal_id."""
        return self.name.lower().removeprefix("x-").replace("-", "_")

    def problem(self, values: list[str]) -> Reply | None:
        if not values:
            if self.required:
                return error(400, f"{self.label}_required", f"the {self.name} {self.location} parameter is required")
            return None
        if len(values) > 1:
            return error(400, f"bad_{self.label}", f"{self.name} must be given once")
        broken = best_match(self.schema.iter_errors(values[0]))
        if broken is not None:
            return error(400, f"bad_{self.label}", f"{self.name} {_rule(broken.validator, broken.validator_value)}")
        return None


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    template: str
    pattern: re.Pattern[str]  # the template with a named group per path parameter
    parameters: tuple[Parameter, ...]
    body: Draft202012Validator | None  # None: the operation takes no body

    @property
    def path_names(self) -> tuple[str, ...]:
        return tuple(self.pattern.groupindex)

    def parameter_problem(self, path_values: Mapping[str, str], headers: Message) -> Reply | None:
        for parameter in self.parameters:
            if parameter.location == "path":
                values = [path_values[parameter.name]]
            elif parameter.location == "header":
                values = headers.get_all(parameter.name) or []
            else:
                continue  # query parameters are ignored (none are declared)
            problem = parameter.problem(values)
            if problem:
                return problem
        return None

    def body_problem(self, body: dict[str, Any]) -> Reply | None:
        broken = best_match(self.body.iter_errors(body)) if self.body is not None else None
        return None if broken is None else _refusal(broken)


@dataclass(frozen=True)
class Request:
    """A request as the document reads it: its operation and values, or the refusal."""

    operation: Operation | None
    path_values: dict[str, str]
    body: dict[str, Any] | None  # None: the operation takes no body
    refusal: Reply | None  # None: the document allows the request
    allowed: tuple[str, ...] = ()  # the methods the path declares, for a 405's Allow header


def _pointer(*parts: str) -> str:
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


class Contract:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._registry = Registry().with_resource(DOCUMENT_URI, DRAFT202012.create_resource(document))
        self.operations = tuple(self._operations())

    def _validator(self, pointer: str) -> Draft202012Validator:
        return Draft202012Validator({"$ref": f"{DOCUMENT_URI}#{pointer}"}, registry=self._registry)

    def _lookup(self, node: dict[str, Any], pointer: str) -> tuple[dict[str, Any], str]:
        """A `$ref`'d object of the document and its pointer, or the node itself."""
        ref = node.get("$ref")
        if ref is None:
            return node, pointer
        target: Any = self.document
        for part in ref.removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return target, ref.removeprefix("#")

    def _operations(self) -> Iterable[Operation]:
        for template, item in self.document["paths"].items():
            regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                op = item[method]
                where = _pointer("paths", template, method)
                parameters = []
                for i, node in enumerate(op.get("parameters", [])):
                    parameter, pointer = self._lookup(node, f"{where}/parameters/{i}")
                    parameters.append(Parameter(parameter["name"], parameter["in"], bool(parameter.get("required")),
                                                self._validator(pointer + "/schema")))  # fmt: skip
                body = None
                if "requestBody" in op:
                    body = self._validator(where + _pointer("requestBody", "content", "application/json", "schema"))
                yield Operation(op["operationId"], method.upper(), template, re.compile(regex), tuple(parameters), body)

    def read(self, method: str, path: str, headers: Message, raw: bytes) -> Request:
        """`method` on the raw (percent-encoded) `path` checked in the document's order: the path
        and method, the path parameters and headers, the body as I-JSON, the body's schema."""
        found, values, allowed = None, {}, []
        for op in self.operations:
            match = op.pattern.fullmatch(path)
            if match is None:
                continue
            allowed.append(op.method)
            if op.method == method:
                found, values = op, {name: unquote(value, errors="replace") for name, value in match.groupdict().items()}
        if found is None:
            if allowed:
                refusal = error(405, "method_not_allowed", f"this path takes only {', '.join(allowed)}")
            else:
                refusal = error(404, "not_found", "no such endpoint")
            return Request(None, {}, None, refusal, tuple(allowed))
        refusal = found.parameter_problem(values, headers)
        if refusal or found.body is None:
            return Request(found, values, None, refusal, tuple(allowed))
        body, refusal = parse_body(raw)
        return Request(found, values, body, refusal or found.body_problem(body), tuple(allowed))


@functools.cache
def contract(path: Path = DOCUMENT) -> Contract:
    return Contract(yaml.safe_load(path.read_text(encoding="utf-8")))
