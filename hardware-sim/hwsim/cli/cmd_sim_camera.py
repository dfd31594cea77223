"""`kiosk sim camera`: the camera simulator (HTTP MJPEG on 127.0.0.1) in the foreground."""

from __future__ import annotations

import argparse
import sys

from hwsim.cli import sim_command
from hwsim.cli.foreground import run_until_stopped
from kiosk.cli import exitcodes
from kiosk.cli.main import CLI


def register(cli: CLI) -> None:
    p = sim_command(cli, "camera", "Run the camera simulator (HTTP MJPEG on 127.0.0.1) until Ctrl-C", run_simulator)
    p.add_argument("--scene", default="white", help="what the camera sees (default white; --list shows all)")
    p.add_argument("--file", metavar="PATH", help="serve this image or video file (looped) instead of a scene")
    p.add_argument("--port", type=int, default=0, help="TCP port (default: any free port)")
    p.add_argument("--fps", type=float, default=15.0, help="frames per second (default 15)")
    p.add_argument("--size", default="640x480", metavar="WxH", help="frame size of generated scenes (default 640x480)")
    p.add_argument("--list", action="store_true", help="list the scenes, then exit")


def _parse_size(text: str) -> tuple[int, int]:
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit() or not (64 <= int(width) <= 4096 and 64 <= int(height) <= 4096):
        raise ValueError(f"--size {text!r}: write it as WIDTHxHEIGHT, e.g. 1280x720")
    return int(width), int(height)


def run_simulator(args: argparse.Namespace) -> int:
    from hwsim.camera.scenes import SCENES
    from hwsim.camera.server import CameraSimulator
    from hwsim.control import sim_dir

    if args.list:
        for name, scene in SCENES.items():
            print(f"{name:<20} {scene.description}")
        return exitcodes.OK
    if not args.file and args.scene not in SCENES:
        print(f"unknown scene {args.scene!r}; scenes: {', '.join(SCENES)}", file=sys.stderr)
        return exitcodes.USAGE
    try:
        size = _parse_size(args.size)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return exitcodes.USAGE
    if not 1 <= args.fps <= 60:
        print("--fps must be between 1 and 60", file=sys.stderr)
        return exitcodes.USAGE
    print("preparing the scenes ...", file=sys.stderr, flush=True)
    try:
        sim = CameraSimulator(args.scene, file=args.file, port=args.port, fps=args.fps, size=size)
    except (OSError, ValueError) as exc:
        print(f"camera simulator: {exc}", file=sys.stderr)
        return exitcodes.FAILED
    def announce(sim) -> None:
        print(f"camera simulator: {sim.url} (scene {sim.describe()['scene']}), "
              f"registered as sim://camera in {sim_dir()}", flush=True)
        print("steer it from another terminal: kiosk sim ctl camera scene name=dark | unplug | plug | stall | list",
              flush=True)

    return run_until_stopped(lambda: sim.start(), announce, lambda sim: sim.stop())
