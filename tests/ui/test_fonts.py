"""Finding a font with Chinese glyphs, or saying clearly what to install."""

from __future__ import annotations

import pytest

from kiosk.ui.fonts import ENV_OVERRIDE, FontMissing, find_cjk_font


def test_the_installed_wenquanyi_font_is_found(monkeypatch):
    monkeypatch.delenv(ENV_OVERRIDE, raising=False)
    assert find_cjk_font().name == "wqy-microhei.ttc"


def test_a_font_in_a_nested_folder_is_found(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_OVERRIDE, raising=False)
    font = tmp_path / "truetype" / "wqy" / "wqy-microhei.ttc"
    font.parent.mkdir(parents=True)
    font.write_bytes(b"font")
    assert find_cjk_font((tmp_path,)) == font


def test_missing_font_names_the_package_to_install(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_OVERRIDE, raising=False)
    with pytest.raises(FontMissing, match="fonts-wqy-microhei"):
        find_cjk_font((tmp_path,))


def test_override_that_is_not_a_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_OVERRIDE, str(tmp_path / "nope.ttf"))
    with pytest.raises(FontMissing, match="not a file"):
        find_cjk_font()
