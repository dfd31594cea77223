"""The sync worker: delivers outbox items to the centre, at least once.

It leases one item at a time (so a crashed worker's item comes back when its lease runs
out), sends it with its idempotency key, and records what the centre said: confirmed → sent;
offline, no answer, 5xx, 409/429 → tried again after a backoff; any other 4xx → rejected,
for staff. Because the centre de-duplicates on the idempotency key, sending twice (an answer
lost on the way back, a crash between sending and recording) still makes one application.

`sync_once()` drains what is due now (tests, `kiosk queue sync`); `start()` runs that in a
background thread until `stop()`; `deliver(item_id)` sends the one item a resident waits for.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from dataclasses import dataclass
from typing import Callable

from kiosk.background import BackgroundLoop
from kiosk.centre.client import NOT_UNDERSTOOD, CentreClient, CentreReply, Outcome
from kiosk.drivers.device_audit import FaultWatch
from kiosk.offline.delivery_tally import DELIVERIES
from kiosk.offline.outbox import PRIORITY, Delivery, ItemState, Kind, Outbox

log = logging.getLogger(__name__)

PRUNE_EVERY_S = 3600.0


_ERROR_CODE = re.compile(r"[a-z][a-z0-9_]{0,47}")


def failure_code(reply: CentreReply) -> str:
    """What `last_error` and a staff alert keep: the outcome, the status and the centre's error
    code (`rejected 422 invalid_field`), never the centre's free-text message, which may echo a
    name or an ID number. Without a status (offline, no answer) the reason is the kiosk's own."""
    if reply.status is None:
        return reply.reason or str(reply.outcome)
    if reply.outcome is Outcome.PROTOCOL_ERROR:  # the kiosk's own words; the reply's content stays out
        return f"{reply.outcome} {reply.status}: {NOT_UNDERSTOOD}"
    error = reply.data.get("error") if isinstance(reply.data.get("error"), dict) else {}
    code = error.get("code")
    named = f" {code}" if isinstance(code, str) and _ERROR_CODE.fullmatch(code) else ""
    return f"{reply.outcome} {reply.status}{named}"


def _send(client: CentreClient, d: Delivery) -> CentreReply:
    key, body = d.item.idempotency_key, d.payload
    kind = Kind(d.item.kind)
    if kind is Kind.APPLICATION:
        return client.submit_application(key, body, d.attachments)
    if kind is Kind.REPLACEMENT:
        return client.submit_replacement(key, body, d.attachments)
    if kind is Kind.BATCH_RECORD:
        return client.submit_batch(key, body, d.attachments)
    if kind is Kind.BATCH_APPLICATION:
        return client.submit_batch_application(key, body, d.attachments)
    if kind is Kind.LOSS_REPORT:
        return client.report_loss(key, body)
    if kind is Kind.CONTACT_CHANGE:
        return client.submit_contact_change(key, body, d.attachments)
    if kind is Kind.LOSS_CANCEL:
        return client.cancel_loss_report(key, body["card_number"], body)
    if kind is Kind.ACTIVATION:
        return client.activate_card(key, body["card_number"], body)
    if kind is Kind.PIN_CHANGE_RECORD:
        return client.record_pin_change(key, body["card_number"], body)
    if kind is Kind.STAFF_CALL:
        return client.call_staff(key, body)
    raise AssertionError(f"no route for outbox kind {kind}")  # Kind is closed: a new kind needs a route


@dataclass
class SyncReport:
    sent: int = 0
    retrying: int = 0
    needs_staff: int = 0
    centre_unreachable: bool = False

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.needs_staff


UNREACHABLE = frozenset({Outcome.OFFLINE, Outcome.NO_ANSWER})
"""Outcomes that say the centre could not be reached (for the audit trail's device-fault)."""
CENTRE = FaultWatch()
"""The centre unreachable / answering again, in the audit trail: one for every worker of the
process (the quick delivery's and the background one), so a change is recorded once."""


class SyncWorker:
    def __init__(
        self,
        outbox: Outbox,
        client: CentreClient,
        *,
        lease_s: float = 120.0,
        idle_s: float = 5.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.outbox = outbox
        self.client = client
        self.lease_s = lease_s
        self.idle_s = idle_s
        self.clock = clock
        self.owner = f"sync-{uuid.uuid4().hex[:12]}"
        self._loop = BackgroundLoop("outbox-sync", self.sync_once, self._pause)
        self._last_prune = float("-inf")

    def sync_once(self, limit: int | None = None) -> SyncReport:
        """Send every item that is due now (up to `limit`); stops early when the centre is unreachable."""
        report = SyncReport()
        while (limit is None or report.attempted < limit) and not self._loop.stopping.is_set():
            delivery = self.outbox.lease(self.owner, self.lease_s)
            if delivery is None:
                break
            state, outcome = self._deliver(delivery)
            if state is ItemState.SENT:
                report.sent += 1
            elif state is ItemState.PENDING:
                report.retrying += 1
            elif state is not None:
                report.needs_staff += 1
            if outcome is Outcome.OFFLINE:  # the next item would only wait for the same refusal
                report.centre_unreachable = True
                break
        if self.clock() - self._last_prune >= PRUNE_EVERY_S:
            self._last_prune = self.clock()
            pruned = self.outbox.prune_sent()
            if pruned:
                log.info("pruned %d sent outbox item(s) past retention", pruned)
        return report

    def deliver(self, item_id: int) -> ItemState | None:
        """Item `item_id`, now, recorded as a round records it: its state afterwards, or None
        when it was not this worker's to send (not due, held by another worker, gone).

        Due items of a higher priority go first, so the centre never sees a request before the
        one it depends on (a loss report kept while the centre was down, then the reissue of
        that card); items as urgent as this one or less wait for the background rounds."""
        priority = PRIORITY[self.outbox.item(item_id).kind]
        while (ahead := self.outbox.lease(self.owner, self.lease_s, above_priority=priority)) is not None:
            state, _ = self._deliver(ahead)
            if state is not ItemState.SENT:
                return None  # what must go first did not get through: this one waits behind it
        delivery = self.outbox.lease(self.owner, self.lease_s, item_id=item_id)
        if delivery is None:
            return None
        state, _ = self._deliver(delivery)
        return state

    def _deliver(self, delivery: Delivery) -> tuple[ItemState | None, Outcome]:
        state, outcome = self._send_and_record(delivery)
        if state is not None:
            DELIVERIES.count(delivery.item.kind, state)
        return state, outcome

    def _send_and_record(self, delivery: Delivery) -> tuple[ItemState | None, Outcome]:
        item = delivery.item
        try:
            reply = _send(self.client, delivery)
        except KeyError as exc:  # the payload lacks a field its route needs: no retry can fix it
            return self.outbox.reject(delivery, f"payload has no {exc.args[0]!r} field"), Outcome.REJECTED
        CENTRE.report("centre", "offline" if reply.outcome in UNREACHABLE else None, "online")
        if reply.ok:
            self.outbox.ack(item.id, reply.reference)
            log.info("outbox item %d (%s) sent: centre reference %s%s", item.id, item.kind, reply.reference,
                     " (duplicate)" if reply.duplicate else "")  # fmt: skip
            return ItemState.SENT, reply.outcome
        if reply.retryable:
            state = self.outbox.fail(delivery, failure_code(reply), reply.retry_after)
            log.info("outbox item %d (%s) not delivered (attempt %d): %s", item.id, item.kind, item.attempts, failure_code(reply))
            return state, reply.outcome
        return self.outbox.reject(delivery, failure_code(reply)), reply.outcome

    # --- background thread ---------------------------------------------------------------

    def start(self) -> "SyncWorker":
        """`sync_once` again and again on a thread: a failed round is logged, and the next one runs."""
        self._loop.start()
        return self

    @property
    def running(self) -> bool:
        return self._loop.running

    def wake(self) -> None:
        """Something was enqueued: try now rather than at the next idle tick."""
        self._loop.wake()

    def stop(self, timeout: float = 30.0) -> None:
        """Finishes the item in hand (its lease would cover a hard stop anyway), then returns."""
        self._loop.stop(timeout)

    def _pause(self) -> float:
        due = self.outbox.next_due_at()
        if due is None:
            return self.idle_s
        return min(self.idle_s, max(0.05, due - self.clock()))
