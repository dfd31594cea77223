"""The outbox's item states: one table, which the code obeys and this test walks."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

import kiosk
from kiosk.offline.database import MIGRATIONS
from kiosk.offline.item_states import INITIAL, NEEDS_STAFF, TERMINAL, TRANSITIONS, Event, ItemState, transition
from kiosk.offline.outbox import Kind, Outbox, WrongState
from tests.offline import people

TABLE_MOVES = {(state, target) for (state, _), target in TRANSITIONS.items()}


def _record_moves(outbox: Outbox) -> list[tuple[ItemState | None, ItemState]]:
    """Every state the database is given from now on, as (before, after); None before: born."""
    conn = outbox.db.conn
    conn.execute("CREATE TEMP TABLE moves (before TEXT, after TEXT)")
    conn.execute(
        "CREATE TEMP TRIGGER born AFTER INSERT ON main.outbox_items"
        " BEGIN INSERT INTO moves VALUES (NULL, new.state); END"
    )
    conn.execute(
        "CREATE TEMP TRIGGER moved AFTER UPDATE OF state ON main.outbox_items"
        " BEGIN INSERT INTO moves VALUES (old.state, new.state); END"
    )

    def moves():
        return [(None if b is None else ItemState(b), ItemState(a)) for b, a in conn.execute("SELECT * FROM moves")]

    return moves


def _every_path_the_outbox_takes(outbox: Outbox, clock, settings) -> None:
    """Each public call that moves an item, in each state it can find the item in."""
    def new():
        return outbox.enqueue(Kind.APPLICATION, people.application())

    def lease(item):
        delivery = outbox.lease("w", 60)
        assert delivery.item.id == item.id
        return delivery

    sent_at_once = new()
    outbox.ack(lease(sent_at_once).item.id, "A1")  # pending → in_flight → sent
    outbox.ack(sent_at_once.id, "A1")  # said twice: stays sent

    slow = new()
    lease(slow)
    clock.advance(61)
    outbox.fail(lease(slow), "centre down")  # in_flight → in_flight (lease ran out) → pending
    outbox.ack(slow.id, "A2")  # pending → sent: the slow worker's answer after all

    dead = new()
    for _ in range(settings.max_attempts):
        clock.advance(settings.backoff_cap_s)
        outbox.fail(lease(dead), "no answer")  # ... in_flight → dead
    outbox.retry(dead.id)  # dead → pending
    outbox.reject(lease(dead), "centre 422")  # in_flight → rejected
    outbox.ack(dead.id, "A3")  # rejected → sent

    refused = new()
    outbox.reject(lease(refused), "centre 400")
    outbox.retry(refused.id)  # rejected → pending
    for _ in range(settings.max_attempts):
        clock.advance(settings.backoff_cap_s)
        outbox.fail(lease(refused), "no answer")
    outbox.ack(refused.id, "A4")  # dead → sent

    exhausted = new()
    clock.advance(settings.backoff_cap_s)
    outbox.fail(lease(exhausted), "no answer")
    stricter = dataclasses.replace(settings, max_attempts=1)
    clock.advance(settings.backoff_cap_s)
    assert Outbox(outbox.db, outbox.cipher, stricter, clock=clock).lease("w", 60) is None  # pending → dead


def test_every_move_the_outbox_makes_is_in_the_table_and_every_row_is_used(outbox, clock, settings):
    moves = _record_moves(outbox)
    _every_path_the_outbox_takes(outbox, clock, settings)
    made = moves()
    assert {after for before, after in made if before is None} == {INITIAL}
    assert {(b, a) for b, a in made if b is not None} == TABLE_MOVES


def test_every_state_is_reachable_from_the_initial_state():
    reached, frontier = {INITIAL}, [INITIAL]
    while frontier:
        state = frontier.pop()
        for (source, _), target in TRANSITIONS.items():
            if source is state and target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(ItemState)


def test_only_sent_is_terminal_and_nothing_leaves_it():
    assert TERMINAL == {ItemState.SENT}
    assert not [key for key in TRANSITIONS if key[0] in TERMINAL]
    assert set(NEEDS_STAFF).isdisjoint(TERMINAL)  # staff can always retry what waits for them


def test_every_state_needing_staff_can_be_retried_and_confirmed_late():
    for state in NEEDS_STAFF:
        assert transition(state, Event.RETRIED) is ItemState.PENDING
        assert transition(state, Event.CONFIRMED) is ItemState.SENT


@pytest.mark.parametrize(
    "state, event", [(s, e) for s in ItemState for e in Event if (s, e) not in TRANSITIONS], ids=lambda v: str(v)
)
def test_a_move_outside_the_table_is_refused_and_says_why(state, event):
    with pytest.raises(WrongState) as refused:
        transition(state, event, "outbox item 5")
    message = str(refused.value)
    assert f"outbox item 5 is {state}" in message and str(event) in message


def test_retrying_a_sent_item_is_refused_and_it_stays_sent(outbox):
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    outbox.ack(outbox.lease("w", 60).item.id, "A1")
    with pytest.raises(WrongState, match=f"outbox item {item.id} is sent; only dead or rejected items are retried"):
        outbox.retry(item.id)
    after = outbox.item(item.id)
    assert after.state is ItemState.SENT and after.centre_reference == "A1"


def test_the_state_column_is_written_in_one_place_only():
    sources = {path: path.read_text(encoding="utf-8") for path in Path(kiosk.__file__).parent.rglob("*.py")}
    writes = [str(path) for path, text in sources.items() for _ in re.finditer(r"\bSET\s+state\b", text)]
    assert len(writes) == 1, writes


def test_the_schema_allows_exactly_the_states_of_the_table():
    schema = " ".join(" ".join(m.statements) for m in MIGRATIONS)
    allowed = re.search(r"CHECK \(state IN \(([^)]*)\)\)", schema).group(1)
    assert {v.strip(" '") for v in allowed.split(",")} == {str(s) for s in ItemState}
