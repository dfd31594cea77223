"""`kiosk run` opens the kiosk; `kiosk demo` walks through it on a virtual screen.

`kiosk run` on a simulator terminal (production = false) may use --window for a plain
window and has a technician's way out, Ctrl+Shift+Q; Escape and the window's close button
never end the kiosk. A production terminal is always full screen, cursor hidden, and only
its service manager stops it (SIGTERM).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from datetime import datetime
from pathlib import Path

from kiosk.cli import exitcodes
from kiosk.cli.main import CLI, emit, load_config_or_exit

DEMO_TIMEOUT_S = 300
DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY")


def register(cli: CLI) -> None:
    p = cli.command(
        None,
        "run",
        "Open the kiosk window (full screen). Simulator terminals only: --window WxH for a plain "
        "window, Ctrl+Shift+Q to quit. Escape and the close button never end the kiosk; SIGTERM "
        "(systemd) and Ctrl+C in the terminal stop it cleanly.",
        run,
    )
    p.add_argument("--window", metavar="WxH", type=_size, help="a plain window of this size (simulator terminals only)")
    p.add_argument("--on-config-problem", metavar="PROGRAM",
                   help="if the configuration has problems: print them, then replace this process with PROGRAM "
                        "(the terminal image's out-of-service screen; it gets this environment and no arguments). "
                        "One process checks and runs: a second Python start cost seconds on a slow terminal")  # fmt: skip
    p.add_argument("--with-simulators", action="store_true",
                   help="start every simulator first (`kiosk sim all`) and stop them when the kiosk closes (simulator terminals only)")  # fmt: skip
    p = cli.command(
        None,
        "demo",
        "Walk through the kiosk with scripted touches on a virtual screen and save a screenshot per step",
        demo,
        json_output=True,
    )
    p.add_argument("--out", metavar="DIR", type=Path, help="where the screenshots go (default: ./artifacts/demo-<time>/)")
    p.add_argument("--size", metavar="WxH", type=_size, default=(1080, 1920), help="screen size (default 1080x1920, portrait)")


def _size(text: str) -> tuple[int, int]:
    from kiosk.ui.scripted import parse_size

    return parse_size(text)


def has_display() -> bool:
    return any(os.environ.get(v) for v in DISPLAY_VARIABLES)


def run(args: argparse.Namespace) -> int:
    config = _config_or_hand_over(args)
    if not has_display():
        print(
            "kiosk run: no display (neither DISPLAY nor WAYLAND_DISPLAY is set), so there is nowhere to open the "
            "kiosk window.\nOn a machine without a screen, try `kiosk demo`: it runs the kiosk on a virtual "
            "screen and saves screenshots.",
            file=sys.stderr,
        )
        return exitcodes.NO_DEVICE
    if args.window and config.production:
        print("kiosk run: --window is refused on a production terminal; a kiosk is always full screen", file=sys.stderr)
        return exitcodes.USAGE

    from kiosk.ui.bootstrap import WindowPlan
    from kiosk.ui.desktop import NoDisplay
    from kiosk.ui.fonts import FontMissing
    from kiosk.ui.runner import RunOptions, run as run_kiosk

    if args.window:
        plan = WindowPlan(fullscreen=False, size=args.window)
    else:
        plan = WindowPlan(fullscreen=True)
    if args.with_simulators:
        return _run_with_simulators(config, plan)
    try:
        run_kiosk(config, RunOptions(window=plan))
    except FontMissing as exc:
        print(f"kiosk run: {exc}", file=sys.stderr)
        return exitcodes.FAILED
    except NoDisplay as exc:
        print(f"kiosk run: {exc}.\nOn a machine without a screen, try `kiosk demo`.", file=sys.stderr)
        return exitcodes.NO_DEVICE
    return exitcodes.OK


def _config_or_hand_over(args: argparse.Namespace):
    """The configuration; one with problems is printed and, with --on-config-problem, hands
    the screen to that program in this same process (systemd's main process stays the one
    it started, and the program's READY and watchdog pings are this service's)."""
    try:
        return load_config_or_exit(args)
    except SystemExit:
        program = getattr(args, "on_config_problem", None)
        if not program:
            raise
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            os.execv(program, [program])
        except OSError as exc:
            print(f"kiosk run: cannot start {program}: {exc.strerror}", file=sys.stderr)
        raise


def _run_with_simulators(config, plan) -> int:
    """The kiosk in a child process beside `kiosk sim all`, which must see the same $KIOSK_SIM_DIR."""
    from kiosk.drivers.simulation import simulators_for

    if config.production:
        print("kiosk run: --with-simulators is refused on a production terminal", file=sys.stderr)
        return exitcodes.USAGE
    work = Path(tempfile.mkdtemp(prefix="kiosk-run-"))
    print("kiosk run: starting the simulators ...", file=sys.stderr, flush=True)
    try:
        with simulators_for(config, work) as (kiosk_config, env):
            print(f"kiosk run: simulators in {env['KIOSK_SIM_DIR']}; steer them with KIOSK_SIM_DIR={env['KIOSK_SIM_DIR']} kiosk sim ctl ...",
                  file=sys.stderr, flush=True)  # fmt: skip
            cmd = [sys.executable, "-m", "kiosk", "run", "--config", str(kiosk_config)]
            if not plan.fullscreen:
                cmd += ["--window", f"{plan.size[0]}x{plan.size[1]}"]
            kiosk = subprocess.Popen(cmd, env={**os.environ, **env}, start_new_session=True)
            # Stopped by its PID (a service manager) or Ctrl-C: the kiosk goes first (it refuses a
            # plain quit request, so _stop ends it by force after a while), then the simulators.
            stopping = threading.Event()
            signal.signal(signal.SIGTERM, lambda *_: stopping.set())
            try:
                while kiosk.poll() is None and not stopping.wait(0.2):
                    pass
            except KeyboardInterrupt:
                pass
            _stop(kiosk)
            return kiosk.returncode if kiosk.returncode >= 0 else exitcodes.OK
    except RuntimeError as exc:
        print(f"kiosk run: {exc}", file=sys.stderr)
        return exitcodes.FAILED
    finally:
        shutil.rmtree(work, ignore_errors=True)


def demo(args: argparse.Namespace) -> int:
    config = load_config_or_exit(args)
    from kiosk.ui import demo as walkthrough
    from kiosk.ui.display import DisplayError, VirtualDisplay
    from kiosk.ui.fonts import FontMissing, find_cjk_font
    from kiosk.ui.scripted import REPORT

    try:
        find_cjk_font()
    except FontMissing as exc:
        print(f"kiosk demo: {exc}", file=sys.stderr)
        return exitcodes.FAILED
    out = (args.out or Path("artifacts") / f"demo-{datetime.now():%Y%m%d-%H%M%S}").resolve()
    out.mkdir(parents=True, exist_ok=True)
    width, height = args.size
    data_dir = Path(tempfile.mkdtemp(prefix="kiosk-demo-"))
    from kiosk.drivers.simulation import simulators_for

    try:
        with VirtualDisplay(width, height) as display, simulators_for(config, data_dir) as (sim_config, env):
            print(f"kiosk demo: virtual {width}x{height} screen {display.name} (Xvfb pid {display.pid}); simulators in {env['KIOSK_SIM_DIR']}", file=sys.stderr)
            code = _play(sim_config, display.name, out, data_dir, walkthrough, env)
    except DisplayError as exc:
        print(f"kiosk demo: {exc}", file=sys.stderr)
        return exitcodes.NO_DEVICE
    except RuntimeError as exc:  # the simulators did not start
        print(f"kiosk demo: {exc}", file=sys.stderr)
        return exitcodes.FAILED
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    report_path = out / REPORT
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else {"ok": False}
    summary = {"ok": report.get("ok", False) and code == 0, "out": str(out), "screenshots": report.get("screenshots", [])}
    summary["voucher"] = report.get("report", {}).get("voucher_png")
    if not summary["ok"]:
        print(f"kiosk demo: the walk-through failed; see {out / 'kiosk.log'}", file=sys.stderr)
        if report.get("error"):
            print(report["error"], file=sys.stderr)
    # The folder comes last, alone on its line, for scripts and people to pick up.
    voucher = f"the printed voucher: {summary['voucher']}\n" if summary["voucher"] else ""
    emit(args, summary, f"{voucher}{len(summary['screenshots'])} screenshots in\n{out}")
    return exitcodes.OK if summary["ok"] else exitcodes.FAILED


def _play(config_path: Path, display: str, out: Path, data_dir: Path, walkthrough, sim_env: dict | None = None) -> int:
    """The walk-through in its own process (Kivy opens one window per process)."""
    cmd = [
        sys.executable, "-m", "kiosk.ui.scripted",
        "--script", "kiosk.ui.demo:walkthrough",
        "--out", str(out),
        "--config", str(config_path),
        "--idle-timeout", str(walkthrough.IDLE_TIMEOUT_S),
        "--idle-warning", str(walkthrough.IDLE_WARNING_S),
    ]  # fmt: skip
    env = {**os.environ, **(sim_env or {}), "DISPLAY": display, "KIOSK_DATA_DIR": str(data_dir)}
    env.pop("WAYLAND_DISPLAY", None)
    with open(out / "kiosk.log", "wb") as log:
        # Progress lines come on stdout (straight to the technician), Kivy's log on stderr.
        proc = subprocess.Popen(cmd, env=env, stderr=log, start_new_session=True)
        try:
            return proc.wait(DEMO_TIMEOUT_S)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            _stop(proc)
            print(f"kiosk demo: stopped the walk-through after {DEMO_TIMEOUT_S} s or on request", file=sys.stderr)
            return exitcodes.FAILED


def _stop(proc: subprocess.Popen) -> None:
    """By PID (its own process group), never by name."""
    import signal

    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
            proc.wait(wait)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            continue
