"""A GA 467 SAM module on a pty pair: the resident ID card reader as the kiosk sees it.

It is as strict as a real module: a request with a bad checksum gets SW3 10, a wrong
length (or a frame that stops half way) SW3 11, an unknown command SW3 21; select before
find fails (81), read before select fails (41). The card's session follows the real
order: placed -> found (20 01) -> selected (20 02) -> read (30 01 / 30 10).

Steered from another terminal through its control socket (`kiosk sim ctl id-reader VERB`):
  insert person=KEY | remove | people | status | unplug | plug
  fault name=NAME [count=N] [...] | clear [name=NAME]
Faults (count=N: only the next N replies, default 0: until cleared):
  sam       the SAM failed its self-test: every command answers SW3 60
  checksum  the reply's checksum byte is corrupted
  noise     line noise (including a false preamble) before each reply
  slow      the reply goes out in pieces: chunk=BYTES (64) delay=SECONDS (0.02)
  mute      no reply at all
  status    answer sw3=HEX (e.g. 41) instead, optionally only to command="30 01"
  no-card   the same as remove
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from hwsim.control import ControlServer
from hwsim.id_reader.people import PEOPLE_FILE, Person, load_people
from hwsim.pty_device import PtyDevice
from kiosk.drivers.id_reader import status_words as sw
from kiosk.drivers.id_reader.frames import (
    Command,
    FaultKind,
    Frame,
    FrameFault,
    FrameParser,
    Reply,
    parse_request,
)
from kiosk.drivers.id_reader.reader import BAUD

NAME = "id-reader"
SAM_ID = bytes.fromhex("0501000020101231000000120000A1B2")
# a false preamble with an impossible length, a partial preamble, and plain garbage
NOISE = bytes.fromhex("00FF13") + bytes.fromhex("AAAAAA9669FFFF") + bytes.fromhex("AAAA96") + b"\x55\x00"
STALLED_FRAME_S = 0.3  # a request that stops half way is answered with SW3 11 after this
FAULTS = ("sam", "checksum", "noise", "slow", "mute", "status")


class Session(Enum):
    ABSENT = "absent"
    PLACED = "placed"
    FOUND = "found"
    SELECTED = "selected"


@dataclass
class Fault:
    name: str
    remaining: int = 0  # 0: until cleared
    options: dict[str, Any] = field(default_factory=dict)


def parse_sw3(value: Any) -> int:
    """SW3 as the protocol tables write it, in hex: 41, "41", "0x41"."""
    code = int(str(value), 16)
    if not 0 <= code <= 0xFF:
        raise ValueError(f"SW3 {value!r} is not one byte")
    return code


class IdReaderSimulator:
    def __init__(
        self,
        *,
        person: str | None = None,
        pace: bool = False,
        people: dict[str, Person] | None = None,
        name: str = NAME,
    ) -> None:
        self.name = name
        self.people = people if people is not None else load_people(PEOPLE_FILE)
        self.baud = BAUD if pace else None
        self.requests: list[str] = []  # commands received, for tests and `status`
        self._lock = threading.RLock()
        self._person: Person | None = None
        self._session = Session.ABSENT
        self._faults: dict[str, Fault] = {}
        self._parser = FrameParser()
        self._device: PtyDevice | None = None
        self._control: ControlServer | None = None
        self._thread: threading.Thread | None = None
        self._running = threading.Event()
        if person is not None:
            self.insert(person)

    # --- life cycle -----------------------------------------------------------------

    @property
    def port(self) -> str:
        if self._device is None:
            raise RuntimeError("the simulator is not started")
        return str(self._device.link)

    @property
    def url(self) -> str:
        return f"sim://{self.name}"

    def start(self) -> "IdReaderSimulator":
        self._device = PtyDevice(self.name, baud=self.baud)
        self._running.set()
        self._thread = threading.Thread(target=self._serve, name=f"sim-{self.name}", daemon=True)
        self._thread.start()
        self._control = ControlServer(self.name, self.port, self._verbs()).start()
        return self

    def stop(self) -> None:
        self._running.clear()
        if self._control is not None:
            self._control.stop()
            self._control = None
        if self._thread is not None:
            self._thread.join(2)
            self._thread = None
        if self._device is not None:
            self._device.close()
            self._device = None

    def __enter__(self) -> "IdReaderSimulator":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- what a technician does ------------------------------------------------------

    def insert(self, person: str) -> dict:
        if person not in self.people:
            raise KeyError(f"no person {person!r}; known: {', '.join(sorted(self.people))}")
        with self._lock:
            self._person = self.people[person]
            self._session = Session.PLACED
        return self.state()

    def remove(self) -> dict:
        with self._lock:
            self._person = None
            self._session = Session.ABSENT
        return self.state()

    def fault(self, name: str, count: int = 0, **options: Any) -> dict:
        if name == "no-card":
            return self.remove()
        if name not in FAULTS:
            raise ValueError(f"unknown fault {name!r}; known: {', '.join(FAULTS + ('no-card',))}")
        if name == "status":
            options["sw3"] = parse_sw3(options.get("sw3", "24"))
            if "command" in options:
                options["command"] = str(options["command"]).replace(" ", "").upper()
        with self._lock:
            self._faults[name] = Fault(name, int(count), options)
        return self.state()

    def clear(self, name: str | None = None) -> dict:
        with self._lock:
            if name is None:
                self._faults.clear()
            else:
                self._faults.pop(name, None)
        return self.state()

    def unplug(self) -> dict:
        if self._device is not None:
            self._device.unplug()
        return self.state()

    def plug(self) -> dict:
        if self._device is not None:
            with self._lock:
                self._parser.reset()
                if self._person is not None:
                    self._session = Session.PLACED  # the module lost power: a new session
            self._device.plug()
        return self.state()

    def state(self) -> dict:
        with self._lock:
            return {
                "person": self._person.key if self._person else None,
                "card": self._session.value,
                "faults": {f.name: {"remaining": f.remaining, **f.options} for f in self._faults.values()},
                "plugged": self._device.plugged if self._device else False,
                "port": str(self._device.link) if self._device else None,
                "paced_baud": self.baud,
            }

    def _verbs(self) -> dict:
        return {
            "insert": lambda a: self.insert(str(a["person"])),
            "remove": lambda a: self.remove(),
            "fault": lambda a: self.fault(**a),
            "clear": lambda a: self.clear(a.get("name")),
            "unplug": lambda a: self.unplug(),
            "plug": lambda a: self.plug(),
            "status": lambda a: self.state(),
            "people": lambda a: {key: p.note for key, p in self.people.items()},
        }

    # --- the module ------------------------------------------------------------------

    def _serve(self) -> None:
        last_byte = time.monotonic()
        while self._running.is_set():
            device = self._device
            if device is None:
                return
            data = device.read(timeout=0.05)
            now = time.monotonic()
            with self._lock:
                if data:
                    last_byte = now
                    items = self._parser.feed(data)
                elif self._parser.pending and now - last_byte > STALLED_FRAME_S:
                    self._parser.reset()
                    items = [FrameFault(FaultKind.BAD_LENGTH, "request stopped half way")]
                else:
                    items = []
                replies = [self._answer(item) for item in items]
            for reply in replies:
                self._send(reply)

    def _answer(self, item: Frame | FrameFault) -> Reply:
        if isinstance(item, FrameFault):
            code = sw.REQUEST_CHECKSUM_ERROR if item.kind is FaultKind.BAD_CHECKSUM else sw.REQUEST_LENGTH_ERROR
            return Reply(0, 0, code)
        request = parse_request(item)
        if isinstance(request, FrameFault):
            return Reply(0, 0, sw.REQUEST_LENGTH_ERROR)
        label = f"{request.cmd:02X}{request.para:02X}"
        self.requests.append(label)
        command = request.command
        if command is None:
            return Reply(0, 0, sw.COMMAND_ERROR)
        if request.data:
            return Reply(0, 0, sw.REQUEST_LENGTH_ERROR)
        if self._spend("sam"):
            return Reply(0, 0, sw.SAM_SELF_TEST_FAILED)
        forced = self._faults.get("status")
        if forced is not None and forced.options.get("command") in (None, label):
            self._spend("status")
            return Reply(0, 0, forced.options["sw3"])
        return self._execute(command)

    def _execute(self, command: Command) -> Reply:
        if command is Command.RESET_SAM:
            if self._person is not None:
                self._session = Session.PLACED
            return Reply(0, 0, sw.OK)
        if command is Command.SAM_STATUS:
            return Reply(0, 0, sw.OK)
        if command is Command.SAM_ID:
            return Reply(0, 0, sw.OK, SAM_ID)
        if command is Command.FIND_CARD:
            if self._person is None:
                return Reply(0, 0, sw.FIND_FAILED)
            self._session = Session.FOUND
            return Reply(0, 0, sw.CARD_FOUND, bytes(4))
        if command is Command.SELECT_CARD:
            if self._session not in (Session.FOUND, Session.SELECTED):
                return Reply(0, 0, sw.SELECT_FAILED)
            self._session = Session.SELECTED
            return Reply(0, 0, sw.OK, bytes(8))
        # a read
        if self._session is not Session.SELECTED or self._person is None:
            return Reply(0, 0, sw.READ_FAILED)
        person = self._person
        text, photo = person.text_block(), person.photo()
        if command is Command.READ_WITH_FINGERPRINT:
            prints = person.fingerprints()
            head = b"".join(len(x).to_bytes(2, "big") for x in (text, photo, prints))
            return Reply(0, 0, sw.OK, head + text + photo + prints)
        head = len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big")
        return Reply(0, 0, sw.OK, head + text + photo)

    def _spend(self, name: str) -> Fault | None:
        """The fault `name` if active, counting this use of it."""
        fault = self._faults.get(name)
        if fault is not None and fault.remaining:
            fault.remaining -= 1
            if not fault.remaining:
                del self._faults[name]
        return fault

    def _send(self, reply: Reply) -> None:
        with self._lock:
            if self._spend("mute"):
                return
            wire = reply.encode()
            if self._spend("checksum"):
                wire = wire[:-1] + bytes([wire[-1] ^ 0xFF])
            if self._spend("noise"):
                wire = NOISE + wire
            slow = self._spend("slow")
        device = self._device
        if device is None:
            return
        if slow is None:
            device.write(wire)
            return
        chunk = max(1, int(slow.options.get("chunk", 64)))
        delay = float(slow.options.get("delay", 0.02))
        for start in range(0, len(wire), chunk):
            if not self._running.is_set():
                return
            device.write(wire[start : start + chunk])
            time.sleep(delay)
