"""`kiosk fleet status [--centre URL] [--json]`: the centre's fleet view, each terminal's last
heartbeat (GET /v1/fleet), read with this terminal's own mutual-TLS enrolment.

Exit 0 when every terminal is heard from and fine, 1 when one needs someone (no heartbeat for
10 minutes, paper out, a dead or rejected item), 6 when the centre cannot be reached.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Any

from kiosk.cli import exitcodes
from kiosk.cli.main import CLI, emit, load_config_or_exit

SILENT_AFTER_S = 600  # deploy/monitoring/alerts.yml's "no heartbeat for 10 minutes"


def register(cli: CLI) -> None:
    cli.group("fleet", "The district's terminals as the centre sees them (their heartbeats)")
    p = cli.command("fleet", "status", "Each terminal's last heartbeat, its age and what needs attention", status, json_output=True)
    p.add_argument("--centre", metavar="URL", help="the centre's base URL (default: centre_url in the config)")


def problems(terminal: dict[str, Any]) -> list[str]:
    """What about one terminal needs someone, in a technician's words."""
    found = []
    if terminal["age_s"] > SILENT_AFTER_S:
        found.append(f"no heartbeat for {terminal['age_s'] / 60:.0f} min")
    status = terminal["status"]
    paper = status["devices"].get("printer", {}).get("paper")
    if paper in ("out", "jammed"):
        found.append(f"paper {paper}")
    items = status["outbox"]["items"]
    if items.get("dead") or items.get("rejected"):
        found.append(f"outbox: {items.get('dead', 0)} dead, {items.get('rejected', 0)} rejected")
    return found


def status(args: argparse.Namespace) -> int:
    from kiosk.centre.connect import centre_client

    cfg = load_config_or_exit(args)
    if args.centre:
        cfg = dataclasses.replace(cfg, centre_url=args.centre)
    with centre_client(cfg) as client:
        reply = client.fleet_status()
    if not reply.ok:
        print(f"the centre's fleet view could not be read: {reply.reason or reply.outcome}", file=sys.stderr)
        return exitcodes.OFFLINE if reply.retryable else exitcodes.FAILED
    terminals = reply.data["terminals"]
    found = {t["terminal_id"]: problems(t) for t in terminals}
    lines = [f"{len(terminals)} terminal(s) heard from"]
    for t in terminals:
        flags = "; ".join(found[t["terminal_id"]]) or "ok"
        lines.append(f"  {t['terminal_id']:<8} {t['status']['outlet_id']:<8} {t['age_s']:>6.0f} s ago  {flags}")
    emit(args, {"terminals": terminals, "problems": found}, "\n".join(lines))
    return exitcodes.FAILED if any(found.values()) else exitcodes.OK
