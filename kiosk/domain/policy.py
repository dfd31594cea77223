"""Region policies: everything region-specific lives in data files, not in code."""

from __future__ import annotations

from pathlib import Path

POLICY_DIR = Path(__file__).resolve().parent / "policies"


def available_regions() -> list[str]:
    return sorted(p.stem for p in POLICY_DIR.glob("*.toml"))
