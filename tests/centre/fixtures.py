"""The real centre simulator: as a process (`kiosk sim centre`, stopped by PID), or in this
process on its own HTTPS port, for the many tests that only need its HTTP side quickly.

Both speak mutual TLS only: `.tls` is the client context of the terminal the simulator
enrolled ($KIOSK_SIM_DIR/tls, terminal T01), to pass as `httpx.post(url, verify=...)`;
`CentreClient(url, **centre.terminal)` also gets the person-lookup secret."""

from __future__ import annotations

import socket
import ssl
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from hwsim.centre.server import CentreSimulator
from hwsim.centre.store import CentreStore, SimClock
from hwsim.centre.server import simulator_tls_dir
from hwsim.control import resolve, send
from kiosk.centre.tls import client_context
from kiosk.enrolment import TerminalTls
from tests.support.processes import start, stop, wait_for

KIOSK = str(Path(sys.executable).with_name("kiosk"))


def unused_port() -> int:
    """A port nothing listens on (it was free a moment ago): connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def terminal_tls(tls_dir: Path | None = None) -> ssl.SSLContext:
    """The mutual-TLS client context of an enrolled terminal (default: the simulator's T01)."""
    return client_context(TerminalTls(tls_dir or simulator_tls_dir()))


def person_secret() -> bytes:
    """The person-lookup secret the simulator's CA hands its terminals (keys person_hash)."""
    return TerminalTls(simulator_tls_dir()).person_lookup_secret()


class _Enrolled:
    @property
    def tls(self) -> ssl.SSLContext:
        return terminal_tls()

    @property
    def terminal(self) -> dict:
        """What `CentreClient(url, **centre.terminal)` needs to call as the enrolled T01."""
        return {"tls": terminal_tls(), "person_secret": person_secret()}


@dataclass
class RunningCentre(_Enrolled):
    proc: subprocess.Popen
    url: str
    state_dir: Path

    def ctl(self, verb: str, **args):
        return send("centre", verb, **args)

    def applications(self) -> list[dict]:
        return self.ctl("applications")


def start_centre(state_dir: Path, *extra: str) -> RunningCentre:
    proc = start([KIOSK, "sim", "centre", "--port", "0", "--state-dir", str(state_dir), *extra],
                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)  # fmt: skip

    def registered() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"the centre simulator exited with {proc.returncode}")
        try:
            return httpx.get(resolve("centre") + "/v1/health", timeout=1, verify=terminal_tls()).status_code == 200
        except (LookupError, httpx.HTTPError, OSError):
            return False

    try:
        wait_for(registered, timeout=20, what="the centre simulator")
    except BaseException:
        stop(proc)
        raise
    return RunningCentre(proc, resolve("centre"), state_dir)


@pytest.fixture
def centre(tmp_path):
    running = start_centre(tmp_path / "centre-state")
    yield running
    stop(running.proc)


@dataclass
class LocalCentre(_Enrolled):
    """The same simulator code serving real HTTP from a thread; switches are called directly."""

    simulator: CentreSimulator
    state_dir: Path

    @property
    def url(self) -> str:
        return self.simulator.url

    def ctl(self, verb: str, **args):
        return self.simulator.commands()[verb](args)

    def applications(self) -> list[dict]:
        return self.ctl("applications")


@pytest.fixture
def local_centre(tmp_path):
    store = CentreStore(tmp_path / "local-centre", SimClock(60.0))
    store.seed_from_profiles()
    simulator = CentreSimulator(store)
    simulator.up()
    yield LocalCentre(simulator, tmp_path / "local-centre")
    simulator.down()
    store.close()
