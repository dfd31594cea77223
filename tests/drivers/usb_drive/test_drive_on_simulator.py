"""The real drive driver against the simulator's FAT images: what a handler's stick can do."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

from hwsim.usb_drive.image import make_fat_image
from tests.drivers.usb_drive.conftest import make_package
from kiosk.drivers.status import Detail, DeviceState, MediaState, ResultCode
from kiosk.drivers.usb_drive import UsbDrive
from kiosk.drivers.usb_drive import package_copy
from kiosk.drivers.usb_drive.volume import FatVolume


def test_an_empty_slot_is_online_with_no_media_and_waiting_times_out(drive):
    assert drive.refresh_status().value.media is MediaState.NOT_PRESENT
    waited = drive.wait_for_drive(timeout=0.3)
    assert waited.code is ResultCode.TIMEOUT


def test_without_the_simulator_running_the_drive_is_no_device(tmp_path):
    from hwsim import kiosk_hooks

    drive = UsbDrive("sim://usb-drive", resolve=kiosk_hooks.resolve)
    assert drive.refresh_status().code is ResultCode.NO_DEVICE
    assert drive.status().state is DeviceState.NO_DEVICE
    assert UsbDrive("sim://usb-drive").refresh_status().code is ResultCode.NO_DEVICE  # no simulator installed


def test_a_folder_inserted_is_a_drive_holding_its_package(sim, drive, stick):
    sim.insert(stick)
    assert drive.wait_for_drive(timeout=2).ok
    assert drive.status().media is MediaState.PRESENT
    [package] = drive.packages().value
    assert (package.path, package.is_zip, package.files) == ("/报盘", False, 4)


def test_the_package_is_copied_off_with_its_chinese_names_and_bytes(sim, drive, stick, tmp_path):
    sim.insert(stick)
    [package] = drive.packages().value
    seen = []
    copied = drive.copy_package(package, tmp_path / "work", progress=lambda done, total: seen.append((done, total)))
    assert copied.ok, copied.reason
    for original in (stick / "报盘").rglob("*"):
        if original.is_file():
            assert (copied.value / original.relative_to(stick / "报盘")).read_bytes() == original.read_bytes()
    assert seen[-1][0] == seen[-1][1] == package.size
    again = drive.copy_package(package, tmp_path / "again")
    photo = "110101199003070011.JPG"
    assert (copied.value / photo).stat().st_mtime == (again.value / photo).stat().st_mtime  # the drive's time, kept
    assert abs((copied.value / photo).stat().st_mtime - (stick / "报盘" / photo).stat().st_mtime) <= 2  # FAT: 2 s steps


def test_a_zip_package_is_copied_as_one_file(sim, drive, tmp_path):
    root = tmp_path / "zipstick"
    root.mkdir()
    with zipfile.ZipFile(root / "报盘.zip", "w") as z:
        z.writestr("制卡明细表.xlsx", b"sheet")
    sim.insert(root)
    [package] = drive.packages().value
    assert package.is_zip and package.folder == "/"
    copied = drive.copy_package(package, tmp_path / "work")
    assert copied.value.name == "报盘.zip" and zipfile.ZipFile(copied.value).namelist() == ["制卡明细表.xlsx"]


def test_a_drive_with_no_package_lists_none(sim, drive, tmp_path):
    root = tmp_path / "holiday"
    root.mkdir()
    (root / "photo.jpg").write_bytes(b"\xff\xd8")
    sim.insert(root)
    assert drive.packages().value == []


def test_the_drive_pulled_out_mid_copy_leaves_nothing_half_copied(sim, drive, stick, tmp_path):
    sim.insert(stick)
    [package] = drive.packages().value
    copied = drive.copy_package(package, tmp_path / "work", progress=lambda done, total: sim.pull())
    assert copied.code is ResultCode.MEDIA_REMOVED
    assert not (tmp_path / "work").exists()
    assert drive.refresh_status().value.media is MediaState.NOT_PRESENT


def test_the_kiosk_disk_too_full_for_the_package_is_said_before_anything_is_copied(sim, drive, stick, tmp_path, monkeypatch):
    sim.insert(stick)
    [package] = drive.packages().value
    monkeypatch.setattr(package_copy, "DISK_MARGIN_BYTES", 1 << 60)  # more than any disk has free
    copied = drive.copy_package(package, tmp_path / "work")
    assert copied.code is ResultCode.DEVICE_ERROR and copied.detail[Detail.DISK_FULL]
    assert not (tmp_path / "work").exists()


def test_the_marked_copy_goes_back_as_a_new_file_and_nothing_else_changes(sim, drive, stick, tmp_path):
    sim.insert(stick)
    before = set(sim.files())
    [package] = drive.packages().value
    marked = tmp_path / "制卡明细表-问题标注.xlsx"
    marked.write_bytes(b"PK marked copy")
    written = drive.put_back(marked, package)
    assert written.value == "/报盘/制卡明细表-问题标注.xlsx"
    assert set(sim.files()) == before | {"/报盘/制卡明细表-问题标注.xlsx"}
    assert sim.fetch(written.value, tmp_path / "back.xlsx").read_bytes() == b"PK marked copy"
    again = drive.put_back(marked, package)  # a second check never overwrites the first copy
    assert again.value == "/报盘/制卡明细表-问题标注(2).xlsx"
    assert subprocess.run(["fsck.vfat", "-n", str(sim.image)], capture_output=True).returncode == 0
    assert drive.packages().value == [package.__class__(package.path, False, 6, package.size + 2 * len(b"PK marked copy"))]


def test_a_write_protected_drive_refuses_the_marked_copy_and_says_so(sim, drive, stick, tmp_path):
    sim.insert(stick, write_protected=True)
    before = set(sim.files())
    [package] = drive.packages().value
    marked = tmp_path / "制卡明细表-问题标注.xlsx"
    marked.write_bytes(b"PK marked copy")
    refused = drive.put_back(marked, package)
    assert refused.code is ResultCode.REFUSED and refused.detail[Detail.WRITE_PROTECTED]
    assert set(sim.files()) == before


def test_an_exfat_drive_is_refused_with_a_reason_the_handler_can_fix(sim, drive, tmp_path):
    image = tmp_path / "exfat.img"
    image.write_bytes(b"\xeb\x76\x90EXFAT   " + bytes(499) + b"\x55\xaa" + bytes(4096))
    sim.insert(image)
    waited = drive.wait_for_drive(timeout=1)
    assert waited.code is ResultCode.INVALID_DATA and "exFAT" in waited.reason
    assert drive.status().state is DeviceState.USER_ERROR and drive.status().media is MediaState.PRESENT


def test_a_whole_disk_image_with_an_mbr_is_read_from_its_fat_partition(sim, drive, stick, tmp_path):
    volume = make_fat_image(stick, tmp_path / "part.img")
    disk = tmp_path / "disk.img"
    with open(disk, "wb") as out:
        out.write(bytes(1 << 20))
        out.write(volume.read_bytes())
    layout = "label: dos\nstart=2048, type=c\n"
    subprocess.run(["sfdisk", "--no-reread", "-q", str(disk)], input=layout.encode(), check=True, capture_output=True)
    sim.insert(disk)
    [package] = drive.packages().value
    assert package.path == "/报盘" and package.files == 4


def test_a_folder_name_windows_stored_in_lowercase_8_3_is_shown_in_lowercase(sim, drive, tmp_path):
    root = make_package(tmp_path / "lower", folder="pkg")
    sim.insert(root)
    assert [p.path for p in drive.packages().value] == ["/pkg"]


def test_a_damaged_drive_fails_the_copy_plainly_and_leaves_nothing(sim, drive, stick, tmp_path):
    sim.insert(stick)
    [package] = drive.packages().value
    with FatVolume(str(sim.image)) as volume:  # where the files' data begins
        fat = volume._fs.fs
        data_start = fat.first_data_sector * fat.bpb_header["BPB_BytsPerSec"]
    with open(sim.image, "r+b") as image:  # the stick unreadable past its directories: the files' data gone
        image.truncate(data_start + 2 * fat.bytes_per_cluster)
    copied = drive.copy_package(package, tmp_path / "work")
    assert copied.code is ResultCode.DEVICE_ERROR and copied.recovery.value == "retry"
    assert not (tmp_path / "work").exists()


def test_the_same_folder_inserted_twice_is_the_same_stick_to_the_kiosk(sim, drive, stick, tmp_path):
    """Files keep their times on the FAT image (mcopy -m), as on a stick taken out and put back:
    the checker fingerprints files by size and time, so the package digest stays the same."""
    made = 1_714_550_400  # 2024-05-01: when the clerk's office PC wrote the files
    for file in stick.rglob("*"):
        os.utime(file, (made, made))
    times = []
    for visit in range(2):
        sim.insert(stick)
        [package] = drive.packages().value
        copied = drive.copy_package(package, tmp_path / f"visit{visit}").value
        times.append(sorted((p.name, p.stat().st_mtime) for p in copied.rglob("*") if p.is_file()))
        sim.pull()
    assert times[0] == times[1] and all(abs(t - made) <= 2 for _name, t in times[0])
