"""Bad configuration values are refused with their key and reason; the loader never raises
anything but ConfigError, and `kiosk config check` never prints a traceback (issue 12, 3)."""

import dataclasses
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.config import ConfigError, load_config
from kiosk.config.ranges import RANGES
from kiosk.config.settings import SECTIONS
from kiosk.keys import write_new_key_file
from tests.config.test_config import key_file  # noqa: F401  (fixture)
from tests.config.test_config import production_config as _production_config
from tests.config.test_config import write

KIOSK = [sys.executable, "-m", "kiosk"]


def production_config(key_path: Path, extra: str = "", **overrides: str) -> str:
    """tests/config's production file; `key_file` may be overridden like any other key."""
    key_line = overrides.pop("key_file", None)
    text = _production_config(key_path, extra, **overrides)
    return text if key_line is None else text.replace(f'key_file = "{key_path}"', f"key_file = {key_line}")


def problems_of(path: Path) -> dict[str, str]:
    with pytest.raises(ConfigError) as err:
        load_config(path)
    return {p.key: p.reason for p in err.value.problems}


def test_unclosed_ipv6_centre_url_is_a_problem_of_centre_url(tmp_path, key_file):
    found = problems_of(write(tmp_path, production_config(key_file, centre_url='"http://[::1"')))
    assert list(found) == ["centre_url"] and "bad URL" in found["centre_url"]


def test_nul_in_key_file_is_a_problem_of_key_file(tmp_path, key_file):
    found = problems_of(write(tmp_path, production_config(key_file, key_file=r'"terminal\u0000.key"')))
    assert list(found) == ["key_file"] and "NUL" in found["key_file"]


def test_superscript_two_as_baud_is_a_problem_of_the_device(tmp_path, key_file):
    text = production_config(key_file).replace("baud=115200", "baud=²")
    found = problems_of(write(tmp_path, text))
    assert list(found) == ["devices.id_reader"] and "baud" in found["devices.id_reader"]


def test_max_attempts_zero_is_refused_with_its_reason(tmp_path, key_file):
    found = problems_of(write(tmp_path, production_config(key_file, "[outbox]\nmax_attempts = 0\n")))
    assert list(found) == ["outbox.max_attempts"] and "dead before its first send" in found["outbox.max_attempts"]


def test_nan_backoff_cap_is_refused(tmp_path, key_file):
    found = problems_of(write(tmp_path, production_config(key_file, "[outbox]\nbackoff_cap_s = nan\n")))
    assert list(found) == ["outbox.backoff_cap_s"] and "finite" in found["outbox.backoff_cap_s"]


def test_infinite_printer_timeout_is_refused(tmp_path, key_file):
    found = problems_of(write(tmp_path, production_config(key_file, "[printer]\nstatus_timeout_s = inf\n")))
    assert list(found) == ["printer.status_timeout_s"]


def test_backoff_base_above_its_cap_is_refused(tmp_path, key_file):
    text = production_config(key_file, "[outbox]\nbackoff_base_s = 600.0\nbackoff_cap_s = 60.0\n")
    assert list(problems_of(write(tmp_path, text))) == ["outbox.backoff_cap_s"]


def test_a_float_setting_given_an_integer_past_double_precision_is_refused(tmp_path, key_file):
    text = production_config(key_file, f"[photo]\nmin_sharpness = {10**400}\n")
    assert list(problems_of(write(tmp_path, text))) == ["photo.min_sharpness"]


def test_every_numeric_setting_has_a_range():
    numeric = {
        f"{name}.{f.name}"
        for name, cls in SECTIONS.items()
        for f in dataclasses.fields(cls)
        if type(f.default) in (int, float)
    }
    assert numeric | {"idle_timeout_s"} == set(RANGES)


def test_every_default_is_inside_its_range():
    for name, cls in SECTIONS.items():
        for f in dataclasses.fields(cls):
            rule = RANGES.get(f"{name}.{f.name}")
            assert rule is None or rule.problem(f.default) is None, f"{name}.{f.name}"


def test_a_config_file_that_is_not_utf8_is_one_problem(tmp_path):
    path = tmp_path / "terminal.toml"
    path.write_bytes(b'outlet_id = "\xb3\xa4\xca\xd9"\n')  # GBK
    assert "UTF-8" in problems_of(path)["-"]


def test_a_directory_given_as_config_is_one_problem(tmp_path):
    assert "-" in problems_of(tmp_path)


@pytest.mark.parametrize(
    "change",
    [
        {"centre_url": '"http://[::1"'},
        {"key_file": r'"a\u0000b"'},
        {"extra": "[outbox]\nmax_attempts = 0\n"},
        {"extra": "[outbox]\nbackoff_cap_s = nan\n"},
    ],
    ids=["ipv6", "nul", "max_attempts", "nan"],
)
def test_config_check_names_the_key_and_never_prints_a_traceback(tmp_path, key_file, change):
    extra = change.pop("extra", "")
    path = write(tmp_path, production_config(key_file, extra, **change))
    run = subprocess.run([*KIOSK, "config", "check", "--json", str(path)], capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout
    problems = json.loads(run.stdout)["problems"]
    assert len(problems) == 1 and problems[0]["key"] != "-"


def test_config_check_on_a_baud_of_superscript_two_names_the_device(tmp_path, key_file):
    path = write(tmp_path, production_config(key_file).replace("baud=115200", "baud=²"))
    run = subprocess.run([*KIOSK, "config", "check", str(path)], capture_output=True, text=True)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert ": devices.id_reader: " in run.stderr


# --- fuzz: whatever a file holds, the loader answers a Config or a ConfigError ------------

def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string (surrogates excluded) is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
_url = st.builds(
    lambda scheme, rest: scheme + rest,
    st.sampled_from(["http://", "https://", "serial://", "sim://", "v4l2://", "pcsc://", "", "ftp://"]),
    _text,
)
_scalar = st.one_of(
    st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), st.floats(), _text, _url,
)
_value = st.one_of(_scalar, st.lists(_scalar, max_size=3))
_keys = [
    "production", "outlet_id", "terminal_id", "region", "centre_url", "key_file", "idle_timeout_s", "language", "data_dir",
]  # fmt: skip
_section_keys = [
    f"{name}.{f.name}" for name, cls in SECTIONS.items() for f in dataclasses.fields(cls)
] + ["devices.id_reader", "devices.printer", "devices.camera", "devices.card_reader", "outbox.colour"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(top=st.dictionaries(st.sampled_from(_keys), _value, max_size=4),
       sections=st.dictionaries(st.sampled_from(_section_keys), _value, max_size=4))  # fmt: skip
def test_the_loader_never_raises_anything_but_config_error(top, sections):
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        key_file = tmp_path / "terminal.key"
        write_new_key_file(key_file)
        overrides = {key: _toml(value) for key, value in top.items()}
        text = production_config(key_file, **overrides)
        tables: dict[str, list[str]] = {}
        for dotted, value in sections.items():
            table, key = dotted.split(".")
            tables.setdefault(table, []).append(f"{key} = {_toml(value)}")
        for table, lines in tables.items():
            if table == "devices":
                text = text.replace("[devices]\n", "[devices]\n" + "\n".join(lines) + "\n")
                for line in lines:  # a key given twice is a TOML error: keep the fuzzed one
                    name = line.split(" = ")[0]
                    text = "\n".join(ln for ln in text.splitlines() if not (ln.startswith(name + " = ") and ln != line)) + "\n"
            else:
                text += f"[{table}]\n" + "\n".join(lines) + "\n"
        path = write(tmp_path, text)
        try:
            load_config(path)
        except ConfigError as exc:
            assert exc.problems


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_the_loader_never_raises_on_arbitrary_bytes(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "terminal.toml"
        path.write_bytes(data)
        try:
            load_config(path)
        except ConfigError as exc:
            assert exc.problems


def test_a_key_file_path_too_long_for_the_filesystem_is_a_problem_of_key_file(tmp_path, key_file):
    """Found by scripts/fuzz (config target): the trust checks stat the key file, and a name
    past NAME_MAX made that raise OSError out of the loader."""
    found = problems_of(write(tmp_path, production_config(key_file, key_file='"' + "0" * 300 + '.key"')))
    assert list(found) == ["key_file"]
