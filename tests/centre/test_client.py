"""The centre client turns every way a call can end into a typed outcome, never an exception."""

from __future__ import annotations

from datetime import date, datetime
from email.message import Message

import httpx
import pytest

from hwsim.centre.contract import Reply, contract
from kiosk.centre.client import CentreClient, Outcome
from kiosk.domain.application import AddressSource, Application, Identity, Pickup, Role, Source
from kiosk.domain.documents import DocumentKind
from kiosk.domain.replacement import PhotoChoice, Reason
from kiosk.flows.record import idempotency_key
from kiosk.flows.on_behalf import OnBehalf
from kiosk.flows.replace_card import Replacement
from kiosk.offline.outbox import Attachment, Kind
from kiosk.domain.serials import format_serial
from tests.centre.fixtures import person_secret, terminal_tls, unused_port
from tests.offline import people


def _client(url: str, **kwargs) -> CentreClient:
    """Terminal T01 over mutual TLS, as the simulator enrolled it."""
    enrolled = {"tls": terminal_tls(), "person_secret": person_secret()} if url.startswith("https:") else {}
    return CentreClient(url, terminal_id="T01", **enrolled, **kwargs)


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


# --- the kiosk's own requests against docs/centre-api.yaml -----------------------------
# The flows build these bodies; the flow and UI tests send them to the simulator, which
# refuses by the same document. Here each client call is checked on its own, offline.


def refusal(request: httpx.Request) -> Reply | None:
    """What the document's centre refuses in a request the client made (None: nothing)."""
    headers = Message()
    for name, value in request.headers.multi_items():
        headers[name] = value
    return contract().read(request.method, request.url.raw_path.decode("ascii").partition("?")[0], headers, request.content).refusal


def _sent(call) -> httpx.Request:
    seen: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda request: seen.append(request) or httpx.Response(200, json={}))
    call(CentreClient("http://centre.invalid", terminal_id="T01", transport=transport, person_secret=b"\x5a" * 32))
    assert len(seen) == 1
    return seen[0]


HOLDER = Identity(DocumentKind.RESIDENT_ID, people.ID_NUMBER, people.NAME, Source.READER, date(1952, 3, 14),
                  address=people.ADDRESS)  # fmt: skip
CHILD = Identity(DocumentKind.HOUSEHOLD_REGISTER, "500115201506010153", "欧阳小明", Source.TYPED, date(2015, 6, 1))
VISITOR = Identity(DocumentKind.PASSPORT, "E12345678", "LI JIANGUO", Source.TYPED)
SERIAL = format_serial("CS-01", "T01", date(2026, 11, 23), 7)


def application(role: Role, helper: Identity | None, pickup: Pickup) -> Application:
    applicant = CHILD if role is Role.MINOR else HOLDER
    app = Application(role=role, applicant=applicant, bank="icbc", pickup=pickup, phone=people.PHONE,
                      photo=bytearray(b"\xff\xd8photo"), scene=bytearray(b"\xff\xd8scene"), signature=bytearray(b"\x89PNG"))  # fmt: skip
    app.set_helper(helper)
    return app


APPLICATIONS = {
    "self, at this outlet": application(Role.SELF, None, Pickup("outlet", outlet_id="CS-01")),
    "a guardian for a child, by post": application(Role.MINOR, HOLDER, Pickup("post", address=people.ADDRESS, address_source=AddressSource.TYPED)),
    "a proxy with a passport, address at the window": application(Role.PROXY, VISITOR, Pickup("post", address_source=AddressSource.AT_WINDOW)),
}  # fmt: skip


def replacement(reason: Reason, photo: PhotoChoice, role: Role = Role.SELF, helper: Identity | None = None) -> Replacement:
    applicant = CHILD if role is Role.MINOR else HOLDER
    app = Replacement(role=role, applicant=applicant, bank="icbc", pickup=Pickup("on_site"), phone=people.PHONE,
                      photo=bytearray(b"\xff\xd8photo") if photo is PhotoChoice.NEW else bytearray(),
                      signature=bytearray(b"\x89PNG"), reason=reason, photo_choice=photo,
                      loss_report_in_visit=reason is Reason.LOST)  # fmt: skip
    app.set_helper(helper)
    return app


REPLACEMENTS = {
    "reissue after a loss report in the same visit, new photo": replacement(Reason.LOST, PhotoChoice.NEW),
    "upgrade keeping the photo on record": replacement(Reason.NEW_GENERATION, PhotoChoice.ON_RECORD),
    "a guardian replaces a child's damaged card, no photo": replacement(Reason.DAMAGED, PhotoChoice.NONE, Role.MINOR, HOLDER),
}  # fmt: skip
CARD = "C50011521"
CALLS = {
    "health": lambda c: c.health(),
    "application status": lambda c: c.application_status("A00000001"),
    "activation": lambda c: c.activate_card(idempotency_key(Kind.ACTIVATION), CARD, {"id_number": HOLDER.number}),
    "loss report by the holder": lambda c: c.report_loss(
        idempotency_key(Kind.LOSS_REPORT), {"id_number": HOLDER.number, "card_number": CARD, **OnBehalf(HOLDER).proxy_fields()}),
    "loss report by a proxy, no card number": lambda c: c.report_loss(
        idempotency_key(Kind.LOSS_REPORT), {"id_number": HOLDER.number, **OnBehalf(HOLDER, VISITOR).proxy_fields()}),
    "loss cancellation": lambda c: c.cancel_loss_report(
        idempotency_key(Kind.LOSS_CANCEL), CARD, {"card_number": CARD, "id_number": HOLDER.number}),
    "pin change record": lambda c: c.record_pin_change(idempotency_key(Kind.PIN_CHANGE_RECORD), CARD, {
        "card_number": CARD, "changed_at": datetime.now().astimezone().isoformat(timespec="seconds"), "terminal_id": "T01"}),
    "pin reset by a proxy": lambda c: c.reset_pin(idempotency_key("pin_reset"), {
        "card_number": CARD, "id_number": HOLDER.number, "challenge": bytes.fromhex("a1b2c3d4e5f60708").hex().upper(), "new_pin": "654321",
        **OnBehalf(HOLDER, VISITOR).proxy_fields()}),
    "cards of a person": lambda c: c.cards_of(HOLDER.number),
    "applications of a person": lambda c: c.applications_of(HOLDER.number),
    **{f"application: {name}": (lambda app: lambda c: c.submit_application(
        f"{app.service}:{SERIAL}", app.payload(outlet_id="CS-01", terminal_id="T01", voucher_serial=SERIAL),
        [Attachment(n, data, ct) for n, data, ct in app.images()]))(app) for name, app in APPLICATIONS.items()},
    "replacement record of a person": lambda c: c.replacement_record(HOLDER.number),
    "staff call": lambda c: c.call_staff(idempotency_key(Kind.STAFF_CALL), {
        "outlet_id": "CS-01", "terminal_id": "T01", "screen": "keypad", "service": "apply",
        "called_at": datetime.now().astimezone().isoformat(timespec="seconds")}),
    **{f"replacement: {name}": (lambda app: lambda c: c.submit_replacement(
        f"{app.kind}:{SERIAL}", app.payload(outlet_id="CS-01", terminal_id="T01", voucher_serial=SERIAL),
        [Attachment(n, data, ct) for n, data, ct in app.images()]))(app) for name, app in REPLACEMENTS.items()},
}  # fmt: skip


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_every_request_the_kiosk_makes_is_one_the_document_allows(call):
    assert refusal(_sent(call)) is None


@pytest.mark.parametrize(
    "call,code",
    [
        (lambda c: c.report_loss("loss_report:0001", {"id_numbr": HOLDER.number}), "unknown_field"),
        (lambda c: c.report_loss("short", {"id_number": HOLDER.number}), "bad_idempotency_key"),
        (lambda c: c.activate_card("activation:0001", "C5001152", {"id_number": HOLDER.number}), "bad_card_number"),
        (lambda c: c.submit_application("apply:0001", {**people.application(), "role": "guardian"}), "invalid_field"),
        (lambda c: c.record_pin_change("pin_change:0001", CARD, {"new_pin": "123456"}), "pin_not_accepted"),
    ],
    ids=["misspelt field", "short key", "8-character card number", "role outside the enum", "a PIN in a change record"],
)
def test_a_request_that_drifts_from_the_document_is_caught(call, code):
    assert refusal(_sent(call))[1]["error"]["code"] == code
