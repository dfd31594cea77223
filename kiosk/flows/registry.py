"""Which flow does which service: the home screen asks here before it opens a service.

Empty until the flows land (later issues add one line each, e.g. `"apply": apply.run`);
a service without a flow leads to the screen that says it is coming and where to go.
"""

from __future__ import annotations

from typing import Awaitable, Callable

from kiosk.flows import (
    activate, apply_card, change_contact, employer_batch, loss_cancel, loss_report, pin_change, pin_reset, replace_card, status_query,
)
from kiosk.flows.port import FlowPort

FlowFactory = Callable[[FlowPort], Awaitable[None]]

FLOWS: dict[str, FlowFactory] = {
    "apply": apply_card.apply_for_card,
    "activate": activate.run,
    "pin_change": pin_change.run,
    "pin_reset": pin_reset.run,
    "loss_report": loss_report.run,
    "loss_cancel": loss_cancel.run,
    "status_query": status_query.run,
    # One flow for the three: it asks the situation in plain words (卡丢了 / 坏了 / 过期了 / 换第三代).
    "reissue": replace_card.run,
    "replace": replace_card.run,
    "upgrade": replace_card.run,
    "info_change": change_contact.run,
    # 批量新办 and 批量补换: one flow, the kind from the service code (seed 003 1.2, 3.2).
    "batch_new": employer_batch.run,
    "batch_replace": employer_batch.run,
}


def flow_for(service_code: str) -> FlowFactory | None:
    """The flow that does `service_code` at this kiosk, or None while there is none."""
    return FLOWS.get(service_code)
