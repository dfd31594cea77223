"""The simulator refuses what docs/centre-api.yaml does not allow: in the document's one error
shape, with the status and code the document gives, and never with a 5xx (issue 16's findings)."""

from __future__ import annotations

import socket

import httpx
import pytest

from tests.centre.test_centre_simulator import person
from tests.offline import people

KEY = {"Idempotency-Key": "key-refusals-0001"}


def _post(centre, path: str, *, headers: dict | None = None, **kwargs) -> httpx.Response:
    return httpx.post(centre.url + path, headers={**KEY, **(headers or {})}, verify=centre.tls, **kwargs)


def _code(response: httpx.Response) -> str:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return body["error"]["code"]


def test_a_lone_surrogate_is_refused_as_not_i_json_not_a_server_error(local_centre):
    body = '{"service": "apply", "applicant": {"id_number": "%s", "name": "\\ud800"}}' % people.ID_NUMBER
    response = _post(local_centre, "/v1/applications", content=body.encode(), headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and _code(response) == "bad_json"


def test_an_unknown_nested_key_is_refused_naming_the_object(local_centre):
    application = people.application()
    application["applicant"]["nickname"] = {"deep": [1, {"x": None}]}
    response = _post(local_centre, "/v1/applications", json=application)
    assert response.status_code == 422 and _code(response) == "unknown_field"
    assert response.json()["error"]["message"].startswith("applicant takes only")
    assert local_centre.applications() == []


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "TRACE", "OPTIONS", "HEAD"])
def test_an_undeclared_method_is_405_with_allow(local_centre, method):
    response = httpx.request(method, local_centre.url + "/v1/loss-reports", verify=local_centre.tls)
    assert response.status_code == 405 and response.headers["Allow"] == "POST"
    if method == "HEAD":
        assert response.content == b""
    else:
        assert _code(response) == "method_not_allowed"


def test_a_person_hash_that_is_not_64_hex_digits_is_400(local_centre):
    response = httpx.get(local_centre.url + "/v1/persons/" + "A" * 64 + "/cards", verify=local_centre.tls)
    assert response.status_code == 400 and _code(response) == "bad_person_hash"


def test_an_unknown_path_is_404_in_the_error_shape(local_centre):
    response = httpx.get(local_centre.url + "/v2/health", verify=local_centre.tls)
    assert response.status_code == 404 and _code(response) == "not_found"


@pytest.mark.parametrize("field", ["id_number", "name"])
def test_an_empty_applicant_field_breaks_the_documents_pattern(local_centre, field):
    application = people.application()
    application["applicant"][field] = ""
    response = _post(local_centre, "/v1/applications", json=application)
    assert response.status_code == 422 and _code(response) == "invalid_field"
    assert f"applicant.{field} must match" in response.json()["error"]["message"]


@pytest.mark.parametrize("length,status", [(7, 400), (8, 201), (128, 201), (129, 400)])
def test_an_idempotency_key_is_8_to_128_characters(local_centre, length, status):
    response = _post(local_centre, "/v1/applications", json=people.application(), headers={"Idempotency-Key": "k" * length})
    assert response.status_code == status
    if status == 400:
        assert _code(response) == "bad_idempotency_key"


def test_a_request_refused_as_malformed_leaves_its_key_unused(local_centre):
    bad = _post(local_centre, "/v1/applications", json={**people.application(), "service": "adopt"})
    assert bad.status_code == 422 and _code(bad) == "invalid_field"
    good = _post(local_centre, "/v1/applications", json=people.application())
    assert good.status_code == 201


def test_bodies_nested_too_deeply_or_not_a_number_are_bad_json(local_centre):
    for content in (b"[" * 100_000, b'{"a": ' * 40 + b"1" + b"}" * 40, b'{"id_number": NaN}', b'{"a": 1, "a": 2}'):
        response = _post(local_centre, "/v1/loss-reports", content=content)
        assert response.status_code == 400 and _code(response) == "bad_json"


def test_a_body_naming_another_card_than_the_path_is_refused(local_centre):
    holder = person(21)
    local_centre.ctl("add_card", card_number="LOST00021", id_number=holder, status="reported_lost")
    body = {"card_number": "LOST00022", "id_number": holder}
    response = _post(local_centre, "/v1/cards/LOST00021/loss-report/cancellation", json=body)
    assert response.status_code == 422 and _code(response) == "card_number_mismatch"


def test_two_attachments_with_one_name_are_refused(local_centre):
    photo = {"name": "photo", "content_type": "image/jpeg", "data": "QUJD"}
    response = _post(local_centre, "/v1/applications", json={**people.application(), "attachments": [photo, photo]})
    assert response.status_code == 422 and _code(response) == "duplicate_attachment"


@pytest.mark.parametrize(
    "raw,status",
    [
        (b"POST /v1/loss-reports HTTP/1.0\r\nIdempotency-Key: key-raw-0001\r\nContent-Length: 1x\r\n\r\n", 400),
        (b"POST /v1/loss-reports HTTP/1.0\r\nIdempotency-Key: key-raw-0002\r\nContent-Length: 99999999999\r\n\r\n", 413),
        (b"GET /v1/health HTTP/1.0 extra\r\n\r\n", 400),
    ],
    ids=["Content-Length not a number", "a body over 32 MB", "a broken request line"],
)
def test_what_http_itself_refuses_comes_in_the_error_shape(local_centre, raw, status):
    address = (local_centre.simulator.host, local_centre.simulator.port)
    with local_centre.tls.wrap_socket(socket.create_connection(address, timeout=5), server_hostname=address[0]) as conn:
        conn.sendall(raw)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split()[1] == str(status).encode()
    assert b"application/json" in head and b'"error": {"code": ' in body
