"""`python -m hwsim.card [--profile NAME] [--slot N]`: run the card simulator in the foreground
until Ctrl-C, SIGTERM or the `shutdown` control command (what `kiosk sim card serve` runs)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys

from hwsim.card.pcscd import PcscdError
from hwsim.card.profile import ProfileError
from hwsim.card.simulator import CardSimulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hwsim.card", description=__doc__)
    parser.add_argument("--profile", help="insert this card at start")
    parser.add_argument("--slot", type=int, default=0)
    parser.add_argument("--no-pcscd", action="store_true", help="do not start pcscd (use the running one)")
    parser.add_argument("--no-quickack", action="store_true", help="answer like a naive card (~44 ms per APDU)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s card-sim %(levelname)s %(message)s")
    sim = CardSimulator(manage_pcscd=not args.no_pcscd, quickack=not args.no_quickack)
    signal.signal(signal.SIGTERM, lambda *_: sim.stopped.set())
    try:
        sim.start()
        if args.profile:
            sim.insert(args.profile, args.slot)
    except (PcscdError, ProfileError, ValueError) as exc:
        print(f"card simulator: {exc}", file=sys.stderr)
        sim.stop()
        return 1
    try:
        sim.stopped.wait()
    except KeyboardInterrupt:
        pass
    sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
