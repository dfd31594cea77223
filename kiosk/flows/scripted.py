"""A scripted resident: answers a flow's steps from a list, for headless flow tests and
for technicians replaying a journey without the touchscreen."""

from __future__ import annotations

from collections import deque
from typing import Any, Awaitable, Callable, Iterable, TypeVar

from kiosk.flows.port import Answer, Step, Wait

T = TypeVar("T")
Reply = Answer | str | Callable[[Step], Answer]


class ScriptExhausted(AssertionError):
    pass


class ScriptedResident:
    """Each `ask` takes the next reply: an Answer, an option code, or a function of the step.

    Every step shown is kept in `seen`, so a test can check what the resident was told.
    """

    def __init__(self, replies: Iterable[Reply] = ()) -> None:
        self.replies: deque[Reply] = deque(replies)
        self.seen: list[Step] = []

    def then(self, *replies: Reply) -> "ScriptedResident":
        self.replies.extend(replies)
        return self

    async def ask(self, step: Step) -> Answer:
        self.seen.append(step)
        if not self.replies:
            raise ScriptExhausted(f"the script has no answer for {type(step).__name__}: {getattr(step, 'title', '')}")
        reply = self.replies.popleft()
        if callable(reply):
            reply = reply(step)
        return reply if isinstance(reply, Answer) else Answer(reply)

    async def wait(self, step: Wait, work: Awaitable[T]) -> T:
        self.seen.append(step)
        return await work

    def titles(self, lang: str = "en") -> list[str]:
        return [s.title.get(lang) for s in self.seen if hasattr(s, "title")]


def answer(code: str, value: Any = None) -> Answer:
    return Answer(code, value)
