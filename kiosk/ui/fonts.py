"""The CJK font every label uses.

Kivy's own default font (Roboto) has no Chinese glyphs and draws every Han character as
the same empty box, so a font that has them is registered as Kivy's default before any
widget exists (`register_default_font`).
"""

from __future__ import annotations

import os
from pathlib import Path

# WenQuanYi Micro Hei (Debian fonts-wqy-microhei) first: it is what deploy/apt-packages.txt
# installs. Noto CJK is accepted too, for images built with fonts-noto-cjk instead.
CANDIDATE_FILES = (
    "wqy-microhei.ttc",
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
)
FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
)
ENV_OVERRIDE = "KIOSK_FONT"  # a technician can point at another font file


class FontMissing(RuntimeError):
    pass


def find_cjk_font(dirs: tuple[Path, ...] = FONT_DIRS) -> Path:
    override = os.environ.get(ENV_OVERRIDE)
    if override:
        path = Path(override)
        if not path.is_file():
            raise FontMissing(f"${ENV_OVERRIDE} names {path}, which is not a file")
        return path
    for name in CANDIDATE_FILES:
        for root in dirs:
            if root.is_dir():
                found = sorted(root.rglob(name))
                if found:
                    return found[0]
    raise FontMissing(
        "no Chinese font found (looked for "
        + ", ".join(CANDIDATE_FILES)
        + " under "
        + ", ".join(str(d) for d in dirs)
        + "): install the Debian package fonts-wqy-microhei (apt-get install -y fonts-wqy-microhei)"
        f" or set ${ENV_OVERRIDE} to a font file with Chinese glyphs"
    )


def register_default_font(path: Path | None = None) -> Path:
    """Make the CJK font Kivy's default; call before the first widget is built."""
    from kivy.core.text import DEFAULT_FONT, LabelBase

    path = path or find_cjk_font()
    LabelBase.register(DEFAULT_FONT, str(path))
    return path
