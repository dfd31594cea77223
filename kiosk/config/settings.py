"""What a terminal's configuration holds, as plain values with their defaults.

Nothing here reads a file or imports the rest of the project, so any layer may take a
`Config` or one of its sections without pulling in the loader and what it checks against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


# --- sections owned by the subsystems; every field has a default ---------------------

@dataclass(frozen=True)
class PhotoSettings:
    """Thresholds of the 1-inch photo checks (kiosk.photo)."""

    min_frame_brightness: float = 40.0  # mean grey of the whole frame, 0..255: below, too dark to look
    min_brightness: float = 70.0  # mean grey inside the face box, 0..255
    max_brightness: float = 215.0
    min_face_size: float = 0.25  # face box width / frame HEIGHT (the crop is portrait): "come closer"
    max_face_size: float = 0.42  # above, the 1-inch crop no longer fits the frame: "step back"
    max_centre_offset: float = 0.12  # face centre off the frame centre, in frame widths
    max_crop_overflow: float = 0.02  # the 1-inch crop may reach this far (frame heights) past top/bottom
    min_sharpness: float = 40.0  # variance of the Laplacian on the face scaled to 128 px wide
    min_background_whiteness: float = 205.0  # mean grey of the background beside and above the head
    max_background_saturation: float = 25.0  # mean HSV saturation (0..255) of that background
    camera_mirrored: bool = False  # true if the camera itself delivers mirrored frames
    auto_capture: bool = True  # the photo takes itself after a spoken 3-2-1 (the button stays)
    auto_capture_hold_s: float = 1.0  # how long the guidance must be green before the count starts
    countdown_step_s: float = 0.9  # each of 3, 2, 1


@dataclass(frozen=True)
class PrinterSettings:
    """Receipt printer (kiosk.drivers.printer)."""

    native_qr: bool = True  # GS ( k; false prints the QR as a raster image
    paper_width_dots: int = 576  # 80 mm paper at 203 dpi
    status_timeout_s: float = 1.0  # a printer silent this long is an error, never "paper ok"


@dataclass(frozen=True)
class OutboxSettings:
    """Offline outbox and its sync worker (kiosk.offline)."""

    max_attempts: int = 8  # then dead-letter and a staff alert
    backoff_base_s: float = 2.0
    backoff_cap_s: float = 300.0
    retention_days: int = 30  # sent records are pruned after this


@dataclass(frozen=True)
class SimulatorSettings:
    """Only allowed when production = false."""

    centre_clock_speed: float = 1.0  # how fast simulated production states advance
    pace_serial: bool = False  # sleep like a real 115200/9600 baud line
    hooks: str = "hwsim.kiosk_hooks"  # the module kiosk.drivers.simulation loads for sim:// devices


@dataclass(frozen=True)
class VoiceSettings:
    """Spoken prompts (kiosk.voice): espeak-ng voices, speed and loudness."""

    enabled: bool = True
    volume: float = 0.8  # 0..1, of the terminal's sound output
    voice_zh: str = "cmn"  # an espeak-ng voice (`espeak-ng --voices`)
    voice_en: str = "en"
    # espeak-ng speaks each Chinese syllable as a "word": 200 is about 3 syllables a second,
    # 150 English words a minute; both a little slower than everyday speech, for elderly listeners.
    rate_zh_wpm: int = 200
    rate_en_wpm: int = 150
    pitch: int = 50  # 0..99


@dataclass(frozen=True)
class MetricsSettings:
    """Fleet health (kiosk.health): the Prometheus exporter and the heartbeat to the centre."""

    enabled: bool = False  # serve /metrics; off unless the outlet's network has a Prometheus to scrape it
    bind: str = "127.0.0.1"  # an IP address of this terminal: 127.0.0.1 local only, the LAN address for a district's Prometheus
    port: int = 9479
    heartbeat_s: int = 60  # how often the status goes to the centre (POST /v1/terminals/heartbeat); 0 = never
    token_file: str = ""  # the bearer token a scrape must present; required in production beyond 127.0.0.1


@dataclass(frozen=True)
class ElderSettings:
    """长辈模式 / Simpler mode (kiosk/ui/mode.py): what changes while a resident has it on."""

    timeout_multiplier: float = 2.0  # the idle timeout is this many times longer
    voice: bool = True  # speak in this mode even where [voice] enabled = false


@dataclass(frozen=True)
class IdleSettings:
    """How long the kiosk waits for a touch on a step of each kind (kiosk.flows.plan.StepKind)
    before it warns and then wipes the session; menus and choices wait `idle_timeout_s`."""

    document_s: int = 240  # finding a document and placing it: a parent searching a bag for the 户口簿
    typing_s: int = 180  # typing a number, writing a name or an address
    camera_s: int = 120  # standing for the photo (a face in view keeps the session alive anyway)
    check_s: int = 150  # reading everything over, signing
    countdown_s: int = 60  # the top bar counts the last seconds down


SECTIONS: dict[str, type] = {
    "photo": PhotoSettings,
    "printer": PrinterSettings,
    "outbox": OutboxSettings,
    "simulator": SimulatorSettings,
    "voice": VoiceSettings,
    "metrics": MetricsSettings,
    "elder": ElderSettings,
    "idle": IdleSettings,
}


@dataclass(frozen=True)
class DeviceUrls:
    id_reader: str
    printer: str
    camera: str
    card_reader: str
    usb_drive: str = "udev://"  # the employer's removable drive (batch packages); optional in the file
    staff_signal: str = ""  # optional: the outlet's staff-call light ("" = none)


@dataclass(frozen=True)
class Config:
    path: Path
    production: bool
    outlet_id: str
    terminal_id: str
    region: str
    centre_url: str
    key_file: Path
    data_dir: Path
    idle_timeout_s: int
    language: str
    devices: DeviceUrls
    photo: PhotoSettings = field(default_factory=PhotoSettings)
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    outbox: OutboxSettings = field(default_factory=OutboxSettings)
    simulator: SimulatorSettings | None = None
    tls_dir: Path | None = None  # the terminal's enrolment (kiosk.enrolment): client cert, centre CA
    voice: VoiceSettings = field(default_factory=VoiceSettings)
    metrics: MetricsSettings = field(default_factory=MetricsSettings)
    not_before: date | None = None  # the software's build day: no voucher is dated before it
    elder: ElderSettings = field(default_factory=ElderSettings)
    idle: IdleSettings = field(default_factory=IdleSettings)

    @property
    def is_simulated(self) -> bool:
        return self.simulator is not None
