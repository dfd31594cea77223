"""An outbox item's life as one table: which event takes an item from which state to which.

The outbox never writes a state the table does not give it: `transition(state, event)`
answers the next state or refuses with `WrongState`, and the SQL that picks or counts items
by state is built from the same sets (`NEEDS_STAFF`, `DUE_AT`). A test walks the table
(every state reachable, no exit from a terminal state) and records what the code writes.

    pending ──leased──▶ in_flight ──confirmed──▶ sent
     ▲  ▲                 │  │  ↺ leased again once the lease ran out
     │  └─────failed──────┘  ├──given_up──▶ dead ─────┐
     │                       └──refused───▶ rejected ─┤
     └───────────────────retried──────────────────────┘
    and `confirmed` from pending, dead or rejected too: the centre had it after all.
"""

from __future__ import annotations

import enum
from types import MappingProxyType
from typing import Mapping

from kiosk.offline.database import StoreError


class ItemState(enum.StrEnum):
    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    SENT = "sent"
    DEAD = "dead"  # gave up after max_attempts: staff alert
    REJECTED = "rejected"  # the centre refused it (4xx): staff alert


class Event(enum.StrEnum):
    """What happens to an item; the values read as "only pending items are <event>"."""

    LEASED = "leased"  # a sync worker takes it to send, until its lease runs out
    CONFIRMED = "confirmed"  # the centre has it (said so now, or after all)
    FAILED = "failed"  # a retryable failure: wait out the backoff
    GIVEN_UP = "given_up"  # its attempts are used up, or it cannot be opened: staff
    REFUSED = "refused"  # the centre refused the item itself: staff
    RETRIED = "retried"  # staff put it back in the queue with fresh attempts


S, E = ItemState, Event

INITIAL = S.PENDING  # an item is born pending, in the caller's own transaction

TRANSITIONS: Mapping[tuple[ItemState, Event], ItemState] = MappingProxyType({
    (S.PENDING, E.LEASED): S.IN_FLIGHT,
    (S.IN_FLIGHT, E.LEASED): S.IN_FLIGHT,  # the last worker's lease ran out: another one takes it
    (S.IN_FLIGHT, E.CONFIRMED): S.SENT,
    (S.PENDING, E.CONFIRMED): S.SENT,  # a slow worker's answer came after its lease ran out
    (S.DEAD, E.CONFIRMED): S.SENT,  # the centre had it after all
    (S.REJECTED, E.CONFIRMED): S.SENT,
    (S.IN_FLIGHT, E.FAILED): S.PENDING,
    (S.IN_FLIGHT, E.GIVEN_UP): S.DEAD,  # the last attempt failed, or the item cannot be decrypted
    (S.PENDING, E.GIVEN_UP): S.DEAD,  # due with its attempts used up (max_attempts was lowered)
    (S.IN_FLIGHT, E.REFUSED): S.REJECTED,
    (S.DEAD, E.RETRIED): S.PENDING,
    (S.REJECTED, E.RETRIED): S.PENDING,
})  # fmt: skip

# The states a sync worker may lease from, each with the column that says when it is due.
DUE_AT: Mapping[ItemState, str] = MappingProxyType({S.PENDING: "next_attempt_at", S.IN_FLIGHT: "lease_until"})

NEEDS_STAFF = (S.DEAD, S.REJECTED)  # each raised a staff alert
del S, E

TERMINAL = frozenset(s for s in ItemState if not any(state is s for state, _ in TRANSITIONS))


class WrongState(StoreError):
    """What was asked of an item is not a transition its state has."""


def sources(event: Event) -> tuple[ItemState, ...]:
    """The states `event` may happen in, in the enum's order."""
    return tuple(s for s in ItemState if (s, event) in TRANSITIONS)


def transition(state: ItemState, event: Event, what: str = "an outbox item") -> ItemState:
    """The state `event` takes an item in `state` to; WrongState when the table has none."""
    try:
        return TRANSITIONS[(state, event)]
    except KeyError:
        allowed = " or ".join(sources(event)) or "no"
        raise WrongState(f"{what} is {state}; only {allowed} items are {event}") from None


def sql_set(states: tuple[ItemState, ...] | frozenset[ItemState]) -> str:
    """States as an SQL list for `state IN (...)`; the values are the enum's own identifiers."""
    return ", ".join(f"'{s.value}'" for s in ItemState if s in states)
