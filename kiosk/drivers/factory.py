"""Building a terminal's devices from its configuration, in one place.

The kiosk (kiosk.flows.context) and the technician's `kiosk devices …` commands build their
drivers here, so a device URL means the same in both and the simulator's pieces (where a
`sim://NAME` device is served, the test PSAM) reach the drivers only from here, and only
when the configuration is a simulator configuration (kiosk.drivers.simulation). Drivers
connect lazily: building never touches a device, a missing one is a status when used.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Callable

from kiosk.config import Config, PrinterSettings
from kiosk.drivers.camera import Camera
from kiosk.drivers.camera.interface import CameraDevice
from kiosk.drivers.card import CardReader, SocialSecurityCardReader
from kiosk.drivers.id_reader import IdCardReader
from kiosk.drivers.id_reader.interface import IdReaderDevice
from kiosk.drivers.printer import ReceiptPrinter
from kiosk.drivers.printer.interface import PrinterDevice
from kiosk.drivers.simulation import Resolve, SimulatorHooks
from kiosk.drivers.usb_drive import UsbDrive
from kiosk.drivers.usb_drive.interface import DriveDevice
from kiosk.drivers.staff_signal import RelaySignal, StaffSignalDevice

DEFAULT_CARD_READER = "pcsc://"  # the first PC/SC reader holding a card

CameraFactory = Callable[[], CameraDevice]
"""A new camera, not started: it runs only while a photo is being taken."""


@dataclass(frozen=True)
class Devices:
    """The terminal's devices as flows use them: real drivers, or the fakes beside them."""

    id_reader: IdReaderDevice
    printer: PrinterDevice
    card_reader: CardReader
    camera: CameraFactory
    usb_drive: DriveDevice | None = None  # None: the flows that need it say the drive is not there
    staff_signal: StaffSignalDevice | None = None  # None: no staff-call light at this terminal


def build_devices(config: Config, hooks: SimulatorHooks | None, *, today: Callable[[], date] = date.today) -> Devices:
    """Every device of the terminal `config` describes; `hooks` only for a simulator
    configuration (kiosk.drivers.simulation.load_simulator_hooks)."""
    urls = config.devices
    return Devices(
        id_reader=build_id_reader(urls.id_reader, hooks, today=today),
        printer=build_printer(urls.printer, config.printer, hooks),
        card_reader=build_card_reader(urls.card_reader, hooks),
        camera=functools.partial(build_camera, urls.camera, hooks),
        usb_drive=build_usb_drive(urls.usb_drive, hooks),
        staff_signal=build_staff_signal(urls.staff_signal, hooks) if urls.staff_signal else None,
    )


def resolver(hooks: SimulatorHooks | None) -> Resolve | None:
    return hooks.resolve if hooks is not None else None


def build_id_reader(url: str, hooks: SimulatorHooks | None, **options) -> IdCardReader:
    return IdCardReader(url, resolve=resolver(hooks), **options)


def build_printer(url: str, settings: PrinterSettings, hooks: SimulatorHooks | None) -> ReceiptPrinter:
    return ReceiptPrinter(url, settings, resolve=resolver(hooks))


def build_camera(url: str, hooks: SimulatorHooks | None, **options) -> Camera:
    """Raises CameraUrlError for a URL that names no camera at all."""
    return Camera(url, resolve=resolver(hooks), **options)


def build_card_reader(url: str, hooks: SimulatorHooks | None, **options) -> SocialSecurityCardReader:
    """3.00 cards need a PSAM for EXTERNAL AUTHENTICATE: a simulator configuration gets the
    simulator's (its published test key); a production terminal has none yet
    (kiosk.drivers.card.auth) and says so when a 3.00 card is read."""
    authenticator = hooks.test_psam() if hooks is not None else None
    return SocialSecurityCardReader(url or DEFAULT_CARD_READER, authenticator=authenticator, **options)


def build_usb_drive(url: str, hooks: SimulatorHooks | None) -> UsbDrive:
    return UsbDrive(url, resolve=resolver(hooks))
def build_staff_signal(url: str, hooks: SimulatorHooks | None) -> RelaySignal:
    return RelaySignal(url, resolve=resolver(hooks))
