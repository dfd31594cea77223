"""docs/centre-api.yaml describes exactly what the client calls and the simulator serves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml  # PyYAML comes with python-escpos

from hwsim.centre.contract import contract
from hwsim.centre.server import CentreSimulator
from hwsim.centre.store import CentreStore, SimClock
from kiosk.centre import api

DOC = Path(__file__).resolve().parents[2] / "docs" / "centre-api.yaml"
METHODS = ("get", "post", "put", "delete", "patch")


@pytest.fixture(scope="module")
def doc() -> dict:
    return yaml.safe_load(DOC.read_text(encoding="utf-8"))


def _operations(doc):
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method.upper(), item[method]


def _sample(path: str) -> str:
    """A concrete URL path for a documented template."""
    return re.sub(r"\{person_hash\}", "a" * 64, re.sub(r"\{(?!person_hash)[^}]+\}", "X00000001", path))


def test_document_is_openapi_3_1_with_unique_operation_ids(doc):
    assert doc["openapi"].startswith("3.1.")
    ids = [op["operationId"] for _p, _m, op in _operations(doc)]
    assert len(ids) == len(set(ids)) >= 9
    assert all(op.get("responses") for _p, _m, op in _operations(doc))


def test_every_reference_resolves(doc):
    refs = re.findall(r"\$ref: \"#/([^\"]+)\"", DOC.read_text(encoding="utf-8"))
    assert refs
    for ref in refs:
        node = doc
        for part in ref.split("/"):
            assert part in node, f"dangling $ref #/{ref}"
            node = node[part]


def test_every_documented_operation_is_served_by_the_simulator(doc, tmp_path):
    simulator = CentreSimulator(CentreStore(tmp_path, SimClock()))  # its routes; nothing listens
    served = {(m, p.pattern) for m, p, _h in simulator.routes}
    for path, method, _op in _operations(doc):
        sample = _sample(path)
        assert any(m == method and re.fullmatch(p, sample) for m, p in served), f"{method} {path} not served"
    documented = {(method, path) for path, method, _op in _operations(doc)}
    for method, pattern in served:
        assert any(m == method and re.fullmatch(pattern, _sample(p)) for m, p in documented), f"{method} {pattern} undocumented"


SECRET = b"\x5a" * 32  # a person-lookup secret, as the centre hands one out at enrolment


def test_every_client_path_is_documented(doc):
    templates = [re.compile(re.sub(r"\{[^}]+\}", "[^/]+", p)) for p in doc["paths"]]
    client_paths = [
        api.health(), api.applications(), api.application("A1"), api.card_activation("C1"),
        api.card_pin_changes("C1"), api.card_loss_cancellation("C1"), api.loss_reports(),
        api.pin_resets(), api.person_cards(api.person_hash("11010519491231002X", SECRET)),
    ]  # fmt: skip
    for path in client_paths:
        assert any(t.fullmatch(path) for t in templates), f"{path} is not in {DOC.name}"


def test_person_hash_is_case_and_space_insensitive_and_hides_the_number():
    h = api.person_hash("11010519491231002x", SECRET)
    assert h == api.person_hash(" 11010519491231002X ", SECRET) and re.fullmatch(r"[0-9a-f]{64}", h)
    assert "19491231" not in h


def test_person_hash_is_keyed_so_another_secret_names_the_person_differently():
    assert api.person_hash("11010519491231002X", SECRET) != api.person_hash("11010519491231002X", b"\x01" * 32)


def _deref(doc: dict, node: dict) -> dict:
    """A response or schema with its `$ref` followed, if it has one."""
    if "$ref" not in node:
        return node
    target = doc
    for part in node["$ref"].removeprefix("#/").split("/"):
        target = target[part]
    return target


# What the simulator (hwsim/centre/contract.py) may answer to any request of an operation, before
# the operation's own rules: unreadable (400), busy (429), switched off (503); for a body also a
# schema refusal (422), an oversize body (413) and a key being processed (409).
EVERY_OPERATION = {"400", "429", "503"}
EVERY_BODY = {"409", "413", "422"}


def test_every_operation_documents_the_answers_the_centre_may_give_to_any_request(doc):
    for path, method, op in _operations(doc):
        expected = EVERY_OPERATION | (EVERY_BODY if "requestBody" in op else set())
        assert expected <= set(op["responses"]), f"{method} {path} lacks {sorted(expected - set(op['responses']))}"


def test_every_error_answer_has_the_one_error_shape(doc):
    error = {"$ref": "#/components/schemas/Error"}
    for path, method, op in _operations(doc):
        for status, response in op["responses"].items():
            if int(status) < 400:
                continue
            schema = _deref(doc, response)["content"]["application/json"]["schema"]
            assert schema == error or error in schema.get("allOf", []), f"{method} {path} {status}"


def test_every_request_object_refuses_unknown_fields(doc):
    def objects(schema, seen=()):
        schema = _deref(doc, schema)
        if id(schema) in seen:
            return
        if schema.get("type") == "object" or "properties" in schema:
            yield schema
        for child in [*schema.get("properties", {}).values(), *schema.get("allOf", [])]:
            yield from objects(child, (*seen, id(schema)))
        if "items" in schema:
            yield from objects(schema["items"], (*seen, id(schema)))

    for path, method, op in _operations(doc):
        if "requestBody" in op:
            for schema in objects(op["requestBody"]["content"]["application/json"]["schema"]):
                assert schema.get("additionalProperties") is False, f"{method} {path}: {sorted(schema['properties'])}"


def test_every_example_is_one_the_document_allows():
    checked = 0
    for op in contract(DOC).operations:
        raw = contract(DOC).document["paths"][op.template][op.method.lower()]
        body = raw.get("requestBody", {}).get("content", {}).get("application/json", {})
        if "example" in body:
            assert op.body_problem(body["example"]) is None, op.operation_id
            checked += 1
        for parameter, node in zip(op.parameters, raw.get("parameters", [])):
            example = _deref(contract(DOC).document, node).get("example")
            if example is not None:
                assert parameter.problem([example]) is None, f"{op.operation_id} {parameter.name}"
                checked += 1
    assert checked >= 10
