"""The last look before a service is sent: what the resident checks, and 「修改」 beside the
rows they may change.

A review is rows of (label, value). A value is a `Bilingual` (shown in the session's
language only), a plain `str` (the resident's own data, shown as it is: a masked ID number,
an outlet's name) or the photo's JPEG bytes (shown as a thumbnail). Names the resident typed
from a passport or permit are shown in full, so a typo can be seen; names read from an ID
card's chip cannot be mistyped and stay masked.

Touching 「修改」 answers `Change(label)`; `ask_review` turns it into a `Revisit` of the step
that asked for that row, which `walk` (kiosk.flows.apply_card) runs before it shows the
review again. Flows name the steps; screens know only the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Mapping

from kiosk.domain.application import Identity, Position, Role, Source
from kiosk.domain.documents import TITLES
from kiosk.flows.port import FlowPort
from kiosk.flows.steps import BACK, CONFIRM, LEAVING, Change
from kiosk.i18n import Bilingual, bi

Value = Bilingual | str | bytes | bytearray
Row = tuple[Bilingual, Value]
Step = Callable[[FlowPort, Any], Awaitable[Any]]

# Who is who when one person applies for another: the card's holder and the one at the kiosk.
ROLE_LABELS: dict[tuple[Role, Position], Bilingual] = {
    (Role.SELF, Position.APPLICANT): bi("持卡人（您）", "Cardholder (you)"),
    (Role.MINOR, Position.APPLICANT): bi("持卡人（孩子）", "Cardholder (your child)"),
    (Role.MINOR, Position.GUARDIAN): bi("监护人（您）", "Guardian (you)"),
    (Role.PROXY, Position.APPLICANT): bi("持卡人", "Cardholder"),
    (Role.PROXY, Position.PROXY): bi("代办人（您）", "Proxy (you)"),
}


@dataclass(frozen=True)
class Revisit:
    """A step's answer that has the walk run `step` (one of the flow's steps, or a part of
    one), then the step that asked again, whatever `step` answered short of leaving."""

    step: Step


def role_label(role: Role, position: Position) -> Bilingual:
    return ROLE_LABELS[(role, position)]


def shown_name(person: Identity) -> str:
    """A typed name in full (with the Chinese name written at the kiosk, if any), so the
    resident can spot a typo; a name read from the chip masked."""
    if person.source is Source.TYPED:
        return f"{person.name}（{person.chinese_name}）" if person.chinese_name else person.name
    return person.masked_name


def shown_document(person: Identity) -> Bilingual:
    """The document's kind in the session's language and its number, masked."""
    title = TITLES[person.document]
    return Bilingual(f"{title.zh} {person.masked_number}", f"{title.en} {person.masked_number}")


async def ask_review(
    port: FlowPort, title: Bilingual, rows: list[Row], changes: Mapping[Bilingual, Step] | None = None
) -> str | Revisit:
    """CONFIRM, BACK, HOME, or a Revisit of the step that changes the touched row. Only rows
    shown get 「修改」, so a flow may name steps for rows it leaves out."""
    changes = changes or {}
    shown = [label for label, _value in rows if label in changes]
    while True:
        answer = await port.ask("review", title=title, rows=rows, changes=shown)
        if not isinstance(answer, Change):
            return answer if answer == CONFIRM or answer in LEAVING else BACK
        if answer.label in shown:
            return Revisit(changes[answer.label])
        # a row that was offered no 「修改」: the review stays as it is
