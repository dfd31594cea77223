"""[voice] and devices.staff_signal in a terminal's config: defaults, and each mistake named."""

import pytest

from kiosk.config import SIMULATOR_CONFIG, ConfigError, load_config
from tests.config.test_config import key_file, production_config, write  # noqa: F401  (fixture)


def problems(tmp_path, key_file, text) -> list[str]:  # noqa: F811
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, production_config(key_file) + text))
    return [f"{p.key}: {p.reason}" for p in caught.value.problems]


def test_a_config_without_voice_or_staff_signal_speaks_with_the_defaults(tmp_path, key_file):  # noqa: F811
    cfg = load_config(write(tmp_path, production_config(key_file)))
    assert cfg.voice.enabled and cfg.voice.voice_zh == "cmn" and 0 < cfg.voice.volume <= 1
    assert cfg.devices.staff_signal == ""


def test_the_simulator_config_has_the_staff_signal_and_a_voice():
    cfg = load_config(SIMULATOR_CONFIG)
    assert cfg.devices.staff_signal == "sim://staff-signal" and cfg.voice.rate_zh_wpm == 200


def test_volume_above_one_is_refused(tmp_path, key_file):  # noqa: F811
    assert problems(tmp_path, key_file, "\n[voice]\nvolume = 1.5\n") == ["voice.volume: must be between 0 and 1 (a share of the terminal's sound output)"]


def test_a_rate_nobody_can_follow_is_refused(tmp_path, key_file):  # noqa: F811
    assert problems(tmp_path, key_file, "\n[voice]\nrate_zh_wpm = 500\n") == [
        "voice.rate_zh_wpm: must be between 80 and 300 (espeak-ng words (Chinese syllables) a minute; outside this a listener cannot follow)"
    ]


def test_a_voice_name_that_would_be_an_option_is_refused(tmp_path, key_file):  # noqa: F811
    [problem] = problems(tmp_path, key_file, '\n[voice]\nvoice_en = "--help"\n')
    assert problem.startswith("voice.voice_en:")


def test_a_misspelt_voice_key_is_named(tmp_path, key_file):  # noqa: F811
    [problem] = problems(tmp_path, key_file, "\n[voice]\nvolumn = 0.5\n")
    assert problem.startswith("voice.volumn: unknown key")


def test_a_staff_signal_on_the_simulator_is_refused_in_production(tmp_path, key_file):  # noqa: F811
    text = production_config(key_file).replace('card_reader = "pcsc://"', 'card_reader = "pcsc://"\nstaff_signal = "sim://staff-signal"')
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert [p.key for p in caught.value.problems] == ["devices.staff_signal"]
