"""The removable-drive slot: a FAT image appears at a fixed path while a drive is inserted.

The kiosk's `sim://usb-drive` resolves to `file://<slot>/drive.img`, and its real driver
(kiosk.drivers.usb_drive) reads that image exactly as it reads /dev/sdb1 on a terminal.
`insert` takes a folder (made into a FAT image with mkfs.vfat + mcopy) or an image file
(copied, so the original is never written); `insert … write_protected=true` is a stick with its lock switch on; `pull` takes the drive out (the image vanishes
at once, as a block device does, even in the middle of a read).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

from hwsim.control import ControlServer, sim_dir
from hwsim.usb_drive.image import list_files, make_fat_image, read_file

NAME = "usb-drive"


class UsbDriveSimulator:
    def __init__(self, slot_dir: Path | None = None) -> None:
        self.slot_dir = Path(slot_dir or sim_dir() / NAME)
        self.image = self.slot_dir / "drive.img"
        self.url = f"file://{self.image}"
        self._lock = threading.Lock()
        self._control: ControlServer | None = None

    @property
    def inserted(self) -> bool:
        return self.image.exists()

    def insert(self, source: Path, write_protected: bool = False) -> Path:
        """Insert a drive holding the folder `source`, or the FAT image file `source`;
        `write_protected`: its lock switch is on (the image is made immutable, which even
        root cannot open for writing, as a locked stick refuses every write)."""
        source = Path(source)
        with self._lock:
            self._pull()
            self.slot_dir.mkdir(parents=True, exist_ok=True)
            staging = self.slot_dir / ".inserting.img"
            if source.is_dir():
                make_fat_image(source, staging)
            elif source.is_file():
                shutil.copyfile(source, staging)
            else:
                raise FileNotFoundError(f"{source}: no such folder or image file")
            os.replace(staging, self.image)  # the drive appears whole, never half-made
            if write_protected:
                subprocess.run(["chattr", "+i", str(self.image)], check=True, capture_output=True)
        return self.image

    def pull(self) -> None:
        with self._lock:
            self._pull()

    def _pull(self) -> None:
        if self.image.exists():
            subprocess.run(["chattr", "-i", str(self.image)], capture_output=True)
        self.image.unlink(missing_ok=True)

    def files(self) -> list[str]:
        """What is on the inserted drive now (read with mtools)."""
        return list_files(self.image) if self.inserted else []

    def fetch(self, path: str, out: Path) -> Path:
        """Copy one file off the inserted drive, e.g. the marked-up sheet the kiosk wrote."""
        return read_file(self.image, path, out)

    def describe(self) -> dict[str, Any]:
        return {"url": self.url, "inserted": self.inserted}

    def commands(self) -> dict[str, Any]:
        return {
            "insert": lambda a: str(self.insert(Path(a["path"]), bool(a.get("write_protected", False)))),
            "pull": lambda _a: self.pull(),
            "files": lambda _a: self.files(),
            "fetch": lambda a: str(self.fetch(a["path"], Path(a["to"]))),
            "status": lambda _a: self.describe(),
        }

    def start(self) -> "UsbDriveSimulator":
        self.slot_dir.mkdir(parents=True, exist_ok=True)
        self._control = ControlServer(NAME, self.url, self.commands()).start()
        return self

    def stop(self) -> None:
        if self._control is not None:
            self._control.stop()
            self._control = None
        self.pull()
