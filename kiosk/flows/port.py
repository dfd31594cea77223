"""The port between a flow and whatever presents it to the resident.

A flow never imports Kivy. It describes each step as a plain value (a question to ask,
a notice to show, a device to wait for) and awaits the resident's answer through a
`Port`. The Kivy shell implements the port with screens; tests implement it with a
scripted resident (`kiosk.flows.scripted`), so every flow runs headless too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Awaitable, Literal, Protocol, TypeVar

from kiosk.i18n import Bilingual

T = TypeVar("T")

# Answers every question may get besides its own options.
BACK = "back"  # the resident touched "上一步 / Back"
HOME = "home"  # the resident touched "返回首页 / Home" or the session timed out


@dataclass(frozen=True)
class Option:
    code: str
    label: Bilingual
    detail: Bilingual | None = None  # a second line, e.g. an outlet's address


@dataclass(frozen=True)
class Answer:
    code: str  # an option code, "ok", BACK or HOME
    value: Any = None  # typed text, a signature PNG, a photo result …

    @property
    def leaving(self) -> bool:
        return self.code in (BACK, HOME)


# --- steps: what the resident is asked or shown -------------------------------------


@dataclass(frozen=True)
class Choose:
    """Pick one of a few big buttons."""

    title: Bilingual
    options: tuple[Option, ...]
    note: Bilingual | None = None


@dataclass(frozen=True)
class Notice:
    """A message with one or more buttons; tone says how it looks (an error is red)."""

    title: Bilingual
    body: Bilingual
    tone: Literal["info", "warning", "error"] = "info"
    actions: tuple[Option, ...] = ()


@dataclass(frozen=True)
class KeyIn:
    """Typed input on the kiosk's own keypad (never a system keyboard)."""

    title: Bilingual
    keypad: Literal["digits", "id_number", "text"]
    hint: Bilingual | None = None
    max_length: int = 40
    masked: bool = False  # PIN entry: shows dots, shuffled keypad


@dataclass(frozen=True)
class Review:
    """Everything the resident is about to submit, masked where it should be."""

    title: Bilingual
    rows: tuple[tuple[Bilingual, str], ...]


@dataclass(frozen=True)
class Sign:
    """A signature drawn on the screen (签字确认); the answer's value is PNG bytes."""

    title: Bilingual
    statement: Bilingual


@dataclass(frozen=True)
class TakePhoto:
    """Live preview with guidance; `camera` is the flow's photo session (preview frames,
    guidance, capture), the answer's value the accepted photo."""

    title: Bilingual
    camera: Any
    optional: bool = False


@dataclass(frozen=True)
class Wait:
    """Shown while a device or the centre works; the resident may only cancel."""

    title: Bilingual
    body: Bilingual
    cancellable: bool = True
    picture: str = ""  # which illustration: "id_card", "card_reader", "printer", "network"


@dataclass(frozen=True)
class Done:
    title: Bilingual
    body: Bilingual
    extra: tuple[Bilingual, ...] = field(default_factory=tuple)


Step = Choose | Notice | KeyIn | Review | Sign | TakePhoto | Wait | Done


class Cancelled(Exception):
    """The resident left (Back/Home) while the flow waited for a device."""

    def __init__(self, code: str = HOME) -> None:
        super().__init__(code)
        self.code = code


class Port(Protocol):
    async def ask(self, step: Step) -> Answer:
        """Present `step` and return the resident's answer."""

    async def wait(self, step: Wait, work: Awaitable[T]) -> T:
        """Show `step` while `work` runs; raises Cancelled if the resident leaves first."""
