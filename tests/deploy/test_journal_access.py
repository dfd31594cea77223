"""Maintenance mode's log export reads the kiosk unit's journal: the image must let it.

The kiosk runs as the system user `kiosk`, whose log lines journald keeps in the system
journal, readable only by root and the `systemd-journal` group. The journal must also be one
journal: with the read-only root's empty /etc/machine-id, every boot would get a new machine
id and journald a new directory (outside its size cap, and unseen by a plain journalctl), so
the first boot's id is kept (kiosk-machine-id) and GRUB passes it on. Whether a terminal really
does all this is shown only by the image test in QEMU; this checks that the image asks for it.
"""

import configparser
import os
import shutil
import subprocess
from pathlib import Path

import pytest

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


GRUBENV_ON_THE_ESP = "/boot/efi/EFI/kiosk/grubenv"
MACHINE_ID = "0123456789abcdef0123456789abcdef"


def keep_machine_id(tmp_path: Path, machine_id: str) -> tuple[subprocess.CompletedProcess, str]:
    grubenv, id_file = tmp_path / "grubenv", tmp_path / "machine-id"
    subprocess.run(["grub-editenv", str(grubenv), "create"], check=True)
    subprocess.run(["grub-editenv", str(grubenv), "set", "ORDER=A B", "A_OK=1"], check=True)
    id_file.write_text(machine_id + "\n")
    env = {**os.environ, "KIOSK_GRUBENV": str(grubenv), "KIOSK_MACHINE_ID_FILE": str(id_file)}
    done = subprocess.run([str(IMAGE / "bin/kiosk-machine-id")], env=env, capture_output=True, text=True)
    listed = subprocess.run(["grub-editenv", str(grubenv), "list"], capture_output=True, text=True, check=True).stdout
    return done, listed


@pytest.mark.skipif(not shutil.which("grub-editenv"), reason="grub-editenv (grub-common) is not installed")
def test_the_first_boots_machine_id_is_kept_in_grubs_environment(tmp_path):
    done, listed = keep_machine_id(tmp_path, MACHINE_ID)
    assert done.returncode == 0, done.stderr
    assert f"MACHINE_ID={MACHINE_ID}" in listed.split("\n")
    assert "ORDER=A B" in listed and "A_OK=1" in listed, "the slots' flags are left as they were"


@pytest.mark.skipif(not shutil.which("grub-editenv"), reason="grub-editenv (grub-common) is not installed")
def test_no_machine_id_is_kept_when_the_file_holds_none(tmp_path):
    done, listed = keep_machine_id(tmp_path, "")
    assert done.returncode == 1 and "holds no machine id" in done.stderr
    assert "MACHINE_ID" not in listed


def test_grub_passes_the_kept_machine_id_to_every_boot():
    grub = (IMAGE / "esp/grub.cfg").read_text()
    load_env = next(line for line in grub.splitlines() if line.startswith("load_env"))
    assert "EFI/kiosk/grubenv" in load_env and "MACHINE_ID" in load_env.split()
    assert 'set cmdline="$cmdline systemd.machine_id=$MACHINE_ID"' in grub
    assert grub.index("systemd.machine_id=") < grub.index("linux /boot/vmlinuz")


def test_the_machine_id_is_kept_only_until_grub_passes_it():
    service = unit("kiosk-machine-id.service")
    assert service["Unit"]["ConditionKernelCommandLine"] == "!systemd.machine_id"
    assert "/boot/efi" in service["Unit"]["RequiresMountsFor"]
    assert service["Service"]["ExecStart"] == "/usr/lib/sscard-kiosk/kiosk-machine-id"
    script = (IMAGE / "bin/kiosk-machine-id").read_text()
    assert f"KIOSK_GRUBENV:-{GRUBENV_ON_THE_ESP}" in script
    assert f"grubenv={GRUBENV_ON_THE_ESP}" in (IMAGE / "rootfs/etc/rauc/system.conf").read_text()
