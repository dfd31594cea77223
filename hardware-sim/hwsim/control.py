"""How a running simulator is found and steered from another terminal.

Each simulator, when it starts, registers itself in the simulator directory
(`$KIOSK_SIM_DIR`, default `/tmp/kiosk-sim`): `<name>.json` says its pid, the address the
kiosk connects to (a pty path, a URL) and a Unix control socket. `kiosk sim ctl NAME CMD
[key=value ...]` sends one JSON line to that socket and prints the JSON reply, so a
technician can insert a person's card, run the printer out of paper or unplug a device
while the kiosk runs. Device URLs of the form `sim://NAME` resolve through the same files.
"""

from __future__ import annotations

import json
import os
import socket
import socketserver
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable

Handler = Callable[[dict[str, Any]], Any]


def sim_dir() -> Path:
    return Path(os.environ.get("KIOSK_SIM_DIR", "/tmp/kiosk-sim"))


@dataclass(frozen=True)
class Registration:
    name: str
    pid: int
    address: str  # what the kiosk's driver connects to
    control: str  # path of the Unix control socket

    @classmethod
    def read(cls, name: str) -> "Registration":
        path = sim_dir() / f"{name}.json"
        for attempt in range(3):
            try:
                data = json.loads(path.read_text())
                reg = cls(**data)
                break
            except FileNotFoundError:
                raise LookupError(f"simulator {name!r} is not running (no {path})") from None
            except (ValueError, TypeError) as exc:
                # Written atomically, so a garbled file is not a half-written one we could
                # wait out for long; a device URL must fail as "not there", not crash a driver.
                if attempt == 2:
                    raise LookupError(f"simulator {name!r}: unreadable registration {path} ({exc})") from None
                time.sleep(0.05)
        if not _alive(reg.pid):
            raise LookupError(f"simulator {name!r} is registered but pid {reg.pid} is gone")
        return reg


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def resolve(name: str) -> str:
    """The address of a running simulator, for `sim://NAME` device URLs."""
    return Registration.read(name).address


class ControlServer:
    """Serves one simulator's control socket; `commands` maps a verb to a handler.

    A handler gets the request's arguments and returns something JSON can encode; an
    exception becomes {"ok": false, "error": "..."} rather than killing the simulator.
    """

    def __init__(self, name: str, address: str, commands: dict[str, Handler]) -> None:
        self.name = name
        self.address = address
        self.commands = dict(commands)
        self.commands.setdefault("help", lambda _args: sorted(self.commands))
        directory = sim_dir()
        directory.mkdir(parents=True, exist_ok=True)
        self.socket_path = directory / f"{name}.sock"
        self.registration_path = directory / f"{name}.json"
        self._server: socketserver.UnixStreamServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> "ControlServer":
        if self.socket_path.exists():
            self.socket_path.unlink()
        outer = self

        class _Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                for line in self.rfile:
                    reply = outer.dispatch(line)
                    self.wfile.write(json.dumps(reply, ensure_ascii=False).encode() + b"\n")

        self._server = socketserver.ThreadingUnixStreamServer(str(self.socket_path), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=lambda: self._server.serve_forever(poll_interval=0.05), name=f"sim-ctl-{self.name}", daemon=True
        )
        self._thread.start()
        reg = Registration(self.name, os.getpid(), self.address, str(self.socket_path))
        tmp = self.registration_path.with_name(f"{self.name}.json.tmp")
        tmp.write_text(json.dumps(asdict(reg)))
        tmp.replace(self.registration_path)
        return self

    def dispatch(self, line: bytes) -> dict[str, Any]:
        try:
            request = json.loads(line)
            verb = request["cmd"]
            handler = self.commands.get(verb)
            if handler is None:
                return {"ok": False, "error": f"unknown command {verb!r}; try: {sorted(self.commands)}"}
            return {"ok": True, "result": handler(request.get("args") or {})}
        except Exception as exc:  # a bad request must not take the simulator down
            return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        for path in (self.socket_path, self.registration_path):
            try:
                if path == self.registration_path and json.loads(path.read_text())["pid"] != os.getpid():
                    continue
                path.unlink()
            except (FileNotFoundError, ValueError, KeyError):
                pass


def send(simulator: str, cmd: str, /, _timeout: float = 5.0, **args: Any) -> Any:
    """Send one command to a running simulator; raises RuntimeError with its error text.

    The simulator and verb are positional-only so that any argument name (even `name`)
    can be passed through to the simulator.
    """
    reg = Registration.read(simulator)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(_timeout)
        sock.connect(reg.control)
        sock.sendall(json.dumps({"cmd": cmd, "args": args}, ensure_ascii=False).encode() + b"\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    reply = json.loads(data)
    if not reply.get("ok"):
        raise RuntimeError(reply.get("error", "simulator refused the command"))
    return reply.get("result")
