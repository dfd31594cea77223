"""`kiosk devices read-id` and `kiosk devices id-reader-status`.

read-id prints the personal data of the card on the reader on purpose: it is the
technician's own read at the bench. Nothing of it is logged.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata

from kiosk.cli import exitcodes
from kiosk.cli.device_commands import device_url, devices_command, port_argument, report_failure, terminal
from kiosk.cli.main import CLI, emit
from kiosk.drivers.status import Completion, ResultCode

EXIT_CODES = {
    ResultCode.SUCCESS: exitcodes.OK,
    ResultCode.NO_MEDIA: exitcodes.NO_MEDIA,
    ResultCode.NO_DEVICE: exitcodes.NO_DEVICE,
    ResultCode.TIMEOUT: exitcodes.NO_DEVICE,  # there, perhaps, but not answering
    ResultCode.CANCELLED: exitcodes.INTERRUPTED,
}

LABELS = {
    "doc_type": "证件类型 Document",
    "name": "姓名 Name",
    "chinese_name": "中文姓名 Chinese name",
    "english_name": "英文姓名 English name",
    "sex": "性别 Sex",
    "nation": "民族 Nation",
    "nationality": "国籍 Nationality",
    "birth_date": "出生 Born",
    "address": "住址 Address",
    "id_number": "证件号码 Number",
    "issuing_authority": "签发机关 Issued by",
    "authority_code": "受理机关代码 Authority code",
    "card_version": "证件版本 Card version",
    "pass_number": "通行证号码 Pass number",
    "issue_count": "签发次数 Issue count",
    "valid_from": "有效期起 Valid from",
    "valid_to": "有效期至 Valid to",
    "expired": "已过期 Expired",
    "id_number_valid": "号码校验 Number check",
    "photo_wlt_bytes": "照片 Photo (WLT bytes)",
    "fingerprint_bytes": "指纹 Fingerprints (bytes)",
}


def register(cli: CLI) -> None:
    p = devices_command(cli, "read-id", "Read the identity card on the ID card reader once", read_id)
    _port_argument(p)
    p.add_argument("--fingerprints", action="store_true", help="read with fingerprints (30 10)")
    p.add_argument("--save-photo", metavar="FILE", help="write the raw WLT photo bytes to FILE")
    p.add_argument("--timeout", type=float, default=3.0, metavar="S", help="seconds to wait for the read (default 3)")
    p = devices_command(
        cli, "id-reader-status", "Check the ID card reader's SAM module and whether a card is on it", reader_status
    )
    _port_argument(p)


def _port_argument(parser: argparse.ArgumentParser) -> None:
    port_argument(parser, "serial:///dev/ttyUSB0, sim://id-reader", "id_reader")


def _reader(args: argparse.Namespace, **options):
    from kiosk.drivers.factory import build_id_reader

    config, hooks = terminal(args)
    return build_id_reader(device_url(args.port, config.devices.id_reader), hooks, **options)


def _failed(args: argparse.Namespace, done: Completion) -> int:
    return report_failure(args, "id reader", done, EXIT_CODES)


def read_id(args: argparse.Namespace) -> int:
    reader = _reader(args, read_timeout=args.timeout)
    try:
        if not args.json:
            print(f"reading the card on {reader.url} ...", file=sys.stderr)
        done = reader.read_card(fingerprints=args.fingerprints)
    finally:
        reader.close()
    if not done.ok:
        return _failed(args, done)
    read = done.value
    if args.save_photo:
        with open(args.save_photo, "wb") as out:
            out.write(read.photo_wlt)
    data = read.to_dict()
    width = max(_display_width(label) for label in LABELS.values())
    lines = [_padded(LABELS.get(key, key), width) + _human(value) for key, value in data.items() if value is not None]
    lines += [f"! {problem.both(' / ')}" for problem in read.check.problems]
    emit(args, data, "\n".join(lines))
    return exitcodes.OK


def _display_width(text: str) -> int:
    """Terminal columns: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _padded(label: str, width: int) -> str:
    return label + " " * (width - _display_width(label) + 2)


def _human(value: object) -> str:
    if value is True:
        return "是 yes"
    if value is False:
        return "否 no"
    return str(value)


def reader_status(args: argparse.Namespace) -> int:
    reader = _reader(args)
    try:
        sam = reader.sam_status()
        sam_id = reader.sam_id() if sam.ok else None
        card = reader.card_present() if sam.ok else None
    finally:
        reader.close()
    data = {
        "status": reader.status().to_dict(),
        "sam_ok": sam.ok,
        "sam_reason": sam.reason or None,
        "sam_id": sam_id.value if sam_id is not None and sam_id.ok else None,
        "card_present": card.value if card is not None and card.ok else None,
    }
    if not sam.ok:
        if args.json:
            emit(args, data, "")
        print(f"id reader: {sam.code}: {sam.reason} (recovery: {sam.recovery})", file=sys.stderr)
        return EXIT_CODES.get(sam.code, exitcodes.DEVICE_ERROR)
    human = (
        f"{reader.url}: {reader.status().state}, SAM ok, SAM id {data['sam_id']}, "
        f"card {'present' if data['card_present'] else 'not present'}"
    )
    emit(args, data, human)
    return exitcodes.OK
