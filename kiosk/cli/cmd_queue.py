"""`kiosk queue status|list|retry|purge|voucher|sync`: the offline outbox, for staff and technicians.

Nothing here prints personal data: items are shown by id, kind, state and voucher serial;
`voucher` prints the stored voucher, whose name and ID number were masked before storing.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from kiosk.cli import exitcodes
from kiosk.cli.main import CLI, emit, load_config_or_exit


def register(cli: CLI) -> None:
    cli.group("queue", "The offline outbox: what waits to be sent to the card centre")
    cli.command("queue", "status", "Counts per state, the oldest waiting item, items and alerts for staff", status, json_output=True)
    p = cli.command("queue", "list", "Items in the outbox (no personal data)", list_items, json_output=True)
    p.add_argument("--state", action="append", choices=["pending", "in_flight", "sent", "dead", "rejected"],
                   help="only items in this state (repeatable)")  # fmt: skip
    p.add_argument("--limit", type=int, default=200)
    p = cli.command("queue", "retry", "Put dead or rejected items back in the queue", retry, json_output=True)
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p = cli.command("queue", "purge", "Delete sent items past the retention period (--dead: dead and rejected ones too)", purge, json_output=True)
    p.add_argument("--dead", action="store_true", help="also delete dead and rejected items: their data is lost")
    p.add_argument("--yes", action="store_true", help="confirm --dead without being asked")
    p = cli.command("queue", "voucher", "The stored voucher of an item, to print it again", voucher, json_output=True)
    p.add_argument("id", type=int, metavar="ID")
    p = cli.command("queue", "sync", "Send what is due to the card centre now", sync, json_output=True)
    p.add_argument("--limit", type=int, help="at most this many items")


def _open(args: argparse.Namespace):
    from kiosk.keys import KeyFileError, read_key_file
    from kiosk.offline.database import StoreError
    from kiosk.offline.outbox import Outbox

    cfg = load_config_or_exit(args)
    try:
        return cfg, Outbox.open(cfg.data_dir, read_key_file(cfg.key_file), cfg.outbox)
    except (KeyFileError, StoreError) as exc:
        print(f"cannot open the outbox in {cfg.data_dir}: {exc}", file=sys.stderr)
        raise SystemExit(exitcodes.FAILED) from None


def _duration(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f} {unit}"
    return f"{seconds:.0f} s"


def _ago(ts: float | None, now: float) -> str:
    if ts is None:
        return "-"
    return f"in {_duration(ts - now)}" if ts > now else f"{_duration(now - ts)} ago"


def status(args: argparse.Namespace) -> int:
    _cfg, outbox = _open(args)
    with outbox:
        st = outbox.status()
    lines = ["  ".join(f"{state} {n}" for state, n in st.counts.items())]
    if st.oldest_pending_age_s is not None:
        lines.append(f"the oldest pending item has waited {_duration(st.oldest_pending_age_s)}")
    if st.needs_staff:
        lines.append(f"need staff (dead or rejected): {', '.join(map(str, st.needs_staff))}  → kiosk queue retry ID")
    for alert in st.open_alerts:
        lines.append(f"ALERT {alert.id}: {alert.message}")
    emit(args, st.to_dict(), "\n".join(lines))
    return exitcodes.FAILED if st.needs_staff else exitcodes.OK


def list_items(args: argparse.Namespace) -> int:
    from kiosk.offline.item_states import ItemState

    _cfg, outbox = _open(args)
    with outbox:
        items = outbox.items(args.state or (), args.limit)
    now = time.time()
    rows = [f"{'ID':>5}  {'KIND':<17} {'STATE':<9} {'TRIES':>5}  {'CREATED':<12} {'NEXT TRY / CENTRE REF':<22} {'VOUCHER':<24} LAST ERROR"]
    for it in items:
        if it.state is ItemState.PENDING:
            when = "due now" if it.next_attempt_at <= now else _ago(it.next_attempt_at, now)
        elif it.state is ItemState.IN_FLIGHT:
            when = f"leased, ends {_ago(it.lease_until, now)}"
        else:
            when = it.centre_reference or "-"
        error = it.last_error if it.last_error and it.state is not ItemState.SENT else ""
        rows.append(
            f"{it.id:>5}  {it.kind:<17} {it.state:<9} {it.attempts:>5}  {_ago(it.created_at, now):<12}"
            f" {when:<22} {it.voucher_serial or '-':<24} {error}".rstrip()
        )
    emit(args, [it.to_dict() for it in items], "\n".join(rows) if items else "the outbox is empty")
    return exitcodes.OK


def retry(args: argparse.Namespace) -> int:
    from kiosk.offline.outbox import UnknownItem, WrongState

    _cfg, outbox = _open(args)
    done, problems = [], []
    with outbox:
        for item_id in args.ids:
            try:
                done.append(outbox.retry(item_id).id)
            except (UnknownItem, WrongState) as exc:
                problems.append(str(exc))
    for problem in problems:
        print(problem, file=sys.stderr)
    emit(args, {"retried": done, "problems": problems}, f"back in the queue: {', '.join(map(str, done)) or 'none'}")
    return exitcodes.FAILED if problems else exitcodes.OK


def purge(args: argparse.Namespace) -> int:
    if args.dead and not args.yes and not _confirmed("Delete every dead and rejected item? Their data is lost for good."):
        print("nothing deleted: --dead needs --yes (or answer 'yes')", file=sys.stderr)
        return exitcodes.USAGE
    cfg, outbox = _open(args)
    with outbox:
        result: dict[str, Any] = {"sent_pruned": outbox.prune_sent()}
        if args.dead:
            result["dead_purged"] = outbox.purge_needing_staff()
    human = f"removed {result['sent_pruned']} sent item(s) older than {cfg.outbox.retention_days} days"
    if args.dead:
        human += f" and {result['dead_purged']} dead or rejected item(s)"
    emit(args, result, human)
    return exitcodes.OK


def _confirmed(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    try:
        return input(f"{question} Type yes: ").strip().lower() == "yes"
    except EOFError:
        return False


def voucher(args: argparse.Namespace) -> int:
    from kiosk.offline.database import StoreError
    from kiosk.offline.item_states import ItemState

    _cfg, outbox = _open(args)
    with outbox:
        try:
            item = outbox.item(args.id)
            fields = outbox.voucher(args.id)
        except StoreError as exc:
            print(exc, file=sys.stderr)
            return exitcodes.FAILED
    if fields is None:
        print(f"outbox item {args.id} ({item.kind}) has no voucher", file=sys.stderr)
        return exitcodes.FAILED
    fields["uploaded"] = item.state is ItemState.SENT
    human = "\n".join(f"{key}: {_readable(value)}" for key, value in fields.items())
    emit(args, {"item": args.id, "state": str(item.state), "voucher": fields}, human)
    return exitcodes.OK


def _readable(value: Any) -> str:
    """Bilingual texts (stored as {"zh", "en"}) as 中文 / English; lists one per line."""
    if isinstance(value, dict) and set(value) == {"zh", "en"}:
        return f"{value['zh']} / {value['en']}"
    if isinstance(value, list):
        return "".join(f"\n  - {_readable(v)}" for v in value) or "-"
    return "-" if value is None else str(value)


def sync(args: argparse.Namespace) -> int:
    from kiosk.centre.connect import centre_client
    from kiosk.offline.sync import SyncWorker

    cfg, outbox = _open(args)
    with outbox, centre_client(cfg) as client:
        print(f"sending what is due to {cfg.centre_url} ...", file=sys.stderr, flush=True)
        report = SyncWorker(outbox, client).sync_once(args.limit)
    data = {
        "sent": report.sent,
        "retrying": report.retrying,
        "needs_staff": report.needs_staff,
        "centre_unreachable": report.centre_unreachable,
    }
    human = f"sent {report.sent}, to retry {report.retrying}, for staff {report.needs_staff}"
    if report.centre_unreachable:
        human += f"; the centre at {cfg.centre_url} cannot be reached"
    emit(args, data, human)
    return exitcodes.OFFLINE if report.centre_unreachable else exitcodes.OK
