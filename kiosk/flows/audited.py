"""A service's flow with its start and end in the audit trail.

The shell runs every flow through `run_service` (kiosk/ui/flow_host.py), so each journey
leaves `service-started` and then `service-ended` with how it ended: `finished`, `failed`
(an error the flow did not handle) or `left` (the resident pressed Start or walked away,
which cancels the flow). What the flow kept and printed in between is recorded where it
happens (flows/record.py).
"""

from __future__ import annotations

import asyncio
from enum import StrEnum
from typing import Any, Awaitable, Callable

from kiosk.audit import AuditEvent, record
from kiosk.domain.services import BY_CODE as SERVICES
from kiosk.flows.port import FlowPort


class Ending(StrEnum):
    FINISHED = "finished"
    FAILED = "failed"
    LEFT = "left"


async def run_service(service: str, flow: Callable[[FlowPort], Awaitable[Any]], port: FlowPort) -> Any:
    """Runs `flow(port)`; a flow that is no resident's service (a staff tool the shell runs the
    same way) records its own events instead."""
    if service not in SERVICES:
        return await flow(port)
    record(AuditEvent.SERVICE_STARTED, service=service)
    ending = Ending.FAILED
    try:
        result = await flow(port)
        ending = Ending.FINISHED
        return result
    except asyncio.CancelledError:
        ending = Ending.LEFT
        raise
    finally:
        record(AuditEvent.SERVICE_ENDED, service=service, reason=ending.value)
