"""`kiosk batch template` and `kiosk batch check`: the employer batch package, for technicians
and for the office that prepares one (docs/batch-package.md).

`check` exits 0 when every row passes, 1 when any problem was found, 2 when the package
cannot be read at all (the issue fixes these; 2 is also argparse's usage code).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from kiosk.cli import exitcodes
from kiosk.cli.main import CLI, emit, load_config_or_exit

UNREADABLE = 2  # the package cannot be read at all
BAR_WIDTH = 30


def register(cli: CLI) -> None:
    cli.group("batch", "Employer batch packages: the details sheet template, and checking a package")
    p = cli.command("batch", "template", "Write the details sheet template (instructions and naming rule inside)", template, json_output=True)
    p.add_argument("out", metavar="OUT.xlsx", help="where to write it (an existing file is not overwritten)")
    p.add_argument("--kind", choices=["new", "replace"], default="new", help="new: 制卡明细表 (default); replace: 补换卡明细表")
    p.add_argument("--region", help="region policy for banks and the naming rule (default: the configuration's region)")
    p = cli.command(
        "batch", "check", "Check a package (a folder or a .zip): exit 0 all pass, 1 problems found, 2 cannot read", check, json_output=True
    )
    p.add_argument("path", metavar="PATH", help="the package: a folder or a .zip")
    p.add_argument("--kind", choices=["new", "replace"], help="the batch kind (default: read from the sheet)")
    p.add_argument("--region", help="region policy to check against (default: the configuration's region)")
    p.add_argument("--today", help="check as on this day, YYYY-MM-DD (default: today)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the messages (default: zh)")
    p.add_argument("--marked-copy", metavar="DIR", help="when problems are found, write the marked-up copy of the sheet into DIR")


def _policy(args: argparse.Namespace):
    from kiosk.domain.policy import PolicyError, available_regions, load_policy

    region = args.region or load_config_or_exit(args).region
    if region not in available_regions():
        print(f"kiosk batch: unknown region {region!r} (known: {', '.join(available_regions())})", file=sys.stderr)
        raise SystemExit(exitcodes.USAGE)
    try:
        policy = load_policy(region)
    except PolicyError as exc:
        for found in exc.problems:
            print(f"policy error: {found}", file=sys.stderr)
        raise SystemExit(exitcodes.FAILED) from None
    if policy.batch is None:
        print(f"kiosk batch: region {region} has no [batch] rules in its policy", file=sys.stderr)
        raise SystemExit(exitcodes.USAGE)
    return policy


def template(args: argparse.Namespace) -> int:
    from kiosk.batch import BatchKind
    from kiosk.batch.template import write_template

    policy = _policy(args)
    try:
        out = write_template(Path(args.out), BatchKind(args.kind), policy)
    except FileExistsError:
        print(f"kiosk batch template: {args.out} already exists; choose another name", file=sys.stderr)
        return exitcodes.FAILED
    except OSError as exc:
        print(f"kiosk batch template: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return exitcodes.FAILED
    emit(args, {"written": str(out), "kind": args.kind, "region": policy.code}, f"wrote {out} ({args.kind}, {policy.code})")
    return exitcodes.OK


def check(args: argparse.Namespace) -> int:
    from kiosk.batch import BatchKind, check_package

    try:
        today = date.fromisoformat(args.today) if args.today else date.today()
    except ValueError:
        print(f"kiosk batch check: bad --today {args.today!r}: give it as YYYY-MM-DD", file=sys.stderr)
        return exitcodes.USAGE
    policy = _policy(args)
    bar = _ProgressBar() if not args.json and sys.stderr.isatty() else None
    report = check_package(
        Path(args.path), kind=BatchKind(args.kind) if args.kind else None, policy=policy, today=today, progress=bar
    )
    if bar:
        bar.done()
    data = {
        "readable": report.readable,
        "kind": str(report.kind) if report.kind else None,
        "rows": report.rows,
        "ok": report.ok,
        "employer": report.employer_name,
        "credit_code": report.employer_credit_code,
        "package_digest": report.package_digest or None,
        "problems": [p.to_dict(args.lang) for p in report.problems],
    }
    copy = _marked_copy(report, args.marked_copy) if args.marked_copy and report.problems else None
    if copy is not None:
        data["marked_copy"] = str(copy)
    emit(args, data, _describe(report, args.lang) + (f"\n标注副本 / marked copy: {copy}" if copy else ""))
    if not report.readable:
        return UNREADABLE
    return exitcodes.OK if report.all_passed else exitcodes.FAILED


def _marked_copy(report, folder: str) -> Path | None:
    from kiosk.batch import write_marked_copy
    from kiosk.batch.marked_copy import NothingToMark

    try:
        return write_marked_copy(report, Path(folder))
    except NothingToMark:
        return None  # the package was not read as far as its sheet: there is nothing to mark
    except OSError as exc:
        print(f"kiosk batch check: cannot write the marked copy into {folder}: {exc.strerror}", file=sys.stderr)
        return None


def _describe(report, lang: str) -> str:
    from kiosk.domain.masking import mask_name

    if not report.readable:
        lines = ["无法读取资料包 / the package cannot be read:"]
        lines += [f"  {p.message.get(lang)}" for p in report.package_problems()]
        return "\n".join(lines)
    lines = [f"{report.rows} 人 / people, {report.ok} 通过 / passed, {len(report.problems)} 个问题 / problems"]
    for person, problems in report.by_person():
        lines.append("资料包 / package:" if person is None else f"第{person.row}行 row {person.row} ({mask_name(person.name) or '-'}):")
        for p in problems:
            where = f"[{p.column}] " if p.column else ""
            lines.append(f"  {where}{p.message.get(lang)}")
    return "\n".join(lines)


class _ProgressBar:
    """`[#####-----] 120/2000` on stderr, redrawn in place."""

    def __call__(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        sys.stderr.write(f"\r[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done}/{total}")
        sys.stderr.flush()

    def done(self) -> None:
        sys.stderr.write("\n")
        sys.stderr.flush()
