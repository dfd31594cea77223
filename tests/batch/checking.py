"""Small helpers the batch tests share: run the checker as the kiosk does, list what it found."""

from __future__ import annotations

from pathlib import Path

from kiosk.batch import BatchKind, PackageReport, check_package
from kiosk.domain.policy import load_policy
from tests.batch.packages import TODAY


def check(path: Path, kind: BatchKind | None = None, **options) -> PackageReport:
    return check_package(path, kind=kind, policy=load_policy("chongqing-changshou"), today=TODAY, **options)


def found(report: PackageReport) -> list[tuple[int | None, str]]:
    """(row, code) of every problem, in the report's order."""
    return [(p.row, str(p.code)) for p in report.problems]


def codes(report: PackageReport) -> set[str]:
    return {str(p.code) for p in report.problems}
