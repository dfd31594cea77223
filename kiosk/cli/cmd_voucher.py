"""`kiosk voucher verify PAYLOAD` and `kiosk voucher sign-test`: check a voucher's QR code
with this terminal's key, and make a test voucher to check against."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kiosk.cli import exitcodes
from kiosk.cli.main import CLI, emit, load_config_or_exit


def register(cli: CLI) -> None:
    cli.group("voucher", "Check and test the signed QR codes on vouchers")
    p = cli.command(
        "voucher", "verify", "Check a voucher's QR payload with this terminal's key (exit 1 if forged or altered)", verify, json_output=True
    )
    p.add_argument("payload", help="the text of the voucher's QR code")
    p.add_argument("--verifier", metavar="FILE", help="check with a window PC's verifier file (`kiosk keys export-verifier`) instead of a terminal config")
    p = cli.command(
        "voucher",
        "sign-test",
        "Issue a TEST voucher with this terminal's key and print its QR payload",
        sign_test,
        json_output=True,
    )
    p.add_argument("--service", default="apply", help="service code (default: apply)")


def _terminal_key(cfg) -> Any:
    from kiosk.keys import KeyFileError, read_key_file

    try:
        return read_key_file(cfg.key_file)
    except KeyFileError as exc:
        print(f"key error: {exc}", file=sys.stderr)
        raise SystemExit(exitcodes.FAILED) from None


def _verifier(path: str) -> Any:
    from kiosk.keys import KeyFileError, read_verifier_file

    try:
        return read_verifier_file(path)
    except KeyFileError as exc:
        print(f"key error: {exc}", file=sys.stderr)
        raise SystemExit(exitcodes.FAILED) from None


def verify(args: argparse.Namespace) -> int:
    from kiosk.domain.voucher import VoucherForged, verify_payload

    key = _verifier(args.verifier) if args.verifier else _terminal_key(load_config_or_exit(args))
    try:
        fields = verify_payload(args.payload, key)
    except VoucherForged as exc:
        if args.json:
            emit(args, {"ok": False, "reason": exc.reason}, "")
        else:
            print(f"NOT AUTHENTIC: {exc.reason}", file=sys.stderr)
        return exitcodes.FAILED
    emit(args, {"ok": True, **fields}, _describe(fields))
    return exitcodes.OK


def _describe(fields: dict[str, Any]) -> str:
    from kiosk.domain.services import service

    expected = fields["expected_date"]
    expected_text = "none" if expected is None else f"{expected}{' (estimate)' if fields['expected_is_estimate'] else ''}"
    title = service(fields["service"]).title
    lines = [
        "authentic voucher" + (" (TEST voucher, not a resident's)" if fields["test"] else ""),
        f"  serial     {fields['serial']}",
        f"  outlet     {fields['outlet_id']}, terminal {fields['terminal_id']}",
        f"  service    {fields['service']} ({title.zh} / {title.en})",
        f"  issued     {fields['issued_at']:%Y-%m-%d %H:%M}",
        f"  expected   {expected_text}",
        f"  ID ends    {fields['id_last4']}",
    ]
    return "\n".join(lines)


def sign_test(args: argparse.Namespace) -> int:
    from kiosk.domain.policy import PolicyError
    from kiosk.domain.services import BY_CODE
    from kiosk.offline.sequence import SerialError
    from kiosk.printing.test_voucher import issue_test_voucher

    if args.service not in BY_CODE:
        print(f"unknown service {args.service!r} (known: {', '.join(BY_CODE)})", file=sys.stderr)
        return exitcodes.USAGE
    cfg = load_config_or_exit(args)
    key = _terminal_key(cfg)
    try:
        voucher = issue_test_voucher(cfg, args.service)
    except (PolicyError, KeyError) as exc:
        print(f"policy error: {exc}", file=sys.stderr)
        return exitcodes.FAILED
    except SerialError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exitcodes.FAILED
    payload = voucher.qr_payload(key)
    data = {"serial": voucher.serial, "service": args.service, "payload": payload, "holder_name": voucher.holder_name, "id_number": voucher.id_number}
    emit(args, data, f"test voucher {voucher.serial}\n{payload}")
    return exitcodes.OK
