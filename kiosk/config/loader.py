"""Reading a terminal's TOML file into a `Config`, checking every key on the way.

Loading collects every problem in the file (unknown key, bad URL, missing key file,
unknown region, simulator settings on a production terminal) and reports them all at
once, each with the file, the key and the reason, so a deployer fixes a file in one go.

Which file: `--config FILE`, else `$KIOSK_CONFIG`, else the simulator configuration that
ships with the project (`kiosk/config/simulator.toml`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import ipaddress
import os
import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kiosk.config import clock
from kiosk.config.ranges import range_problems
from kiosk.config.settings import SECTIONS, Config, DeviceUrls
from kiosk.domain.problems import FileProblems, Problem, ProblemCollector
from kiosk.i18n import LANGUAGES

PACKAGE_DIR = Path(__file__).resolve().parent
SIMULATOR_CONFIG = PACKAGE_DIR / "simulator.toml"
EXAMPLE_TERMINAL_CONFIG = PACKAGE_DIR / "terminal.example.toml"

DEVICE_SCHEMES: dict[str, tuple[str, ...]] = {
    "id_reader": ("serial", "sim", "socket", "rfc2217", "loop"),
    "printer": ("serial", "sim", "socket", "rfc2217", "loop"),
    "camera": ("v4l2", "file", "sim", "http", "https", "rtsp"),
    "card_reader": ("pcsc",),
    "usb_drive": ("udev", "file", "sim"),
    "staff_signal": ("serial", "sim", "socket", "rfc2217", "loop"),
}
# May be left out of [devices]: the DeviceUrls default holds (a terminal may stand where no
# staff-call light is wired; the USB drive defaults to udev).
OPTIONAL_DEVICES = ("usb_drive", "staff_signal")
SIMULATION_SCHEMES = ("sim", "file", "loop")
BAUD_RATES = (300, 4_000_000)  # what UARTs and USB-serial adapters can be set to
# What a value can make the standard library raise while it is checked (a NUL in a path, a
# malformed IPv6 host, a number past a float): each becomes a problem naming its key.
UNREADABLE = (ValueError, OSError, UnicodeError, OverflowError)
VOICE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_+-]{0,39}")


class ConfigError(FileProblems):
    """A configuration file with mistakes; `problems` lists every one of them."""


REQUIRED = {
    "production": bool,
    "outlet_id": str,
    "terminal_id": str,
    "region": str,
    "centre_url": str,
    "key_file": str,
}
OPTIONAL = {"idle_timeout_s": int, "language": str, "data_dir": str, "tls_dir": str, "build_info": str}
DEFAULTS = {"idle_timeout_s": 90, "language": "zh", "data_dir": "/var/lib/sscard-kiosk", "tls_dir": "", "build_info": ""}


def config_path(explicit: str | os.PathLike | None = None) -> Path:
    """`--config`, else $KIOSK_CONFIG, else the shipped simulator configuration."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("KIOSK_CONFIG")
    return Path(env) if env else SIMULATOR_CONFIG


def load_config(explicit: str | os.PathLike | None = None, *, check_enrolment: bool = True) -> Config:
    """`check_enrolment=False`: for `kiosk keys csr/install`, which enrol a terminal whose
    configuration cannot pass yet because it is not enrolled (kiosk.config.trust)."""
    path = config_path(explicit)
    name = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError([Problem(name, "-", "file not found")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([Problem(name, "-", f"not valid TOML: {exc}")]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError([Problem(name, "-", f"not UTF-8 text: {exc.reason} at byte {exc.start}")]) from None
    except (OSError, ValueError) as exc:
        raise ConfigError([Problem(name, "-", f"cannot be read: {exc}")]) from None
    return _Loader(path, raw, check_enrolment).load()


class _Loader(ProblemCollector):
    def __init__(self, path: Path, raw: dict[str, Any], check_enrolment: bool = True) -> None:
        super().__init__(path)
        self.raw = raw
        self.check_enrolment = check_enrolment

    @contextlib.contextmanager
    def checking(self, key: str):
        """Whatever the standard library raises about `key`'s value becomes a problem of `key`."""
        try:
            yield
        except UNREADABLE as exc:
            self.problem(key, f"cannot be used: {exc}")

    def load(self) -> Config:
        raw = self.raw
        known = set(REQUIRED) | set(OPTIONAL) | {"devices"} | set(SECTIONS)
        for key in raw:
            if key not in known:
                self.problem(key, f"unknown key (known: {', '.join(sorted(known))})")
        values: dict[str, Any] = {}
        for key, typ in REQUIRED.items():
            if key not in raw:
                self.problem(key, "missing")
            elif not isinstance(raw[key], typ):
                self.problem(key, f"must be {typ.__name__}, not {type(raw[key]).__name__}")
            else:
                values[key] = raw[key]
        for key, typ in OPTIONAL.items():
            value = raw.get(key, DEFAULTS[key])
            if not isinstance(value, typ) or isinstance(value, bool) != (typ is bool):
                self.problem(key, f"must be {typ.__name__}")
                value = DEFAULTS[key]
            values[key] = value
        production = values.get("production", True)  # unknown means strict

        if values["language"] not in LANGUAGES:
            self.problem("language", f"must be one of {', '.join(LANGUAGES)}")
        if "region" in values:
            self.check_region(values["region"], values.get("outlet_id"))
        if "terminal_id" in values:
            self.check_terminal_id(values["terminal_id"])
        if "centre_url" in values:
            self.check_url("centre_url", values["centre_url"], ("http", "https"))
        key_file = self.path_value("key_file", values.get("key_file", ""))
        if "key_file" in values and key_file is not None:
            with self.checking("key_file"):
                self.check_key_file(key_file, production)
        data_dir = Path(os.environ.get("KIOSK_DATA_DIR") or self.path_value("data_dir", values["data_dir"]) or "")
        tls_dir = self.trust(values, key_file, production)
        not_before = self.software_date(values["build_info"])
        devices = self.devices(production)
        sections = {name: self.section(name, cls) for name, cls in SECTIONS.items()}
        self.check_ranges(values, sections)
        self.check_voice(sections["voice"])
        sections["metrics"] = self.check_metrics(sections["metrics"], production)
        if production and "simulator" in raw:
            self.problem("simulator", "simulator settings are refused when production = true")
        if not production and "simulator" not in raw:
            sections["simulator"] = None
        if self.problems:
            raise ConfigError(self.problems)
        return Config(
            path=self.path,
            production=production,
            outlet_id=values["outlet_id"],
            terminal_id=values["terminal_id"],
            region=values["region"],
            centre_url=values["centre_url"],
            key_file=key_file,
            data_dir=data_dir,
            idle_timeout_s=values["idle_timeout_s"],
            language=values["language"],
            devices=devices,
            photo=sections["photo"],
            printer=sections["printer"],
            outbox=sections["outbox"],
            simulator=None if production else sections["simulator"],
            tls_dir=tls_dir,
            voice=sections["voice"],
            metrics=sections["metrics"],
            not_before=not_before,
            elder=sections["elder"],
        )

    def software_date(self, value: str) -> date | None:
        """The day the software was built, from the image's build-info file (kiosk.config.clock)."""
        if not value:
            return None
        path = self.path_value("build_info", value)
        if path is None:
            return None
        with self.checking("build_info"):
            return clock.software_date(path)
        return None

    def resolve(self, value: str) -> Path:
        p = Path(os.path.expanduser(value))
        return p if p.is_absolute() else (self.path.parent / p).resolve()

    def trust(self, values: dict[str, Any], key_file: Path | None, production: bool) -> Path | None:
        """Mutual TLS and key files (kiosk.config.trust); the resolved `tls_dir`."""
        from kiosk.config import trust

        tls_dir = None
        if values["tls_dir"]:
            expanded, unset = trust.expand_variables(values["tls_dir"])
            if unset:
                self.problem("tls_dir", f"names environment variables that are not set: {', '.join(unset)}")
            elif "\x00" in expanded:
                self.problem("tls_dir", "must not contain a NUL character")
            else:
                tls_dir = self.path_value("tls_dir", expanded)
        elif production and key_file is not None and "key_file" in values:
            tls_dir = key_file.parent / "tls"  # beside the key file: /etc/sscard-kiosk/tls
        key_file_unusable = "key_file" in values and key_file is None  # its own problem says why
        if "key_file" in values and key_file is not None:
            with self.checking("key_file"):  # a path the filesystem refuses (too long, a loop)
                self.problems_from(trust.key_file_findings(key_file, production))
        if "centre_url" in values:
            self.problems_from(trust.centre_url_findings(values["centre_url"], production))
        if "centre_url" in values and not (tls_dir is None and key_file_unusable):
            with self.checking("tls_dir"):
                enrolled = production and self.check_enrolment
                self.problems_from(trust.tls_findings(tls_dir, values["centre_url"], values.get("terminal_id"), enrolled))
        return tls_dir

    def problems_from(self, findings) -> None:
        for key, reason in list(findings):  # all found before any is kept: a failing check adds none
            self.problem(key, reason)

    def path_value(self, key: str, value: str) -> Path | None:
        """`value` as a path relative to the file; None (and a problem) if it cannot be one."""
        if "\0" in value:
            self.problem(key, "must not contain a NUL character")
            return None
        with self.checking(key):
            return self.resolve(value)
        return None

    def check_ranges(self, values: dict[str, Any], sections: dict[str, Any]) -> None:
        numbers = {key: values[key] for key in ("idle_timeout_s",)}
        for name, section in sections.items():
            for f in dataclasses.fields(section) if section is not None else ():
                value = getattr(section, f.name)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    numbers[f"{name}.{f.name}"] = value
        for key, reason in range_problems(numbers):
            self.problem(key, reason)

    def check_region(self, region: str, outlet_id: str | None) -> None:
        from kiosk.domain.policy import PolicyError, available_regions, load_policy

        regions = available_regions()
        if region not in regions:
            self.problem("region", f"unknown region {region!r} (known: {', '.join(regions)})")
            return
        try:
            policy = load_policy(region)
        except PolicyError as exc:
            self.problem("region", f"the policy of {region!r} has {len(exc.problems)} problem(s): {exc.problems[0]}")
            return
        if outlet_id is not None:
            try:
                policy.outlet(outlet_id)
            except KeyError as exc:
                self.problem("outlet_id", exc.args[0])

    def check_terminal_id(self, terminal_id: str) -> None:
        from kiosk.domain.serials import TERMINAL_ID

        if not TERMINAL_ID.fullmatch(terminal_id):
            self.problem("terminal_id", f"{terminal_id!r} must be 1 to 8 capital letters or digits (it is part of every voucher serial)")

    def check_url(self, key: str, url: str, schemes: tuple[str, ...]) -> str | None:
        try:
            parts = urlsplit(url)
            parts.hostname, parts.port  # noqa: B018 - both parse lazily and may raise
        except ValueError as exc:
            self.problem(key, f"bad URL {url!r}: {exc}")
            return None
        if any(ord(c) < 32 or ord(c) == 127 for c in url):
            self.problem(key, f"bad URL {url!r}: control characters")
            return None
        if parts.scheme not in schemes:
            self.problem(key, f"bad URL {url!r}: scheme must be one of {', '.join(s + '://' for s in schemes)}")
            return None
        if parts.scheme in ("http", "https", "rtsp", "socket", "rfc2217") and not parts.hostname:
            self.problem(key, f"bad URL {url!r}: no host")
            return None
        if parts.scheme == "serial" and not parts.path:
            self.problem(key, f"bad URL {url!r}: no device path (serial:///dev/ttyUSB0?baud=115200)")
            return None
        if parts.scheme == "serial":
            baud = parse_qs(parts.query).get("baud", ["0"])[0]
            low, high = BAUD_RATES
            if not (baud.isascii() and baud.isdigit()) or not low <= int(baud) <= high:
                self.problem(key, f"bad URL {url!r}: baud must be a number from {low} to {high} in ASCII digits")
                return None
        if parts.scheme == "sim" and not (parts.netloc or parts.path.strip("/")):
            self.problem(key, f"bad URL {url!r}: name the simulator (sim://printer)")
            return None
        return parts.scheme

    def check_voice(self, voice: Any) -> None:
        """[voice]: voice names espeak-ng cannot mistake for options (its numbers: config/ranges.py)."""
        for key in ("voice_zh", "voice_en"):
            if not VOICE_NAME.fullmatch(getattr(voice, key)):
                self.problem(f"voice.{key}", "must be an espeak-ng voice name such as cmn or en-us")

    def check_metrics(self, metrics: Any, production: bool) -> Any:
        """[metrics]: the exporter listens on one address of this terminal (its port: config/ranges.py);
        a production terminal that serves beyond itself asks every scrape for a bearer token
        (nothing it accepts is unauthenticated). Returns the section with `token_file` resolved."""
        try:
            local = ipaddress.ip_address(metrics.bind).is_loopback
        except ValueError:
            self.problem("metrics.bind", "must be an IP address of this terminal, such as 127.0.0.1 or its LAN address")
            return metrics
        if metrics.token_file:
            token_file = self.path_value("metrics.token_file", metrics.token_file)
            if token_file is not None and not token_file.is_file():
                self.problem("metrics.token_file", f"{token_file} does not exist (one line: the token the district's Prometheus sends)")
            return dataclasses.replace(metrics, token_file=str(token_file or ""))
        if production and metrics.enabled and not local:
            self.problem("metrics.token_file", f"needed to serve /metrics on {metrics.bind}: a production terminal "
                         "accepts nothing unauthenticated (docs/monitoring.md)")  # fmt: skip
        return metrics

    def check_key_file(self, path: Path, production: bool) -> None:
        from kiosk.keys import KeyFileError, read_key_file

        try:
            key = read_key_file(path)
        except KeyFileError as exc:
            self.problem("key_file", str(exc))
            return
        if production and key.is_simulator_key:
            self.problem("key_file", "the simulator's key is refused when production = true")

    def devices(self, production: bool) -> DeviceUrls:
        table = self.raw.get("devices")
        urls = {}
        if not isinstance(table, dict):
            self.problem("devices", "missing table [devices]")
            table = {}
        for key in table:
            if key not in DEVICE_SCHEMES:
                self.problem(f"devices.{key}", f"unknown device (known: {', '.join(DEVICE_SCHEMES)})")
        for key, schemes in DEVICE_SCHEMES.items():
            url = table.get(key)
            if not isinstance(url, str) and key in OPTIONAL_DEVICES and key not in table:
                continue
            if not isinstance(url, str):
                if (table and key not in OPTIONAL_DEVICES) or key in table:
                    self.problem(f"devices.{key}", "missing (a URL such as " + schemes[0] + "://...)")
                urls[key] = ""
                continue
            scheme = self.check_url(f"devices.{key}", url, schemes)
            if production and scheme in SIMULATION_SCHEMES:
                self.problem(f"devices.{key}", f"{scheme}:// is a simulator setting, refused when production = true")
            urls[key] = url
        return DeviceUrls(**urls)

    def section(self, name: str, cls: type) -> Any:
        table = self.raw.get(name, {})
        if not isinstance(table, dict):
            self.problem(name, "must be a table")
            return cls()
        fields = {f.name: f for f in dataclasses.fields(cls)}
        kwargs = {}
        for key, value in table.items():
            if key not in fields:
                self.problem(f"{name}.{key}", f"unknown key (known: {', '.join(fields)})")
                continue
            want = type(fields[key].default)
            ok = isinstance(value, want) and not (isinstance(value, bool) and want is not bool)
            if want is float and isinstance(value, int) and not isinstance(value, bool):
                value, ok = (float(value), True) if abs(value) < 2**53 else (value, False)
            if not ok:
                self.problem(f"{name}.{key}", f"must be {want.__name__}")
                continue
            kwargs[key] = value
        return cls(**kwargs)
