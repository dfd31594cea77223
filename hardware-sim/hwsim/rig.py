"""Every simulator of a kiosk in one process: ID reader, camera, printer, centre, and the card.

`kiosk sim all` runs a rig in the foreground; tests and benches start one in-process. Each
simulator registers in $KIOSK_SIM_DIR as it would alone, so the kiosk's `sim://NAME` URLs
and `kiosk sim ctl NAME VERB` work unchanged. The card simulator needs pcscd and vpcd: the
rig starts it only when asked, and a card that cannot start is reported, not fatal.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hwsim.camera.server import CameraSimulator
from hwsim.centre.server import NAME as CENTRE_NAME, SIMULATED_TERMINAL, CentreSimulator
from hwsim.centre.store import CentreStore, SimClock
from hwsim.control import ControlServer, sim_dir
from hwsim.id_reader import IdReaderSimulator
from hwsim.id_reader.people import Person
from hwsim.printer import PrinterSimulator
from hwsim.usb_drive import UsbDriveSimulator
from hwsim.staff_signal import StaffSignalSimulator

log = logging.getLogger(__name__)


@dataclass
class RigSettings:
    centre_port: int = 0  # 0: any free port (read it from `rig.centre.url`)
    centre_clock_speed: float = 60.0
    camera_scene: str = "white"
    camera_fps: float = 15.0
    person: str | None = None  # a card on the ID reader from the start
    people: dict[str, Person] | None = None  # None: the simulator's people.json
    pace_serial: bool = False
    paper_mm: float | None = None  # None: the printer's full roll
    card: bool = False  # start the card simulator too (pcscd + vpcd)
    state_dir: Path | None = None  # the centre's store and the printer's jobs; default $KIOSK_SIM_DIR
    terminal_id: str = SIMULATED_TERMINAL  # the kiosk's terminal, enrolled with the centre's test CA
    tls_dir: Path | None = None  # where its certificate goes; default $KIOSK_SIM_DIR/tls


@dataclass
class SimulatorRig:
    settings: RigSettings = field(default_factory=RigSettings)
    id_reader: IdReaderSimulator | None = None
    camera: CameraSimulator | None = None
    printer: PrinterSimulator | None = None
    centre: CentreSimulator | None = None
    staff_signal: StaffSignalSimulator | None = None  # the outlet's staff-call light
    card: Any = None
    usb_drive: UsbDriveSimulator | None = None
    card_problem: str | None = None
    _centre_store: CentreStore | None = None
    _centre_control: ControlServer | None = None

    @property
    def state_dir(self) -> Path:
        return self.settings.state_dir or sim_dir()

    def start(self) -> "SimulatorRig":
        s = self.settings
        try:
            self.id_reader = IdReaderSimulator(person=s.person, pace=s.pace_serial, people=s.people).start()
            printer_args = {} if s.paper_mm is None else {"paper_mm": s.paper_mm}
            self.printer = PrinterSimulator(
                jobs_dir=self.state_dir / "printer" / "jobs", baud=9600 if s.pace_serial else None, **printer_args
            ).start()
            self.camera = CameraSimulator(s.camera_scene, fps=s.camera_fps).start()
            self.usb_drive = UsbDriveSimulator(self.state_dir / "usb-drive").start()
            self.staff_signal = StaffSignalSimulator().start()
            self._start_centre()
            if s.card:
                self._start_card()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_centre(self) -> None:
        s = self.settings
        self._centre_store = CentreStore(self.state_dir / "centre", SimClock(s.centre_clock_speed))
        self._centre_store.seed_from_profiles()
        self.centre = CentreSimulator(self._centre_store, port=s.centre_port)
        self.centre.up()
        self.centre.enrol(s.terminal_id, s.tls_dir)
        self._centre_control = ControlServer(CENTRE_NAME, self.centre.url, self.centre.commands()).start()

    def _start_card(self) -> None:
        try:
            from hwsim.card.simulator import CardSimulator

            self.card = CardSimulator().start()
        except Exception as exc:  # no pcscd, no vpcd: everything else still runs
            self.card, self.card_problem = None, f"{type(exc).__name__}: {exc}"
            log.warning("card simulator not started: %s", self.card_problem)

    def stop(self) -> None:
        for name in ("card", "id_reader", "printer", "camera", "usb_drive", "staff_signal"):
            sim = getattr(self, name)
            if sim is not None:
                try:
                    sim.stop()
                except Exception:
                    log.exception("stopping the %s simulator failed", name)
                setattr(self, name, None)
        if self._centre_control is not None:
            self._centre_control.stop()
            self._centre_control = None
        if self.centre is not None:
            self.centre.down()
            self.centre = None
        if self._centre_store is not None:
            self._centre_store.close()
            self._centre_store = None

    def __enter__(self) -> "SimulatorRig":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def describe(self) -> dict[str, Any]:
        return {
            "id-reader": self.id_reader.port if self.id_reader else None,
            "printer": self.printer.port if self.printer else None,
            "printer_jobs": str(self.printer.jobs_dir) if self.printer else None,
            "camera": self.camera.url if self.camera else None,
            "centre": self.centre.url if self.centre else None,
            "centre_ca": str(self.centre.ca.ca_file) if self.centre else None,
            "staff-signal": self.staff_signal.port if self.staff_signal else None,
            "centre_state": str(self.state_dir / "centre"),
            "card": "pcsc:// (vpcd)" if self.card else None,
            "usb-drive": self.usb_drive.url if self.usb_drive else None,
            "card_problem": self.card_problem,
            "sim_dir": str(sim_dir()),
        }
