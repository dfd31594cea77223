"""Which software a terminal runs: the image's version and the RAUC slot it booted from.

On the terminal image, deploy/image/customize-root writes /usr/lib/sscard-kiosk/build-info
(`version=…`) and the bootloader tells RAUC the booted slot on the kernel command line
(`rauc.slot=A`). Elsewhere (a developer machine, CI) the version is the package's own and the
slot is "dev".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import kiosk

BUILD_INFO = Path("/usr/lib/sscard-kiosk/build-info")
KERNEL_COMMAND_LINE = Path("/proc/cmdline")
DEV_SLOT = "dev"
_SAFE = re.compile(r"[A-Za-z0-9._+~-]{1,64}")  # what a version or a slot name may be; else unknown


@dataclass(frozen=True)
class SoftwareBuild:
    version: str
    slot: str

    def to_dict(self) -> dict[str, str]:
        return {"version": self.version, "slot": self.slot}


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _safe(value: str | None, fallback: str) -> str:
    return value if value is not None and _SAFE.fullmatch(value) else fallback


def running_build(build_info: Path = BUILD_INFO, cmdline: Path = KERNEL_COMMAND_LINE) -> SoftwareBuild:
    info = dict(line.split("=", 1) for line in _read(build_info).splitlines() if "=" in line)
    slot = next((word.split("=", 1)[1] for word in _read(cmdline).split() if word.startswith("rauc.slot=")), None)
    if not info:
        return SoftwareBuild(kiosk.__version__, DEV_SLOT)
    return SoftwareBuild(_safe(info.get("version"), "unknown"), _safe(slot, "unknown"))
