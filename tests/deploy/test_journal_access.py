"""Maintenance mode's log export reads the kiosk unit's journal: the image must let it.

The kiosk runs as the system user `kiosk`, whose log lines journald keeps in the system
journal, readable only by root and the `systemd-journal` group. Whether a terminal really
reads it is shown only by the image test in QEMU; this checks that the image asks for it.
"""

import configparser
from pathlib import Path

from kiosk.flows import log_export

IMAGE = Path(__file__).resolve().parents[2] / "deploy/image"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read(IMAGE / "rootfs/etc/systemd/system" / name)
    return parser


def test_the_log_export_reads_the_unit_the_image_runs_the_kiosk_as():
    assert (IMAGE / "rootfs/etc/systemd/system" / log_export.KIOSK_UNIT).is_file()


def test_the_kiosk_service_may_read_the_system_journal():
    service = unit(log_export.KIOSK_UNIT)["Service"]
    assert service["User"] == "kiosk"
    assert "systemd-journal" in service.get("SupplementaryGroups", "").split()


def test_the_kiosk_user_itself_gets_no_journal_group():
    """Only the service's processes read the journal: not every login of the kiosk user."""
    customize = (IMAGE / "customize-root").read_text().replace("\\\n", " ")
    kiosk_user = next(line.split() for line in customize.splitlines() if "useradd" in line and line.split()[-1] == "kiosk")
    groups = kiosk_user[kiosk_user.index("--groups") + 1].split(",")
    assert "video" in groups and not {"systemd-journal", "adm"} & set(groups)


def test_the_export_reads_the_journals_of_earlier_boots_too(tmp_path, monkeypatch):
    """The image's machine id is new at each boot (read-only root, empty /etc/machine-id), and
    journalctl without --merge reads only the current id's directory: one boot's log."""
    asked = tmp_path / "asked"
    journalctl = tmp_path / "journalctl"
    journalctl.write_text(f'#!/bin/sh\necho "$@" > {asked}\n')
    journalctl.chmod(0o755)
    monkeypatch.setattr(log_export, "JOURNALCTL", str(journalctl))
    log_export.journal_lines(7)
    words = asked.read_text().split()
    assert "--merge" in words and words[words.index("--unit") + 1] == log_export.KIOSK_UNIT
