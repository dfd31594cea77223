"""The technician's test voucher: a real voucher (signed with the terminal's key, serial from
the terminal's own TEST series) for a person who does not exist, so `kiosk voucher verify`
accepts its QR code and nobody can mistake it for a resident's.

`kiosk voucher sign-test` and `kiosk devices print-test` both issue it here."""

from __future__ import annotations

from datetime import datetime

from kiosk.config import Config
from kiosk.domain.fees import card_fee
from kiosk.domain.policy import load_policy
from kiosk.domain.voucher import Voucher
from kiosk.offline.sequence import SerialCounter

# The worked example of GB 11643 itself: a valid number that belongs to nobody.
TEST_HOLDER_NAME = "测试用户"
TEST_ID_NUMBER = "11010519491231002X"


def issue_test_voucher(cfg: Config, service: str = "apply", now: datetime | None = None, language: str = "zh") -> Voucher:
    """Every line a card application's voucher carries: the region's first bank and pickup
    method, and its fee line where every card is free. Raises PolicyError / KeyError (outlet
    not in the policy) / SerialError like any voucher."""
    policy = load_policy(cfg.region)
    outlet = policy.outlet(cfg.outlet_id)
    issued_at = (now or datetime.now()).replace(second=0, microsecond=0)
    serial = SerialCounter(cfg.data_dir, not_before=cfg.not_before).next(cfg.outlet_id, cfg.terminal_id, issued_at.date(), test=True)
    return Voucher.issue(
        serial=serial,
        service=service,
        issued_at=issued_at,
        holder_name=TEST_HOLDER_NAME,
        id_number=TEST_ID_NUMBER,
        outlet=outlet,
        policy=policy,
        uploaded=False,
        bank=policy.banks[0].code,
        pickup_method=policy.pickup_methods[0].code,
        fee=card_fee(policy.fees, None).line if policy.fees.all_free else None,
        language=language,
    )
