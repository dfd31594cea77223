"""When a service the resident asked for will be done: the one owner of that rule.

A region's policy names a time limit per service (and per kind of outlet); a card that is
not handed over at the window on the spot travels, and seed 003 1.1.3 2) gives that its own
limit ("made within five working days", then posted or collected at a nearby outlet), which
the policy names `online_application`. A policy without that limit falls back to the
service's own. An outlet that does not make cards on the spot has its own limit in days
(Beijing's non-instant bank outlets: 4 working days, seed 002 六(二)1), whichever way the card
is then collected. The voucher and the done screen both ask here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kiosk.domain.application import ON_SITE
from kiosk.domain.workdays import TimeUnit

# The policy's name for the time a card takes when it is not made on the spot.
DELIVERY_TIME_LIMIT = "online_application"


def time_limit(policy: Any, service: str, outlet_id: str | None, pickup_method: str | None = None) -> Any:
    """The policy's TimeLimit for `service` applied for at `outlet_id` and collected by
    `pickup_method` (None: the service has no pickup, e.g. a loss report); None if unlimited."""
    limit = policy.time_limit_for(service, outlet_id)
    if pickup_method is None or pickup_method == ON_SITE or (limit is not None and not made_on_the_spot(limit)):
        return limit  # an outlet that takes days to make the card counts them from here (seed 002 六(二))
    return policy.time_limits.get(DELIVERY_TIME_LIMIT, limit)


def made_on_the_spot(limit: Any) -> bool:
    """Whether the outlet hands the card over while the resident waits."""
    return limit is not None and limit.unit is TimeUnit.ON_SITE


def expected_completion(
    policy: Any, service: str, start: datetime, outlet_id: str | None, pickup_method: str | None = None
) -> Any:
    """The day it should be done (a DayCount: date and whether it is an estimate), or None."""
    limit = time_limit(policy, service, outlet_id, pickup_method)
    return limit.due(start, policy.working_calendar()) if limit else None
