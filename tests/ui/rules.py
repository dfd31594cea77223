"""Reading the screen-rule checks (tests/ui/scenarios.py `screen_problems`) out of a report."""

from __future__ import annotations


def all_snapshots(report: dict) -> dict[str, dict]:
    """Every screen snapshot in a report, by a name that says where it was taken."""
    snaps: dict[str, dict] = {}
    for key, value in report.items():
        if isinstance(value, dict) and "problems" in value:
            snaps[key] = value
        elif isinstance(value, dict) and value and all(isinstance(v, dict) and "problems" in v for v in value.values()):
            snaps.update({f"{key} {k}": v for k, v in value.items()})
    return snaps


def problems(report: dict, kind: str) -> dict[str, list[str]]:
    """Screens with problems of `kind`, and the problems: empty when the rules hold."""
    return {name: s["problems"][kind] for name, s in all_snapshots(report).items() if kind in s["problems"]}
