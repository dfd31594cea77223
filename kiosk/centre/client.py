"""A small HTTP client for the card centre whose answers are values, never raw exceptions.

Every call returns a `CentreReply` whose outcome says what the caller may do next: `ok`; try
again later (`offline`: the centre was never reached; `no_answer`: the request went out but
no answer came back, so it may have been processed, which is safe to repeat with the same
idempotency key; `server_error`: 5xx; `busy`: 409/429); or stop and tell staff (`rejected`:
any other 4xx). Reasons are redacted, so they may go to logs and the outbox as they are.

Whatever the server does, a call ends within its deadline, reads at most a megabyte of
decoded reply (kiosk.centre.budget), and hands on only a 2xx body that matches
docs/centre-api.yaml (kiosk.centre.replies); anything else is `protocol_error`, "the
centre answered something we don't understand", which the outbox retries and then shows
staff, and which no flow or cache ever sees. Error replies keep their code, not their text.
"""

from __future__ import annotations

import base64
import enum
import ssl
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Protocol

import httpx

from kiosk.centre import api, replies
from kiosk.centre.budget import ACCEPTED_ENCODINGS, DEFAULT_DEADLINE_S, CallDeadline, ReplyTooLarge, UnknownEncoding, read_body
from kiosk.centre.contact_clock import LAST_CENTRE_ANSWER
from kiosk.domain.masking import redact

DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=3.0)
USER_AGENT = "sscard-kiosk/0.1"
# Centre calls at once in this process, over every client (the flows' and the sync worker's):
# asyncio.to_thread's pool has only cores + 4 threads, and the devices need theirs while
# the centre is slow. A call beyond these ends at once as `offline`, never waiting.
MAX_IN_FLIGHT = 4  # the sync worker, the resident's flow, its quick send, and one to spare
_IN_FLIGHT = threading.BoundedSemaphore(MAX_IN_FLIGHT)
NOT_UNDERSTOOD = "the centre answered something we don't understand"


class Outcome(enum.StrEnum):
    OK = "ok"
    OFFLINE = "offline"
    NO_ANSWER = "no_answer"
    SERVER_ERROR = "server_error"
    BUSY = "busy"
    REJECTED = "rejected"
    PROTOCOL_ERROR = "protocol_error"  # an answer we cannot read, e.g. 200 without JSON


RETRYABLE = frozenset({Outcome.OFFLINE, Outcome.NO_ANSWER, Outcome.SERVER_ERROR, Outcome.BUSY, Outcome.PROTOCOL_ERROR})


@dataclass(frozen=True)
class CentreReply:
    outcome: Outcome
    status: int | None = None
    data: dict[str, Any] = field(default_factory=dict, repr=False)
    reason: str = ""
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK

    @property
    def retryable(self) -> bool:
        return self.outcome in RETRYABLE

    @property
    def reference(self) -> str | None:
        return self.data.get("reference")

    @property
    def duplicate(self) -> bool:
        """The centre had this idempotency key already and answered as the first time."""
        return self.ok and self.status == 200 and bool(self.data.get("duplicate"))


class AttachmentLike(Protocol):
    name: str
    content_type: str
    data: bytes


def _reply(method: str, path: str, status: int, phrase: str, headers: httpx.Headers, body: bytes) -> CentreReply:
    if 200 <= status < 300:
        try:
            data = replies.check_success(method, path, status, body)
        except replies.NotUnderstood as exc:
            return CentreReply(Outcome.PROTOCOL_ERROR, status, reason=f"{NOT_UNDERSTOOD}: {exc}")
        return CentreReply(Outcome.OK, status, data)
    code, message = replies.error_of(body)  # a code, and a message only if it echoes nothing
    reason = redact(f"centre {status} {code or phrase}" + (f": {message}" if message else ""))
    data = {"error": {"code": code}} if code else {}  # the code only: callers branch on it
    wait = replies.retry_after(headers.get("Retry-After"))
    if status in (409, 429):
        return CentreReply(Outcome.BUSY, status, data, reason, wait)
    if 400 <= status < 500:
        return CentreReply(Outcome.REJECTED, status, data, reason)
    if status >= 500:
        return CentreReply(Outcome.SERVER_ERROR, status, data, reason, wait)
    return CentreReply(Outcome.PROTOCOL_ERROR, status, reason=f"{NOT_UNDERSTOOD}: an unexpected {status}")


def encode_attachments(attachments: Iterable[AttachmentLike]) -> list[dict[str, str]]:
    return [
        {"name": a.name, "content_type": a.content_type, "data": base64.b64encode(a.data).decode("ascii")}
        for a in attachments
    ]


class CentreClient:
    def __init__(
        self,
        base_url: str,
        *,
        terminal_id: str = "",
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        tls: ssl.SSLContext | None = None,
        person_secret: bytes | None = None,
        deadline_s: float = DEFAULT_DEADLINE_S,
    ) -> None:
        """`tls`: the mutual-TLS context (kiosk.centre.tls.client_context); kiosk.centre.connect
        builds the client from a terminal's configuration. No environment (proxies, CA bundles)
        changes where or how it connects. `person_secret`: the enrolment's person-lookup secret
        that keys `person_hash` in URLs; without it, no call names a person."""
        headers = {"User-Agent": USER_AGENT}
        if terminal_id:
            headers[api.TERMINAL_HEADER] = terminal_id
        self.base_url = base_url.rstrip("/")
        self._person_secret = person_secret
        self._http = httpx.Client(
            base_url=self.base_url, headers=headers, timeout=timeout, transport=transport,
            verify=tls if tls is not None else True, trust_env=False,
        )  # fmt: skip
        self.deadline_s = deadline_s

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "CentreClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self, method: str, path: str, *, body: dict[str, Any] | None = None, idempotency_key: str | None = None
    ) -> CentreReply:
        """One call, over within `deadline_s` whatever the server does, its reply read up to
        budget.MAX_REPLY_BYTES and checked against the document (kiosk.centre.replies)."""
        if not _IN_FLIGHT.acquire(blocking=False):
            return CentreReply(Outcome.OFFLINE, reason=f"{MAX_IN_FLIGHT} calls to the centre are still waiting")
        try:
            with CallDeadline(self.deadline_s) as deadline:
                reply = self._call(method, path, body, idempotency_key, deadline)
        finally:
            _IN_FLIGHT.release()
        if reply.status is not None and reply.status < 500:  # the centre itself answered: network, TLS and centre work
            LAST_CENTRE_ANSWER.answered()
        return reply

    def _call(
        self, method: str, path: str, body: dict[str, Any] | None, idempotency_key: str | None, deadline: CallDeadline
    ) -> CentreReply:
        headers = {"Accept-Encoding": ACCEPTED_ENCODINGS, "Connection": "close"}
        if idempotency_key:
            headers[api.IDEMPOTENCY_HEADER] = idempotency_key
        try:
            with self._http.stream(method, path, json=body, headers=headers, extensions={"trace": deadline.trace}) as response:
                if response.is_stream_consumed:  # built in memory (httpx.MockTransport), decoded already
                    raw = read_body([response.content], "identity", deadline=deadline)
                else:
                    raw = read_body(response.iter_raw(), response.headers.get("Content-Encoding", ""), deadline=deadline)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            return CentreReply(Outcome.OFFLINE, reason=f"cannot reach the centre at {self.base_url}: {type(exc).__name__}")
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError, TimeoutError) as exc:
            if deadline.expired:
                return CentreReply(Outcome.NO_ANSWER, reason=f"no complete answer from the centre within {deadline.seconds:g} s")
            return CentreReply(Outcome.NO_ANSWER, reason=f"no answer from the centre: {type(exc).__name__}")
        except ReplyTooLarge as exc:
            return CentreReply(Outcome.PROTOCOL_ERROR, response.status_code, reason=f"{NOT_UNDERSTOOD}: a reply of {exc}")
        except UnknownEncoding as exc:
            return CentreReply(Outcome.PROTOCOL_ERROR, response.status_code, reason=f"{NOT_UNDERSTOOD}: content encoding {exc}")
        except httpx.HTTPError as exc:
            return CentreReply(Outcome.OFFLINE, reason=f"cannot talk to the centre: {type(exc).__name__}")
        return _reply(method, path, response.status_code, response.reason_phrase, response.headers, raw)

    # --- one method per endpoint of docs/centre-api.yaml -------------------------------

    def health(self) -> CentreReply:
        return self.request("GET", api.health())

    def submit_application(
        self, idempotency_key: str, application: dict[str, Any], attachments: Iterable[AttachmentLike] = ()
    ) -> CentreReply:
        body = {**application, "attachments": encode_attachments(attachments)}
        return self.request("POST", api.applications(), body=body, idempotency_key=idempotency_key)

    def application_status(self, reference: str) -> CentreReply:
        return self.request("GET", api.application(reference))

    def activate_card(self, idempotency_key: str, card_number: str, body: dict[str, Any]) -> CentreReply:
        return self.request("POST", api.card_activation(card_number), body=body, idempotency_key=idempotency_key)

    def report_loss(self, idempotency_key: str, body: dict[str, Any]) -> CentreReply:
        return self.request("POST", api.loss_reports(), body=body, idempotency_key=idempotency_key)

    def cancel_loss_report(self, idempotency_key: str, card_number: str, body: dict[str, Any]) -> CentreReply:
        return self.request(
            "POST", api.card_loss_cancellation(card_number), body=body, idempotency_key=idempotency_key
        )

    def record_pin_change(self, idempotency_key: str, card_number: str, body: dict[str, Any]) -> CentreReply:
        return self.request("POST", api.card_pin_changes(card_number), body=body, idempotency_key=idempotency_key)

    def reset_pin(self, idempotency_key: str, body: dict[str, Any]) -> CentreReply:
        """The reply's `reload_apdu` is the RELOAD PIN command the kiosk sends to the card."""
        return self.request("POST", api.pin_resets(), body=body, idempotency_key=idempotency_key)

    def _person(self, id_number: str) -> str | None:
        return None if self._person_secret is None else api.person_hash(id_number, self._person_secret)

    def _about(self, id_number: str, path: Callable[[str], str]) -> CentreReply:
        """GET `path(person_hash)`; OFFLINE without the secret that names a person."""
        person = self._person(id_number)
        if person is None:
            return CentreReply(Outcome.OFFLINE, reason="this terminal has no person-lookup secret (not enrolled)")
        return self.request("GET", path(person))

    def cards_of(self, id_number: str) -> CentreReply:
        return self._about(id_number, api.person_cards)

    def applications_of(self, id_number: str) -> CentreReply:
        """The person's applications, newest first, each as `application_status` answers it."""
        return self._about(id_number, api.person_applications)

    # --- 补领 · 换领 · 换发 (docs/centre-api.yaml: replacementRecord, submitReplacement) ---

    def replacement_record(self, id_number: str) -> CentreReply:
        """The card a new one would replace (generation, state, bank), the photo on record
        and how many third-generation cards the person has had."""
        return self._about(id_number, api.person_replacement_record)

    def submit_replacement(
        self, idempotency_key: str, replacement: dict[str, Any], attachments: Iterable[AttachmentLike] = ()
    ) -> CentreReply:
        body = {**replacement, "attachments": encode_attachments(attachments)}
        return self.request("POST", api.replacements(), body=body, idempotency_key=idempotency_key)

    # --- 信息变更 (docs/centre-api.yaml: contactRecord, submitContactChange) ---

    def contact_record(self, id_number: str) -> CentreReply:
        """The postal address and mobile phone the centre has for a cardholder (either may be null)."""
        return self._about(id_number, api.person_contact)

    def submit_contact_change(
        self, idempotency_key: str, change: dict[str, Any], attachments: Iterable[AttachmentLike] = ()
    ) -> CentreReply:
        body = {**change, "attachments": encode_attachments(attachments)}
        return self.request("POST", api.contact_changes(), body=body, idempotency_key=idempotency_key)
    # --- 批量新办 · 批量补换 (docs/centre-api.yaml: submitBatch, submitBatchApplication, …) ---

    def submit_batch(
        self, idempotency_key: str, record: dict[str, Any], attachments: Iterable[AttachmentLike] = ()
    ) -> CentreReply:
        """The batch record: employer, handler, kind, counts, and the employer's letter."""
        body = {**record, "attachments": encode_attachments(attachments)}
        return self.request("POST", api.batches(), body=body, idempotency_key=idempotency_key)

    def submit_batch_application(
        self, idempotency_key: str, application: dict[str, Any], attachments: Iterable[AttachmentLike] = ()
    ) -> CentreReply:
        """One person of a batch, with the images the package held for them."""
        body = {**application, "attachments": encode_attachments(attachments)}
        return self.request("POST", api.batch_applications(), body=body, idempotency_key=idempotency_key)

    def batches(self) -> CentreReply:
        return self.request("GET", api.batches())

    def batch_status(self, batch_serial: str) -> CentreReply:
        return self.request("GET", api.batch(batch_serial))
    # --- 呼叫工作人员 (docs/centre-api.yaml: callStaff) ---------------------------------------

    def call_staff(self, idempotency_key: str, call: dict[str, Any]) -> CentreReply:
        """A resident pressed 「呼叫工作人员」: outlet, terminal, screen and time, nothing personal."""
        return self.request("POST", api.staff_calls(), body=call, idempotency_key=idempotency_key)

    # --- fleet health (docs/centre-api.yaml: postHeartbeat, fleetStatus) ---------------------

    def post_heartbeat(self, idempotency_key: str, status: dict[str, Any]) -> CentreReply:
        """This terminal's health now (kiosk.health.snapshot): enums, counts and times, no person."""
        return self.request("POST", api.heartbeats(), body=status, idempotency_key=idempotency_key)

    def fleet_status(self) -> CentreReply:
        """Every terminal's last heartbeat and how long ago it came, as the centre keeps them."""
        return self.request("GET", api.fleet())
