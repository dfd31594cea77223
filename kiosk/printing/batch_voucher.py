"""The batch voucher (批量业务凭证) an employer's handler keeps to collect the cards.

The voucher layout of every service (kiosk.printing.voucher_layout) with the handler named as
such: the serial (the batch's name at the centre), the handler masked, and in its next steps
the employer with its masked code, how many were submitted and left out, when the cards are
ready, pickup at this outlet with the handler's ID card or the employer's letter, and the
96 hours after pickup (kiosk.flows.batch_submission writes those lines).
"""

from __future__ import annotations

from kiosk.config import PrinterSettings
from kiosk.domain.voucher import Voucher
from kiosk.i18n import bi
from kiosk.keys import TerminalKey
from kiosk.printing.voucher_layout import PrintableVoucher, voucher_job

BATCH_SERVICES = frozenset({"batch_new", "batch_replace"})

BATCH_HEADING = bi("批量业务凭证", "Batch voucher")
HANDLER = bi("经办人", "Handler")
HANDLER_ID = bi("经办人证件", "Handler's ID")


def batch_voucher_job(voucher: Voucher, key: TerminalKey, settings: PrinterSettings | None = None) -> PrintableVoucher:
    return voucher_job(voucher, key, settings, heading=BATCH_HEADING, holder_labels=(HANDLER, HANDLER_ID))


def layout_for(service: str):
    """The layout a kept voucher of `service` prints with (a staff reprint prints it the same)."""
    return batch_voucher_job if service in BATCH_SERVICES else voucher_job
