"""`kiosk audit`: read the audit trail; `record` for the update hooks; `catalogue` for the docs.

    kiosk audit [--since T] [--event ID] [--json]     what happened (T: 2026-12-03, 2026-12-03T08:00, 2h, 30min, 7d)
    kiosk audit record EVENT key=value …              an update hook's event (update-installed, …)
    kiosk audit catalogue [--markdown | --json]       every event the trail can hold

Exit codes: 0 done; 1 the trail cannot be read, or an event was not written to the file
(the journal has it); 2 usage: a time, an event or a field the catalogue does not allow.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime, timedelta, timezone
from typing import Any

from kiosk.cli import exitcodes
from kiosk.cli.main import CLI, emit, load_config_or_exit

RECORDABLE = ("update-installed", "update-rolled-back", "slot-marked-good")
"""What `kiosk audit record` may write: the update hooks' events, nothing a resident or staff did."""

_RELATIVE = re.compile(r"(?P<n>[0-9]+)\s*(?P<unit>s|min|m|h|d)")
_UNITS = {"s": "seconds", "min": "minutes", "m": "minutes", "h": "hours", "d": "days"}


def register(cli: CLI) -> None:
    p = cli.command(None, "audit", "The audit trail: sessions, services, devices, staff, updates (no personal data)",
                    show, json_output=True)  # fmt: skip
    p.add_argument("--since", metavar="T", type=since_time, help="only events from T on: a date or time (local), or 2h, 30min, 7d ago")
    p.add_argument("--event", metavar="ID", help="only this event (a long action's -init and -complete both)")
    sub = p.add_subparsers(dest="audit_command", metavar="COMMAND")
    r = sub.add_parser("record", help="write one update event (for the RAUC hooks)", description=record.__doc__)
    CLI.add_common(r)
    r.add_argument("event", choices=RECORDABLE)
    r.add_argument("fields", nargs="*", metavar="KEY=VALUE")
    r.set_defaults(run=record)
    c = sub.add_parser("catalogue", help="every event the trail can hold", description=catalogue.__doc__)
    c.add_argument("--markdown", action="store_true", help="as docs/audit-events.md")
    c.add_argument("--json", action="store_true", help="print JSON for scripts")
    c.set_defaults(run=catalogue)


def since_time(text: str) -> datetime:
    """A point in time from the command line: an ISO date or time (local if it has no zone),
    or how long ago."""
    relative = _RELATIVE.fullmatch(text.strip())
    if relative:
        return datetime.now(timezone.utc) - timedelta(**{_UNITS[relative["unit"]]: int(relative["n"])})
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a time: {text!r} (2026-12-03, 2026-12-03T08:00, 2h, 30min, 7d)") from None
    return moment if moment.tzinfo else moment.astimezone()


def _when(entry: dict[str, Any]) -> datetime | None:
    try:
        return datetime.fromisoformat(entry["ts"])
    except (KeyError, TypeError, ValueError):
        return None


def show(args: argparse.Namespace) -> int:
    from kiosk.audit import AuditFile, catalogue as audit_catalogue

    if args.event is not None and args.event not in audit_catalogue().events:
        print(f"no audit event {args.event!r}; `kiosk audit catalogue` lists them", file=sys.stderr)
        return exitcodes.USAGE
    cfg = load_config_or_exit(args)
    trail = AuditFile(cfg.data_dir)
    try:
        result = trail.read()
    except OSError as exc:
        print(f"cannot read the audit trail in {cfg.data_dir}: {exc.strerror or exc}", file=sys.stderr)
        return exitcodes.FAILED
    entries = [e for e in result.entries if _wanted(e, args)]
    if result.damaged:
        print(f"{result.damaged} damaged line(s) in the audit trail were skipped", file=sys.stderr)
    emit(args, entries, _table(entries) if entries else "no audit events")
    return exitcodes.OK


def _wanted(entry: dict[str, Any], args: argparse.Namespace) -> bool:
    if args.event is not None and entry["event"].removesuffix("-init").removesuffix("-complete") != args.event:
        return False
    if args.since is not None:
        when = _when(entry)
        return when is not None and when >= args.since
    return True


def _table(entries: list[dict[str, Any]]) -> str:
    rows = [f"{'TIME (local)':<19}  {'EVENT':<26} {'RESULT':<8} FIELDS"]
    for e in entries:
        when = _when(e)
        shown = when.astimezone().strftime("%Y-%m-%d %H:%M:%S") if when else str(e.get("ts", "?"))
        fields = " ".join(f"{k}={v}" for k, v in (e.get("fields") or {}).items())
        if e.get("repeats"):
            fields += f"  (×{e['repeats']} more)"
        rows.append(f"{shown:<19}  {e['event']:<26} {e.get('disposition', ''):<8} {fields}".rstrip())
    return "\n".join(rows)


def record(args: argparse.Namespace) -> int:
    """Write one update event to the audit trail (for the RAUC install and slot-health hooks):
    `kiosk audit record update-installed slot=B version=0.2.0`."""
    from kiosk import audit
    from kiosk.logs import setup_logging

    setup_logging()  # the line goes to stderr too: the hook's journal
    fields: dict[str, Any] = {}
    for word in args.fields:
        key, sep, value = word.partition("=")
        if not sep or not key:
            print(f"not KEY=VALUE: {word!r}", file=sys.stderr)
            return exitcodes.USAGE
        fields[key] = int(value) if value.isdigit() and _is_count(args.event, key) else value
    cfg = load_config_or_exit(args)
    trail = audit.configure(cfg.data_dir, cfg.terminal_id)
    try:
        trail.record(args.event, **fields)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return exitcodes.USAGE
    if trail.file_failed is not None:
        print(f"written to the journal only: {trail.file_failed}", file=sys.stderr)
        return exitcodes.FAILED
    return exitcodes.OK


def _is_count(event: str, key: str) -> bool:
    from kiosk.audit import FieldType, catalogue as audit_catalogue

    return audit_catalogue().event(event).fields.get(key) is FieldType.COUNT


def catalogue(args: argparse.Namespace) -> int:
    """Every event the audit trail can hold: its id, what it means, its fields."""
    from kiosk.audit import catalogue as audit_catalogue
    from kiosk.audit.markdown import render, to_dict

    cat = audit_catalogue()
    if args.markdown:
        sys.stdout.write(render(cat))
        return exitcodes.OK
    lines = [f"{', '.join(spec.written_ids):<44} {spec.means}" for spec in cat.events.values()]
    emit(args, to_dict(cat), "\n".join(lines))
    return exitcodes.OK
