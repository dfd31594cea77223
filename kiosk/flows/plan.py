"""Where a resident is in a service: its plan of named steps, and the kind of each step.

The shell shows the plan as the step strip under the top bar (「第3步/共8步 · 拍照」), so a
resident always knows how far they are and how much is left; the kind of step sets how long
the kiosk waits for a touch (a parent searching a bag for the 户口簿 needs longer than a
menu). A flow names its steps and says which one it is at (`port.progress`); it never says
how a step looks or how long it waits: the shell decides both.

A step of a `walk`ed flow declares its stage with `@stage(...)`, or its stages with
`@stages(fn)` when a branch adds some (the guardian's card before the child's): the plan is
worked out again before every step, so the total grows the moment the branch is taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Callable, Iterable, Sequence, TypeVar

from kiosk.i18n import Bilingual

F = TypeVar("F", bound=Callable[..., Any])


class StepKind(StrEnum):
    """What a step asks of the resident: the shell waits longer for some than for others."""

    CHOICE = "choice"  # touch one of a few options
    DOCUMENT = "document"  # find a document and put it on a reader (ID card, 户口簿, the social security card)
    TYPING = "typing"  # type or write something: a number, a name, an address, a PIN
    CAMERA = "camera"  # stand in front of the camera
    CHECK = "check"  # read what was entered and confirm it, or sign it


@dataclass(frozen=True)
class Stage:
    """One named step of a plan: 「拍照」, a CAMERA step."""

    name: Bilingual
    kind: StepKind


@dataclass(frozen=True)
class Progress:
    """Where in the plan the resident is: what the step strip says."""

    plan: tuple[Stage, ...]
    index: int  # 0-based, into plan

    def __post_init__(self) -> None:
        if not 0 <= self.index < len(self.plan):
            raise ValueError(f"step {self.index + 1} of {len(self.plan)} is not a step of the plan")

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def total(self) -> int:
        return len(self.plan)

    @property
    def stage(self) -> Stage:
        return self.plan[self.index]

    @property
    def kind(self) -> StepKind:
        return self.stage.kind

    @property
    def label(self) -> Bilingual:
        name = self.stage.name
        return Bilingual(
            f"第{self.number}步/共{self.total}步 · {name.zh}", f"Step {self.number} of {self.total} · {name.en}"
        )

    def next(self) -> Progress:
        """The following stage of a step that has several (the guardian's card, then the child's)."""
        return Progress(self.plan, min(self.index + 1, self.total - 1))


def stage(declared: Stage) -> Callable[[F], F]:
    """Declare the stage a step of a walked flow stands for."""

    def mark(step: F) -> F:
        step.stages = lambda _subject: (declared,)
        return step

    return mark


def stages(of: Callable[[Any], Sequence[Stage]]) -> Callable[[F], F]:
    """Declare the stages a step stands for, given what the flow knows so far (the role
    chosen): a branch that adds stages makes the plan longer from then on."""

    def mark(step: F) -> F:
        step.stages = of
        return step

    return mark


def stages_of(step: Callable[..., Any], subject: Any) -> tuple[Stage, ...]:
    """The stages `step` declared for `subject`; none if it declared nothing."""
    declared = getattr(step, "stages", None)
    return tuple(declared(subject)) if declared is not None else ()


def progress_at(steps: Iterable[Callable[..., Any]], index: int, subject: Any) -> Progress | None:
    """Where the resident is when the walk is at `steps[index]`: the first stage that step
    declared, counted over the whole plan; None where that step declares none (a lookup at
    the centre, a step this resident skips) or the flow has no plan."""
    plan: list[Stage] = []
    first = None
    for at, step in enumerate(steps):
        declared = stages_of(step, subject)
        if at == index and declared:
            first = len(plan)
        plan.extend(declared)
    return Progress(tuple(plan), first) if first is not None else None


def at_stage(port: Any, plan: Sequence[Stage], declared: Stage | None) -> None:
    """For a flow that does not walk a tuple of steps: say where it is in its plan by hand
    (None: past the plan, storing or printing or showing the result)."""
    port.progress = Progress(tuple(plan), tuple(plan).index(declared)) if declared is not None else None
