"""The card simulator: cards in vpcd's two slots, steered through a control socket.

One process owns the virtual cards (and pcscd, when it had to start it). A technician in
another terminal inserts, pulls and swaps cards with `kiosk sim card ...`, which talks to
this process's control socket (hwsim/control.py, simulator name "card"):

  insert   profile=NAME [slot=0] [fresh=false]   pull whatever is in the slot, insert NAME
  remove   [slot=0] [during_next_command=false]  pull the card now, or on its next APDU
  status                                         pcscd, and what is in each slot
  profiles                                       the card profiles on offer
  trace    [slot=0]                              the card's last APDUs (PIN data masked)
  set      [slot=0] [apdu_delay_ms=N] [quickack=true|false]
  shutdown                                       pull the cards, stop our pcscd, exit

A card's memory (its PIN, the tries left) lives as long as this process: put the same
profile back and its PIN is still blocked. `fresh=true` takes a new card from the profile.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

from hwsim.card.chip import Chip
from hwsim.card.pcscd import VPCD_SLOTS, Pcscd
from hwsim.card.profile import available_profiles, load_profile
from hwsim.card.vpcd import VPCD_BASE_PORT, VpcdLink
from hwsim.control import ControlServer, sim_dir

log = logging.getLogger(__name__)

SIM_NAME = "card"
# pcscd polls vpcd every 400 ms. A card put back sooner than one poll after a removal can
# slip in unseen (vpcd drops the old connection while powering the card down and accepts
# the new one at the next poll, so pcscd never sees the slot empty); hands are never that
# quick, so a slot stays empty this long after a removal.
EMPTY_SLOT_HOLD_S = 0.6
_emptied_at: dict[int, float] = {}  # vpcd port -> when its card last came out (any simulator in this process)


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")


class CardSimulator:
    def __init__(
        self,
        *,
        manage_pcscd: bool = True,
        base_port: int = VPCD_BASE_PORT,
        slots: int = VPCD_SLOTS,
        quickack: bool = True,
    ) -> None:
        self.base_port = base_port
        self.quickack = quickack
        self.pcscd = Pcscd(log_path=sim_dir() / "pcscd.log") if manage_pcscd else None
        self.links: dict[int, VpcdLink | None] = {slot: None for slot in range(slots)}
        self.chips: dict[str, Chip] = {}  # card memory, by profile name
        self._lock = threading.Lock()
        self._control: ControlServer | None = None
        self.stopped = threading.Event()  # set when asked to stop (signal, `shutdown`)
        self._stop_lock = threading.Lock()
        self._finished = False

    # --- lifecycle ---------------------------------------------------------------------

    def start(self, with_control: bool = True) -> "CardSimulator":
        if self.pcscd is not None and self.pcscd.ensure_running():
            log.info("started pcscd (pid %s)", self.pcscd.running_pid())
        if with_control:
            self._control = ControlServer(SIM_NAME, "pcsc://", self.commands()).start()
        return self

    def stop(self) -> None:
        with self._stop_lock:
            if self._finished:
                return
            self._finished = True
        for slot in list(self.links):
            self.remove(slot)
        if self._control is not None:
            self._control.stop()
            self._control = None
        if self.pcscd is not None:
            self.pcscd.stop()
        self.stopped.set()

    def commands(self) -> dict:
        return {
            "insert": lambda a: self.insert(a["profile"], int(a.get("slot", 0)), fresh=_flag(a.get("fresh", False))),
            "remove": lambda a: self.remove(int(a.get("slot", 0)), during_next_command=_flag(a.get("during_next_command", False))),
            "status": lambda a: self.status(),
            "profiles": lambda a: self.profiles(),
            "trace": lambda a: self.trace(int(a.get("slot", 0))),
            "set": lambda a: self.set(int(a.get("slot", 0)), **{k: v for k, v in a.items() if k != "slot"}),
            "shutdown": lambda a: self._shutdown_soon(),
        }

    def _shutdown_soon(self) -> str:
        # Reply first: stopping the control server from inside its own handler would hang.
        threading.Timer(0.1, self.stop).start()
        return "stopping"

    # --- cards -------------------------------------------------------------------------

    def _check_slot(self, slot: int) -> None:
        if slot not in self.links:
            raise ValueError(f"no slot {slot}: vpcd has slots {', '.join(map(str, self.links))}")

    def chip(self, profile: str | Path, fresh: bool = False) -> Chip:
        loaded = load_profile(profile)
        key = str(profile)
        if fresh or key not in self.chips:
            self.chips[key] = Chip(loaded)
        return self.chips[key]

    def insert(self, profile: str | Path, slot: int = 0, *, fresh: bool = False, wait_s: float = 3.0) -> dict:
        self._check_slot(slot)
        with self._lock:
            chip = self.chip(profile, fresh)
            for other, link in self.links.items():
                if link is not None and link.chip is chip and other != slot:
                    raise ValueError(f"that card is in slot {other}; remove it first")
            self._remove_locked(slot)
            hold = EMPTY_SLOT_HOLD_S - (time.monotonic() - _emptied_at.get(self.base_port + slot, float("-inf")))
            if hold > 0:
                time.sleep(hold)
            link = VpcdLink(chip, slot, base_port=self.base_port, quickack=self.quickack)
            self.links[slot] = link
        seen = link.insert(wait_s)
        if not seen:
            log.warning("slot %d: vpcd has not polled the card yet (pcscd not running, or another card in the slot?)", slot)
        return self.slot_status(slot)

    def remove(self, slot: int = 0, *, during_next_command: bool = False) -> dict:
        self._check_slot(slot)
        with self._lock:
            link = self.links.get(slot)
            if link is not None and during_next_command:
                link.pull_on_next_apdu()
            else:
                self._remove_locked(slot)
        return self.slot_status(slot)

    def _remove_locked(self, slot: int) -> None:
        link = self.links.get(slot)
        if link is not None:
            link.remove()
            self.links[slot] = None
            _emptied_at[self.base_port + slot] = time.monotonic()

    def settle(self) -> None:
        """Wait until pcscd has certainly seen every recent removal (one poll after it)."""
        last = max((_emptied_at.get(self.base_port + slot, float("-inf")) for slot in self.links), default=float("-inf"))
        hold = EMPTY_SLOT_HOLD_S - (time.monotonic() - last)
        if hold > 0:
            time.sleep(hold)

    def set(self, slot: int = 0, **settings: Any) -> dict:
        self._check_slot(slot)
        link = self.links.get(slot)
        if link is None:
            raise ValueError(f"no card in slot {slot}")
        for key, value in settings.items():
            if key == "apdu_delay_ms":
                link.apdu_delay_s = float(value) / 1000
            elif key == "quickack":
                link.quickack = _flag(value)
            else:
                raise ValueError(f"unknown setting {key!r} (apdu_delay_ms, quickack)")
        return self.slot_status(slot)

    # --- reports -----------------------------------------------------------------------

    def slot_status(self, slot: int) -> dict:
        link = self.links.get(slot)
        if link is not None and not link.inserted:  # pulled out mid-command: the slot is empty now
            self.links[slot] = None
            _emptied_at[self.base_port + slot] = time.monotonic()
            link = None
        base = {"slot": slot, "port": self.base_port + slot}
        if link is None:
            return {**base, "card": None}
        return {
            **base,
            "card": link.chip.state(),
            "seen_by_reader": link.seen_by_reader,
            "apdu_delay_ms": round(link.apdu_delay_s * 1000),
            "quickack": link.quickack,
        }

    def status(self) -> dict:
        pcscd = self.pcscd.state().to_dict() if self.pcscd is not None else {"managed": False}
        return {"pcscd": pcscd, "slots": [self.slot_status(slot) for slot in self.links]}

    @staticmethod
    def profiles() -> list[dict]:
        return [load_profile(name).summary() for name in available_profiles()]

    def trace(self, slot: int = 0) -> list[str]:
        self._check_slot(slot)
        link = self.links.get(slot)
        return list(link.chip.trace) if link is not None else []
