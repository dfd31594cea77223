"""What trust costs: a mutual-TLS 1.3 call to the centre, and re-sealing an old outbox.

Each number comes with a baseline measured in the same run, and the ratio:
- one call to a tiny JSON server over mutual TLS 1.3 (a new handshake per call, as the
  centre's HTTP/1.0 makes every kiosk request), against the same server and request over plain
  HTTP on loopback;
- opening an outbox whose 1,000 items were sealed before the kind was bound (every payload
  re-sealed once, kiosk/offline/reseal.py), against opening the same outbox once they are done.
Run: bench/run trust
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "hardware-sim"))

import httpx  # noqa: E402

from hwsim.centre.test_ca import TestCA  # noqa: E402
from kiosk.centre.tls import client_context  # noqa: E402
from kiosk.enrolment import TerminalTls  # noqa: E402
from kiosk.keys import TerminalKey  # noqa: E402
from kiosk.offline.crypto import SM4_GCM_V1, FieldCipher  # noqa: E402
from kiosk.offline.outbox import Kind, Outbox  # noqa: E402

CALLS = 200
ITEMS = 1000


class _Health(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        body = json.dumps({"status": "ok"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


class _TlsServer(ThreadingHTTPServer):
    daemon_threads = True
    context = None

    def get_request(self):
        sock, address = super().get_request()
        return (self.context.wrap_socket(sock, server_side=True) if self.context else sock), address


def _serve(context) -> tuple[_TlsServer, str]:
    server = _TlsServer(("127.0.0.1", 0), _Health)
    server.context = context
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server, f"{'https' if context else 'http'}://127.0.0.1:{server.server_address[1]}/v1/health"


def _call(url: str, verify) -> float:
    with httpx.Client(verify=verify, trust_env=False) as http:  # a fresh connection each time
        start = time.perf_counter()
        http.get(url).raise_for_status()
        return time.perf_counter() - start


def bench_tls(work: Path) -> None:
    ca = TestCA.open(work / "ca")
    ca.enrol_terminal("T01", work / "tls")
    context = client_context(TerminalTls(work / "tls"))
    plain, plain_url = _serve(None)
    mtls, mtls_url = _serve(ca.server_context())
    ours, base = [], []
    try:
        for _ in range(CALLS):  # interleaved, so both see the same machine
            ours.append(_call(mtls_url, context))
            base.append(_call(plain_url, False))
    finally:
        plain.shutdown()
        mtls.shutdown()
    m, b = statistics.median(ours), statistics.median(base)
    print(f"{f'call over mutual TLS 1.3 (n={CALLS})':<36} median {m * 1e3:6.2f} ms | plain HTTP {b * 1e3:6.2f} ms | ratio {m / b:5.2f}x")


def _legacy_outbox(directory: Path, key: TerminalKey) -> None:
    """An outbox as the version before this one left it: every blob sealed as version 1."""
    with Outbox.open(directory, key) as outbox:
        for i in range(ITEMS):
            outbox.enqueue(Kind.APPLICATION, {"service": "apply", "voucher_serial": f"CS01-T01-20261123-{i:04d}"})
        cipher = FieldCipher.for_terminal(key)
        rows = outbox.db.execute("SELECT id, idempotency_key, kind, payload FROM outbox_items").fetchall()
        for item_id, row_key, kind, blob in rows:
            plain = cipher.open(blob, row=row_key, column="payload", kind=kind)
            outbox.db.execute("UPDATE outbox_items SET payload = ? WHERE id = ?", [_seal_v1(cipher, plain, row_key), item_id])


def _seal_v1(cipher: FieldCipher, plain: bytes, row: str) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    nonce = os.urandom(12)
    header = bytes([SM4_GCM_V1]) + cipher.key_id + nonce
    encryptor = Cipher(algorithms.SM4(cipher._key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(header[:5] + f"\x00{row}\x00payload".encode())
    return header + encryptor.update(plain) + encryptor.finalize() + encryptor.tag


def bench_reseal(work: Path) -> None:
    key = TerminalKey(os.urandom(32))
    _legacy_outbox(work / "legacy", key)
    start = time.perf_counter()
    Outbox.open(work / "legacy", key).close()  # re-seals ITEMS payloads
    ours = time.perf_counter() - start
    start = time.perf_counter()
    Outbox.open(work / "legacy", key).close()  # nothing left to re-seal
    base = time.perf_counter() - start
    print(f"{f'open, {ITEMS} old items re-sealed':<36} {ours * 1e3:9.1f} ms      | open, none left {base * 1e3:6.1f} ms | ratio {ours / base:5.2f}x")


def main() -> None:
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        bench_tls(Path(tmp))
        bench_reseal(Path(tmp))


if __name__ == "__main__":
    main()
