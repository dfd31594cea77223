"""The technician's test voucher: a real voucher (signed with the terminal's key, serial from
the terminal's own TEST series) for a person who does not exist, so `kiosk voucher verify`
accepts its QR code and nobody can mistake it for a resident's."""

from __future__ import annotations

from datetime import datetime

from kiosk.config import Config
from kiosk.domain.voucher import Voucher


def issue_test_voucher(cfg: Config, service: str = "apply", now: datetime | None = None) -> Voucher:
    """Raises PolicyError / KeyError (outlet not in the policy) / SerialError like any voucher."""
    from kiosk.cli.cmd_voucher import TEST_HOLDER_NAME, TEST_ID_NUMBER
    from kiosk.domain.policy import load_policy
    from kiosk.offline.sequence import SerialCounter

    policy = load_policy(cfg.region)
    outlet = policy.outlet(cfg.outlet_id)
    issued_at = (now or datetime.now()).replace(second=0, microsecond=0)
    serial = SerialCounter(cfg.data_dir).next(cfg.outlet_id, cfg.terminal_id, issued_at.date(), test=True)
    return Voucher.issue(
        serial=serial,
        service=service,
        issued_at=issued_at,
        holder_name=TEST_HOLDER_NAME,
        id_number=TEST_ID_NUMBER,
        outlet=outlet,
        policy=policy,
        uploaded=False,
    )
