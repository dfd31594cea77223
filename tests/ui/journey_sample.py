"""Which residents a many-journey UI scenario walks in this run.

A scenario that walks several residents through one service at one kiosk (five replacements,
nine card services) is where the suite's minutes go. The suite (scripts/run-tests, CI) walks a
sample that still passes every kind of step; `KIOSK_JOURNEYS=all` walks every one of them
(scripts/long-checks, before a release). A test about a resident the run did not walk is
skipped and says where it runs; it is never passed.

The scenario runs in the app's own process: run_scenario hands it the variable.
"""

from __future__ import annotations

import os
from typing import Callable, Iterable, TypeVar

import pytest

VARIABLE = "KIOSK_JOURNEYS"
LONG_COMMAND = "scripts/long-checks"

J = TypeVar("J", bound=Callable)


def every_journey() -> bool:
    return os.environ.get(VARIABLE, "") == "all"


def walked(journeys: dict[str, J], sample: Iterable[str]) -> list[tuple[str, J]]:
    """The journeys to walk with their keys (what each records its screens under): all of
    them, or those named in `sample`."""
    sample = set(sample)
    unknown = sample - set(journeys)
    if unknown:
        raise ValueError(f"the sample names journeys the scenario does not have: {sorted(unknown)}")
    return [(key, journey) for key, journey in journeys.items() if every_journey() or key in sample]


def require(report: dict, key: str) -> None:
    """Skip a test about journey `key` when this run did not walk it (its screens were not
    recorded); in a run of every journey, a missing one is a failure, not a skip."""
    if f"{key}.problems" in report:
        return
    if every_journey():
        pytest.fail(f"journey {key!r} was not walked although {VARIABLE}=all")
    pytest.skip(f"journey {key!r} is walked by {LONG_COMMAND} ({VARIABLE}=all), not in the suite's sample")
