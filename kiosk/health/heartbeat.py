"""The heartbeat: the same health the exporter serves, sent to the centre every `heartbeat_s`
(POST /v1/terminals/heartbeat), for centres without a Prometheus of their own.

The centre knows the terminal from its mutual-TLS certificate and keeps the last heartbeat of
each (its fleet view, GET /v1/fleet), and raises its own alert when one stops coming. A
heartbeat that does not get through is not kept or retried: the next one says more.
"""

from __future__ import annotations

import logging
import secrets

from kiosk.background import BackgroundLoop
from kiosk.centre.client import CentreClient, CentreReply
from kiosk.health.snapshot import HealthSources

log = logging.getLogger(__name__)


def heartbeat_key() -> str:
    """Each beat is its own request (the centre's rule for every POST): 128 random bits."""
    return f"heartbeat:{secrets.token_hex(16)}"


class Heartbeat:
    def __init__(self, sources: HealthSources, client: CentreClient, interval_s: float) -> None:
        self.sources = sources
        self.client = client
        self.interval_s = interval_s
        self.last_reply: CentreReply | None = None
        self._loop = BackgroundLoop("heartbeat", self.beat, lambda: self.interval_s)

    def beat(self) -> CentreReply:
        """One heartbeat now; the reply says whether the centre has it."""
        reply = self.client.post_heartbeat(heartbeat_key(), self.sources.take().to_dict())
        if not reply.ok and (self.last_reply is None or self.last_reply.ok):
            log.warning("heartbeat not delivered: %s %s", reply.outcome, reply.reason)
        self.last_reply = reply
        return reply

    def start(self) -> "Heartbeat":
        self._loop.start()
        return self

    def stop(self, timeout_s: float = 10.0) -> None:
        self._loop.stop(timeout_s)
