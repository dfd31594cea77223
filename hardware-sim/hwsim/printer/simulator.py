"""The receipt printer simulator: the printer model behind a pty, steered over hwsim.control.

The kiosk opens `$KIOSK_SIM_DIR/printer.tty` (or `sim://printer`) with pyserial as it
would open `/dev/ttyUSB0`. Every finished job lands in the jobs directory as
`job-0001.png` (what a person would see on the paper) and `job-0001.json` (its text lines,
QR payloads, unknown commands, whether it completed).

Control verbs (`kiosk sim ctl printer VERB key=value`): status, paper_out,
paper_low [mm=…], load_paper [meters=…], cover state=open|closed, unplug, plug,
power state=off|on, jobs [last=N].
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from pathlib import Path

from hwsim.control import ControlServer, sim_dir
from hwsim.printer.model import Job, PrinterModel
from hwsim.printer.render import render
from hwsim.pty_device import PtyDevice

DEFAULT_PAPER_MM = 50_000.0  # a 50 m roll
DEFAULT_NEAR_END_MM = 1_000.0
_JOB_FILE = re.compile(r"job-(\d+)\.json$")


def default_jobs_dir() -> Path:
    return sim_dir() / "printer" / "jobs"


class JobWriter:
    """Saves jobs as PNG + JSON; numbering continues after what the directory holds."""

    def __init__(self, directory: Path, paper_dots: int) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.paper_dots = paper_dots
        existing = [int(m.group(1)) for p in self.directory.iterdir() if (m := _JOB_FILE.match(p.name))]
        self._next = max(existing, default=0) + 1

    def __call__(self, job: Job) -> None:
        stem = self.directory / f"job-{self._next:04d}"
        self._next += 1
        png, meta = stem.with_suffix(".png"), stem.with_suffix(".json")
        tmp = stem.with_suffix(".png.tmp")
        render(job.blocks, self.paper_dots).save(tmp, format="PNG")
        tmp.replace(png)
        record = {**job.summary(), "job": int(stem.name[4:]), "png": str(png)}
        tmp = stem.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(meta)  # the JSON comes last: once it exists, the PNG is complete

    def list(self, last: int = 10) -> list[dict]:
        files = sorted(self.directory.glob("job-*.json"))[-last:] if last > 0 else []
        out = []
        for path in files:
            data = json.loads(path.read_text(encoding="utf-8"))
            out.append({k: data[k] for k in ("job", "complete", "cut", "stopped_reason", "png")} | {"lines": len(data["lines"]), "qr": len(data["qr"])})
        return out


class PrinterSimulator:
    def __init__(
        self,
        name: str = "printer",
        paper_mm: float = DEFAULT_PAPER_MM,
        near_end_mm: float = DEFAULT_NEAR_END_MM,
        jobs_dir: str | os.PathLike | None = None,
        baud: int | None = None,
        chinese_at_power_up: bool = True,
        paper_dots: int = 576,
    ) -> None:
        self.name = name
        self.baud = baud
        self.writer = JobWriter(Path(jobs_dir) if jobs_dir else default_jobs_dir(), paper_dots)
        self.model = PrinterModel(paper_mm, near_end_mm, paper_dots, chinese_at_power_up, sink=self.writer)
        self.pty: PtyDevice | None = None
        self.control: ControlServer | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def jobs_dir(self) -> Path:
        return self.writer.directory

    @property
    def port(self) -> str:
        return str(self.pty.link) if self.pty else ""

    def start(self) -> "PrinterSimulator":
        self.pty = PtyDevice(self.name, baud=self.baud)
        self._thread = threading.Thread(target=self._serve, name=f"sim-{self.name}", daemon=True)
        self._thread.start()
        self.control = ControlServer(self.name, self.port, self.verbs()).start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self.control is not None:
            self.control.stop()
        if self.pty is not None:
            self.pty.close()

    def __enter__(self) -> "PrinterSimulator":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _serve(self) -> None:
        assert self.pty is not None
        # Paced: the printer takes in bytes no faster than the line delivers them.
        slice_bytes = max(1, self.baud // 100) if self.baud else 1 << 16
        while not self._stop.is_set():
            data = self.pty.read(4096, timeout=0.05)
            for start in range(0, len(data), slice_bytes):
                chunk = data[start : start + slice_bytes]
                if self.baud:
                    time.sleep(len(chunk) * 10 / self.baud)
                answer = self.model.receive(chunk)
                if answer:
                    self.pty.write(answer)

    # --- control verbs -----------------------------------------------------------------

    def verbs(self) -> dict:
        model = self.model
        return {
            "status": lambda a: model.status() | {"port": self.port, "plugged": bool(self.pty and self.pty.plugged), "jobs_dir": str(self.jobs_dir)},
            "paper_out": lambda a: (model.set_paper(0), model.status())[1],
            "paper_low": lambda a: (model.set_paper(float(a.get("mm", model.near_end_mm))), model.status())[1],
            "load_paper": lambda a: (model.load_paper(float(a.get("meters", DEFAULT_PAPER_MM / 1000))), model.status())[1],
            "cover": self._cover,
            "unplug": self._unplug,
            "plug": lambda a: {"port": self.pty.plug()} if self.pty else {},
            "power": self._power,
            "jobs": lambda a: self.writer.list(int(a.get("last", 10))),
        }

    def _cover(self, args: dict) -> dict:
        state = str(args.get("state", "")).lower()
        if state not in ("open", "closed", "close"):
            raise ValueError("cover needs state=open or state=closed")
        self.model.set_cover(state == "open")
        return self.model.status()

    def _power(self, args: dict) -> dict:
        state = str(args.get("state", "")).lower()
        if state not in ("on", "off"):
            raise ValueError("power needs state=on or state=off")
        self.model.power(state == "on")
        return self.model.status()

    def _unplug(self, args: dict) -> dict:
        if self.pty is not None:
            self.pty.unplug()
        self.model.line_lost()
        return {"plugged": False}
