"""`kiosk keys …`: the terminal's master key, its enrolment with the centre, the window's verifier.

  new FILE               a new random master key file (mode 600): signs vouchers, seals data
  csr                    a TLS key and a certificate signing request for this terminal id,
                         in the config's tls_dir, for the centre's enrolment office
  install CERT --ca CA --person-key FILE
                         the signed certificate, the centre's CA and the person-lookup secret
                         the office hands back, checked to fit the key before anything is written
  show                   the enrolment: subject, expiry, what is wrong (exit 1 if anything)
  export-verifier FILE   the voucher key alone, for the window PC (`kiosk voucher verify --verifier`)

docs/trust.md walks a deployer through it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from kiosk.cli import exitcodes
from kiosk.cli.main import CLI, emit


def register(cli: CLI) -> None:
    cli.group("keys", "The terminal's keys: its master key, its enrolment with the centre, the window's verifier")
    p = cli.command("keys", "new", "Write a new random terminal key file (mode 600)", new_key)
    p.add_argument("file")
    cli.command("keys", "csr", "Make this terminal's TLS key and certificate signing request (subject = terminal id)", csr, json_output=True)
    p = cli.command("keys", "install", "Install the certificate the centre signed, with its CA and person-lookup secret", install, json_output=True)
    p.add_argument("cert", type=Path, help="the signed certificate (PEM)")
    p.add_argument("--ca", type=Path, required=True, help="the centre's CA certificate (PEM): the only CA trusted for the centre")
    p.add_argument("--person-key", type=Path, required=True, help="the region's person-lookup secret from the enrolment office")
    cli.command("keys", "show", "Show the enrolment: certificate subject and expiry, and any problem (exit 1)", show, json_output=True)
    p = cli.command("keys", "export-verifier", "Write the voucher key alone, for the window PC that checks vouchers", export_verifier, json_output=True)
    p.add_argument("file", type=Path)


def _config(args: argparse.Namespace, need_tls: bool = True):
    """The configuration without the enrolment checks these commands exist to satisfy."""
    from kiosk.config import ConfigError, load_config

    try:
        cfg = load_config(getattr(args, "config", None), check_enrolment=False)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"config error: {problem}", file=sys.stderr)
        raise SystemExit(exitcodes.FAILED) from None
    if need_tls and cfg.tls_dir is None:
        print(f"config error: {cfg.path}: tls_dir: not set (a production config defaults to tls/ beside key_file)", file=sys.stderr)
        raise SystemExit(exitcodes.FAILED)
    return cfg


def new_key(args: argparse.Namespace) -> int:
    from kiosk.keys import write_new_key_file

    try:
        write_new_key_file(args.file)
    except FileExistsError:
        print(f"{args.file} exists already; a terminal key is never overwritten", file=sys.stderr)
        return exitcodes.FAILED
    print(f"wrote {args.file}")
    return exitcodes.OK


def csr(args: argparse.Namespace) -> int:
    from kiosk.enrolment import EnrolmentError, TerminalTls, make_signing_request

    cfg = _config(args)
    tls = TerminalTls(cfg.tls_dir)
    try:
        make_signing_request(tls, cfg.terminal_id)
    except (EnrolmentError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exitcodes.FAILED
    data = {"terminal_id": cfg.terminal_id, "key": str(tls.key_file), "csr": str(tls.csr_file)}
    emit(args, data, f"wrote {tls.csr_file} for terminal {cfg.terminal_id} (its key stays in {tls.key_file});\n"
                     "take the CSR to the centre's enrolment office, then `kiosk keys install`")  # fmt: skip
    return exitcodes.OK


def install(args: argparse.Namespace) -> int:
    from kiosk.enrolment import EnrolmentError, TerminalTls

    cfg = _config(args)
    tls = TerminalTls(cfg.tls_dir)
    try:
        cert = tls.install(args.cert.read_bytes(), args.ca.read_bytes(), args.person_key.read_bytes())
    except OSError as exc:
        print(f"error: cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
        return exitcodes.FAILED
    except EnrolmentError as exc:
        print(f"refused, nothing installed: {exc}", file=sys.stderr)
        return exitcodes.FAILED
    subject = tls.certificate_subject()
    if subject != cfg.terminal_id:
        print(f"warning: the certificate is for terminal {subject!r}, the config says {cfg.terminal_id!r}", file=sys.stderr)
    data = {"subject": subject, "expires": cert.not_valid_after_utc.isoformat(), "tls_dir": str(tls.directory)}
    emit(args, data, f"installed: terminal {subject}, certificate valid until {cert.not_valid_after_utc:%Y-%m-%d}")
    return exitcodes.OK if subject == cfg.terminal_id else exitcodes.FAILED


def show(args: argparse.Namespace) -> int:
    from kiosk.enrolment import EXPIRY_WARNING_DAYS, EnrolmentError, TerminalTls

    cfg = _config(args)
    tls = TerminalTls(cfg.tls_dir)
    problems = tls.problems(cfg.terminal_id)
    data: dict = {"tls_dir": str(tls.directory), "terminal_id": cfg.terminal_id, "problems": problems}
    try:
        expires = tls.expires()
        data |= {"subject": tls.certificate_subject(), "expires": expires.isoformat(),
                 "days_left": (expires - dt.datetime.now(dt.timezone.utc)).days}  # fmt: skip
    except EnrolmentError:
        pass
    lines = [f"enrolment in {tls.directory} (terminal {cfg.terminal_id})"]
    if "subject" in data:
        lines.append(f"  certificate  {data['subject']}, valid until {expires:%Y-%m-%d} ({data['days_left']} days)")
        if 0 <= data["days_left"] < EXPIRY_WARNING_DAYS:
            lines.append("  renew it soon: `kiosk keys csr`, then `kiosk keys install`")
    lines += [f"  problem      {p}" for p in problems] or ["  ok"]
    emit(args, data, "\n".join(lines))
    return exitcodes.FAILED if problems else exitcodes.OK


def export_verifier(args: argparse.Namespace) -> int:
    from kiosk.keys import KeyFileError, read_key_file, write_verifier_file

    cfg = _config(args, need_tls=False)
    try:
        write_verifier_file(args.file, read_key_file(cfg.key_file), cfg.terminal_id)
    except KeyFileError as exc:
        print(f"key error: {exc}", file=sys.stderr)
        return exitcodes.FAILED
    except FileExistsError:
        print(f"{args.file} exists already; it is never overwritten", file=sys.stderr)
        return exitcodes.FAILED
    emit(args, {"file": str(args.file), "terminal_id": cfg.terminal_id},
         f"wrote {args.file}: it checks terminal {cfg.terminal_id}'s vouchers and opens nothing else")  # fmt: skip
    return exitcodes.OK
