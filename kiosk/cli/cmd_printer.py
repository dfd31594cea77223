"""`kiosk devices print-test`, `printer-status` and `printer-refilled`.

Exit codes: 0 printed / ready (paper near end is a warning on stderr, still 0); 3 (NO_MEDIA)
for paper out *and* for an open cover: both are the paper path, and the fix is the same for
staff (open the printer, load paper, close the cover), so a script needs one code for "staff
must see to the paper"; 3 too when paper ran out part-way (the test voucher must be
reprinted); 4 (NO_DEVICE) when the printer is missing or silent; 5 (DEVICE_ERROR) when it
answers nonsense or reports a cutter / head error.
"""

from __future__ import annotations

import argparse
import sys

from kiosk.cli import exitcodes
from kiosk.cli.device_commands import device_url, devices_command, port_argument, report_failure, terminal
from kiosk.cli.main import CLI, emit
from kiosk.drivers.status import Completion, CoverState, DeviceState, DeviceStatus, ResultCode, SupplyState

EXIT_CODES = {
    ResultCode.SUCCESS: exitcodes.OK,
    ResultCode.NO_MEDIA: exitcodes.NO_MEDIA,
    ResultCode.REFUSED: exitcodes.NO_MEDIA,  # cover open: see the module docstring
    ResultCode.NO_DEVICE: exitcodes.NO_DEVICE,
    ResultCode.TIMEOUT: exitcodes.NO_DEVICE,
    ResultCode.CANCELLED: exitcodes.INTERRUPTED,
}


REFILLED = (
    "Paper refilled: ask the printer again and print a TEST voucher (as print-test; exit 3 while it still "
    "has no paper); both are in the audit trail, as from maintenance mode"
)
PRINT_TEST = "Print a signed TEST voucher (kiosk voucher verify accepts its QR) and report the printer's status"


def register(cli: CLI) -> None:
    p = devices_command(cli, "print-test", PRINT_TEST, print_test)
    _port_argument(p)
    p.add_argument("--service", default="apply", help="service code printed on the test voucher (default: apply)")
    p = devices_command(cli, "printer-status", "Ask the receipt printer for paper, cover and error status", printer_status)
    _port_argument(p)
    p = devices_command(cli, "printer-refilled", REFILLED, printer_refilled)
    _port_argument(p)
    p.set_defaults(service="apply")


def _port_argument(parser: argparse.ArgumentParser) -> None:
    port_argument(parser, "serial:///dev/ttyUSB0?baud=9600, sim://printer", "printer")


def _printer(args: argparse.Namespace):
    """The configuration and the printer the command is about."""
    from kiosk.drivers.factory import build_printer

    cfg, hooks = terminal(args)
    return cfg, build_printer(device_url(args.port, cfg.devices.printer), cfg.printer, hooks)


def _failed(args: argparse.Namespace, done: Completion, extra: dict | None = None) -> int:
    return report_failure(args, "printer", done, EXIT_CODES, extra)


def _status_exit(status: DeviceStatus) -> int:
    if status.usable:
        return exitcodes.OK
    if status.supplies.get("paper") is SupplyState.OUT or status.cover is CoverState.OPEN:
        return exitcodes.NO_MEDIA
    if status.state is DeviceState.NO_DEVICE:
        return exitcodes.NO_DEVICE
    return exitcodes.DEVICE_ERROR


def _describe(status: DeviceStatus) -> str:
    paper = status.supplies.get("paper", SupplyState.UNKNOWN)
    text = f"printer {status.state}: paper {paper}, cover {status.cover}"
    if status.detail:
        text += f" ({status.detail})"
    return text


def _warn_low(status: DeviceStatus) -> None:
    if status.supplies.get("paper") is SupplyState.LOW:
        print(f"warning: {status.detail} (recovery: {status.recovery})", file=sys.stderr)


def printer_status(args: argparse.Namespace) -> int:
    _, printer = _printer(args)
    try:
        done = printer.refresh_status()
    finally:
        printer.close()
    if not done.ok:
        return _failed(args, done)
    status = done.value
    emit(args, {"ok": status.usable, "url": printer.url, **status.to_dict()}, f"{printer.url}: {_describe(status)}")
    _warn_low(status)
    return _status_exit(status)


def printer_refilled(args: argparse.Namespace) -> int:
    """`kiosk devices printer-refilled`: maintenance mode's 「已加纸」 for a technician's shell."""
    from kiosk import audit

    cfg, _ = terminal(args)
    audit.configure(cfg.data_dir, cfg.terminal_id)
    try:
        audit.record(audit.AuditEvent.STAFF_ACTION, action="paper-refilled", reason="cli")
        code = print_test(args)
        if code == exitcodes.OK:
            audit.record(audit.AuditEvent.STAFF_ACTION, action="test-voucher", reason="cli")
    finally:
        audit.close()
    return code


def print_test(args: argparse.Namespace) -> int:
    from kiosk.domain.policy import PolicyError
    from kiosk.drivers.printer.driver import refusal
    from kiosk.keys import KeyFileError, read_key_file
    from kiosk.offline.sequence import SerialError
    from kiosk.printing.test_voucher import issue_test_voucher
    from kiosk.printing.voucher_layout import voucher_job

    cfg, printer = _printer(args)
    try:
        key = read_key_file(cfg.key_file)
    except KeyFileError as exc:
        print(f"key error: {exc}", file=sys.stderr)
        return exitcodes.FAILED
    try:
        # Ask first: a printer that cannot print must not use up a test serial number.
        before = printer.refresh_status()
        if not before.ok:
            return _failed(args, before)
        refused = refusal(before.value)
        if refused is not None:
            return _failed(args, refused, {"status": before.value.to_dict()})
        try:
            voucher = issue_test_voucher(cfg, args.service)
        except (PolicyError, KeyError, SerialError, ValueError) as exc:
            print(f"cannot issue the test voucher: {exc}", file=sys.stderr)
            return exitcodes.FAILED
        printable = voucher_job(voucher, key, cfg.printer)
        if not args.json:
            print(f"printing test voucher {voucher.serial} ({len(printable.job)} bytes) on {printer.url} ...", file=sys.stderr)
        done = printer.print_job(printable.job, progress=None if args.json else _progress)
    finally:
        printer.close()
    facts = {"serial": voucher.serial, "payload": printable.qr_payload, "bytes": len(printable.job)}
    if not done.ok:
        return _failed(args, done, facts)
    report = done.value
    emit(
        args,
        {"ok": True, **facts, **report.to_dict()},
        f"printed {voucher.serial} in {report.seconds:.2f} s; {_describe(report.status)}\n"
        f"QR payload (check it with `kiosk voucher verify`):\n{printable.qr_payload}",
    )
    _warn_low(report.status)
    return exitcodes.OK


def _progress(sent: int, total: int) -> None:
    if total >= 2048:  # only jobs that take a noticeable time at 9600 baud
        end = "\n" if sent >= total else ""
        print(f"\r  sent {sent}/{total} bytes", end=end, file=sys.stderr, flush=True)
