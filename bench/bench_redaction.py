"""What the redacting log filter costs: records per second through a handler with and without it.

The baseline is the same handler without the filter, measured in the same run; the ratio is
what every log call pays so that no ID number or phone number reaches a log.
"""

from __future__ import annotations

import io
import logging
import time

from kiosk.domain.masking import redact
from kiosk.logs import FORMAT, RedactingFilter

RECORDS = 20_000
MESSAGES = [
    ("sync: delivered %d records to %s", (12, "http://127.0.0.1:18470")),
    ("applicant %s phone %s queued as %s", ("50011519900101123X", "13812345678", "CS01-T01-20260930-0007")),
    ("printer status %r", ({"paper": "low", "cover": "closed"},)),
]


def records_per_second(with_filter: bool) -> float:
    logger = logging.getLogger(f"bench.redaction.{with_filter}")
    logger.propagate = False
    handler = logging.StreamHandler(io.StringIO())
    handler.setFormatter(logging.Formatter(FORMAT))
    if with_filter:
        handler.addFilter(RedactingFilter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    start = time.perf_counter()
    for i in range(RECORDS):
        msg, args = MESSAGES[i % len(MESSAGES)]
        logger.info(msg, *args)
    elapsed = time.perf_counter() - start
    logger.removeHandler(handler)
    return RECORDS / elapsed


def redact_kib_per_second() -> float:
    text = ("status ok, 12 queued; applicant 50011519900101123X phone 13812345678; " * 16)[:1024]
    rounds = 2_000
    start = time.perf_counter()
    for _ in range(rounds):
        redact(text)
    return rounds / (time.perf_counter() - start)


def main() -> None:
    records_per_second(True)  # warm up regexes and logging internals
    plain = records_per_second(False)
    filtered = records_per_second(True)
    print(f"log records/s without redaction: {plain:,.0f}")
    print(f"log records/s with redaction:    {filtered:,.0f}")
    print(f"cost ratio (with / without time per record): {plain / filtered:.2f}x")
    print(f"redact() on 1 KiB of log text:   {redact_kib_per_second():,.0f} KiB/s")


if __name__ == "__main__":
    main()
