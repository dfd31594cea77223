"""The flow host counts how each resident's journey ends, for kiosk_journeys_total: finished,
failed, abandoned (the resident left, or another service was started over it). A stand-in
navigator: no window, no Kivy screen is made."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

from kiosk.ui.bootstrap import prepare_environment

prepare_environment(Path(os.environ.get("KIOSK_DATA_DIR") or tempfile.mkdtemp()))

from kiosk.flows.session import Session  # noqa: E402
from kiosk.health.journeys import JourneyCounter, JourneyEvent  # noqa: E402
from kiosk.ui.flow_host import FlowHost  # noqa: E402

S, F, X, A = JourneyEvent.STARTED, JourneyEvent.FINISHED, JourneyEvent.FAILED, JourneyEvent.ABANDONED


class StandInNavigator:
    def go(self, screen: str, **params):
        raise AssertionError("these flows show no screen")


async def finishes(port) -> None:
    await asyncio.sleep(0)


async def fails(port) -> None:
    raise RuntimeError("a fault in the flow")


async def waits(port) -> None:
    await asyncio.sleep(3600)


def run(*steps) -> JourneyCounter:
    """Each step is (service, factory) to start, or "cancel"; the loop runs between them."""
    counter = JourneyCounter()

    async def drive() -> None:
        host = FlowHost(StandInNavigator(), Session(), lambda _s, _e: None, journeys=counter)
        for step in steps:
            host.cancel() if step == "cancel" else host.start(*step)
            await asyncio.sleep(0.01)

    asyncio.run(drive())
    return counter


def test_a_flow_that_returns_is_a_finished_journey():
    assert run(("status_query", finishes)).counts() == {("status_query", S): 1, ("status_query", F): 1}


def test_a_flow_that_raises_is_a_failed_journey():
    assert run(("apply", fails)).counts() == {("apply", S): 1, ("apply", X): 1}


def test_a_resident_who_leaves_abandons_the_journey():
    assert run(("loss_report", waits), "cancel").counts() == {("loss_report", S): 1, ("loss_report", A): 1}


def test_starting_another_service_abandons_the_first():
    counts = run(("apply", waits), ("pin_change", finishes)).counts()
    assert counts == {("apply", S): 1, ("apply", A): 1, ("pin_change", S): 1, ("pin_change", F): 1}
