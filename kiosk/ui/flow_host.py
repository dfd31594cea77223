"""Runs a service's flow as an asyncio task and lends it the screens through a `FlowPort`.

Flows are coroutines on the same asyncio loop as Kivy (the app runs under
`App.async_run`), so a flow awaiting the resident never blocks the UI, and ending the
session cancels both the task and every device wait it started (the port's CancelToken).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from kiosk.drivers.status import CancelToken
from kiosk.flows.audited import run_service
from kiosk.flows.session import Session
from kiosk.health.journeys import JourneyCounter, JourneyEvent
from kiosk.ui.navigator import Navigator

if TYPE_CHECKING:  # importing the registry imports every flow, which the first screen does not need
    from kiosk.flows.registry import FlowFactory

log = logging.getLogger(__name__)
T = TypeVar("T")


class ScreenPort:
    """A FlowPort whose steps are the kiosk's screens."""

    def __init__(self, service: str, session: Session, navigator: Navigator, services: Any = None,
                 language: Callable[[], str] = lambda: "zh") -> None:  # fmt: skip
        self.service = service
        self.session = session
        self.services = services  # kiosk.flows.context.KioskServices: config, policy, drivers, outbox
        self.cancel_token = CancelToken()
        self.progress = None  # kiosk.flows.plan.Progress, set by the flow; the shell's step strip shows it
        self._navigator = navigator
        self._language = language

    @property
    def language(self) -> str:
        """The shell's language at this moment: the resident may switch it mid-service."""
        return self._language()

    def _still_mine(self) -> None:
        # A flow that swallowed its cancellation must not take the screen back.
        if self.cancel_token.cancelled:
            raise asyncio.CancelledError(f"the {self.service} flow was cancelled")

    async def show(self, screen: str, **params: Any) -> None:
        self._still_mine()
        self._navigator.go(screen, **params)

    async def ask(self, screen: str, **params: Any) -> Any:
        self._still_mine()
        future = asyncio.get_running_loop().create_future()
        self._navigator.go(screen, **params).await_answer(future)
        return await future

    async def device(self, operation: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        self._still_mine()
        return await asyncio.to_thread(operation, *args, cancel=self.cancel_token, **kwargs)


class FlowHost:
    """At most one flow at a time; `on_done(service, error)` is told how it ended unless cancelled."""

    def __init__(
        self,
        navigator: Navigator,
        session: Session,
        on_done: Callable[[str, BaseException | None], None],
        services: Callable[[], Any] = lambda: None,  # asked when a flow starts: they are built after the first frame
        journeys: JourneyCounter | None = None,  # how journeys end, for the fleet's metrics (kiosk.health)
        language: Callable[[], str] = lambda: "zh",  # the shell's current language, for the flow's port
    ) -> None:
        self.journeys = journeys or JourneyCounter()
        self._navigator = navigator
        self._session = session
        self._services = services
        self._language = language
        self._on_done = on_done
        self._task: asyncio.Task | None = None
        self._port: ScreenPort | None = None

    @property
    def running(self) -> str | None:
        """The service whose flow is running, if any."""
        if self._task is not None and not self._task.done():
            return self._port.service
        return None

    @property
    def port(self) -> ScreenPort | None:
        """The running flow's port, if a flow runs."""
        return self._port if self.running else None

    @property
    def progress(self):
        """Where the running flow's resident is in its plan (kiosk.flows.plan.Progress), or None."""
        return self.port.progress if self.port is not None else None

    def start(self, service: str, factory: FlowFactory) -> None:
        self.cancel()
        port = ScreenPort(service, self._session, self._navigator, self._services(), self._language)
        task = asyncio.ensure_future(run_service(service, factory, port))  # started/ended in the audit trail
        self._task, self._port = task, port
        task.add_done_callback(lambda t: self._finished(t, service))
        self.journeys.count(service, JourneyEvent.STARTED)
        log.info("flow %s started", service)

    def cancel(self) -> None:
        task, port = self._task, self._port
        self._task = self._port = None
        if port is not None:
            port.cancel_token.cancel()
        if task is not None and not task.done():
            task.cancel()
            if port is not None:
                self.journeys.count(port.service, JourneyEvent.ABANDONED)
            log.info("flow %s cancelled", port.service if port else "?")

    def _finished(self, task: asyncio.Task, service: str) -> None:
        if task.cancelled() or self._task is not task:
            return  # whoever cancelled it (or started another) has moved the screen on
        self._task = self._port = None
        error = task.exception()
        self.journeys.count(service, JourneyEvent.FINISHED if error is None else JourneyEvent.FAILED)
        if error is not None:
            # The redacting log filter masks any ID or phone number the traceback carries.
            log.error("flow %s failed", service, exc_info=error)
        self._on_done(service, error)
