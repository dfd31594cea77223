"""When to try a failed delivery again: capped exponential backoff with full jitter.

Full jitter (a uniform draw between 0 and the capped exponential) keeps a district's worth of
kiosks that lost the network together from all retrying in the same second when it returns.
"""

from __future__ import annotations

import random

from kiosk.config import OutboxSettings


def ceiling(attempt: int, settings: OutboxSettings) -> float:
    """The longest wait after the `attempt`-th failed attempt (1-based)."""
    exponent = min(max(attempt - 1, 0), 62)  # 2**62 * base is far past any cap
    return min(settings.backoff_cap_s, settings.backoff_base_s * 2.0**exponent)


def delay(attempt: int, settings: OutboxSettings, rng: random.Random) -> float:
    return rng.uniform(0.0, ceiling(attempt, settings))
