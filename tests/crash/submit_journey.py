"""The crash test's kiosk: one whole application, headless, in a process of its own.

`python -m tests.crash.submit_journey --config FILE` plays a scripted resident through the
apply flow against the running simulators. With KIOSK_TEST_PAUSE_AFTER_COMMIT=MARKER the
submission stops right after the outbox commit (kiosk.flows.submission), writes the
outbox item's id to MARKER and waits there to be killed.
"""

from __future__ import annotations

import argparse
import asyncio

from kiosk.config import load_config
from kiosk.flows.apply_card import apply_for_card
from kiosk.flows.context import FlowTimeouts, KioskServices
from kiosk.flows.scripted import ScriptedPort
from kiosk.logs import setup_logging
from tests.flows import journeys


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    args = parser.parse_args()
    setup_logging("INFO")
    services = KioskServices.build(load_config(args.config), timeouts=FlowTimeouts(card_wait_s=10, card_poll_s=0.05))
    try:
        port = ScriptedPort(journeys.for_myself("resident") + journeys.FINISH, services=services)
        asyncio.run(apply_for_card(port))
    finally:
        services.close()


if __name__ == "__main__":
    main()
