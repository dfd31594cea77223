"""A table of a region policy's file read as it is, for the rules that live beside the
policy model rather than in it (`[replacement]`, `[postal]`): read once per version of
the file (its modification time), so an edited policy is picked up without a restart."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any


def policy_table(policy: Any, name: str) -> dict[str, Any]:
    """The `[name]` table of `policy`'s file; {} when the file has none."""
    path = Path(policy.path)
    return _tables(path, path.stat().st_mtime_ns).get(name, {})


@lru_cache(maxsize=8)
def _tables(path: Path, _mtime_ns: int) -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f)
