"""Everything a flow may use besides the resident: built once when the kiosk starts.

The shell hands it to every flow as `port.services`; headless tests build the same object
against the simulators, so a flow runs the same code in both. Drivers are built from the
config's device URLs and connect lazily (a missing device is a status when used, never a
failure to start); the camera runs only while a photo is being taken.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterator

import httpx

from kiosk.centre.connect import centre_client
from kiosk.config import Config
from kiosk.domain.policy import Outlet, RegionPolicy, load_policy
from kiosk.domain.workdays import WorkingCalendar
from kiosk.drivers.factory import Devices, build_devices
from kiosk.drivers.simulation import load_simulator_hooks
from kiosk.drivers.status import CancelToken
from kiosk.keys import TerminalKey, read_key_file
from kiosk.offline.outbox import ItemState, Outbox
from kiosk.offline.sequence import SerialCounter
from kiosk.offline.sync import SyncWorker
from kiosk.photo import PhotoSession

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class FlowTimeouts:
    card_wait_s: float = 60.0  # how long the reader waits for a card to be placed
    card_poll_s: float = 0.3  # how often it looks (the SAM module does not announce a card)
    camera_wait_s: float = 5.0  # for the camera's first picture before the photo step is shown
    deliver_now_s: float = 4.0  # the one quick try to reach the centre right after submitting
    sync_idle_s: float = 5.0  # the background sync worker's pause when nothing is due


class KioskServices:
    def __init__(
        self,
        config: Config,
        policy: RegionPolicy,
        key: TerminalKey,
        outbox: Outbox,
        *,
        clock: Clock = datetime.now,
        timeouts: FlowTimeouts = FlowTimeouts(),
        devices: Devices | None = None,
    ) -> None:
        """`devices` defaults to the ones `config` describes (kiosk.drivers.factory)."""
        self.config = config
        self.policy = policy
        self.key = key
        self.outbox = outbox
        self.clock = clock
        self.timeouts = timeouts
        self.calendar: WorkingCalendar = policy.working_calendar()
        self.serials = SerialCounter(config.data_dir, not_before=config.not_before)
        if devices is None:
            devices = build_devices(config, load_simulator_hooks(config), today=lambda: self.clock().date())
        self.id_reader = devices.id_reader
        self.printer = devices.printer
        self.card_reader = devices.card_reader  # the social security card (PC/SC)
        self.usb_drive = devices.usb_drive  # the employer's drive (batch packages); None: not fitted
        self._new_camera = devices.camera
        self.staff_signal = devices.staff_signal  # the outlet's call light, or None
        self.centre = centre_client(config)
        # A short leash for the one try made while the resident waits; the background worker
        # has the client's normal patience.
        quick = httpx.Timeout(timeouts.deliver_now_s, connect=min(2.0, timeouts.deliver_now_s))
        self._quick_centre = centre_client(config, timeout=quick, deadline_s=timeouts.deliver_now_s)
        self._quick_sync = SyncWorker(outbox, self._quick_centre, lease_s=timeouts.deliver_now_s * 3)
        self.sync = SyncWorker(outbox, self.centre, idle_s=timeouts.sync_idle_s)
        self._sync_started = False

    @classmethod
    def build(
        cls,
        config: Config,
        *,
        policy: RegionPolicy | None = None,
        clock: Clock = datetime.now,
        timeouts: FlowTimeouts = FlowTimeouts(),
        devices: Devices | None = None,
    ) -> KioskServices:
        """Raises KeyFileError or StoreError when the terminal cannot keep anything safely."""
        key = read_key_file(config.key_file)
        outbox = Outbox.open(config.data_dir, key, config.outbox)
        try:
            return cls(
                config, policy or load_policy(config.region), key, outbox, clock=clock, timeouts=timeouts, devices=devices
            )
        except BaseException:
            outbox.close()
            raise

    # --- where this kiosk stands -------------------------------------------------------

    @property
    def outlet(self) -> Outlet:
        return self.policy.outlet(self.config.outlet_id)

    def now(self) -> datetime:
        return self.clock()

    # --- devices -----------------------------------------------------------------------

    @contextlib.contextmanager
    def photo_session(self) -> Iterator[PhotoSession]:
        """The camera, running only while the resident is in front of it."""
        camera = self._new_camera().start()
        try:
            yield PhotoSession(camera, self.config.photo)
        finally:
            camera.close()

    # --- the centre --------------------------------------------------------------------

    def deliver_now(self, item_id: int, cancel: CancelToken | None = None) -> bool:
        """One quick try to send this item, the one the resident waits for; True once the
        centre has it.

        Older items wait for the background worker, which also keeps trying this one; a False
        here only means the voucher says "not yet uploaded".
        """
        if cancel is not None and cancel.cancelled:
            return False
        try:
            self._quick_sync.deliver(item_id)
        except Exception:  # the database or the network had a bad moment: the worker retries
            log.exception("immediate delivery of outbox item %d failed; the sync worker will retry", item_id)
        return self.outbox.item(item_id).state is ItemState.SENT

    def start_background_sync(self) -> None:
        if not self._sync_started:
            self.sync.start()
            self._sync_started = True

    def close(self) -> None:
        if self._sync_started:
            self.sync.stop()
            self._sync_started = False
        closeables = (
            self.id_reader, self.printer, self.card_reader, self.usb_drive, self.staff_signal,
            self.centre, self._quick_centre, self.outbox,
        )  # fmt: skip
        for closeable in filter(None, closeables):
            try:
                closeable.close()
            except Exception:
                log.exception("closing %s failed", type(closeable).__name__)
