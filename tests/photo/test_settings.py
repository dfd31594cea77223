"""The [photo] section of a terminal configuration sets the thresholds."""

from __future__ import annotations

import pytest

from kiosk.config import SIMULATOR_CONFIG, ConfigError, load_config


def config_with(tmp_path, photo_section: str):
    text = SIMULATOR_CONFIG.read_text(encoding="utf-8")
    key = (SIMULATOR_CONFIG.parent / "simulator-terminal.key").resolve()
    text = text.replace('key_file = "simulator-terminal.key"', f'key_file = "{key}"')
    path = tmp_path / "terminal.toml"
    path.write_text(text + "\n[photo]\n" + photo_section, encoding="utf-8")
    return path


def test_photo_thresholds_are_read_from_the_config(tmp_path):
    config = load_config(config_with(tmp_path, "min_sharpness = 55\nmax_face_size = 0.4\ncamera_mirrored = true\n"))
    assert config.photo.min_sharpness == 55.0
    assert config.photo.max_face_size == 0.4
    assert config.photo.camera_mirrored is True


def test_unknown_photo_key_is_reported(tmp_path):
    with pytest.raises(ConfigError, match="photo.min_face_width"):
        load_config(config_with(tmp_path, "min_face_width = 0.2\n"))
