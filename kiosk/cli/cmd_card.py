"""The social security card at the technician's bench.

  kiosk devices read-card [--reader NAME] [--json] [--unmask]   read the card's basic data
  kiosk devices card-reader-status [--json]                     readers, and which holds a card

Simulated cards have their own commands, `kiosk sim card …`, where the simulator is installed.

read-card masks the name and the social security number unless --unmask: in the field the
card in the reader belongs to a resident. Nothing of it is logged.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from urllib.parse import quote

from kiosk.cli import exitcodes
from kiosk.cli.main import CLI, emit
from kiosk.drivers.status import Completion, ResultCode

EXIT_CODES = {
    ResultCode.SUCCESS: exitcodes.OK,
    ResultCode.NO_DEVICE: exitcodes.NO_DEVICE,
    ResultCode.NO_MEDIA: exitcodes.NO_MEDIA,
    ResultCode.MEDIA_REMOVED: exitcodes.NO_MEDIA,
    ResultCode.CANCELLED: exitcodes.INTERRUPTED,
}  # anything else the card or reader did: DEVICE_ERROR

LABELS = {
    "name": "姓名 Name",
    "sex": "性别 Sex",
    "nation": "民族 Nation",
    "birth_date": "出生日期 Born",
    "birthplace_code": "出生地 Birthplace",
    "social_security_number": "社会保障号码 Social security number",
    "card_number": "卡号 Card number",
    "spec_version": "规范版本 Spec version",
    "generation": "代 Generation",
    "card_type": "卡类别 Card type",
    "issue_date": "发卡日期 Issued",
    "expiry_date": "有效期至 Valid to",
    "card_id_code": "卡识别码 Card identification code",
    "region_code": "发卡地区 Issuing region",
    "reader": "读卡器 Reader",
    "atr": "ATR",
}


def register(cli: CLI) -> None:
    cli.group("devices", "Test the terminal's devices")
    p = cli.command(
        "devices", "read-card", "Read the social security card in the reader (basic data)", read_card, json_output=True
    )
    p.add_argument("--reader", metavar="NAME", help="this reader (exact name, or a unique part of it); default: the configured one")
    p.add_argument("--unmask", action="store_true", help="show the full name and social security number")
    p.add_argument(
        "--form", choices=["tag", "tag_sfi", "recno_sfi", "recno_current"], default="tag",
        help="READ RECORD form to try first (default tag; the others are tried if the card refuses it)",
    )  # fmt: skip
    p.add_argument("--only-form", action="store_true", help="use --form only, no fallback")
    p.add_argument("--wait", type=float, default=0.0, metavar="S", help="wait up to S seconds for a card to be put in")
    p.add_argument("--timeout", type=float, default=10.0, metavar="S", help="seconds for the read itself (default 10)")
    cli.command(
        "devices", "card-reader-status", "Show the PC/SC card readers and whether one holds a card", reader_status,
        json_output=True,
    )  # fmt: skip


def _reader(args: argparse.Namespace, **options):
    """The configured card reader (or the one --reader names), with the simulator's PSAM on
    simulator configurations only."""
    from kiosk.cli.device_commands import terminal
    from kiosk.drivers.factory import build_card_reader

    cfg, hooks = terminal(args)
    url = cfg.devices.card_reader
    if getattr(args, "reader", None):
        url = f"pcsc://?name={quote(args.reader)}"
    return build_card_reader(url, hooks, **options)


def _fail(args: argparse.Namespace, done: Completion) -> int:
    code = EXIT_CODES.get(done.code, exitcodes.DEVICE_ERROR)
    if args.json:
        emit(args, {"ok": False, "code": str(done.code), "reason": done.reason, "recovery": str(done.recovery), "detail": done.detail}, "")
    print(f"read-card: {done.code}: {done.reason}", file=sys.stderr)
    return code


def read_card(args: argparse.Namespace) -> int:
    with _reader(args, record_form=args.form, fallback=not args.only_form) as reader:
        if args.wait > 0:
            print(f"waiting up to {args.wait:g} s for a card ... 请插入社保卡", file=sys.stderr)
            waited = reader.wait_for_card(timeout_s=args.wait)
            if not waited.ok:
                return _fail(args, waited)
        done = reader.read_basic(timeout_s=args.timeout)
    if not done.ok:
        return _fail(args, done)
    data = done.value.to_dict(masked=not args.unmask)
    width = max(_width(label) for label in LABELS.values())
    human = "\n".join(
        f"{LABELS[key]}{' ' * (width - _width(LABELS[key]))}  {data[key]}" for key in LABELS if data.get(key) not in (None, "")
    )
    emit(args, data, human)
    return exitcodes.OK


def _width(text: str) -> int:
    """Columns on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def reader_status(args: argparse.Namespace) -> int:
    with _reader(args) as reader:
        reader.refresh_status()  # a failure (no reader) is in the status too
        status = reader.status()
    emit(args, status.to_dict(), f"{status.state} / card {status.media}: {status.detail}")
    if status.state == "no_device":
        return exitcodes.NO_DEVICE
    return exitcodes.OK
