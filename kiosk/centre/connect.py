"""The centre client a terminal's configuration calls for: mutual TLS whenever the URL is https.

Every part of the kiosk that talks to the centre (the flows, the sync worker, `kiosk sync`)
gets its client here, so none of them can forget the certificate. A terminal whose enrolment
cannot be used gets a client that never connects: every call answers OFFLINE with the reason,
the outbox keeps the work, and `kiosk config check` names the file to fix.
"""

from __future__ import annotations

import httpx

from kiosk.centre.budget import DEFAULT_DEADLINE_S
from kiosk.centre.client import DEFAULT_TIMEOUT, CentreClient
from kiosk.centre.tls import client_context, is_tls_url
from kiosk.config import Config
from kiosk.enrolment import EnrolmentError, TerminalTls


class TerminalNotEnrolled(httpx.ConnectError):
    """Raised instead of connecting; its name is what the outbox's `last_error` shows."""


class NotEnrolled(httpx.BaseTransport):
    """The transport of a terminal that cannot prove who it is: nothing leaves it."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise TerminalNotEnrolled(f"not enrolled: {self.reason}", request=request)


def centre_client(
    config: Config, *, timeout: httpx.Timeout | float = DEFAULT_TIMEOUT, deadline_s: float = DEFAULT_DEADLINE_S
) -> CentreClient:
    tls = transport = secret = None
    if is_tls_url(config.centre_url):
        try:
            if config.tls_dir is None:
                raise EnrolmentError("the configuration has no tls_dir")
            enrolment = TerminalTls(config.tls_dir)
            tls, secret = client_context(enrolment), enrolment.person_lookup_secret()
        except EnrolmentError as exc:
            transport = NotEnrolled(str(exc))
    return CentreClient(
        config.centre_url, terminal_id=config.terminal_id, timeout=timeout, transport=transport, tls=tls,
        person_secret=secret, deadline_s=deadline_s,
    )  # fmt: skip
