"""`kiosk queue reprint ID`: print an item's voucher again, for staff, when the first print failed.

The voucher comes from the outbox, where it was stored (masked, sealed) in the same
transaction as the application itself, so a voucher is never lost with the paper: out of
paper, an unplugged printer, even a kiosk killed before it printed. The reprint says
"uploaded" once the centre has the application.
"""

from __future__ import annotations

import argparse
import sys

from kiosk.cli import exitcodes
from kiosk.cli.main import CLI, emit, load_config_or_exit
from kiosk.drivers.status import ResultCode

EXIT_CODES = {
    ResultCode.NO_MEDIA: exitcodes.NO_MEDIA,
    ResultCode.NO_DEVICE: exitcodes.NO_DEVICE,
    ResultCode.INVALID_DATA: exitcodes.FAILED,
}


def register(cli: CLI) -> None:
    cli.group("queue", "The offline outbox: what waits to be sent to the card centre")
    p = cli.command("queue", "reprint", "Print the voucher of an outbox item again", reprint, json_output=True)
    p.add_argument("id", type=int, metavar="ID", help="the item's id (`kiosk queue list` shows it beside the voucher serial)")
    p.add_argument("--port", metavar="URL", help="printer URL, e.g. serial:///dev/ttyS1?baud=9600 or sim://printer (default: the config's devices.printer)")


def reprint(args: argparse.Namespace) -> int:
    from kiosk.drivers.factory import build_printer
    from kiosk.drivers.simulation import load_simulator_hooks
    from kiosk.flows.record import reprint as print_again
    from kiosk.keys import KeyFileError, read_key_file
    from kiosk.offline.database import StoreError
    from kiosk.offline.outbox import Outbox

    cfg = load_config_or_exit(args)
    try:
        key = read_key_file(cfg.key_file)
        outbox = Outbox.open(cfg.data_dir, key, cfg.outbox)
    except (KeyFileError, StoreError) as exc:
        print(f"cannot open the outbox in {cfg.data_dir}: {exc}", file=sys.stderr)
        return exitcodes.FAILED
    url = args.port or cfg.devices.printer
    printer = build_printer(url, cfg.printer, load_simulator_hooks(cfg))
    try:
        with outbox:
            try:
                item = outbox.item(args.id)
            except StoreError as exc:
                print(exc, file=sys.stderr)
                return exitcodes.FAILED
            print(f"printing the voucher {item.voucher_serial or '-'} of item {item.id} on {url} ...", file=sys.stderr, flush=True)
            done = print_again(outbox, item.id, printer, key, cfg.printer)
    finally:
        printer.close()
    data = {"item": args.id, "voucher_serial": item.voucher_serial, "printed": done.ok, "code": str(done.code), "reason": done.reason}
    if not done.ok:
        print(f"not printed: {done.code}: {done.reason}", file=sys.stderr)
        emit(args, data, "the voucher was not printed")
        return EXIT_CODES.get(done.code, exitcodes.DEVICE_ERROR)
    emit(args, data, f"printed the voucher {item.voucher_serial} (item {item.id})")
    return exitcodes.OK
