"""A small HTTP client for the card centre whose answers are values, never raw exceptions.

Every call returns a `CentreReply` whose outcome says what the caller may do next: `ok`; try
again later (`offline`: the centre was never reached; `no_answer`: the request went out but
no answer came back, so it may have been processed, which is safe to repeat with the same
idempotency key; `server_error`: 5xx; `busy`: 409/429); or stop and tell staff (`rejected`:
any other 4xx). Reasons are redacted, so they may go to logs and the outbox as they are.
"""

from __future__ import annotations

import base64
import enum
from dataclasses import dataclass, field
from typing import Any, Iterable, Protocol

import httpx

from kiosk.centre import api
from kiosk.domain.masking import redact

DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=3.0)
USER_AGENT = "sscard-kiosk/0.1"


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


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _reply(response: httpx.Response) -> CentreReply:
    status = response.status_code
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        data = {}
        if 200 <= status < 300:
            return CentreReply(Outcome.PROTOCOL_ERROR, status, reason=f"centre answered {status} without a JSON object")
    if 200 <= status < 300:
        return CentreReply(Outcome.OK, status, data)
    error = data.get("error") if isinstance(data.get("error"), dict) else {}
    reason = redact(f"centre {status} {error.get('code', response.reason_phrase)}: {error.get('message', '')}".strip())
    if status in (409, 429):
        return CentreReply(Outcome.BUSY, status, data, reason, _retry_after(response))
    if 400 <= status < 500:
        return CentreReply(Outcome.REJECTED, status, data, reason)
    if status >= 500:
        return CentreReply(Outcome.SERVER_ERROR, status, data, reason, _retry_after(response))
    return CentreReply(Outcome.PROTOCOL_ERROR, status, data, f"centre answered an unexpected {status}")


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
    ) -> None:
        headers = {"User-Agent": USER_AGENT}
        if terminal_id:
            headers[api.TERMINAL_HEADER] = terminal_id
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "CentreClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self, method: str, path: str, *, body: dict[str, Any] | None = None, idempotency_key: str | None = None
    ) -> CentreReply:
        headers = {api.IDEMPOTENCY_HEADER: idempotency_key} if idempotency_key else {}
        try:
            response = self._http.request(method, path, json=body, headers=headers)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            return CentreReply(Outcome.OFFLINE, reason=f"cannot reach the centre at {self.base_url}: {type(exc).__name__}")
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            return CentreReply(Outcome.NO_ANSWER, reason=f"no answer from the centre: {type(exc).__name__}")
        except httpx.HTTPError as exc:
            return CentreReply(Outcome.OFFLINE, reason=f"cannot talk to the centre: {type(exc).__name__}")
        return _reply(response)

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

    def cards_of(self, id_number: str) -> CentreReply:
        return self.request("GET", api.person_cards(api.person_hash(id_number)))

    def applications_of(self, id_number: str) -> CentreReply:
        """The person's applications, newest first, each as `application_status` answers it."""
        return self.request("GET", api.person_applications(api.person_hash(id_number)))

    # --- 补领 · 换领 · 换发 (docs/centre-api.yaml: replacementRecord, submitReplacement) ---

    def replacement_record(self, id_number: str) -> CentreReply:
        """The card a new one would replace (generation, state, bank), the photo on record
        and how many third-generation cards the person has had."""
        return self.request("GET", api.person_replacement_record(api.person_hash(id_number)))

    def submit_replacement(
        self, idempotency_key: str, replacement: dict[str, Any], attachments: Iterable[AttachmentLike] = ()
    ) -> CentreReply:
        body = {**replacement, "attachments": encode_attachments(attachments)}
        return self.request("POST", api.replacements(), body=body, idempotency_key=idempotency_key)

    # --- 呼叫工作人员 (docs/centre-api.yaml: callStaff) ---------------------------------------

    def call_staff(self, idempotency_key: str, call: dict[str, Any]) -> CentreReply:
        """A resident pressed 「呼叫工作人员」: outlet, terminal, screen and time, nothing personal."""
        return self.request("POST", api.staff_calls(), body=call, idempotency_key=idempotency_key)
