"""The card-centre simulator: a real HTTP service on 127.0.0.1 speaking docs/centre-api.yaml.

A technician (or a test) breaks it on purpose through the control socket
(`kiosk sim ctl centre VERB key=value`):

  down / up              stop listening (connections are refused) / listen again, same port
  slow seconds=S         wait S seconds before answering each request
  fail5xx count=N        answer the next N requests 503 without processing them
  drop_response count=N  process the next N requests, then close without answering (ack lost)
  replay count=N         process the next N requests twice, as a network that duplicates
                         them would; the answer is the second one (a duplicate)
  state                  switches, counters, the simulated clock
  applications           what arrived (no personal data)
  contact_changes        what information changes arrived (no personal data)
  advance hours=H        move the simulated clock forward
  add_card card_number=… id_number=… [status=…]   put a card on record
  batches                the employer batches it holds, with how many people of each arrived
  staff_calls            the staff calls received (呼叫工作人员), oldest first
  fleet                  each terminal's last heartbeat, its age and clock skew (fleet.py)

HTTPS with mutual TLS 1.3, as a real centre: the test CA (test_ca.py, in
$KIOSK_SIM_DIR/centre-ca) signs the server's certificate and the terminals'; a client without a
certificate that CA signed is refused during the handshake. The terminal a request comes from
is the certificate's subject (common name), never what the request says: an `X-Terminal-Id`
that differs is refused `403 wrong_terminal`, and idempotency keys and received applications
are scoped to the authenticated terminal, so terminal A's keys can neither collide with nor
reveal terminal B's. On `up` the simulator's own terminal (SIMULATED_TERMINAL, the simulator
config's terminal_id) is enrolled in $KIOSK_SIM_DIR/tls, where that config's tls_dir points.

HTTP/1.0, one connection per request: once `down` closes the listening socket, nothing is
still being served through a kept-alive connection. Routes, parameters and request schemas
come from docs/centre-api.yaml (contract.py); this module maps each operationId to the
store's operation and answers only in the document's error shape, whatever arrives.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
import signal
import ssl
import sys
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, NamedTuple
from urllib.parse import urlsplit

from hwsim.centre import batch, contact, fleet, replacement, staff_calls
from hwsim.centre.contract import Reply, contract, error
from hwsim.centre.store import CentreStore, SimClock, iso
from hwsim.centre.test_ca import TestCA, simulator_ca
from hwsim.control import ControlServer, sim_dir
from kiosk.centre.api import IDEMPOTENCY_HEADER, TERMINAL_HEADER

log = logging.getLogger(__name__)

NAME = "centre"
DEFAULT_PORT = 18470
MAX_BODY_BYTES = 32 * 1024 * 1024
SIMULATED_TERMINAL = "T01"  # kiosk/config/simulator.toml's terminal_id
HANDSHAKE_TIMEOUT_S = 10.0


def simulator_tls_dir() -> Path:
    """Where the simulator config's `tls_dir` points (${KIOSK_SIM_DIR}/tls)."""
    return sim_dir() / "tls"


def peer_terminal(sock: Any) -> str | None:
    """The common name of the client certificate the handshake verified; None without one."""
    cert = sock.getpeercert() if isinstance(sock, ssl.SSLSocket) else None
    for rdn in (cert or {}).get("subject", ()):
        for name, value in rdn:
            if name == "commonName":
                return value
    return None


@dataclass
class Switches:
    slow_s: float = 0.0
    counts: dict[str, int] = field(default_factory=lambda: {"fail5xx": 0, "drop_response": 0, "replay": 0})
    requests: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def take(self, name: str) -> bool:
        """True (and one fewer left) when switch `name` should fire on this request."""
        with self._lock:
            if self.counts[name] > 0:
                self.counts[name] -= 1
                return True
            return False

    def arm(self, name: str, count: Any) -> int:
        count = int(count)
        if count < 0:
            raise ValueError("count must be 0 or more")
        with self._lock:
            self.counts[name] = count
        return count


Route = tuple[str, re.Pattern[str], Callable[..., Reply]]


class Answer(NamedTuple):
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = {}


class CentreSimulator:
    def __init__(self, store: CentreStore, host: str = "127.0.0.1", port: int = 0, *, ca: TestCA | None = None) -> None:
        self.store = store
        self.host = host
        self.port = port
        self.ca = ca or simulator_ca()
        self.tls = self.ca.server_context()
        self._enrols_simulated_terminal = ca is None  # another CA is an impostor's or a test's own
        self.switches = Switches()
        self.contract = contract()
        self._server: _Server | None = None
        self._lock = threading.Lock()
        s = store
        # One per operationId of the document: (body, X-Terminal-Id, *path values) -> Reply.
        handlers: dict[str, Callable[..., Reply]] = {
            "health": lambda _b, _t: (200, {"status": "ok", "time": iso(s.clock.now())}),
            "submitApplication": lambda b, t: s.submit_application(b, t),
            "applicationStatus": lambda _b, t, ref: s.application(ref, t),
            "activateCard": lambda b, _t, cn: s.activate(cn, b),
            "recordPinChange": lambda b, _t, cn: s.record_pin_change(cn, b),
            "cancelLossReport": lambda b, _t, cn: s.cancel_loss(cn, b),
            "reportLoss": lambda b, _t: s.report_loss(b),
            "resetPin": lambda b, _t: s.reset_pin(b),
            "cardsOfPerson": lambda _b, _t, h: s.cards_of(h),
            "applicationsOfPerson": lambda _b, _t, h: s.applications_of(h),
        }  # fmt: skip
        self.replacements = replacement.Replacements(store)  # 补领 · 换领 · 换发, with its people on record
        self.replacements.seed()
        handlers["replacementRecord"] = lambda _b, _t, h: self.replacements.record(h)
        handlers["submitReplacement"] = lambda b, t: self.replacements.submit(b, t)
        self.contacts = contact.Contacts(store)  # 信息变更: address and phone on record
        self.contacts.seed()
        handlers["contactRecord"] = lambda _b, _t, h: self.contacts.record(h)
        handlers["submitContactChange"] = lambda b, t: self.contacts.submit(b, t)
        self.batches = batch.Batches(store)  # 批量新办 · 批量补换: the batch record and its people
        handlers["submitBatch"] = lambda b, t: self.batches.submit(b, t)
        handlers["listBatches"] = lambda _b, _t: self.batches.listed()
        handlers["batchStatus"] = lambda _b, _t, serial: self.batches.status(serial)
        handlers["submitBatchApplication"] = lambda b, t: self.batches.submit_person(b, t)
        self.staff_calls = staff_calls.StaffCalls(store)  # 呼叫工作人员
        handlers["callStaff"] = lambda b, t: self.staff_calls.call(b, t)
        self.fleet = fleet.Fleet(store)  # heartbeats: the last status of each terminal
        handlers["postHeartbeat"] = lambda b, t: self.fleet.heartbeat(b, t)
        handlers["fleetStatus"] = lambda _b, _t: self.fleet.listed()
        documented = {op.operation_id for op in self.contract.operations}
        if documented != set(handlers):
            raise LookupError(f"operations without a handler: {sorted(documented - set(handlers))}; "
                              f"handlers of no documented operation: {sorted(set(handlers) - documented)}")  # fmt: skip
        self.routes: list[Route] = [(op.method, op.pattern, handlers[op.operation_id]) for op in self.contract.operations]
        self._handlers = handlers

    @property
    def url(self) -> str:
        return f"https://{self.host}:{self.port}"

    def enrol(self, terminal_id: str = SIMULATED_TERMINAL, tls_dir: str | Path | None = None) -> Path:
        """Terminal `terminal_id`'s key, certificate and this centre's CA in `tls_dir`."""
        return self.ca.enrol_terminal(terminal_id, tls_dir or simulator_tls_dir())

    @property
    def listening(self) -> bool:
        return self._server is not None

    # --- listening ---------------------------------------------------------------------

    def up(self) -> dict[str, Any]:
        with self._lock:
            if self._server is None:
                if self._enrols_simulated_terminal:
                    self.enrol()
                server = _Server((self.host, self.port), _Handler)
                server.simulator = self
                self.port = server.server_address[1]
                threading.Thread(target=server.serve_forever, args=(0.05,), name="centre-http", daemon=True).start()
                self._server = server
        return {"listening": True, "url": self.url}

    def down(self) -> dict[str, Any]:
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        return {"listening": False, "url": self.url}

    # --- requests ----------------------------------------------------------------------

    def route(self, method: str, path: str, headers: Any, raw: bytes, terminal: str) -> Answer:
        """The answer to one request from the authenticated `terminal`, checked against the
        document before the store sees it."""
        request = self.contract.read(method, path, headers, raw)
        if request.refusal is not None:
            status, body = request.refusal
            return Answer(status, body, {"Allow": ", ".join(request.allowed)} if status == 405 else {})
        claimed = headers.get(TERMINAL_HEADER)
        if not terminal:
            return Answer(*error(403, "wrong_terminal", "the client certificate names no terminal"))
        if claimed is not None and claimed != terminal:
            return Answer(*error(403, "wrong_terminal", "X-Terminal-Id is not the terminal of the client certificate"))
        op, body = request.operation, request.body
        handler = self._handlers[op.operation_id]
        values = [request.path_values[name] for name in op.path_names]
        if body is None:
            return Answer(*handler(None, terminal, *values))
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
        # A digest: the body holds the ID number, and the store keeps no personal data.
        fingerprint = hashlib.sha256(f"{method} {path} {canonical}".encode()).hexdigest()
        operation = functools.partial(handler, body, terminal, *values)
        # Scoped: the same key from two terminals is two keys, and neither sees the other's answer.
        scoped_key = f"{terminal}/{headers[IDEMPOTENCY_HEADER]}"
        return Answer(*self.store.idempotent(scoped_key, fingerprint, operation))

    # --- the control socket ------------------------------------------------------------

    def commands(self) -> dict[str, Callable[[dict[str, Any]], Any]]:
        sw = self.switches

        def slow(args: dict[str, Any]) -> dict[str, float]:
            seconds = float(args.get("seconds", 0))
            if seconds < 0:
                raise ValueError("seconds must be 0 or more")
            sw.slow_s = seconds
            return {"slow_s": seconds}

        def arm(name: str) -> Callable[[dict[str, Any]], dict[str, int]]:
            return lambda args: {name: sw.arm(name, args.get("count", 1))}

        def advance(args: dict[str, Any]) -> dict[str, str]:
            seconds = float(args.get("hours", 0)) * 3600 + float(args.get("seconds", 0))
            return {"clock": iso(self.store.clock.advance(seconds))}

        def add_card(args: dict[str, Any]) -> dict[str, Any]:
            added = self.store.add_card(str(args["card_number"]), str(args["id_number"]), args.get("status", "active"))
            return {"card_number": str(args["card_number"]), "added": bool(added)}

        return {
            "down": lambda _a: self.down(),
            "up": lambda _a: self.up(),
            "slow": slow,
            "fail5xx": arm("fail5xx"),
            "drop_response": arm("drop_response"),
            "replay": arm("replay"),
            "state": lambda _a: self.state(),
            "applications": lambda _a: self.store.applications(),
            "advance": advance,
            "add_card": add_card,
            "replacements": lambda _a: self.replacements.listed(),
            "contact_changes": lambda _a: self.contacts.listed(),
            "batches": lambda _a: self.batches.listed()[1]["batches"],
            "staff_calls": lambda _a: self.staff_calls.listed(),
            "fleet": lambda _a: self.fleet.terminals(),
        }

    def state(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "listening": self.listening,
            "slow_s": self.switches.slow_s,
            **self.switches.counts,
            "requests": self.switches.requests,
            "clock": iso(self.store.clock.now()),
            "clock_speed": self.store.clock.speed,
        }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    simulator: CentreSimulator

    def get_request(self) -> tuple[Any, Any]:
        """TLS around each connection; the handshake runs in the request's own thread
        (`_Handler.setup`), so a client that stalls in it holds up no one else."""
        sock, address = super().get_request()
        return self.simulator.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A kiosk that gave up waiting (timeout) closed its end: expected when `slow` is on; a
        client that sends its request too slowly is dropped after `_Handler.timeout`."""
        exc = sys.exc_info()[1]
        if isinstance(exc, ssl.SSLError):
            log.info("%s refused in the TLS handshake: %s", client_address[0], exc.reason or type(exc).__name__)
        elif isinstance(exc, (BrokenPipeError, ConnectionResetError, TimeoutError)):
            log.info("%s went away before the answer: %s", client_address[0], type(exc).__name__)
        else:
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    default_request_version = "HTTP/1.0"  # so even a broken request line gets a status line and headers
    timeout = 30  # seconds a client may take to send its request
    server: _Server
    terminal: str | None = None

    def setup(self) -> None:
        """The mutual-TLS handshake: a client without a certificate the CA signed stops here."""
        self.request.settimeout(HANDSHAKE_TIMEOUT_S)
        self.request.do_handshake()
        self.terminal = peer_terminal(self.request)
        super().setup()

    def __getattr__(self, name: str) -> Callable[[], None]:
        """Every method reaches `_serve` (do_GET, do_PUT, do_FOO…): the document decides, with a 405."""
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def _serve(self) -> None:
        sim = self.server.simulator
        sw = sim.switches
        with sw._lock:
            sw.requests += 1
        raw, problem = self._read_body()
        if problem is not None:
            self._send(problem)
            return
        if sw.slow_s:
            time.sleep(sw.slow_s)
        if sw.take("fail5xx"):
            self._send(Answer(*error(503, "unavailable", "simulated centre failure")))
            return
        method, path = self.command, urlsplit(self.path).path
        try:
            answer = sim.route(method, path, self.headers, raw, self.terminal)
            if sw.take("replay"):
                answer = sim.route(method, path, self.headers, raw, self.terminal)
        except Exception:
            log.exception("centre simulator failed on %s %s", method, path)
            answer = Answer(*error(500, "internal", "the simulated centre failed; see its log"))
        if sw.take("drop_response"):
            self.close_connection = True  # processed, but the answer is lost on the way back
            return
        self._send(answer)

    def _read_body(self) -> tuple[bytes, Answer | None]:
        if "Transfer-Encoding" in self.headers:
            return b"", Answer(*error(400, "bad_request", "send the body with a Content-Length, not chunked"))
        lengths = self.headers.get_all("Content-Length") or []
        if not lengths:
            return b"", None
        if len(set(lengths)) != 1 or not (lengths[0].isascii() and lengths[0].isdigit()):
            return b"", Answer(*error(400, "bad_request", "Content-Length must be one number of bytes"))
        length = int(lengths[0])
        if length > MAX_BODY_BYTES:
            return b"", Answer(*error(413, "too_large", f"bodies are limited to {MAX_BODY_BYTES} bytes"))
        return self.rfile.read(length), None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """What http.server refuses itself (a broken request line, huge headers) in the document's shape."""
        self.close_connection = True
        status = HTTPStatus(code)
        self._send(Answer(*error(code, status.name.lower(), status.phrase)))

    def _send(self, answer: Answer) -> None:
        data = json.dumps(answer.body, ensure_ascii=False).encode()
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # paths carry hashes, never ID numbers
        log.info("%s %s", self.address_string(), format % args)


def run(
    port: int, state_dir: Path, clock_speed: float, ready: Callable[[CentreSimulator], None],
    enrol: tuple[str, Path | None] = (SIMULATED_TERMINAL, None),
) -> None:
    """Serve in the foreground until SIGTERM or Ctrl-C; terminal `enrol` = (id, tls_dir) is enrolled."""
    store = CentreStore(state_dir, SimClock(clock_speed))
    seeded = store.seed_from_profiles()
    sim = CentreSimulator(store, port=port)
    sim.up()
    sim.enrol(*enrol)
    control = ControlServer(NAME, sim.url, sim.commands()).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    log.info("%d card(s) from card profiles put on record", seeded)
    ready(sim)
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        control.stop()
        sim.down()
        store.close()
