"""`kiosk sim all`: every simulator together (ID reader, camera, printer, centre, and the card).

One process runs them all (hwsim.rig); each registers in $KIOSK_SIM_DIR as it would alone,
so `kiosk run` with the simulator config finds them and `kiosk sim ctl NAME VERB` steers
them. `kiosk run --with-simulators` and `kiosk demo` start it in the background through the
simulator hooks (hwsim.kiosk_hooks.simulators_for).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from hwsim.cli import sim_command
from kiosk.cli import exitcodes
from kiosk.cli.main import CLI, load_config_or_exit

SIMULATORS = ("id-reader", "printer", "camera", "centre", "usb-drive", "staff-signal")
START_TIMEOUT_S = 60.0


def register(cli: CLI) -> None:
    p = sim_command(
        cli, "all", "Run every simulator together (ID reader, camera, printer, centre, card) until Ctrl-C", run, json_output=True
    )
    p.add_argument("--centre-port", type=int, help="the centre's TCP port (default: the port of centre_url in the config; 0 = any free port)")
    p.add_argument("--person", help="a person's card on the ID reader from the start (see `kiosk sim id-reader --list`)")
    p.add_argument("--scene", default="white", help="what the camera sees (default: white, a well-placed face)")
    p.add_argument("--no-card", action="store_true", help="leave out the card simulator (it needs pcscd and vpcd)")
    p.add_argument("--pace", action="store_true", help="serial devices as slow as their real baud rates")
    p.add_argument("--state-dir", type=Path, help="the centre's records and the printer's jobs (default: $KIOSK_SIM_DIR)")


def _already_running() -> list[str]:
    from hwsim.control import Registration

    running = []
    for name in SIMULATORS:
        try:
            reg = Registration.read(name)
        except (LookupError, ValueError, TypeError):
            continue
        running.append(f"{name} (pid {reg.pid})")
    return running


def run(args: argparse.Namespace) -> int:
    from hwsim.control import sim_dir
    from hwsim.rig import RigSettings, SimulatorRig
    from kiosk.logs import setup_logging

    cfg = load_config_or_exit(args)
    busy = _already_running()
    if busy:
        print(f"simulators already running in {sim_dir()}: {', '.join(busy)} (`kiosk sim list`)", file=sys.stderr)
        return exitcodes.FAILED
    port = args.centre_port if args.centre_port is not None else (urlsplit(cfg.centre_url).port or 18470)
    settings = RigSettings(
        centre_port=port,
        centre_clock_speed=cfg.simulator.centre_clock_speed if cfg.simulator else 1.0,
        camera_scene=args.scene,
        person=args.person,
        pace_serial=args.pace,
        card=not args.no_card,
        state_dir=args.state_dir,
        terminal_id=cfg.terminal_id,
        tls_dir=cfg.tls_dir,
    )
    setup_logging("WARNING")
    if not args.json:
        print("starting the simulators ...", file=sys.stderr, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        rig = SimulatorRig(settings).start()
    except OSError as exc:
        print(f"the simulators could not start: {exc}", file=sys.stderr)
        return exitcodes.FAILED
    except (KeyError, ValueError) as exc:  # an unknown person or scene
        print(f"the simulators could not start: {exc}", file=sys.stderr)
        return exitcodes.USAGE
    try:
        info = {"pid": os.getpid(), **rig.describe()}
        if args.json:
            print(json.dumps(info, ensure_ascii=False), flush=True)
        else:
            print(_describe(info), flush=True)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        rig.stop()
    return exitcodes.OK


def _describe(info: dict) -> str:
    card = info["card"] or f"not running ({info['card_problem'] or 'left out'})"
    return (
        f"simulators running (pid {info['pid']}), registered in {info['sim_dir']}\n"
        f"  id-reader  {info['id-reader']}\n"
        f"  printer    {info['printer']}  (jobs: {info['printer_jobs']})\n"
        f"  camera     {info['camera']}\n"
        f"  centre     {info['centre']}\n"
        f"  staff-signal {info['staff-signal']}\n"
        f"  card       {card}\n"
        "Steer them from another terminal, e.g.:\n"
        "  kiosk sim ctl id-reader insert person=resident   kiosk sim ctl printer paper_out\n"
        "  kiosk sim ctl camera scene name=dark              kiosk sim ctl centre down\n"
        "Ctrl-C stops them all."
    )


# --- for `kiosk run --with-simulators`, `kiosk demo` and tests -------------------------------


class Simulators:
    """`kiosk sim all` as a child process in its own process group, stopped by its PID."""

    def __init__(self, proc: subprocess.Popen, info: dict) -> None:
        self.proc = proc
        self.info = info

    @property
    def centre_url(self) -> str:
        return self.info["centre"]

    @classmethod
    def start(cls, config_path: Path, env: dict | None = None, *extra: str) -> "Simulators":
        cmd = [sys.executable, "-m", "kiosk", "sim", "all", "--json", "--config", str(config_path), *extra]
        proc = subprocess.Popen(
            cmd, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True, preexec_fn=_end_with_parent,
        )  # fmt: skip
        line = _read_line(proc, START_TIMEOUT_S)
        try:
            info = json.loads(line)
        except ValueError:
            problem = (line + _rest(proc)).strip()
            cls(proc, {}).stop()
            raise RuntimeError(f"`kiosk sim all` did not start: {problem[-2000:]}") from None
        return cls(proc, info)

    def stop(self, timeout: float = 10.0) -> None:
        proc = self.proc
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout)


PR_SET_PDEATHSIG = 1


def _end_with_parent() -> None:
    """In the child: SIGTERM when the process that started us dies, even by SIGKILL, so the
    simulators (and the pcscd they may have started) never outlive the kiosk run."""
    import ctypes

    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _read_line(proc: subprocess.Popen, timeout: float) -> str:
    found: list[str] = []
    reader = threading.Thread(target=lambda: found.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return found[0] if found else ""


def _rest(proc: subprocess.Popen) -> str:
    if proc.poll() is None:
        return ""
    return proc.stderr.read() or ""


def simulator_config(base: Path, centre_url: str, out: Path) -> Path:
    """A copy of the terminal config `base` that talks to the centre at `centre_url`; the key
    file and data dir are made absolute so the copy works from any folder."""
    from kiosk.config import load_config

    cfg = load_config(base)
    text = Path(base).read_text(encoding="utf-8")

    def absolute(value: str) -> str:
        path = Path(os.path.expanduser(value))
        return str(path if path.is_absolute() else (Path(base).resolve().parent / path))

    for key, new_value, required in (("centre_url", lambda _v: centre_url, True), ("key_file", lambda _v: str(cfg.key_file), True),
                                     ("data_dir", absolute, False)):  # fmt: skip
        pattern = re.compile(rf'(?m)^{key}\s*=\s*"([^"]*)"')
        found = pattern.findall(text)
        if len(found) != 1 and (required or found):
            raise ValueError(f'{base}: expected one `{key} = "..."` line, found {len(found)}')
        text = pattern.sub(lambda m: f'{key} = "{new_value(m.group(1))}"', text)
    Path(out).write_text(text, encoding="utf-8")
    return Path(out)


@contextlib.contextmanager
def simulators_for(config_path: Path, work: Path, *extra: str) -> Iterator[tuple[Path, dict]]:
    """Every simulator in the background, for one run of the kiosk: yields the config the kiosk
    must use (its centre_url points at this centre) and the environment that finds them."""
    sims_dir = Path(work) / "sim"
    sims_dir.mkdir(parents=True, exist_ok=True)
    env = {"KIOSK_SIM_DIR": str(sims_dir)}
    sims = Simulators.start(config_path, env, "--centre-port", "0", *extra)
    try:
        yield simulator_config(config_path, sims.centre_url, Path(work) / "kiosk-with-simulators.toml"), env
    finally:
        sims.stop()
