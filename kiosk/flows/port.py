"""What a flow may ask of the kiosk shell: show a step, ask the resident, wait for a device.

The shell (`kiosk.ui.flow_host`) implements it with screens; a headless test implements it
with a scripted resident. A step is named by its screen (`kiosk/screens/<name>.py` and
`.kv`), so a flow that needs a new step brings one file pair and nothing else changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Protocol, TypeVar

from kiosk.drivers.status import CancelToken
from kiosk.flows.plan import Progress
from kiosk.flows.session import Session

if TYPE_CHECKING:
    from kiosk.flows.context import KioskServices

T = TypeVar("T")


class FlowPort(Protocol):
    service: str  # the service code being done, from kiosk.domain.services
    session: Session  # where the flow keeps what the resident entered and the devices read
    cancel_token: CancelToken  # cancelled when the resident leaves or the session times out
    services: KioskServices  # config, policy, devices, outbox, centre; None only if the kiosk could not start
    language: str  # the language the resident is reading now ("zh" or "en"): what the voucher is printed in
    # Which step of the service's plan the resident is at (kiosk.flows.plan), set by the flow
    # before it asks; None outside the plan (menus, "please wait", the result).
    progress: Progress | None

    async def show(self, screen: str, **params: Any) -> None:
        """Put a step on the screen and carry on at once (progress, "please wait")."""

    async def ask(self, screen: str, **params: Any) -> Any:
        """Put a step on the screen and wait for the resident's answer to it."""

    async def device(self, operation: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run a blocking driver operation off the UI thread with `cancel=cancel_token`.

        Drivers wait with a timeout and a CancelToken (kiosk.drivers.status); the port hands
        them its token, so walking away or an idle timeout stops the wait for a card too.
        """
