"""A headless FlowPort: a scripted resident answers, every step is recorded.

Flow tests and the journey bench run a flow with this port instead of the Kivy shell. Each
`ask` takes the next entry of the script, which names the screen it expects (so a test
fails where the flow went somewhere else, not three steps later) and the answer: a value,
or a function of the step (for answers that need the step's params, such as taking the
photo with the step's PhotoSession, or that do something first, such as placing a card).
"""

from __future__ import annotations

import asyncio
import inspect
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, TypeVar

from kiosk.drivers.status import CancelToken
from kiosk.flows.session import Session

T = TypeVar("T")


@dataclass
class Step:
    kind: str  # "show" or "ask"
    screen: str
    params: dict[str, Any] = field(repr=False)
    answer: Any = field(default=None, repr=False)
    progress: Any = None  # the flow's kiosk.flows.plan.Progress when it asked

    def text(self) -> str:
        """Every Bilingual in the params, both languages: what the resident could read."""
        parts: list[str] = []
        _collect(self.params, parts)
        return "\n".join(parts)


def _collect(value: Any, out: list[str]) -> None:
    from kiosk.flows.steps import Option
    from kiosk.i18n import Bilingual

    if isinstance(value, Bilingual):
        out.extend((value.zh, value.en))
    elif isinstance(value, Option):
        _collect(value.label, out)
        _collect(value.detail, out)
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, out)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _collect(item, out)


Answer = Any  # a value, or a callable(Step) -> value (or awaitable)
Entry = tuple[str, Answer]


class ScriptEnded(AssertionError):
    pass


class UnexpectedScreen(AssertionError):
    pass


Reaction = tuple[Callable[[Step], bool], Callable[[], Any]]


class ScriptedPort:
    """`reactions` are what the resident does on seeing a screen that asks nothing (placing
    the second ID card when told to): each fires once, at the first shown step it matches."""

    def __init__(self, script: Iterable[Entry] = (), *, services: Any = None, service: str = "apply",
                 session: Session | None = None, reactions: Iterable[Reaction] = (), language: str = "zh") -> None:  # fmt: skip
        self.service = service
        self.language = language
        self.services = services
        self.session = session or Session()
        self.cancel_token = CancelToken()
        self.progress = None  # set by the flow (kiosk.flows.plan)
        self.steps: list[Step] = []
        self._script: deque[Entry] = deque(script)
        self._reactions: list[Reaction] = list(reactions)

    def add(self, *entries: Entry) -> None:
        self._script.extend(entries)

    @property
    def remaining(self) -> int:
        return len(self._script)

    async def show(self, screen: str, **params: Any) -> None:
        step = Step("show", screen, params, progress=self.progress)
        self.steps.append(step)
        for reaction in list(self._reactions):
            matches, action = reaction
            if matches(step):
                self._reactions.remove(reaction)
                await asyncio.to_thread(action)

    @property
    def reactions_left(self) -> int:
        return len(self._reactions)

    async def ask(self, screen: str, **params: Any) -> Any:
        step = Step("ask", screen, params, progress=self.progress)
        self.steps.append(step)
        if not self._script:
            raise ScriptEnded(f"the flow asked {screen!r} after the script ended; steps: {self.screens()}")
        expected, answer = self._script.popleft()
        if expected != screen:
            raise UnexpectedScreen(f"the flow asked {screen!r} where the script expected {expected!r}; steps: {self.screens()}")
        if callable(answer):
            answer = answer(step)
            if inspect.isawaitable(answer):
                answer = await answer
        step.answer = answer
        return answer

    async def device(self, operation: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        return await asyncio.to_thread(operation, *args, cancel=self.cancel_token, **kwargs)

    # --- what happened -----------------------------------------------------------------

    def screens(self) -> list[str]:
        return [s.screen for s in self.steps]

    def asked(self, screen: str) -> list[Step]:
        return [s for s in self.steps if s.kind == "ask" and s.screen == screen]

    def last(self, screen: str) -> Step:
        for step in reversed(self.steps):
            if step.screen == screen:
                return step
        raise LookupError(f"the flow never showed {screen!r}; steps: {self.screens()}")
