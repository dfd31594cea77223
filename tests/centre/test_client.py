"""The centre client turns every way a call can end into a typed outcome, never an exception."""

from __future__ import annotations

import httpx

from kiosk.centre.client import CentreClient, Outcome
from tests.centre.fixtures import unused_port
from tests.offline import people


def _client(url: str, **kwargs) -> CentreClient:
    return CentreClient(url, terminal_id="T01", **kwargs)


def _scripted(status: int, content: bytes, headers: dict | None = None) -> CentreClient:
    """An in-process answer, for the replies the simulator has no switch for."""
    transport = httpx.MockTransport(lambda request: httpx.Response(status, content=content, headers=headers))
    return CentreClient("http://centre.invalid", transport=transport)


def test_nothing_listening_is_offline_and_retryable():
    reply = _client(f"http://127.0.0.1:{unused_port()}").health()
    assert reply.outcome is Outcome.OFFLINE and reply.retryable and not reply.ok


def test_centre_answers_health(local_centre):
    reply = _client(local_centre.url).health()
    assert reply.ok and reply.data["status"] == "ok"


def test_server_error_is_retryable(local_centre):
    local_centre.ctl("fail5xx", count=1)
    reply = _client(local_centre.url).submit_application("key-server-error", people.application())
    assert reply.outcome is Outcome.SERVER_ERROR and reply.status == 503 and reply.retryable
    assert local_centre.applications() == []


def test_refusal_is_rejected_and_names_the_field(local_centre):
    body = {"service": "apply", "applicant": {"id_number": people.ID_NUMBER}}
    reply = _client(local_centre.url).submit_application("key-refused-1", body)
    assert reply.outcome is Outcome.REJECTED and reply.status == 422 and not reply.retryable
    assert "missing_field" in reply.reason and "applicant.name" in reply.reason


def test_answer_dropped_after_processing_is_no_answer(local_centre):
    local_centre.ctl("drop_response", count=1)
    reply = _client(local_centre.url).submit_application("key-dropped-1", people.application())
    assert reply.outcome is Outcome.NO_ANSWER and reply.retryable
    assert len(local_centre.applications()) == 1


def test_slow_centre_is_no_answer_after_the_timeout(local_centre):
    local_centre.ctl("slow", seconds=0.5)
    reply = _client(local_centre.url, timeout=httpx.Timeout(0.2)).health()
    assert reply.outcome is Outcome.NO_ANSWER and "Timeout" in reply.reason


def test_same_key_twice_gives_the_same_reference(local_centre):
    client = _client(local_centre.url)
    first = client.submit_application("key-twice-0001", people.application(), [people.photo()])
    again = client.submit_application("key-twice-0001", people.application(), [])
    assert first.status == 201 and not first.duplicate
    # the same key with a different body (no photo this time) is a mistake, not a retry
    assert again.outcome is Outcome.REJECTED and "idempotency_key_reused" in again.reason
    photo = people.photo()
    third = client.submit_application("key-twice-0002", people.application(), [photo])
    fourth = client.submit_application("key-twice-0002", people.application(), [photo])
    assert fourth.duplicate and fourth.reference == third.reference


def test_rejection_reason_is_redacted():
    body = ('{"error": {"code": "bad", "message": "person ' + people.ID_NUMBER + ' phone ' + people.PHONE + '"}}').encode()
    reply = _scripted(400, body).report_loss("key-redact-1", {})
    assert reply.outcome is Outcome.REJECTED
    assert people.ID_NUMBER not in reply.reason and people.PHONE not in reply.reason


def test_too_many_requests_is_busy_with_retry_after():
    reply = _scripted(429, b'{"error": {"code": "slow_down", "message": ""}}', {"Retry-After": "30"}).health()
    assert reply.outcome is Outcome.BUSY and reply.retryable and reply.retry_after == 30


def test_conflict_is_busy_not_rejected():
    reply = _scripted(409, b'{"error": {"code": "in_progress", "message": ""}}').health()
    assert reply.outcome is Outcome.BUSY and reply.retryable


def test_success_without_json_is_a_protocol_error():
    reply = _scripted(200, b"<html>captive portal</html>").health()
    assert reply.outcome is Outcome.PROTOCOL_ERROR and reply.retryable


def test_path_values_cannot_escape_their_segment():
    seen = []
    transport = httpx.MockTransport(lambda r: seen.append(r.url.raw_path) or httpx.Response(200, json={}))
    CentreClient("http://centre.invalid", transport=transport).activate_card("key-path-01", "../../admin", {})
    assert seen == [b"/v1/cards/..%2F..%2Fadmin/activation"]
