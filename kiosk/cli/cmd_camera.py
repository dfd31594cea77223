"""`kiosk devices camera-check`.

camera-check is the technician's test of the whole photo path: the camera, the 1-inch
checks with their measurements, the crop and the scene image. The files it writes carry a
face: they go only where --out says, under new names, and nothing of them is logged.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kiosk.cli import exitcodes
from kiosk.cli.device_commands import devices_command, terminal
from kiosk.cli.main import CLI, emit

FAILURE_EXIT = {"no_device": exitcodes.NO_DEVICE, "cancelled": exitcodes.INTERRUPTED}


CAMERA_CHECK = "Capture from the camera, run the 1-inch photo checks and write the photo and the scene image"


def register(cli: CLI) -> None:
    p = devices_command(cli, "camera-check", CAMERA_CHECK, camera_check)
    p.add_argument("--source", metavar="URL", help="v4l2://0, file:///x.mp4, http://…/stream.mjpg, sim://camera "
                   "(default: the config's devices.camera)")
    p.add_argument("--out", metavar="DIR", required=True, help="where to write the photo and the scene image")
    p.add_argument("--seconds", type=float, default=5.0, metavar="S",
                   help="look at frames this long for one that passes (default 5)")


def _write_new(directory: Path, stem: str, data: bytes) -> Path:
    """Write under a name not used yet, completely or not at all."""
    path = directory / f"{stem}.jpg"
    n = 1
    while path.exists():
        n += 1
        path = directory / f"{stem}-{n}.jpg"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


def _human_report(data: dict) -> str:
    lines = [f"{'PASSED' if data['passed'] else 'FAILED'}: {data['guidance_zh']} / {data['guidance_en']}"]
    for name, check in data["checks"].items():
        mark = {True: "ok  ", False: "FAIL", None: "-   "}[check["passed"]]
        threshold = " ".join(f"{k} {v}" for k, v in check["threshold"].items())
        value = "not measured" if check["value"] is None else check["value"]
        lines.append(f"  {mark} {name:<22} {value!s:<14} ({threshold})")
    lines.append(f"photo: {data['photo_path'] or 'not written: the checks did not pass'}")
    lines.append(f"scene: {data['scene_path']}")
    return "\n".join(lines)


def camera_check(args: argparse.Namespace) -> int:
    from kiosk.drivers.camera import CameraUrlError, describe_url
    from kiosk.drivers.factory import build_camera
    from kiosk.photo import PhotoSession

    config, hooks = terminal(args)
    url = args.source or config.devices.camera
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"cannot use {out} for the output: {exc.strerror}", file=sys.stderr)
        return exitcodes.FAILED
    try:
        camera = build_camera(url, hooks)
    except CameraUrlError as exc:
        print(f"camera: {exc}", file=sys.stderr)
        return exitcodes.USAGE
    print(f"opening the camera {describe_url(url)} and checking frames for up to {args.seconds:g} s ...",
          file=sys.stderr)
    with camera:
        done = PhotoSession(camera, config.photo).attempt(args.seconds)
        status = camera.status()
    if not done.ok:
        data = {"passed": False, "code": str(done.code), "reason": done.reason, "camera": status.to_dict()}
        emit(args, data, f"camera: {done.code}: {done.reason}")
        if not args.json:
            print(f"camera: {done.code}: {done.reason} (recovery: {done.recovery})", file=sys.stderr)
        return FAILURE_EXIT.get(str(done.code), exitcodes.DEVICE_ERROR)
    attempt = done.value
    stamp = time.strftime("%Y%m%d-%H%M%S")
    scene_path = _write_new(out, f"camera-check-{stamp}-scene", attempt.scene_jpeg)
    photo_path = _write_new(out, f"camera-check-{stamp}-photo", attempt.photo_jpeg) if attempt.passed else None
    data = {
        **attempt.check.to_dict(),
        "photo_path": str(photo_path) if photo_path else None,
        "scene_path": str(scene_path),
        "source": describe_url(url),
        "camera": status.to_dict(),
    }
    emit(args, data, _human_report(data))
    return exitcodes.OK if attempt.passed else exitcodes.FAILED
