"""The employer's USB drive: how fast the kiosk gets a package off a FAT volume it never mounts.

A package of PEOPLE people (three ~IMAGE_KB KB images each, random bytes so nothing compresses)
is put on a real FAT image (mkfs.vfat + mcopy, as the drive simulator does). Measured in the
same run, on the same disk, both warm in the page cache:
- the driver's copy of the package off the image (user-space FAT: directory read, cluster
  chains followed, contiguous runs read at once) into a new folder;
- the baseline: the same files copied folder to folder with shutil (what a mount would give).
A real USB 2 stick reads at 20-40 MB/s: the driver should stay well above that.
Run: bench/run usb_drive
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "hardware-sim"))

from hwsim.usb_drive.image import make_fat_image  # noqa: E402
from kiosk.drivers.usb_drive import UsbDrive  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "1000"))
IMAGE_KB = 30
PER_FOLDER = 100
ROUNDS = 3


def make_package(folder: Path) -> int:
    """The sheet, and the images in folders of PER_FOLDER people (mcopy, which builds the image,
    slows down sharply beyond a few hundred files in one folder; the driver does not)."""
    package = folder / "报盘"
    package.mkdir(parents=True)
    (package / "制卡明细表.xlsx").write_bytes(os.urandom(200_000))
    for n in range(PEOPLE):
        images = package / f"照片{n // PER_FOLDER + 1}"
        images.mkdir(exist_ok=True)
        number = f"500115198001{n:04d}11"[:17] + "X"
        for suffix in (".jpg", "-正.jpg", "-反.jpg"):
            (images / f"{number}{suffix}").write_bytes(os.urandom(IMAGE_KB * 1024))
    return sum(p.stat().st_size for p in package.rglob("*") if p.is_file())


def best(run) -> float:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        size = make_package(tmp / "stick")
        started = time.perf_counter()
        image = make_fat_image(tmp / "stick", tmp / "drive.img")
        made = time.perf_counter() - started
        drive = UsbDrive(f"file://{image}")
        started = time.perf_counter()
        [package] = drive.packages().value
        listed = time.perf_counter() - started

        def driver_copy() -> None:
            target = tmp / "copy"
            shutil.rmtree(target, ignore_errors=True)
            done = drive.copy_package(package, target)
            assert done.ok, done.reason

        def baseline_copy() -> None:
            target = tmp / "baseline"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(tmp / "stick" / "报盘", target)

        baseline_copy()  # both warm
        base = best(baseline_copy)
        ours = best(driver_copy)
        mb = size / 1e6
        print(f"package: {PEOPLE} people, {package.files} files, {mb:.1f} MB on a FAT image (mkfs.vfat + mcopy took {made:.1f} s)")
        print(f"finding the package (directory read): {listed * 1000:.0f} ms")
        print(f"copy off the FAT image (driver): {ours:.2f} s = {mb / ours:.0f} MB/s")
        print(f"baseline folder-to-folder copy:  {base:.2f} s = {mb / base:.0f} MB/s")
        print(f"ratio driver / baseline: {ours / base:.1f}x")


if __name__ == "__main__":
    main()
